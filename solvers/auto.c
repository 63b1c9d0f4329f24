/* auto.c - "just solve it": CMA-ES first, then a portfolio of IPOP-CMA-ES
 * and SHADE, then a local polish from the best point, within the one
 * evaluation budget. A user picks it without knowing the field; the named
 * solvers keep their own defaults.
 *
 * Generation 0 is the whole search before the polish, on (1 -
 * "polish-share") of this solver's evaluation limit:
 *  1. the first CMA-ES run alone, default population: an inner ipop
 *     solver ("restarts" 0) built here, seeded with the seed itself, so
 *     it is the first run ipop-cmaes makes, and the unimodal and
 *     ill-conditioned problems it solves cost what they cost there;
 *  2. with "shade" (default), IPOP's larger runs and SHADE, stepped
 *     generation by generation on shares of what is left
 *     (auto_portfolio.c: CMA-ES leads, SHADE while its runs keep
 *     improving the best). With shade = 0, the inner solver's restarts
 *     instead: "regime" ipop (doubling populations) or bipop (Hansen
 *     2009).
 * Every run gets this solver's bounds, sign, map, evaluation monitors (new
 * references), constraints and penalty (their written form) and a copy of
 * its termination condition, runs on the user's cost, and is taken over
 * as a summary (counts, best point; augur__solver_absorb). Generation 1
 * is the polish: "polish" (bobyqa, NLopt's LN_BOBYQA, default;
 * nelder-mead; none) from the best point, its simplex or trust region
 * "polish-radius" of the box width, on the rest of the budget, evaluating
 * through this solver's own evaluation path, so every polish call is
 * counted, monitored and kept here as if this solver had made it. Then
 * the run finishes. Default limit: 10^4 n evaluations (the benchmark's).
 *
 * Why the portfolio (docs/BENCHMARKS.md, "auto: a CMA-ES and SHADE
 * portfolio"; bench_solvers, 20 seeds, 10^4 n evaluations): IPOP alone
 * (and the polish) solved rastrigin-10 18/20, its shift 17, schwefel-5
 * 12, michalewicz-5 14 and michalewicz-10 1, where de-shade solves all
 * 20; de-shade fails rotated Rastrigin (1/20), Weierstrass (0) and
 * Griewank (9). The portfolio solves 20/20 on all of these and as many
 * as ipop-cmaes or more on every other case, in fewer evaluations than
 * pagmo's sade on the five separable ones; the first run keeps
 * ipop-cmaes's evaluations on the cases it solves, and the others that
 * IPOP solves cost up to twice as much (schaffer-f7-10: 43,198 against
 * 23,058).
 *
 * Why IPOP and not BIPOP (the default until 2026-12-07; "auto: IPOP
 * instead of BIPOP"): BIPOP's small runs take half of the budget from the
 * doubling populations that the Rastrigins and Schwefel need (auto solved
 * rastrigin-10 6/20 and schwefel-5 6/20 where ipop-cmaes got 18 and 12).
 * The 10% polish share pays: a 2% one made michalewicz-5 24/40 instead
 * of 30/40 with IPOP alone, and rosen-10 at 6,000 evaluations 2/10
 * instead of 9/10.
 *
 * Bounds: finite bounds are required (the runs draw their starting points
 * in the box); cmaes keeps its points inside it (redrawn while its
 * distribution is wide, reflected once it is narrow), SHADE redraws, and
 * the polishers clip or keep to it. Constraints and the penalty go down to
 * the runs as their written form (a callback has none: the start fails);
 * the polish gets them from this solver's evaluation path. Seeds: the
 * first run is seeded with the seed itself, the portfolio's runs from
 * (seed, 2 + ...) and the polish from (seed, 1), so a seed gives the same
 * run on every map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/ensemble.h"
#include "auto_int.h"

static const char *const polish_names[] = {"nelder-mead", "bobyqa", "none", NULL};
enum { POLISH_NM, POLISH_BOBYQA, POLISH_NONE };
/* the same order as ipop.c's "regime" choices */
static const char *const regime_names[] = {"ipop", "bipop", NULL};
enum { REGIME_IPOP, REGIME_BIPOP };

