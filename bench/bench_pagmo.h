/* bench_pagmo.h - pagmo2 (esa/pagmo2, C++) as an anchor of bench_solvers.
 *
 * pagmo_anchor.cpp implements these when CMake found pagmo2 (Debian's
 * libpagmo-dev); pagmo_none.c stands in otherwise, so solvers.c calls the
 * same functions either way and reports "not built" instead of failing.
 * pagmo is a bench-only dependency: the library and the tests never see it.
 *
 * pagmo's algorithms reach the case's cost only through the bench's
 * tracker (bench_problem_eval), like every other library's. pagmo has no
 * stop value and no evaluation limit, so the wrapped fitness throws to end
 * a run when f reaches the stop value or the budget is spent (the count is
 * then exact, as with NLopt's maxeval); a run that ends by the algorithm's
 * own test (ftol, xtol) returns normally and the bench restarts it. */
#ifndef AUGUR_BENCH_PAGMO_H
#define AUGUR_BENCH_PAGMO_H

#include <stddef.h>
#include <stdint.h>

#include "bench_util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bench_pagmo_alg {
    BENCH_PAGMO_CMAES_IPOP,   /* cmaes, IPOP restarts (population x2) inside one run */
    BENCH_PAGMO_SADE,         /* sade, variant 2 (rand/1/exp), jDE adaptation */
    BENCH_PAGMO_DE1220,       /* de1220, jDE adaptation */
    BENCH_PAGMO_XNES,         /* xnes; the bench's loop restarts it */
    BENCH_PAGMO_PSO,          /* pso, pagmo's defaults (variant 5, lbest ring) */
    BENCH_PAGMO_NALGS
} bench_pagmo_alg;

/* 1 when built with pagmo2; else 0 and why (a sentence) in why. */
int bench_pagmo_available(char *why, size_t cap);
/* "2.18.0", or NULL without pagmo2. */
const char *bench_pagmo_version(void);

/* One run of alg on p with what is left of p's budget, from a population
 * drawn by pagmo in the box from seed (pagmo is single-threaded here).
 * 0, or -1 with a message in err when pagmo refused to run. */
int bench_pagmo_run(bench_pagmo_alg alg, bench_problem *p, uint64_t seed,
                    char *err, size_t cap);

/* The overhead run: alg on f = sum x_i over [-1, 1]^n with at most budget
 * evaluations and pagmo's own tests only; returns the evaluations done. */
size_t bench_pagmo_trivial(bench_pagmo_alg alg, size_t n, size_t budget,
                           uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif
