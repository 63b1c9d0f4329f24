/* bench_util.c - helpers of the solver benchmark (bench/solvers.c): the
 * monotonic clock, SplitMix64 seeds and a small generator for starting
 * points, medians, comma-separated name lists, the problem tracker, and the
 * adapters that run one solver of augur, NLopt or GSL once.
 *
 * Every solver under test, ours or NLopt's or GSL's, reaches the model's
 * cost only through bench_problem_eval, so evaluations are counted, the
 * budget is enforced and success is judged in one place and by one rule.
 * The generator is the bench's own (not GSL's or NLopt's) so that the
 * starting points of the local methods are the same sequence for every
 * library and do not depend on any library's global state.
 *
 * The adapters are where the libraries differ and the bench makes them
 * alike: the same box, the same stop value, the remaining budget, and for
 * GSL, which has no bounds, a projection into the box (gsl_boxed). */
#include "bench_util.h"
#include "bench_pagmo.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_multimin.h>

#define GSL_SIZE_TOL 1e-10            /* nmsimplex2 has converged below this size */
#define GSL_STEP 0.1                  /* nmsimplex2's initial step: 10% of the box */
#define MLSL_LOCAL_XTOL 1e-8          /* MLSL's BOBYQA needs a tolerance to end */

const char *const bench_lib_names[] = {"augur", "nlopt", "gsl", "pagmo"};

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

