/* run.c - the one evaluation path and the one solve loop every solver goes
 * through.
 *
 * evaluate: the proposed x becomes the point evaluated, x' = constraints(x)
 * brought back into the box (constraints/constraints.c), or is rejected; a
 * point outside the bounds or infeasible is never passed to the cost (it
 * is +inf, uncounted, unmonitored); f = cost(x') + penalty(x'); NaN
 * becomes +inf; "maximize" flips the sign the algorithm sees; the count,
 * the best point ever evaluated (x', so the reported point meets the
 * constraints and its reported energy is exactly what it costs) and the
 * evaluation monitors are updated in call order. This is the hot path: it
 * does no allocation and touches constraints, penalties and monitors only
 * when there are some, and a solver that tested its points against the box
 * as it built them (DE) can say so (augur__solver_evaluate_rows) rather
 * than have the test made twice.
 *
 * solve: generation 0 (the type's start), then steps; after every
 * generation a record goes to the history and the generation monitors, and
 * the stop test runs: limits first (so the reason names the limit), then a
 * stop request, then the termination condition. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "solver_int.h"
#include "constraints_int.h"
#include "de_int.h"   /* augur__solver_evaluate_rows */

/* --- Limits ------------------------------------------------------------ */

static size_t scaled_limit(double scale, size_t n, size_t npop)
{
    if (!(scale > 0))
        return AUGUR_UNLIMITED;
    double v = scale * (double)n * (double)npop;
    return v >= (double)SIZE_MAX ? AUGUR_UNLIMITED : (size_t)v;
}

void augur__solver_resolve_limits(augur_solver *s)
{
    size_t npop = s->type->population_size
                      ? s->type->population_size(s->state, s->n) : 1;
    s->max_gen = s->max_gen_set ? s->max_gen_set
                                : scaled_limit(s->type->generation_scale, s->n, npop);
    s->max_eval = s->max_eval_set ? s->max_eval_set
                                  : scaled_limit(s->type->evaluation_scale, s->n, npop);
}

/* --- The evaluation path ---------------------------------------------- */

static double to_user(const augur_solver *s, double f)
{
    return s->base.maximize != 0 ? -f : f;
}

/* A raw cost value in the solver's sign, NaN as +inf. */
static double solver_sign(const augur_solver *s, double f)
{
    if (s->base.maximize != 0)
        f = -f;
    return isnan(f) ? INFINITY : f;
}

static void stop_from_monitor(augur_solver *s, int rc, augur_monitor *m,
                              const char *kind, size_t index)
{
    if (rc == AUGUR_STOPPED) {
        if (!atomic_exchange(&s->stop_requested, 1) || !s->reason[0])
            snprintf(s->reason, sizeof s->reason,
                     "Callback(stop requested by a %s monitor at %s %zu)",
                     kind, kind, index);
        return;
    }
    if (s->pending == AUGUR_OK) {
        s->pending = rc;
        augur_solver_fail(s, rc, "%s monitor: %s", kind,
                          augur_monitor_errmsg(m)[0] ? augur_monitor_errmsg(m)
                                                     : augur_strerror(rc));
    }
    atomic_store(&s->stop_requested, 1);
}

static void notify_evaluation(augur_solver *s, const double *x, double f)
{
    augur_record r = {
        .kind = AUGUR_RECORD_EVALUATION,
        .index = s->evaluations - 1,
        .generation = s->hist_len,
        .evaluations = s->evaluations,
        .n = s->n,
        .x = x,
        .f = to_user(s, f),
        .id = (int)s->base.id,
    };
    for (size_t i = 0; i < s->n_eval_mons; i++) {
        int rc = augur_monitor_update(s->eval_mons[i], &r);
        if (rc != AUGUR_OK)
            stop_from_monitor(s, rc, s->eval_mons[i], "evaluation", r.index);
    }
}

/* A raw cost at x plus the penalty there, in the solver's sign, NaN as
 * +inf. The penalty is added in the minimised sign so that it always makes
 * a point worse; its weight schedule counts the generation being made. */
