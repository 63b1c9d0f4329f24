/* augur/sampler.h - where starting points come from.
 *
 * Every population solver (and later Buckshot) draws its random starting
 * points through one call, chosen by each solver's "sampler" parameter:
 * uniform random, Latin hypercube, Halton or Sobol. The quasi-random
 * sequences come from GSL's gsl_qrng and are shifted by a random vector
 * drawn from the run's generator (a Cranley-Patterson rotation), so a
 * design keeps its even spread while different seeds give different
 * designs, and the same seed gives the same one. */
#ifndef AUGUR_SAMPLER_H
#define AUGUR_SAMPLER_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum augur_sampler {
    AUGUR_SAMPLER_UNIFORM,
    AUGUR_SAMPLER_LATIN_HYPERCUBE,
    AUGUR_SAMPLER_HALTON,         /* n <= 1229 (GSL's limit) */
    AUGUR_SAMPLER_SOBOL           /* n <= 40 (GSL's limit) */
} augur_sampler;

/* "uniform", "latin-hypercube", "halton", "sobol"; NULL-terminated, in enum
 * order, for CHOICE parameters. */
AUGUR_EXTERN extern const char *const augur_sampler_names[];

/* Fill m rows of n points inside [lb, ub] (finite). AUGUR_EINVAL with a
 * message in err for NULL arrays, an unbounded or inverted box, or a
 * dimension the sequence does not support. */
AUGUR_EXTERN int augur_sample(augur_sampler kind, gsl_rng *rng, size_t n,
                              size_t m, const double *lb, const double *ub,
                              double *X, char *err, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