uint64_t bench_mix(uint64_t a, uint64_t b)
{
    uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void bench_rng_seed(bench_rng *r, uint64_t seed)
{
    r->state = seed;
}

double bench_uniform(bench_rng *r)
{
    /* SplitMix64 step; the top 53 bits make a double in [0, 1). */
    r->state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = r->state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

void bench_draw_point(bench_rng *r, size_t n, const double *lb,
                      const double *ub, double *x)
{
    for (size_t i = 0; i < n; i++)
        x[i] = lb[i] + (ub[i] - lb[i]) * bench_uniform(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t m)
{
    if (m == 0)
        return NAN;
    qsort(v, m, sizeof *v, cmp_double);
    return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

/* Case-insensitive equality of name and the first len bytes of item. */
static int item_eq(const char *item, size_t len, const char *name)
{
    if (strlen(name) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)item[i]) != tolower((unsigned char)name[i]))
            return 0;
    return 1;
}

int bench_list_has(const char *list, const char *name)
{
    if (!list)
        return 1;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (item_eq(p, len, name))
            return 1;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

int bench_problem_init(bench_problem *p, const char *model, size_t n,
                       double shift)
{
    memset(p, 0, sizeof *p);
    p->model = augur_model_find(model);
    if (!p->model || n > BENCH_MAXN)
        return AUGUR_EINVAL;
    p->n = n;
    p->shift = shift;
    int rc = augur_model_box(p->model, n, p->lb, p->ub);
    if (rc == AUGUR_OK)
        rc = augur_model_minimum(p->model, n, &p->fmin, NULL);
    return rc;
}

void bench_problem_reset(bench_problem *p, size_t budget)
{
    p->budget = budget;
    p->evals = 0;
    p->evals_to_success = 0;
    p->best = INFINITY;
}

double bench_problem_eval(bench_problem *p, const double *x)
{
    const double *arg = x;
    if (p->shift != 0) {
        /* The minimiser moves from x* to x* + shift: the box stays, so a
         * method can no longer profit from a minimum at its centre. */
        for (size_t i = 0; i < p->n; i++)
            p->y[i] = x[i] - p->shift;
        arg = p->y;
    }
    double f = p->model->cost(arg, p->n, NULL);
    p->evals++;
    if (p->evals > p->budget)
        return f;  /* answered, but past the budget it never counts */
    if (f < p->best)
        p->best = f;
    if (!p->evals_to_success && f - p->fmin < BENCH_SUCCESS_TOL)
        p->evals_to_success = p->evals;
    return f;
}

size_t bench_problem_remaining(const bench_problem *p)
{
    return p->evals < p->budget ? p->budget - p->evals : 0;
}

int bench_problem_solved(const bench_problem *p)
{
    return p->evals_to_success != 0;
}

double bench_problem_stopval(const bench_problem *p)
{
    return p->fmin + BENCH_STOPVAL_TOL;
}

/* --- The libraries under test ------------------------------------------ */

/* An augur solver is there when its type is registered and takes the extra
 * setting; a build without one (solvers arrive one at a time) skips it and
 * names it rather than failing the whole benchmark. */
void bench_check_available(bench_contestant *c)
{
    c->available = 1;
    if (c->lib == LIB_PAGMO)
        c->available = bench_pagmo_available(c->why, sizeof c->why);
    if (c->lib != LIB_AUGUR)
        return;
    const char *missing = !augur_solver_type_find(c->type) ? c->type
                          : c->nested && !augur_solver_type_find(c->nested)
                              ? c->nested
                              : NULL;
    if (missing) {
        c->available = 0;
        snprintf(c->why, sizeof c->why, "type \"%s\" is not registered", missing);
        return;
    }
    augur_solver *s = augur_solver_create(c->type, 2);
    if (!s) {
        c->available = 0;
        snprintf(c->why, sizeof c->why, "cannot create \"%s\"", c->type);
    } else if (c->param &&
               augur_solver_set_param_string(s, c->param, c->value) != AUGUR_OK) {
        c->available = 0;
        snprintf(c->why, sizeof c->why, "%s=%s refused: %s", c->param, c->value,
                 augur_solver_errmsg(s));
    }
    augur_solver_destroy(s);
}

/* One run of one library from one start. Each returns 0, or -1 with a
 * message in err when the run could not even be set up (an unexpected
 * failure, reported on stderr). */

static double our_cost(const double *x, size_t n, void *data)
{
    (void)n;
    return bench_problem_eval(data, x);
}

static double zero_cost(const double *x, size_t n, void *data)
{
    (void)x;
    (void)n;
    (void)data;
    return 0;
}

/* A type's own default condition. The solver makes it at generation 0, so
 * a throwaway solver takes that generation on a zero cost (never the
 * tracker) in [-1, 1]^n and the condition is copied; NULL when none. */
static augur_termination *default_condition(const char *type, size_t n)
{
    augur_solver *t = augur_solver_create(type, n);
    augur_termination *own = NULL;
    if (t && augur_solver_set_bounds(t, bench_unit_lb, bench_unit_ub) == AUGUR_OK &&
        augur_solver_set_random_initial_points(t, bench_unit_lb, bench_unit_ub) ==
            AUGUR_OK &&
        augur_solver_step(t, zero_cost, NULL) == AUGUR_OK && augur_solver_termination(t))
        own = augur_term_copy(augur_solver_termination(t));
    augur_solver_destroy(t);
    return own;
}

/* An ensemble (ipop) hands its own condition down to a nested solver that
 * has none, replacing the nested solver's default. So the nested solver
 * gets stopval OR its own default (for cmaes, Hansen's tests), which ends
 * each inner run as a plain run would end, and the ensemble itself only
 * stopval (run_ours). */
static int set_nested(augur_solver *s, const char *type, size_t n, double stopval)
{
    augur_solver *in = augur_solver_create(type, n);
    if (!in)
        return AUGUR_ENOMEM;
    augur_termination *own = default_condition(type, n);
    augur_termination *stop = augur_term_stopval(stopval);
    int rc = augur_solver_set_termination(in, own ? augur_term_or(stop, own) : stop);
    if (rc == AUGUR_OK)
        return augur_solver_set_nested(s, in);
    augur_solver_destroy(in);
    return rc;
}

/* For the overhead run, stopval is -inf: no stopping test but the limit. */
static augur_solver *make_ours(const bench_contestant *c, size_t n, double stopval)
{
    augur_solver *s = augur_solver_create(c->type, n);
    if (s && c->param && augur_solver_set_param_string(s, c->param, c->value)) {
        augur_solver_destroy(s);
        s = NULL;
    }
    if (s && c->nested && set_nested(s, c->nested, n, stopval) != AUGUR_OK) {
        augur_solver_destroy(s);
        s = NULL;
    }
    return s;
}

/* stopval OR the solver's own default condition (read back after
 * generation 0, when the solver has made it), DE's stagnation half for DE. */
static augur_termination *our_condition(const bench_contestant *c,
                                        const augur_solver *s, double stopval)
{
    augur_termination *own = NULL;
    if (c->stagnation)
        own = augur_term_change_over_generation(1e-6, 30);
    else if (augur_solver_termination(s))
        own = augur_term_copy(augur_solver_termination(s));
    else
        return augur_term_stopval(stopval);
    return augur_term_or(augur_term_stopval(stopval), own);
}

static int run_ours(const bench_contestant *c, bench_problem *p, uint64_t seed,
                    const double *x0, char *err, size_t cap)
{
    augur_solver *s = make_ours(c, p->n, bench_problem_stopval(p));
    if (!s) {
        snprintf(err, cap, "cannot create the solver");
        return -1;
    }
    int rc = augur_solver_set_bounds(s, p->lb, p->ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_seed(s, seed);
    if (rc == AUGUR_OK)
        rc = c->local ? augur_solver_set_initial_point(s, x0)
                      : augur_solver_set_random_initial_points(s, p->lb, p->ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED,
                                                bench_problem_remaining(p));
    /* An ensemble's generation 0 is a whole inner run: its condition is
     * stopval alone, set before (the nested solver has its own). */
    if (rc == AUGUR_OK && c->nested)
        rc = augur_solve(s, our_cost, p, augur_term_stopval(bench_problem_stopval(p)));
    else if (rc == AUGUR_OK) {
        rc = augur_solver_step(s, our_cost, p);
        if (rc == AUGUR_OK)
            rc = augur_solve(s, NULL, NULL,
                             our_condition(c, s, bench_problem_stopval(p)));
    }
    if (rc < 0)
        snprintf(err, cap, "%s", augur_solver_errmsg(s));
    augur_solver_destroy(s);
    return rc < 0 ? -1 : 0;
}

static double nlopt_cost(unsigned n, const double *x, double *grad, void *data)
{
    (void)n;
    (void)grad;
    return bench_problem_eval(data, x);
}

/* MLSL runs a local optimiser from its sample points; it must be told when
 * a local search is done, or the first one takes the whole budget. */
static void add_mlsl_local(nlopt_opt o, size_t n)
{
    nlopt_opt local = nlopt_create(NLOPT_LN_BOBYQA, (unsigned)n);
    nlopt_set_xtol_rel(local, MLSL_LOCAL_XTOL);
    nlopt_set_local_optimizer(o, local);
    nlopt_destroy(local);
}

static nlopt_opt make_nlopt(const bench_contestant *c, size_t n, const double *lb,
                            const double *ub, size_t budget)
{
    nlopt_opt o = nlopt_create(c->alg, (unsigned)n);
    if (!o)
        return NULL;
    nlopt_set_lower_bounds(o, lb);
    nlopt_set_upper_bounds(o, ub);
    nlopt_set_maxeval(o, budget > (size_t)INT32_MAX ? INT32_MAX : (int)budget);
    if (c->alg == NLOPT_GN_MLSL_LDS)
        add_mlsl_local(o, n);
    return o;
}

static int run_nlopt(const bench_contestant *c, bench_problem *p, uint64_t seed,
                     const double *x0, char *err, size_t cap)
{
    nlopt_srand((unsigned long)seed);
    nlopt_opt o = make_nlopt(c, p->n, p->lb, p->ub, bench_problem_remaining(p));
    if (!o) {
        snprintf(err, cap, "nlopt_create failed");
        return -1;
    }
    nlopt_set_min_objective(o, nlopt_cost, p);
    nlopt_set_stopval(o, bench_problem_stopval(p));
    double x[BENCH_MAXN], minf;
    memcpy(x, x0, p->n * sizeof *x);
    nlopt_result r = nlopt_optimize(o, x, &minf);
    nlopt_destroy(o);
    /* Failure, roundoff and the like end a run (and the bench restarts);
     * only a refusal of the arguments or memory is the bench's problem. */
    if (r == NLOPT_INVALID_ARGS || r == NLOPT_OUT_OF_MEMORY) {
        snprintf(err, cap, "nlopt_optimize returned %d", (int)r);
        return -1;
    }
    return 0;
}

/* GSL's simplex knows no bounds: it sees f at the point projected into the
 * box plus the squared distance to the box, so it is pulled back in, and
 * the tracker only ever sees points inside, as with the other libraries. */
typedef struct gsl_box {
    size_t n;
    const double *lb, *ub;
    double (*cost)(void *ctx, const double *y);
    void *ctx;
} gsl_box;

static double gsl_boxed(const gsl_vector *v, void *params)
{
    const gsl_box *b = params;
    double y[BENCH_MAXN], pen = 0;
    for (size_t i = 0; i < b->n; i++) {
        double xi = gsl_vector_get(v, i);
        y[i] = fmin(fmax(xi, b->lb[i]), b->ub[i]);
        pen += (xi - y[i]) * (xi - y[i]);
    }
    return b->cost(b->ctx, y) + pen;
}

/* nmsimplex2 from x0 with a step of 10% of the box; iterates until go()
 * says stop or GSL reports an error. */
static int gsl_simplex(gsl_box *b, const double *x0,
                       int (*go)(void *ctx, const gsl_multimin_fminimizer *m))
{
    gsl_multimin_function fn = {.f = gsl_boxed, .n = b->n, .params = b};
    gsl_vector *x = gsl_vector_alloc(b->n), *step = gsl_vector_alloc(b->n);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, b->n);
    if (!x || !step || !m) {
        gsl_vector_free(x);
        gsl_vector_free(step);
        gsl_multimin_fminimizer_free(m);
        return -1;
    }
    for (size_t i = 0; i < b->n; i++) {
        gsl_vector_set(x, i, x0[i]);
        gsl_vector_set(step, i, GSL_STEP * (b->ub[i] - b->lb[i]));
    }
    /* The minimiser's f is only set by the first iteration, so go() is
     * asked after each iteration, never before the first. */
    int rc = gsl_multimin_fminimizer_set(m, &fn, x, step);
    while (rc == GSL_SUCCESS) {
        rc = gsl_multimin_fminimizer_iterate(m);
        if (rc != GSL_SUCCESS || !go(b->ctx, m))
            break;
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(step);
    gsl_vector_free(x);
    return 0;
}

static double gsl_problem_cost(void *ctx, const double *y)
{
    return bench_problem_eval(ctx, y);
}

/* The local loop's own test: budget left, not at stopval, not converged. */
static int gsl_problem_go(void *ctx, const gsl_multimin_fminimizer *m)
{
    const bench_problem *p = ctx;
    return bench_problem_remaining(p) > 0 &&
           gsl_multimin_fminimizer_minimum(m) > bench_problem_stopval(p) &&
           gsl_multimin_fminimizer_size(m) >= GSL_SIZE_TOL;
}

static int run_gsl(const bench_contestant *c, bench_problem *p, uint64_t seed,
                   const double *x0, char *err, size_t cap)
{
    (void)c;
    (void)seed;  /* deterministic from x0 */
    gsl_box b = {.n = p->n, .lb = p->lb, .ub = p->ub,
                 .cost = gsl_problem_cost, .ctx = p};
    if (gsl_simplex(&b, x0, gsl_problem_go) < 0) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    return 0;
}

int bench_run_once(const bench_contestant *c, bench_problem *p, uint64_t seed,
                   const double *x0, char *err, size_t cap)
{
    switch (c->lib) {
    case LIB_AUGUR:
        return run_ours(c, p, seed, x0, err, cap);
    case LIB_NLOPT:
        return run_nlopt(c, p, seed, x0, err, cap);
    case LIB_PAGMO:
        return bench_pagmo_run((bench_pagmo_alg)c->pagmo, p, seed, err, cap);
    default:
        return run_gsl(c, p, seed, x0, err, cap);
    }
}

/* --- The same libraries on the trivial cost (overhead) ------------------ */
/* f = sum x_i on [-1, 1]^n with no stopping test but the evaluation limit,
 * so the time measured is the solver's own. */

const double bench_unit_lb[BENCH_MAXN] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
const double bench_unit_ub[BENCH_MAXN] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                          1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static double trivial_sum(const double *x, size_t n, size_t *count)
{
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += x[i];
    ++*count;
    return f;
}

static double our_trivial(const double *x, size_t n, void *data)
{
    return trivial_sum(x, n, data);
}

static double nlopt_trivial(unsigned n, const double *x, double *grad, void *data)
{
    (void)grad;
    return trivial_sum(x, n, data);
}

typedef struct gsl_count {
    size_t n, count, budget;
} gsl_count;

static double gsl_trivial(void *ctx, const double *y)
{
    gsl_count *g = ctx;
    return trivial_sum(y, g->n, &g->count);
}

static int gsl_trivial_go(void *ctx, const gsl_multimin_fminimizer *m)
{
    (void)m;
    const gsl_count *g = ctx;
    return g->count < g->budget;
}

static size_t trivial_ours(const bench_contestant *c, size_t n, size_t budget,
                           uint64_t seed)
{
    size_t count = 0;
    augur_solver *s = make_ours(c, n, -INFINITY);
    const double *lb = bench_unit_lb, *ub = bench_unit_ub;
    if (s && augur_solver_set_bounds(s, lb, ub) == AUGUR_OK &&
        augur_solver_set_seed(s, seed) == AUGUR_OK &&
        augur_solver_set_random_initial_points(s, lb, ub) == AUGUR_OK &&
        augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, budget) == AUGUR_OK)
        augur_solve(s, our_trivial, &count, augur_term_stopval(-INFINITY));
    augur_solver_destroy(s);
    return count;
}

static size_t trivial_nlopt(const bench_contestant *c, size_t n, size_t budget,
                            uint64_t seed, const double *x0)
{
    size_t count = 0;
    nlopt_srand((unsigned long)seed);
    nlopt_opt o = make_nlopt(c, n, bench_unit_lb, bench_unit_ub, budget);
    double x[BENCH_MAXN], minf;
    memcpy(x, x0, n * sizeof *x);
    if (o && nlopt_set_min_objective(o, nlopt_trivial, &count) == NLOPT_SUCCESS)
        nlopt_optimize(o, x, &minf);
    nlopt_destroy(o);
    return count;
}

static size_t trivial_gsl(size_t n, size_t budget, const double *x0)
{
    gsl_count g = {.n = n, .count = 0, .budget = budget};
    gsl_box b = {.n = n, .lb = bench_unit_lb, .ub = bench_unit_ub,
                 .cost = gsl_trivial, .ctx = &g};
    gsl_simplex(&b, x0, gsl_trivial_go);
    return g.count;
}

size_t bench_run_trivial(const bench_contestant *c, size_t n, size_t budget,
                         uint64_t seed, const double *x0)
{
    switch (c->lib) {
    case LIB_AUGUR:
        return trivial_ours(c, n, budget, seed);
    case LIB_NLOPT:
        return trivial_nlopt(c, n, budget, seed, x0);
    case LIB_PAGMO:
        return bench_pagmo_trivial((bench_pagmo_alg)c->pagmo, n, budget, seed);
    default:
        return trivial_gsl(n, budget, x0);
    }
}

double bench_sphere2(const double *x, size_t n, void *data)
{
    (void)n;
    ++*(size_t *)data;
    return x[0] * x[0] + x[1] * x[1];
}

double bench_sphere2_nlopt(unsigned n, const double *x, double *g, void *data)
{
    (void)g;
    return bench_sphere2(x, n, data);
}

/* The last run's best point and energy into x and f. */
void bench_startup_augur(long runs, size_t *evals, double *x, double *f)
{
    static const double x0[2] = {1, 1};
    for (long r = 0; r < runs; r++) {
        augur_solver *s = augur_solver_create("nelder-mead", 2);
        augur_solver_set_initial_point(s, x0);
        augur_solve(s, bench_sphere2, evals, NULL);
        memcpy(x, augur_solver_best_solution(s), 2 * sizeof *x);
        *f = augur_solver_best_energy(s);
        augur_solver_destroy(s);
    }
}

void bench_startup_nlopt(long runs, size_t *evals, double *x, double *f)
{
    for (long r = 0; r < runs; r++) {
        x[0] = x[1] = 1;
        nlopt_opt o = nlopt_create(NLOPT_LN_NELDERMEAD, 2);
        nlopt_set_min_objective(o, bench_sphere2_nlopt, evals);
        nlopt_set_xtol_abs1(o, 1e-4);
        nlopt_optimize(o, x, f);
        nlopt_destroy(o);
    }
}