static double penalized(const augur_solver *s, const double *x, double raw)
{
    double f = solver_sign(s, raw);
    if (s->penalty && !isnan(f))
        f += augur_penalty_value(s->penalty, x, s->n, s->hist_len);
    return isnan(f) ? INFINITY : f;
}

/* The step from a proposed point to the point the cost sees (see
 * solver_int.h). A constraint callback's error stops the run like a
 * monitor's: the first one is kept and reported. */
const double *augur__solver_admit(augur_solver *s, const double *x, double *buf)
{
    if (!s->constraints)
        return !s->has_bounds || augur_solver_in_bounds(s, x) ? x : NULL;
    char msg[AUGUR_ERRMSG_CAP];
    int rc = augur__constraints_admit(s->constraints, s->lb, s->ub, x, buf,
                                      msg, sizeof msg);
    if (rc < 0 && s->pending == AUGUR_OK) {
        s->pending = augur_solver_fail(s, rc, "%s: %s", s->type->name, msg);
        atomic_store(&s->stop_requested, 1);
    }
    return rc == 0 ? buf : NULL;
}

/* Count an evaluation of energy f (solver's sign) at x, keep the best,
 * tell the evaluation monitors. */
static double record_evaluation(augur_solver *s, const double *x, double f)
{
    s->evaluations++;
    if (!s->has_best || f < s->best_f) {
        augur__copy_doubles(s->best_x, x, s->n);
        s->best_f = f;
        s->has_best = 1;
    }
    if (s->n_eval_mons)
        notify_evaluation(s, x, f);
    return f;
}

double augur__solver_account(augur_solver *s, const double *x, double raw)
{
    return record_evaluation(s, x, penalized(s, x, raw));
}

double augur__solver_replay(augur_solver *s, const double *x, double f)
{
    return record_evaluation(s, x, solver_sign(s, f));
}

void augur__solver_absorb(augur_solver *s, const double *x, double raw,
                          size_t evaluations)
{
    double f = solver_sign(s, raw);
    s->evaluations += evaluations;
    if (evaluations && (!s->has_best || f < s->best_f)) {
        memcpy(s->best_x, x, s->n * sizeof *x);
        s->best_f = f;
        s->has_best = 1;
    }
}

/* The evaluation limit is a hard cap on calls of the cost: once it is
 * reached a point is not evaluated (+inf, uncounted), the generation is
 * marked cut short, and the stop test after it names the limit and says
 * so. Ensembles evaluate nothing themselves: they give each nested run a
 * share of what is left (ensemble.c), so the limit is their total too. */
static int capped(augur_solver *s)
{
    if (s->evaluations < s->max_eval || s->type->nested_limits)
        return 0;
    s->cut_short = 1;
    return 1;
}

size_t augur__solver_budget_left(const augur_solver *s)
{
    if (s->type->nested_limits && !s->max_eval_set)
        return SIZE_MAX;
    return s->max_eval > s->evaluations ? s->max_eval - s->evaluations : 0;
}

void augur__solver_note_cut(augur_solver *s)
{
    s->cut_short = 1;
}

static double evaluate_one(augur_solver *s, const double *x)
{
    if (capped(s))
        return INFINITY;
    if (s->batch_cost) {   /* a batch of one: batch.c admits and accounts */
        double f;
        augur__solver_map_batch(s, x, 1, &f);
        return f;
    }
    const double *xe = augur__solver_admit(s, x, s->cx);
    if (!xe)
        return INFINITY;
    return augur__solver_account(s, xe, s->cost(xe, s->n, s->data));
}

double augur_solver_evaluate(augur_solver *s, const double *x)
{
    double f = evaluate_one(s, x);
    augur__copy_doubles(s->trial, x, s->n);
    s->trial_view = s->trial;
    s->ntrial = 1;
    return f;
}

