/* de_draws.h - private to augur: differential evolution's random draws,
 * the same values as GSL's calls but cheaper. The hot, inlined half lives
 * here so de_common.c's loops keep it inline; batched uniforms are in
 * de_draws.c. */
#ifndef AUGUR_DE_DRAWS_H
#define AUGUR_DE_DRAWS_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "de_int.h"
#include "mt19937_int.h"

/* --- Draws ----------------------------------------------------------------
 *
 * A trial's draws are made as gsl_rng_uniform and gsl_rng_uniform_int make
 * them - the same values in the same order, so every seed's run is
 * unchanged - but cheaper: they were a third to a half of the time per
 * evaluation with a trivial cost. libgsl is built without HAVE_INLINE, so
 * each of those is an out-of-line call around the generator's own;
 * uniform_int divides range / m again on every draw though m is np or n
 * for the whole run; and GSL's MT19937 refills its 624 words with a branch
 * on each word's random low bit, mispredicted half the time. So for the
 * solvers' generator, mt19937, DE steps the generator itself, on GSL's
 * state, with the same arithmetic and no branch; any other generator goes
 * through its type's functions. The repair (bounds.c) and SHADE's Gaussian
 * and Cauchy draws still go through GSL, on the same state, in the same
 * order as ever. MT19937's own stepping is mt19937_int.h's, which cmaes's
 * normals (ziggurat.c) use too. */

typedef struct de_rng {
    mt_state *mt;                 /* NULL: through the type's functions */
    void *state;
    unsigned long (*get)(void *);
    double (*get_double)(void *);
    unsigned long min, range;
} de_rng;

/* m draws of gsl_rng_uniform in a row into out (de_draws.c). */
void augur__de_draw_uniforms(const de_rng *g, double *out, size_t m);


static inline de_rng rng_of(const gsl_rng *r, const de_state *st)
{
    return (de_rng){.mt = st->fast_mt ? r->state : NULL,
                    .state = r->state, .get = r->type->get,
                    .get_double = r->type->get_double, .min = r->type->min,
                    .range = r->type->max - r->type->min};
}

/* gsl_rng_get */
static inline unsigned long draw_raw(const de_rng *g)
{
    return g->mt ? mt_next(g->mt) : g->get(g->state);
}

/* gsl_rng_uniform: mt19937's get_double is its output / 2^32 */
static inline double draw_uniform(const de_rng *g)
{
    return g->mt ? (double)mt_next(g->mt) / 4294967296.0
                 : g->get_double(g->state);
}


static inline de_scale scale_for(const de_rng *g, unsigned long m)
{
    return (de_scale){.m = m, .scale = g->range / m};
}

/* gsl_rng_uniform_int(r, sc->m): the generator's values scaled down by
 * sc->scale, drawn again when they land at m or beyond. */
static inline size_t draw_below(const de_rng *g, const de_scale *sc)
{
    unsigned long k;
    do
        k = (draw_raw(g) - g->min) / sc->scale;
    while (k >= sc->m);
    return (size_t)k;
}

#endif
