/* bench_util.h - what the solver benchmark (solvers.c) builds on: a clock,
 * a small seeded generator, medians, name lists, the problem tracker
 * through which every library's evaluations pass, and one adapter per
 * library (augur, NLopt, GSL) that runs a solver once on the tracker or on
 * the trivial cost of the overhead table.
 *
 * The tracker is the one place that counts evaluations and decides success,
 * so augur, NLopt and GSL are measured by the same rule: an evaluation is a
 * call of the model's cost at a point inside the box, success is the first
 * evaluation within the budget with f - fmin < BENCH_SUCCESS_TOL, and
 * evaluations beyond the budget (a solver that checks its limit only after
 * a whole generation) are answered but never count towards success. */
#ifndef AUGUR_BENCH_UTIL_H
#define AUGUR_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <augur.h>
#include <nlopt.h>

#ifdef __cplusplus
extern "C" {   /* pagmo_anchor.cpp uses the tracker */
#endif

#define BENCH_MAXN 20                 /* largest dimension of any case or overhead run */
#define BENCH_SUCCESS_TOL 1e-6        /* f - fmin below this is a success */
#define BENCH_STOPVAL_TOL 1e-7        /* solvers stop below fmin + this */

/* Seconds on CLOCK_MONOTONIC. */
double bench_now(void);

/* SplitMix64 of (a, b): independent seeds for (seed, restart) pairs. */
uint64_t bench_mix(uint64_t a, uint64_t b);

/* A tiny generator for the starting points the bench draws itself. */
typedef struct bench_rng {
    uint64_t state;
} bench_rng;
void bench_rng_seed(bench_rng *r, uint64_t seed);
double bench_uniform(bench_rng *r);   /* [0, 1) */
/* A point drawn uniformly from the box [lb, ub]. */
void bench_draw_point(bench_rng *r, size_t n, const double *lb,
                      const double *ub, double *x);

/* Median of v[0..m) (sorts v); NaN when m is 0. */
double bench_median(double *v, size_t m);

/* 1 when name is in the comma-separated list (case-insensitive), or the
 * list is NULL (no filter). */
int bench_list_has(const char *list, const char *name);

/* One case: a model at a dimension, optionally shifted, and the state of
 * the (seed) run in progress. */
typedef struct bench_problem {
    const augur_model *model;
    size_t n;
    double shift;                     /* cost(x - shift) per coordinate */
    double fmin;
    double lb[BENCH_MAXN], ub[BENCH_MAXN];

    size_t budget;                    /* evaluations allowed this run */
    size_t evals;                     /* evaluations so far, all restarts */
    size_t evals_to_success;          /* 1-based index of the first success, or 0 */
    double best;                      /* best f within the budget */
    double y[BENCH_MAXN];             /* scratch for the shifted point */
} bench_problem;

/* Look the model up and fill the box and fmin; AUGUR_OK or a status. */
int bench_problem_init(bench_problem *p, const char *model, size_t n,
                       double shift);
/* Forget the previous run; budget evaluations from now. */
void bench_problem_reset(bench_problem *p, size_t budget);
/* The cost at x (inside the box), counted and tracked. */
double bench_problem_eval(bench_problem *p, const double *x);
/* Evaluations left in the budget (0 when spent). */
size_t bench_problem_remaining(const bench_problem *p);
/* 1 once a success has been seen. */
int bench_problem_solved(const bench_problem *p);
/* The value solvers are told to stop at. */
double bench_problem_stopval(const bench_problem *p);

/* --- The solvers under test -------------------------------------------- */

typedef enum bench_lib { LIB_AUGUR, LIB_NLOPT, LIB_GSL, LIB_PAGMO } bench_lib;
extern const char *const bench_lib_names[];   /* "augur", "nlopt", "gsl", "pagmo" */

typedef struct bench_contestant {
    const char *name;                 /* --solvers name and table label */
    bench_lib lib;
    int local;                        /* starts from a point the bench draws */
    const char *type;                 /* augur: registry name */
    const char *param, *value;        /* augur: one extra setting, or NULL */
    const char *nested;               /* augur: the nested solver's type (ipop) */
    int stagnation;                   /* augur: ChangeOverGeneration(1e-6, 30)
                                         instead of the default condition */
    nlopt_algorithm alg;              /* NLopt */
    int pagmo;                        /* pagmo2: a bench_pagmo_alg */
    int overhead;                     /* measured in the overhead table */
    int available;
    char why[128];                    /* why not available */
} bench_contestant;

/* Sets c->available (and c->why): an augur type must be registered and
 * take c's extra setting (and its nested type be registered); NLopt's and
 * GSL's are always there; pagmo2's when the bench was built with it. */
void bench_check_available(bench_contestant *c);

/* One run of c on p from x0 (local methods; population methods draw their
 * own from the seed) with what is left of p's budget, told to stop at
 * bench_problem_stopval and otherwise by the method's own convergence test.
 * 0, or -1 with a message in err when the run could not be set up. */
int bench_run_once(const bench_contestant *c, bench_problem *p, uint64_t seed,
                   const double *x0, char *err, size_t cap);

/* The overhead run: c on f = sum x_i over [-1, 1]^n from x0 with at most
 * budget evaluations and no stopping test of the bench's; returns the
 * evaluations done (0 when the run could not be set up). */
extern const double bench_unit_lb[BENCH_MAXN], bench_unit_ub[BENCH_MAXN];
size_t bench_run_trivial(const bench_contestant *c, size_t n, size_t budget,
                         uint64_t seed, const double *x0);

/* The start-up problem (issue 12; bench_solvers' start-up line and
 * bench_startup): the 2-D sphere, counting its calls in *(size_t *)data,
 * as augur's and NLopt's costs. */
double bench_sphere2(const double *x, size_t n, void *data);
double bench_sphere2_nlopt(unsigned n, const double *x, double *g, void *data);
/* The start-up loop (bench_solvers' start-up line, bench_startup): RUNS
 * times create a 2-D Nelder-Mead, solve bench_sphere2 from (1, 1) and
 * destroy it - augur's with its default condition, NLopt's LN_NELDERMEAD
 * with xtol_abs 1e-4; evals counts the evaluations, x and f get the last
 * run's answer. */
void bench_startup_augur(long runs, size_t *evals, double *x, double *f);
void bench_startup_nlopt(long runs, size_t *evals, double *x, double *f);

#ifdef __cplusplus
}
#endif

#endif