int augur_solver_evaluate_batch(augur_solver *s, const double *X, size_t m,
                                double *F)
{
    if (!X || !F)
        return augur_solver_fail(s, AUGUR_EINVAL, "evaluate_batch: NULL array");
    if ((s->map || s->batch_cost) && m > 1) {
        int rc = augur__solver_map_batch(s, X, m, F);
        if (rc != AUGUR_OK)
            return rc;
    } else {
        for (size_t k = 0; k < m; k++)
            F[k] = evaluate_one(s, X + k * s->n);
    }
    s->trial_view = X;
    s->ntrial = m;
    return s->pending;
}

int augur__solver_evaluate_rows(augur_solver *s, const double *X, size_t m,
                                double *F, const unsigned char *inside)
{
    /* a map or a batch cost admits its rows in batch.c */
    if (s->batch_cost || (s->map && m > 1))
        return augur_solver_evaluate_batch(s, X, m, F);
    for (size_t k = 0; k < m; k++) {
        const double *x = X + k * s->n;
        /* without constraints (which bring x' back into the box
         * themselves), admission passes a row within the box through as
         * it is: what evaluate_one then does */
        F[k] = capped(s) ? INFINITY
               : inside[k] && !s->constraints
                   ? augur__solver_account(s, x, s->cost(x, s->n, s->data))
                   : evaluate_one(s, x);
    }
    s->trial_view = X;
    s->ntrial = m;
    return s->pending;
}

/* The objective for termination conditions: the same path (constraints,
 * penalty, sign, rules) without counting, on its own buffer. */
static double uncounted_objective(void *ctx, const double *x)
{
    augur_solver *s = ctx;
    const double *xe = augur__solver_admit(s, x, s->cx ? s->cx + s->n : NULL);
    if (!xe)
        return INFINITY;
    return penalized(s, xe, s->cost(xe, s->n, s->data));
}

/* --- Generation records ------------------------------------------------ */

/* The records the termination condition reads, at least the last two
 * (f and f_prev); SIZE_MAX keeps them all. */
static size_t history_keep(const augur_solver *s)
{
    size_t w = s->term ? augur_term_history(s->term) : 1;
    return w > 2 ? w : 2;
}

/* What the condition in force reads - how many records, and whether the
 * clock - worked out once for each condition (hist_keep is 0 after it
 * changes), not at every generation. */
static void learn_condition(augur_solver *s)
{
    if (s->hist_keep)
        return;
    s->hist_keep = history_keep(s);
    s->term_reads_clock = augur_term_reads_elapsed(s->term);
}

size_t augur__solver_history_capacity(const augur_solver *s)
{
    return s->hist_cap;
}

/* Room for more records: the inline array first, then the heap, doubling
 * up to 2 keep (when full at its bound the history slides instead). */
static int grow_history(augur_solver *s, size_t keep)
{
    if (!s->hist) {
        s->hist = s->hist_inline;
        s->hist_cap = AUGUR__HIST_INLINE;
        return AUGUR_OK;
    }
    size_t cap = 2 * s->hist_cap;
    if (keep < SIZE_MAX / 2 && cap > 2 * keep)
        cap = 2 * keep;   /* > hist_cap, or it would have slid */
    int inline_now = s->hist == s->hist_inline;
    double *grown = augur__realloc_array(inline_now ? NULL : s->hist, cap,
                                         sizeof *grown);
    if (!grown)
        return augur_solver_fail(s, AUGUR_ENOMEM, "out of memory (history)");
    if (inline_now)
        augur__copy_doubles(grown, s->hist_inline, s->hist_kept);
    s->hist = grown;
    s->hist_cap = cap;
    return AUGUR_OK;
}

static int push_history(augur_solver *s, double f)
{
    learn_condition(s);
    size_t keep = s->hist_keep;
    if (s->hist_kept == s->hist_cap && keep < SIZE_MAX / 2 &&
        s->hist_cap >= 2 * keep) {
        /* full at its bound: keep the last keep - 1, then add f */
        size_t drop = s->hist_kept - (keep - 1);
        memmove(s->hist, s->hist + drop, (keep - 1) * sizeof *s->hist);
        s->hist_kept = keep - 1;
    }
    if (s->hist_kept == s->hist_cap) {
        int rc = grow_history(s, keep);
        if (rc != AUGUR_OK)
            return rc;
    }
    if (s->hist_len == 0)
        s->hist_first = f;
    s->hist[s->hist_kept++] = f;
    s->hist_len++;
    return AUGUR_OK;
}

