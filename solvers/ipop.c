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
 * kept (augur_ensemble_runs) and the best of them is the answer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "augur/spec.h"
#include "ensemble_int.h"

typedef struct ipop_state {
    augur_ensemble base;
    /* parameters */
    double restarts, factor;
    /* workspace */
    char *spec0;          /* the nested spec as handed down */
    size_t lambda0, runs;
    size_t budget;        /* AUGUR_UNLIMITED when none was set */
} ipop_state;

static const augur_param ipop_params[] = {
    {.name = "restarts", .kind = AUGUR_PARAM_INT, .def = 9, .min = 0, .max = 1e6,
     .offset = offsetof(ipop_state, restarts),
     .doc = "restarts after the first run (the budget may end them sooner)"},
    {.name = "factor", .kind = AUGUR_PARAM_REAL, .def = 2, .min = 1, .max = 100,
     .offset = offsetof(ipop_state, factor),
     .doc = "population growth at each restart (Auger and Hansen: 2)"},
    {.name = NULL},
};

static size_t ipop_size(const void *state, size_t n)
{
    (void)n;
    (void)state;
    return 1;
}

/* The population of run k: lambda0 factor^k, rounded down. */
static size_t population_of(const ipop_state *st, size_t k)
{
    double p = floor((double)st->lambda0 * pow(st->factor, (double)k));
    return p < 1e6 ? (size_t)p : (size_t)1e6;
}

/* Rewrite the spec for the next run: its population and budget share. */
static int respec(augur_solver *s, ipop_state *st)
{
    char why[AUGUR_ERRMSG_CAP];
    augur_solver *in = NULL;
    int rc = augur_solver_read_spec(st->spec0, &in, why, sizeof why);
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "ipop: nested solver: %s", why);
    size_t lambda = population_of(st, st->runs);
    rc = augur_solver_set_param(in, "population", (double)lambda);
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
    int rc = augur_sample((augur_sampler)s->base.sampler, s->rng, s->n, m, lo, hi,
                          X, s->errmsg, sizeof s->errmsg);
    return rc == AUGUR_OK ? respec(s, st) : rc;
}

/* lambda0 and the check that the nested solver has a population. */
static int inspect_nested(augur_solver *s, ipop_state *st)
{
    const augur_solver *in = s->nested;
    if (!in)
        return augur_solver_fail(s, AUGUR_ESTATE, "ipop: no nested solver "
                                 "(augur_solver_set_nested)");
    if (!augur_param_find(in->type->params, "population"))
        return augur_solver_fail(s, AUGUR_EINVAL, "ipop: the nested solver '%s' "
                                 "has no 'population' parameter to grow",
                                 in->type->name);
    st->lambda0 = in->type->population_size
                      ? in->type->population_size(in->state, s->n) : 1;
    st->budget = s->max_eval_set ? s->max_eval_set : AUGUR_UNLIMITED;
    if (s->n_eval_mons && st->budget == AUGUR_UNLIMITED)
        return augur_solver_fail(s, AUGUR_EINVAL, "ipop: to feed evaluation "
                                 "monitors the restarts need an evaluation limit");
    return AUGUR_OK;
}

static void check_budget(augur_solver *s, ipop_state *st)
{
    if (st->budget == AUGUR_UNLIMITED || s->finished)
        return;
    if (s->evaluations + population_of(st, st->runs) > st->budget) {
        char why[128];
        snprintf(why, sizeof why, "IPOP(restarts=%zu, evaluations=%zu: budget spent)",
                 st->runs - 1, s->evaluations);
        augur_solver_finished(s, why);
    }
}

static int ipop_start(augur_solver *s, void *state)
{
    ipop_state *st = state;
    int rc = inspect_nested(s, st);
    if (rc != AUGUR_OK)
        return rc;
    st->base.npts = 1;
    st->base.batches = st->restarts + 1;
    st->base.points = next_run;
    st->base.label = "IPOP";
    st->runs = 0;
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

const augur_solver_type augur_solver_ipop = {
    .name = "ipop",
    .doc = "ensemble: restarts of the nested solver (cmaes) with a growing "
           "population, sharing one budget",
    .state_size = sizeof(ipop_state),
    .params = ipop_params,
    .population_size = ipop_size,
    .nested_limits = 1,
    .start = ipop_start,
    .step = ipop_step,
    .free = ipop_free,
};
