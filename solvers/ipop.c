/* ipop.c - IPOP restarts (Auger and Hansen 2005): the nested solver
 * (cmaes, typically) is run again and again from a fresh starting point,
 * its population multiplied by "factor" (2) at each restart, until
 * "restarts" restarts are done or the evaluation budget is spent. A larger
 * population makes CMA-ES more global, so a multimodal problem that a
 * default run loses is often solved by the third or fourth.
 *
 * It is an ensemble (ensemble.c) of one run per batch: each run rebuilds
 * the nested solver from its spec, which this file rewrites before every
 * run with that run's population ("population" parameter of the nested
 * solver, computed default lambda0 = its population_size for n, so any
 * solver with such a parameter works) and its share of the budget. The
 * budget is one for all runs: the evaluation limit set on this solver;
 * each run may use what the runs before it left, in whole generations of
 * its population (so a solver that spends lambda evaluations a
 * generation, as cmaes does, never passes the budget), and no run starts
 * that could not make one generation. Without a limit every run keeps the
 * nested solver's own. Like the other ensembles, a termination condition
 * set on this solver goes down to each run (replacing cmaes's default). Starting points are drawn with the
 * "sampler" over the bounds (or the random initial box), from the run's
 * generator in the calling process; each run is seeded from (seed, run),
 * so a seed gives the same restarts on every map. Every run's minimum is
 * kept (augur_ensemble_runs) and the best of them is the answer.
 *
 * "regime" = bipop gives BIPOP (Hansen 2009, "Benchmarking a BI-population
 * CMA-ES on the BBOB-2009 function testbed"): after the first run (default
 * population and sigma0, counted as a large run), two regimes share the
 * budget, and the next run is of the regime that has spent fewer
 * evaluations so far (the large one on a tie). Large runs are IPOP's:
 * restart k of that regime has lambda0 factor^k. Small runs draw u
 * uniform in [0, 1) and take lambda_s = floor(lambda0 (lambda_L /
 * (2 lambda0))^(u^2)), at least 2, with lambda_L the population of the
 * latest large restart (lambda0 factor before the first), and sigma0
 * times 10^(-2u), through the nested solver's "sigma-factor" parameter
 * (cmaes has it: it scales the default sigma0 and keeps its per-coordinate
 * shape). "restarts" counts the large restarts: the run finishes when the
 * large regime is due and has made them all, or when the budget cannot
 * pay one generation of the run due. u is drawn from the run's generator
 * in the calling process, after the run before it and before that run's
 * starting point, so the regimes, populations and step sizes are the
 * same on every map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "augur/spec.h"
#include "ensemble_int.h"

static const char *const regime_names[] = {"ipop", "bipop", NULL};
enum { REGIME_IPOP, REGIME_BIPOP };
enum { LARGE, SMALL };

typedef struct ipop_state {
    augur_ensemble base;
    /* parameters */
    double restarts, factor, regime;
    /* workspace */
    char *spec0;          /* the nested spec as handed down */
    size_t lambda0, runs;
    size_t budget;        /* AUGUR_UNLIMITED when none was set */
    int bipop;
    /* the run due next (planned when the one before it ends) */
    int kind;             /* LARGE or SMALL */
    size_t lambda;
    double sigma_factor;
    /* per regime: evaluations spent and runs made */
    size_t spent[2], made[2];
    size_t evals_before;  /* the solver's count when the current run began */
} ipop_state;

static const augur_param ipop_params[] = {
    {.name = "restarts", .kind = AUGUR_PARAM_INT, .def = 9, .min = 0, .max = 1e6,
     .offset = offsetof(ipop_state, restarts),
     .doc = "restarts after the first run (bipop: large ones; the budget may end them sooner)"},
    {.name = "factor", .kind = AUGUR_PARAM_REAL, .def = 2, .min = 1, .max = 100,
     .offset = offsetof(ipop_state, factor),
     .doc = "population growth at each (large) restart (Auger and Hansen: 2)"},
    {.name = "regime", .kind = AUGUR_PARAM_CHOICE, .def = REGIME_IPOP,
     .offset = offsetof(ipop_state, regime), .choices = regime_names,
     .doc = "ipop: growing restarts only; bipop: interleaved with small runs (Hansen 2009)"},
    {.name = NULL},
};

static size_t ipop_size(const void *state, size_t n)
{
    (void)n;
    (void)state;
    return 1;
}

/* lambda0 factor^k, rounded down and capped. */
static size_t grown(const ipop_state *st, double k)
{
    double p = floor((double)st->lambda0 * pow(st->factor, k));
    return p < 1e6 ? (size_t)p : (size_t)1e6;
}

/* The run after the one that just ended: its regime, population and step
 * size factor (BIPOP's small runs draw u here). */