static void notify_generation(augur_solver *s)
{
    augur_record r = {
        .kind = AUGUR_RECORD_GENERATION,
        .index = s->hist_len - 1,
        .generation = s->hist_len - 1,
        .evaluations = s->evaluations,
        .n = s->n,
        .x = s->rec_x,
        .f = to_user(s, s->best_f),
        .id = (int)s->base.id,
    };
    for (size_t i = 0; i < s->n_gen_mons; i++) {
        int rc = augur_monitor_update(s->gen_mons[i], &r);
        if (rc != AUGUR_OK)
            stop_from_monitor(s, rc, s->gen_mons[i], "generation", r.index);
    }
}

static int record_generation(augur_solver *s)
{
    if (!s->has_best)
        return augur_solver_fail(s, AUGUR_EFAILED,
                                 "%s: a generation ended with no point evaluated "
                                 "(every point was outside the bounds or "
                                 "infeasible under the constraints)",
                                 s->type->name);
    int rc = push_history(s, s->best_f);
    if (rc != AUGUR_OK)
        return rc;
    s->evals_at_record = s->evaluations;
    double *t = s->prev_rec_x;
    s->prev_rec_x = s->rec_x;
    s->rec_x = t;
    augur__copy_doubles(s->rec_x, s->best_x, s->n);
    if (s->n_gen_mons)
        notify_generation(s);
    return s->pending;
}

/* --- Termination ------------------------------------------------------- */

static void fill_info(augur_solver *s, augur_info *info)
{
    /* The clock costs as much as a short run's termination test: it is
     * read only for a condition that asks for it. */
    learn_condition(s);
    double elapsed = s->term_reads_clock ? augur_solver_elapsed(s) : NAN;
    *info = (augur_info){
        .n = s->n,
        .generation = s->hist_len - 1,
        .evaluations = s->evaluations,
        .elapsed = elapsed,
        .x = s->rec_x,
        .f = s->hist[s->hist_kept - 1],
        .energy_history = s->hist,
        .history_len = s->hist_kept,
        .history_dropped = s->hist_len - s->hist_kept,
        .energy_first = s->hist_first,
        .x_prev = s->hist_len > 1 ? s->prev_rec_x : NULL,
        .f_prev = s->hist_len > 1 ? s->hist[s->hist_kept - 2] : NAN,
        .population = s->npop ? s->pop : s->rec_x,
        .population_energy = s->npop ? s->pop_f : &s->hist[s->hist_kept - 1],
        .npop = s->npop ? s->npop : 1,
        .trial = s->trial_view,
        .ntrial = s->ntrial,
        .objective = uncounted_objective,
        .objective_ctx = s,
        .solver = s,
        .strategy = s->type->strategy ? s->type->strategy(s->state) : NULL,
    };
}

static int ensure_termination(augur_solver *s)
{
    if (s->term || !s->type->default_termination)
        return AUGUR_OK;
    s->term = s->type->default_termination(s->state, s->n);
    augur__solver_stamp_settings(s);   /* the spec now carries it */
    s->hist_keep = 0;
    if (!s->term)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: cannot make the default "
                                 "termination condition", s->type->name);
    return AUGUR_OK;
}

static void write_limit_reason(augur_solver *s, int by_gen, int by_eval, size_t gens)
{
    char cut[64] = "";
    if (by_eval && s->cut_short)
        snprintf(cut, sizeof cut, "; generation %zu cut short", gens);
    if (by_gen && by_eval)
        snprintf(s->reason, sizeof s->reason,
                 "EvaluationLimits(generations=%zu, evaluations=%zu%s)",
                 s->max_gen, s->max_eval, cut);
    else if (by_gen)
        snprintf(s->reason, sizeof s->reason, "EvaluationLimits(generations=%zu)",
                 s->max_gen);
    else
        snprintf(s->reason, sizeof s->reason, "EvaluationLimits(evaluations=%zu%s)",
                 s->max_eval, cut);
}