static const augur_param auto_params[] = {
    {.name = "polish", .kind = AUGUR_PARAM_CHOICE, .def = POLISH_BOBYQA,
     .offset = offsetof(auto_state, polish), .choices = polish_names,
     .doc = "local finish from the restarts' best: bobyqa (NLopt, default), nelder-mead or none"},
    {.name = "polish-share", .kind = AUGUR_PARAM_REAL, .def = 0.1, .min = 0,
     .max = 0.9, .offset = offsetof(auto_state, share),
     .doc = "share of the evaluation budget kept for the polish"},
    {.name = "regime", .kind = AUGUR_PARAM_CHOICE, .def = REGIME_IPOP,
     .offset = offsetof(auto_state, regime), .choices = regime_names,
     .doc = "the restarts before the polish with shade = 0: ipop (doubling "
            "populations, default) or bipop (interleaved with small runs)"},
    {.name = "polish-radius", .kind = AUGUR_PARAM_REAL, .def = 1e-3, .min = 1e-12,
     .max = 1, .offset = offsetof(auto_state, radius),
     .doc = "the polish's first step, as a fraction of the box width"},
    {.name = "shade", .kind = AUGUR_PARAM_BOOL, .def = 1,
     .offset = offsetof(auto_state, shade),
     .doc = "after the first CMA-ES run, SHADE beside IPOP's larger runs "
            "(0: the regime's restarts alone)"},
    {.name = "lead-share", .kind = AUGUR_PARAM_REAL, .def = 0.75, .min = 0.5,
     .max = 0.95, .offset = offsetof(auto_state, lead_share),
     .doc = "the leader's share of the evaluations after the first run: CMA-ES's, "
            "SHADE's while its runs improve the best (out of form, SHADE's rest "
            "shrinks with each failed run)"},
    {.name = "shade-population", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0,
     .max = AUGUR_MAX_POINTS, .offset = offsetof(auto_state, shade_pop),
     .doc = "SHADE's population (0: 2 n, at least 10)"},
    {.name = NULL},
};

static void auto_free(void *state)
{
    auto_state *st = state;
    free(st->best);
    st->best = NULL;
}

/* The constraints and the penalty, rebuilt on `in` from their written
 * form (what the inner runs' specs carry; a callback has none and fails). */
static int hand_over_rules(augur_solver *s, augur_solver *in)
{
    char why[AUGUR_ERRMSG_CAP] = "", *text = NULL;
    augur_constraints *c = NULL;
    augur_penalty *p = NULL;
    augur_relation_options o;
    int rc = AUGUR_OK;
    if (augur_constraints_count(s->constraints) > 0) {
        rc = augur_constraints_write(s->constraints, &text);
        if (rc == AUGUR_OK &&
            (rc = augur_relations_parse(text, s->n, NULL, &c, &p, why, sizeof why)) == 0)
            rc = augur_solver_set_constraints(in, c);
        else
            augur_constraints_destroy(c);
        augur_penalty_destroy(p);
        free(text);
        text = NULL;
        c = NULL;
        p = NULL;
    }
    if (rc == AUGUR_OK && s->penalty) {
        rc = augur_penalty_write(s->penalty, &text, &o);
        if (rc == AUGUR_OK &&
            (rc = augur_relations_parse(text, s->n, &o, &c, &p, why, sizeof why)) == 0)
            rc = augur_solver_set_penalty(in, p);
        else
            augur_penalty_destroy(p);
        augur_constraints_destroy(c);
        free(text);
    }
    if (rc != AUGUR_OK)
        augur_solver_fail(s, rc, "auto: constraints or penalty without a written "
                          "form (the restarts need one) %s", why);
    return rc;
}

int augur__auto_hand_over(augur_solver *s, augur_solver *in)
{
    int rc = augur_solver_set_bounds(in, s->lb, s->ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_param(in, "maximize", s->base.maximize);
    if (rc == AUGUR_OK && s->map)
        rc = augur_solver_set_map(in, s->map);
    for (size_t k = 0; rc == AUGUR_OK && k < s->n_eval_mons; k++)
        rc = augur_solver_add_evaluation_monitor(in, augur_monitor_ref(s->eval_mons[k]));
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "auto: %s", augur_solver_errmsg(in));
    return hand_over_rules(s, in);
}

/* What the restarts may spend: all but the polish's share. */
static size_t restart_budget(const auto_state *st)
{
    return st->budget - (size_t)floor(st->share * (double)st->budget);
}