static void plan_next(augur_solver *s, ipop_state *st)
{
    st->spent[st->kind] += s->evaluations - st->evals_before;
    st->made[st->kind]++;
    st->kind = st->bipop && st->spent[SMALL] < st->spent[LARGE] ? SMALL : LARGE;
    st->sigma_factor = 1;
    if (st->kind == LARGE) {
        st->lambda = grown(st, (double)st->made[LARGE]);
        return;
    }
    double u = gsl_rng_uniform(augur_solver_rng(s));
    double large = (double)grown(st, st->made[LARGE] > 1 ? (double)st->made[LARGE] - 1 : 1);
    double p = floor((double)st->lambda0 *
                     pow(large / (2 * (double)st->lambda0), u * u));
    st->lambda = p < 2 ? 2 : (size_t)p;
    st->sigma_factor = pow(10, -2 * u);
}

/* Rewrite the spec for the next run: its population, step size factor
 * and budget share. */
static int respec(augur_solver *s, ipop_state *st)
{
    char why[AUGUR_ERRMSG_CAP];
    augur_solver *in = NULL;
    int rc = augur_solver_read_spec(st->spec0, &in, why, sizeof why);
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "ipop: nested solver: %s", why);
    size_t lambda = st->lambda;
    rc = augur_solver_set_param(in, "population", (double)lambda);
    if (rc == AUGUR_OK && st->bipop)
        rc = augur_solver_set_param(in, "sigma-factor", st->sigma_factor);
    if (rc == AUGUR_OK && st->budget != AUGUR_UNLIMITED) {
        /* whole generations: a run stops at the first generation that
         * reaches its limit, so this one never passes the budget */
        size_t left = (st->budget - s->evaluations) / lambda * lambda;
        size_t own = in->max_eval_set;
        rc = augur_solver_set_evaluation_limits(in, in->max_gen_set,
                                                own && own < left ? own : left);
    }
    char *text = NULL;
    if (rc == AUGUR_OK)
        rc = augur_solver_write_spec(in, &text);
    if (rc != AUGUR_OK)
        augur_solver_fail(s, rc, "ipop: restart %zu: %s", st->runs,
                          augur_solver_errmsg(in));
    augur_solver_destroy(in);
    if (rc == AUGUR_OK) {
        free(st->base.spec);
        st->base.spec = text;
    }
    return rc;
}

static int next_run(augur_solver *s, augur_ensemble *e, double *X, size_t m,
                    const double *lo, const double *hi)
{
    ipop_state *st = (ipop_state *)e;
    if (!st->spec0) {   /* the first run: keep the handed-down spec */
        st->spec0 = e->spec;
        e->spec = NULL;
    }
    st->evals_before = s->evaluations;
    int rc = augur_sample((augur_sampler)s->base.sampler, augur_solver_rng(s), s->n, m, lo, hi,
                          X, s->errmsg, sizeof s->errmsg);
    return rc == AUGUR_OK ? respec(s, st) : rc;
}

/* lambda0 and the check that the nested solver has what the regime sets. */
static int inspect_nested(augur_solver *s, ipop_state *st)
{
    if (!s->nested) {   /* the restarts are of CMA-ES unless told otherwise */
        augur_solver *made = augur_solver_create(AUGUR_IPOP_DEFAULT_NESTED, s->n);
        int rc = made ? augur_solver_set_nested(s, made) : AUGUR_ENOMEM;
        if (rc != AUGUR_OK)
            return augur_solver_fail(s, rc, "ipop: cannot make the default nested "
                                     "solver %s", AUGUR_IPOP_DEFAULT_NESTED);
    }
    const augur_solver *in = s->nested;
    if (!augur_param_find(in->type->params, "population"))
        return augur_solver_fail(s, AUGUR_EINVAL, "ipop: the nested solver '%s' "
                                 "has no 'population' parameter to grow",
                                 in->type->name);
    st->bipop = (int)st->regime == REGIME_BIPOP;
    if (st->bipop && !augur_param_find(in->type->params, "sigma-factor"))
        return augur_solver_fail(s, AUGUR_EINVAL, "ipop: regime bipop needs the "
                                 "nested solver's 'sigma-factor' parameter "
                                 "('%s' has none; cmaes has it)", in->type->name);
    st->lambda0 = in->type->population_size
                      ? in->type->population_size(in->state, s->n) : 1;
    st->budget = s->max_eval_set ? s->max_eval_set : AUGUR_UNLIMITED;
    if (s->n_eval_mons && st->budget == AUGUR_UNLIMITED)
        return augur_solver_fail(s, AUGUR_EINVAL, "ipop: to feed evaluation "
                                 "monitors the restarts need an evaluation limit");
    return AUGUR_OK;
}

/* Finish when the run planned next may not run. */
static void finish_if_due(augur_solver *s, ipop_state *st)
{
    char why[160];
    if (st->bipop && st->kind == LARGE && st->made[LARGE] > (size_t)st->restarts) {
        snprintf(why, sizeof why, "BIPOP(large runs=%zu, small runs=%zu: all runs done)",
                 st->made[LARGE], st->made[SMALL]);
        augur_solver_finished(s, why);
    } else if (st->budget != AUGUR_UNLIMITED &&
               s->evaluations + st->lambda > st->budget) {
        if (st->bipop)
            snprintf(why, sizeof why, "BIPOP(large runs=%zu, small runs=%zu, "
                     "evaluations=%zu: budget spent)", st->made[LARGE],
                     st->made[SMALL], s->evaluations);
        else
            snprintf(why, sizeof why, "IPOP(restarts=%zu, evaluations=%zu: budget spent)",
                     st->runs - 1, s->evaluations);
        augur_solver_finished(s, why);
    }
}