/* Against the limits as last resolved: when a call begins and once the
 * type's start has fixed the population they scale with, not at every
 * test, which a short run makes once per generation. */
static int limits_reached(augur_solver *s)
{
    size_t gens = s->hist_len - 1;
    int by_gen = gens >= s->max_gen, by_eval = s->evaluations >= s->max_eval;
    if (s->type->nested_limits) {
        /* the generation limit belongs to the nested runs; the evaluation
         * limit is the total, and an ensemble that spent it finished with
         * its own account of the batch it cut */
        by_gen = 0;
        by_eval = by_eval && s->max_eval_set && !s->finished;
    }
    if (by_gen || by_eval)
        write_limit_reason(s, by_gen, by_eval, gens);
    return by_gen || by_eval;
}

static int stop_test(augur_solver *s)
{
    if (!s->started)
        return 0;
    if (limits_reached(s))
        return 1;
    if (atomic_load(&s->stop_requested)) {
        if (!s->reason[0])
            snprintf(s->reason, sizeof s->reason, "SolverInterrupt(stop requested)");
        return 1;
    }
    if (s->latched || s->finished)
        return 1;   /* the reason was set when it happened */
    int rc = ensure_termination(s);
    if (rc != AUGUR_OK || !s->term)
        return rc;
    augur_info info;
    fill_info(s, &info);
    rc = augur_term_check(s->term, &info);
    if (rc < 0)
        return augur_solver_fail(s, rc, "%s: termination: %s", s->type->name,
                                 augur_term_errmsg(s->term));
    if (rc > 0) {
        size_t used = 0;
        augur__append(s->reason, sizeof s->reason, &used, augur_term_reason(s->term));
    }
    return rc;
}

int augur_solver_terminated(augur_solver *s)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_resolve_limits(s);   /* a setting may have changed since the step */
    return stop_test(s);
}

void augur_solver_request_stop(augur_solver *s)
{
    if (s)
        atomic_store(&s->stop_requested, 1);
}

/* --- Generations ------------------------------------------------------- */

static int bind_cost(augur_solver *s, augur_cost cost, void *data)
{
    if (cost) {
        s->cost = cost;
        s->data = data;
        s->batch_cost = NULL;   /* a per-point cost replaces a batch cost */
        s->batch_data = NULL;
    }
    if (!s->cost)
        return augur_solver_fail(s, AUGUR_EINVAL, "%s: no cost function",
                                 s->type->name);
    return AUGUR_OK;
}

static int run_generation(augur_solver *s)
{
    int rc;
    if (!s->started) {
        if (!s->seed_set)
            augur_solver_set_seed(s, augur__os_seed());
        rc = augur__solver_check_start(s);
        if (rc == AUGUR_OK)
            rc = ensure_termination(s);
        if (rc == AUGUR_OK && s->term)
            augur_term_reset(s->term);
        if (rc == AUGUR_OK) {
            rc = s->type->start(s, s->state);
            /* A failed start may be retried (after the user fixes the
             * setting), so release what it allocated now. */
            if (rc != AUGUR_OK && s->type->free)
                s->type->free(s->state);
        }
        if (rc != AUGUR_OK)
            return rc;
        s->started = 1;
        augur__solver_resolve_limits(s);   /* the start fixed the population */
    } else {
        s->recorded_in_step = 0;
        rc = s->type->step(s, s->state);
        if (rc != AUGUR_OK)
            return rc;
    }
    if (s->pending != AUGUR_OK)
        return s->pending;
    if (s->recorded_in_step && s->evaluations == s->evals_at_record)
        return AUGUR_OK;  /* a checkpoint already recorded this state */
    return record_generation(s);
}

int augur_solver_checkpoint(augur_solver *s)
{
    if (s->pending != AUGUR_OK)
        return s->pending;
    int rc = record_generation(s);
    if (rc != AUGUR_OK)
        return rc;
    s->recorded_in_step = 1;
    rc = augur_solver_terminated(s);
    if (rc == 1)
        s->latched = 1;
    return rc;
}