/* The restart phase on the user's cost; NULL *in on a failure to build. */
static int restart_phase(augur_solver *s, auto_state *st, augur_solver *in)
{
    int rc = augur_solver_set_seed(in, s->seed);   /* ipop-cmaes's own run */
    if (rc == AUGUR_OK)
        rc = augur_solver_set_param(in, "regime", st->regime);
    /* with SHADE, only IPOP's first run: the larger ones are the portfolio's */
    if (rc == AUGUR_OK && st->shade)
        rc = augur_solver_set_param(in, "restarts", 0);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_evaluation_limits(in, 0, restart_budget(st));
    if (rc == AUGUR_OK)
        rc = augur_solver_set_nested(in, augur_solver_create("cmaes", s->n));
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "auto: %s", augur_solver_errmsg(in));
    if ((rc = augur__auto_hand_over(s, in)) != AUGUR_OK)
        return rc;
    augur_termination *t = s->term ? augur_term_copy(s->term) : NULL;
    if (s->term && !t)
        return augur_solver_fail(s, AUGUR_ENOMEM, "auto: out of memory");
    rc = augur_solve(in, s->cost, s->data, t);
    if (rc < 0)
        return augur_solver_fail(s, rc, "auto: %s: %s", regime_names[(int)st->regime],
                                 augur_solver_errmsg(in));
    augur__solver_absorb(s, augur_solver_best_solution(in),
                         augur_solver_best_energy(in), augur_solver_evaluations(in));
    size_t runs = 0;
    const augur_inner_run *first = augur_ensemble_runs(in, &runs);
    if (st->shade && runs == 1)   /* the run's own reason says more than ipop's */
        snprintf(st->reason, sizeof st->reason, "first CMA-ES run: %s, %zu evaluations",
                 first->reason, first->evaluations);
    else
        snprintf(st->reason, sizeof st->reason, "%s", augur_solver_termination_reason(in));
    return AUGUR_OK;
}

/* What the start would refuse: unbounded boxes and a regime the
 * portfolio does not run. */
static int settings_fault(const augur_solver *s, const auto_state *st, char *err,
                          size_t cap)
{
    if (!augur_solver_bounds_finite(s))
        return augur__fail_msg(err, cap, AUGUR_ESTATE, "auto: needs finite bounds "
                               "(the restarts draw their starting points in the box)");
    if (st->shade && (int)st->regime == REGIME_BIPOP)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "auto: regime bipop runs "
                               "without SHADE (set shade = 0)");
    return AUGUR_OK;
}

static int auto_check(const augur_solver *s, const void *state, char *err, size_t cap)
{
    return settings_fault(s, state, err, cap);
}

static int auto_start(augur_solver *s, void *state)
{
    auto_state *st = state;
    int rc = settings_fault(s, st, s->errmsg, sizeof s->errmsg);
    if (rc != AUGUR_OK)
        return rc;
    st->budget = s->max_eval;
    st->best = malloc(s->n * sizeof *st->best);
    augur_solver *in = augur_solver_create("ipop", s->n);
    rc = st->best && in ? restart_phase(s, st, in)
                        : augur_solver_fail(s, AUGUR_ENOMEM, "auto: out of memory");
    augur_solver_destroy(in);
    if (rc == AUGUR_OK && st->shade)
        rc = augur__auto_portfolio(s, st, restart_budget(st));
    if (rc == AUGUR_OK && s->has_best) {
        memcpy(st->best, s->best_x, s->n * sizeof *st->best);
        st->fbest = s->best_f;
        augur_solver_set_population(s, st->best, &st->fbest, 1);
    }
    return rc;
}

/* The polish's cost: this solver's evaluation path (already signed).
 * Nelder-Mead may pass its own limit within a step (a shrink costs n
 * calls), so once the budget is spent the answer is +inf, uncounted. */
static double through_outer(const double *x, size_t n, void *data)
{
    (void)n;
    augur_solver *s = data;
    const auto_state *st = augur_solver_state(s);
    return s->evaluations < st->budget ? augur_solver_evaluate(s, x) : INFINITY;
}