/* After each run: plan the next one, and finish when it may not run. */
static void check_budget(augur_solver *s, ipop_state *st)
{
    if (s->finished)
        return;
    plan_next(s, st);
    finish_if_due(s, st);
}

/* The ensemble's fields that the type sets at start. */
static void set_base(ipop_state *st)
{
    st->base.npts = 1;
    st->base.batches = st->bipop ? 1e9 : st->restarts + 1;
    st->base.points = next_run;
    st->base.own_budget = 1;
    st->base.label = st->bipop ? "BIPOP" : "IPOP";
}

static int ipop_start(augur_solver *s, void *state)
{
    ipop_state *st = state;
    int rc = inspect_nested(s, st);
    if (rc != AUGUR_OK)
        return rc;
    set_base(st);
    st->runs = 0;
    st->kind = LARGE;
    st->lambda = st->lambda0;
    st->sigma_factor = 1;
    st->spent[LARGE] = st->spent[SMALL] = st->made[LARGE] = st->made[SMALL] = 0;
    rc = augur__ensemble_start(s, &st->base);
    st->runs++;
    if (rc == AUGUR_OK)
        check_budget(s, st);
    return rc;
}

static int ipop_step(augur_solver *s, void *state)
{
    ipop_state *st = state;
    int rc = augur__ensemble_step(s, &st->base);
    st->runs++;
    if (rc == AUGUR_OK)
        check_budget(s, st);
    return rc;
}

static void ipop_free(void *state)
{
    ipop_state *st = state;
    free(st->spec0);
    st->spec0 = NULL;
    augur__ensemble_free(&st->base);
}

/* Checkpoints, at a run boundary (a generation is one run): the
 * ensemble's progress (every finished run), and the plan of the run due
 * next - its regime, population and step size factor, drawn when the run
 * before it ended - with both regimes' evaluations and runs. lambda0 and
 * the budget come from the spec again. The handed-down spec is made again
 * at the first run after a restore (ensemble_checkpoint.c) and becomes
 * spec0 there, as at the first run. */
static int ipop_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    const ipop_state *st = state;
    int rc = augur__ensemble_save(s, &st->base, c);
    augur_ckpt_put_size(c, "runs-made", st->runs);
    augur_ckpt_put_size(c, "next-kind", (size_t)st->kind);
    augur_ckpt_put_size(c, "next-population", st->lambda);
    augur_ckpt_put_double(c, "next-sigma-factor", st->sigma_factor);
    augur_ckpt_put_size(c, "large-evaluations", st->spent[LARGE]);
    augur_ckpt_put_size(c, "small-evaluations", st->spent[SMALL]);
    augur_ckpt_put_size(c, "large-runs", st->made[LARGE]);
    augur_ckpt_put_size(c, "small-runs", st->made[SMALL]);
    augur_ckpt_put_size(c, "population-0", st->lambda0);
    return rc;
}

static int ipop_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    ipop_state *st = state;
    const augur_solver *in = s->nested;
    if (!in)
        return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: ipop without its nested solver");
    st->bipop = (int)st->regime == REGIME_BIPOP;
    st->budget = s->max_eval_set ? s->max_eval_set : AUGUR_UNLIMITED;
    set_base(st);
    size_t kind = 0;
    int rc = augur__ensemble_restore(s, &st->base, c);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "runs-made", &st->runs);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "next-kind", &kind);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "next-population", &st->lambda);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_double(c, "next-sigma-factor", &st->sigma_factor);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "large-evaluations", &st->spent[LARGE]);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "small-evaluations", &st->spent[SMALL]);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "large-runs", &st->made[LARGE]);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "small-runs", &st->made[SMALL]);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "population-0", &st->lambda0);
    if (rc != AUGUR_OK)
        return rc;
    if (kind > SMALL || st->lambda == 0 || st->lambda0 == 0)
        return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: ipop's plan is damaged");
    st->kind = (int)kind;
    st->evals_before = s->evaluations;
    if (!s->finished)
        finish_if_due(s, st);
    return AUGUR_OK;
}

const augur_solver_type augur_solver_ipop = {
    .name = "ipop",
    .doc = "ensemble: restarts of the nested solver (cmaes) with a growing "
           "population (regime bipop: interleaved with small runs), sharing one budget",
    .state_size = sizeof(ipop_state),
    .params = ipop_params,
    .population_size = ipop_size,
    .uses_map = 1,
    .nested_limits = 1,
    .check = augur__ensemble_check,
    .start = ipop_start,
    .step = ipop_step,
    .free = ipop_free,
    .save = ipop_save,
    .restore = ipop_restore,
};