void augur_solver_finished(augur_solver *s, const char *reason)
{
    s->finished = 1;
    snprintf(s->reason, sizeof s->reason, "%s", reason ? reason : "finished");
}

/* A generation that evaluated nothing; AUGUR__IDLE_STEPS of them in a row
 * finish the run (see solver_int.h). */
static void note_idle(augur_solver *s, size_t before)
{
    if (s->evaluations != before) {
        s->idle_steps = 0;
        return;
    }
    if (++s->idle_steps < AUGUR__IDLE_STEPS)
        return;
    s->finished = 1;
    snprintf(s->reason, sizeof s->reason, "NoEvaluations(%d consecutive "
             "generations evaluated no point)", AUGUR__IDLE_STEPS);
}

/* Start (starting = 1) or finish every monitor; the first failure is
 * reported, and every monitor is still told. */
static int tell_monitors(augur_solver *s, int starting)
{
    augur_monitor **lists[2] = {s->gen_mons, s->eval_mons};
    size_t counts[2] = {s->n_gen_mons, s->n_eval_mons};
    int first = AUGUR_OK;
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            augur_monitor *m = lists[l][i];
            int rc = starting ? augur_monitor_start(m, s->n) : augur_monitor_finish(m);
            if (rc < 0 && first == AUGUR_OK)
                first = augur_solver_fail(s, rc, "%s", augur_monitor_errmsg(m));
        }
    return first;
}

static void begin_call(augur_solver *s)
{
    s->finished_restored = 0;
    augur__solver_clear(s);
    augur__solver_resolve_limits(s);   /* the cap the evaluation path holds */
    s->pending = AUGUR_OK;
    s->run_t0 = augur__now();
}

static void end_call(augur_solver *s)
{
    s->elapsed += augur__now() - s->run_t0;
    s->run_t0 = 0;
}

int augur_solver_step(augur_solver *s, augur_cost cost, void *data)
{
    if (!s)
        return AUGUR_EINVAL;
    begin_call(s);
    int rc = bind_cost(s, cost, data);
    if (rc == AUGUR_OK)
        rc = run_generation(s);
    end_call(s);
    return rc;
}

int augur_solve(augur_solver *s, augur_cost cost, void *data,
                augur_termination *t)
{
    if (!s) {
        augur_term_destroy(t);
        return AUGUR_EINVAL;
    }
    if (t)
        augur_solver_set_termination(s, t);
    /* Solving again continues a run (larger limits, a new condition), but a
     * run restored after its algorithm finished (a checkpoint saved at its
     * end) and solved as it was ends as the uninterrupted run did: no
     * further generation. begin_call and the setters clear the mark. */
    int ended = s->finished_restored;
    begin_call(s);
    atomic_store(&s->stop_requested, 0);
    if (!ended) {
        s->finished = 0;
        s->reason[0] = '\0';
    }
    s->latched = s->cut_short = 0;
    s->idle_steps = 0;
    int rc = bind_cost(s, cost, data);
    if (rc == AUGUR_OK && s->map)
        rc = augur_map_reset(s->map);  /* fork workers see memory as it is now */
    if (rc == AUGUR_OK)
        rc = tell_monitors(s, 1);
    if (rc == AUGUR_OK && !s->started)
        rc = run_generation(s);
    while (rc == AUGUR_OK) {
        int stop = stop_test(s);
        if (stop != 0) {
            rc = stop < 0 ? stop : AUGUR_OK;
            break;
        }
        size_t before = s->evaluations;
        rc = run_generation(s);
        if (rc == AUGUR_OK)
            note_idle(s, before);
    }
    int frc = tell_monitors(s, 0);
    if (rc == AUGUR_OK && frc != AUGUR_OK)
        rc = frc;
    if (rc == AUGUR_OK && atomic_load(&s->stop_requested) && !limits_reached(s))
        rc = AUGUR_STOPPED;
    end_call(s);
    return rc;
}