static int polish(augur_solver *s, auto_state *st, size_t left)
{
    const char *type = (int)st->polish == POLISH_NM ? "nelder-mead" : "nlopt:LN_BOBYQA";
    augur_solver *in = augur_solver_create(type, s->n);
    if (!in)
        return augur_solver_fail(s, AUGUR_ENOMEM, "auto: out of memory");
    int rc = augur_solver_set_bounds(in, s->lb, s->ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_seed(in, augur__mix_seed(s->seed, 1));
    if (rc == AUGUR_OK)
        rc = augur_solver_set_initial_point(in, st->best);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_param(in, (int)st->polish == POLISH_NM ? "radius"
                                    : "initial-step", st->radius);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_evaluation_limits(in, 0, left);
    /* tighter than Nelder-Mead's default 1e-4: this is a finish */
    augur_termination *t = (int)st->polish == POLISH_NM
                               ? augur_term_candidate_relative_tolerance(1e-12, 1e-15)
                               : NULL;
    if (rc == AUGUR_OK)
        rc = augur_solve(in, through_outer, s, t);
    else
        augur_term_destroy(t);
    if (rc < 0)
        augur_solver_fail(s, rc, "auto: polish: %s", augur_solver_errmsg(in));
    augur_solver_destroy(in);
    return rc < 0 ? rc : AUGUR_OK;
}

static int auto_step(augur_solver *s, void *state)
{
    auto_state *st = state;
    size_t left = st->budget > s->evaluations ? st->budget - s->evaluations : 0;
    int rc = AUGUR_OK;
    /* the start point costs one evaluation, the simplex n more */
    if ((int)st->polish != POLISH_NONE && left > s->n + 1)
        rc = polish(s, st, left);
    if (rc != AUGUR_OK)
        return rc;
    char why[AUGUR_REASON_CAP + 48];
    snprintf(why, sizeof why, "auto(%s; polish %s)", st->reason,
             polish_names[(int)st->polish]);
    augur_solver_finished(s, why);
    return AUGUR_OK;
}

/* Checkpoints, at its phase boundaries only: generation 0 is the whole
 * search before the polish (the first run and the portfolio, run to their
 * end inside the start, so there is no boundary inside it), generation 1
 * the polish. So a run is saved with the polish due (the search's best
 * point, energy and reason; the keys keep their first name, "bipop-") or
 * finished (its reason too); a kill during the search goes back to the
 * start. */
static int auto_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    const auto_state *st = state;
    augur_ckpt_put_size(c, "phase", s->finished ? 2 : 1);
    augur_ckpt_put_doubles(c, "bipop-best", st->best, s->n);
    augur_ckpt_put_double(c, "bipop-f", st->fbest);
    augur_ckpt_put_size(c, "budget", st->budget);
    augur_ckpt_put_size(c, "reason-length", strlen(st->reason));
    augur_ckpt_put_bytes(c, "bipop-reason", st->reason, strlen(st->reason));
    const char *why = augur_solver_termination_reason(s);
    augur_ckpt_put_size(c, "finished-length", s->finished ? strlen(why) : 0);
    augur_ckpt_put_bytes(c, "finished-reason", why, s->finished ? strlen(why) : 0);
    return AUGUR_OK;
}

static int read_text(augur_ckpt *c, const char *len_name, const char *name, char *buf,
                     size_t cap)
{
    size_t len = 0;
    int rc = augur_ckpt_get_size(c, len_name, &len);
    if (rc == AUGUR_OK && len >= cap)
        rc = augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: %s too long", name);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_bytes(c, name, buf, len);
    buf[rc == AUGUR_OK ? len : 0] = '\0';
    return rc;
}

static int auto_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    auto_state *st = state;
    size_t phase = 0;
    char why[AUGUR_REASON_CAP];
    st->best = malloc(s->n * sizeof *st->best);
    if (!st->best)
        return augur_ckpt_fail(c, AUGUR_ENOMEM, "out of memory");
    int rc = augur_ckpt_get_size(c, "phase", &phase);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "bipop-best", st->best, s->n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_double(c, "bipop-f", &st->fbest);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "budget", &st->budget);
    if (rc == AUGUR_OK)
        rc = read_text(c, "reason-length", "bipop-reason", st->reason, sizeof st->reason);
    if (rc == AUGUR_OK)
        rc = read_text(c, "finished-length", "finished-reason", why, sizeof why);
    if (rc != AUGUR_OK)
        return rc;
    if (phase != 1 && phase != 2)
        return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: auto's phase %zu", phase);
    augur_solver_set_population(s, st->best, &st->fbest, 1);
    if (phase == 2)
        augur_solver_finished(s, why);
    return AUGUR_OK;
}

const augur_solver_type augur_solver_auto = {
    .name = "auto",
    .doc = "CMA-ES, then IPOP-CMA-ES and SHADE sharing the budget, then a local "
           "polish from the best point: a strong default",
    .state_size = sizeof(auto_state),
    .params = auto_params,
    .uses_map = 1,
    .evaluation_scale = 10000,
    .generation_scale = 10,
    .check = auto_check,
    .start = auto_start,
    .step = auto_step,
    .free = auto_free,
    .save = auto_save,
    .restore = auto_restore,
};
