/* ensemble.c - what every ensemble solver shares: one map job per batch
 * of inner runs, replaying their results into the ensemble in run order,
 * and the record of every run. Handing the inner solver down as a spec is
 * in ensemble_spec.c.
 *
 * An inner run is the built-in map task "augur.nested": it rebuilds the
 * inner solver from the spec text in the job's context (so it works the
 * same in a thread, a forked worker or an MPI rank), seeds it with the
 * task's own seed, starts it at its input point and solves. Its output
 * record is fixed-size: a header (status, best f, counts, reason), the end
 * point, and - when the ensemble has evaluation monitors - the log of every
 * evaluation, which the caller replays through the ordinary evaluation
 * path's bookkeeping, so counts, best point and monitors come out as if
 * the runs had been made one after another on the caller. Without
 * evaluation monitors only the counts and the best point are taken over.
 *
 * The evaluation limit set on an ensemble is the total for the whole
 * solve. Before each batch is dispatched, what is left is divided among
 * the runs still to come (this batch's m and the later batches'): each
 * of this batch's runs gets left / runs, plus one for the first left %
 * runs, so what a run leaves unused goes to the later ones. When that is
 * less than one evaluation a run, the batch takes what is left: run k of
 * `live` = min(m, left) gets left / live, plus one for the first left %
 * live, and only those runs go. A run's own limit becomes the smaller of
 * its share and the one it had. The shares are
 * fixed in the calling process before anything runs, so the total can
 * never pass the limit and the bits are the same on every map and any
 * number of workers. A batch cut short that way (fewer runs, or runs on
 * shares smaller than their own limits) finishes the ensemble with an
 * EvaluationLimits reason that says so. ipop plans its own runs' budgets
 * in whole generations (ipop.c); its one run per batch gets what is left.
 *
 * Constraints and a penalty set on the ensemble go down to the inner
 * solver (unless it has its own) as their text, inside the spec, so every
 * inner run applies them where it evaluates; replaying its log therefore
 * applies neither again (augur__solver_replay). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/spec.h"
#include "ensemble_int.h"
#include "map_hooks.h"

/* --- The task --------------------------------------------------------------- */

typedef struct nested_context {
    uint64_t cost, data;          /* pointers, where workers share the image */
    char name[64];                /* the cost's registered name, or "" */
    uint64_t n, log_cap;
    /* followed by the inner spec, NUL-terminated */
} nested_context;

typedef struct nested_head {
    int32_t status;
    uint32_t log_len;
    double f;                     /* best energy, the user's sign */
    uint64_t evaluations, generations;
    char reason[AUGUR__REASON_LEN];
    /* followed by n doubles (end point), then log_cap rows of n + 1 */
} nested_head;

typedef struct run_log {
    double *rows;
    size_t n, cap, len;
    int overflow;
} run_log;

static int log_evaluation(const augur_record *r, void *data)
{
    run_log *log = data;
    if (log->len == log->cap) {
        log->overflow = 1;
        return 1;     /* stop: nothing may be lost silently */
    }
    double *row = log->rows + log->len++ * (log->n + 1);
    memcpy(row, r->x, log->n * sizeof *row);
    row[log->n] = r->f;
    return 0;
}

static int nested_fail(const augur_task_call *call, int code, const char *what)
{
    return augur__fail_msg(call->errmsg, call->errcap, code, "inner run: %s", what);
}

static int find_cost(const nested_context *ctx, augur_cost *cost, void **data)
{
    *cost = (augur_cost)(uintptr_t)ctx->cost;
    *data = (void *)(uintptr_t)ctx->data;
    if (ctx->name[0])
        return augur_cost_find(ctx->name, cost, data);
    return AUGUR_OK;
}

/* Set up the inner solver for this run: seed, start, its share of the
 * ensemble's budget (0: none), evaluation log. */
static int prepare_run(augur_solver *inner, const augur_task_call *call,
                       const double *start, double share, run_log *log)
{
    augur_solver_set_seed(inner, call->seed);
    int rc = augur_solver_set_initial_point(inner, start);
    if (rc == AUGUR_OK && share > 0 && (double)augur_solver_max_evaluations(inner) > share)
        rc = augur_solver_set_evaluation_limits(inner, inner->max_gen_set, (size_t)share);
    if (rc == AUGUR_OK && log->cap)
        rc = augur_solver_add_evaluation_monitor(inner,
                                                 augur_monitor_callback(log_evaluation, log));
    return rc;
}

static int task_nested(const augur_task_call *call, const void *in, size_t in_len,
                       void *out, size_t out_len)
{
    const nested_context *ctx = call->context;
    if (!ctx || call->context_len <= sizeof *ctx)
        return nested_fail(call, AUGUR_EINVAL, "malformed job");
    size_t n = (size_t)ctx->n;
    size_t need = sizeof(nested_head) + (n + ctx->log_cap * (n + 1)) * sizeof(double);
    if (in_len != (n + 1) * sizeof(double) || out_len != need)
        return nested_fail(call, AUGUR_EINVAL, "malformed job");
    nested_head *head = out;
    double *end = (double *)(head + 1);
    run_log log = {.rows = end + n, .n = n, .cap = ctx->log_cap};
    augur_cost cost;
    void *data;
    if (find_cost(ctx, &cost, &data) != AUGUR_OK)
        return nested_fail(call, AUGUR_ENOTFOUND, "the cost is not registered here");
    char why[AUGUR_ERRMSG_CAP];
    augur_solver *inner = NULL;
    int rc = augur_solver_read_spec((const char *)(ctx + 1), &inner, why, sizeof why);
    if (rc == AUGUR_OK)
        rc = prepare_run(inner, call, in, ((const double *)in)[n], &log);
    if (rc == AUGUR_OK) {
        rc = augur_solve(inner, cost, data, NULL);
        if (log.overflow)
            rc = AUGUR_EFAILED;
        snprintf(why, sizeof why, "%s", log.overflow
                                            ? "its evaluation log overflowed"
                                            : augur_solver_errmsg(inner));
    }
    memset(head, 0, sizeof *head);
    if (rc >= 0) {
        head->status = rc;
        head->f = augur_solver_best_energy(inner);
        head->evaluations = augur_solver_evaluations(inner);
        head->generations = augur_solver_generations(inner);
        head->log_len = (uint32_t)log.len;
        snprintf(head->reason, sizeof head->reason, "%s",
                 augur_solver_termination_reason(inner));
        memcpy(end, augur_solver_best_solution(inner), n * sizeof *end);
    }
    augur_solver_destroy(inner);
    return rc < 0 ? nested_fail(call, rc, why) : AUGUR_OK;
}

AUGUR__AT_LOAD(register_task_nested)
{
    augur__task_builtin("augur.nested", task_nested);
}

/* --- Batches ------------------------------------------------------------------ */

static int find_box(augur_solver *s, augur_ensemble *e)
{
    for (size_t i = 0; i < s->n; i++) {
        double lo = s->init_lb ? s->init_lb[i] : s->lb[i];
        double hi = s->init_ub ? s->init_ub[i] : s->ub[i];
        if (!isfinite(lo) || !isfinite(hi))
            return augur_solver_fail(s, AUGUR_ESTATE, "%s: starting points need a box: "
                                     "set finite bounds or random initial points "
                                     "(coordinate %zu is unbounded)", s->type->name, i);
        e->box[i] = fmax(lo, s->lb[i]);
        e->box[s->n + i] = fmin(hi, s->ub[i]);
    }
    return AUGUR_OK;
}

size_t augur__ensemble_record_len(const augur_solver *s, const augur_ensemble *e)
{
    return sizeof(nested_head) + (s->n + e->log_cap * (s->n + 1)) * sizeof(double);
}

int augur__ensemble_alloc_rows(augur_solver *s, augur_ensemble *e, size_t m)
{
    size_t n = s->n;
    e->box = augur__malloc_array(augur__mul_sat(2, n), sizeof *e->box);
    e->in = augur__malloc_array(augur__mul_sat(m, n), sizeof *e->in);
    e->job_in = augur__malloc_array(augur__mul_sat(m, n + 1), sizeof *e->job_in);
    e->pop = augur__malloc_array(augur__mul_sat(m, n), sizeof *e->pop);
    e->pop_f = augur__malloc_array(m, sizeof *e->pop_f);
    if (!e->box || !e->in || !e->job_in || !e->pop || !e->pop_f)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory", s->type->name);
    return AUGUR_OK;
}

int augur__ensemble_alloc_outputs(augur_solver *s, augur_ensemble *e)
{
    e->rec_len = augur__ensemble_record_len(s, e);
    free(e->out);
    e->out = augur__malloc_array(e->m, e->rec_len);
    if (!e->out)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory", s->type->name);
    if (!s->map && !e->own_map && !(e->own_map = augur_map_create("serial", 1)))
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory", s->type->name);
    return AUGUR_OK;
}

static int grow_runs(augur_solver *s, augur_ensemble *e, size_t more)
{
    if (e->nruns + more <= e->runs_cap)
        return AUGUR_OK;
    size_t cap = (e->nruns + more) * 2, n = s->n;
    size_t per_run;   /* 2 n doubles: start and end */
    if (augur__mul_size(n, 2 * sizeof(double), &per_run) != 0)
        return augur_solver_fail(s, AUGUR_ERANGE, "%s: too many runs", s->type->name);
    augur_inner_run *runs = augur__realloc_array(e->runs, cap, sizeof *runs);
    if (runs)
        e->runs = runs;
    double *pts = augur__realloc_array(e->run_points, cap, per_run);
    if (pts)
        e->run_points = pts;
    char *why = augur__realloc_array(e->run_reasons, cap, AUGUR__REASON_LEN);
    if (why)
        e->run_reasons = why;
    if (!runs || !pts || !why)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory", s->type->name);
    e->runs_cap = cap;
    for (size_t k = 0; k < e->nruns; k++) {   /* the arrays may have moved */
        e->runs[k].start = e->run_points + 2 * n * k;
        e->runs[k].end = e->run_points + 2 * n * k + n;
        e->runs[k].reason = e->run_reasons + AUGUR__REASON_LEN * k;
    }
    return AUGUR_OK;
}

/* The runs of this batch that go, and each one's share of what is left
 * of the budget (see the head): the job's input rows, start then share. */
static size_t share_budget(augur_solver *s, augur_ensemble *e, size_t m)
{
    size_t n = s->n, left = augur__solver_budget_left(s), live = m;
    size_t batches = (size_t)e->batches, runs = m;
    if (!e->own_budget && batches > e->done &&
        augur__mul_size(m, batches - e->done, &runs) != 0)
        runs = SIZE_MAX;
    if (left != SIZE_MAX && left < runs)   /* less than one a run: this batch */
        runs = live = left < m ? (left ? left : 1) : m;
    e->cut = 0;
    for (size_t k = 0; k < live; k++) {
        double *row = e->job_in + k * (n + 1);
        memcpy(row, e->in + k * n, n * sizeof *row);
        row[n] = 0;
        if (left == SIZE_MAX)
            continue;
        row[n] = (double)(left / runs + (k < left % runs));
    }
    e->left = left;
    if (live < m)
        e->cut = 1;
    return live;
}

static int run_batch(augur_solver *s, augur_ensemble *e, size_t m)
{
    size_t ctx_len = sizeof(nested_context) + strlen(e->spec) + 1;
    nested_context *ctx = calloc(1, ctx_len);
    if (!ctx)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory", s->type->name);
    ctx->cost = (uint64_t)(uintptr_t)s->cost;
    ctx->data = (uint64_t)(uintptr_t)s->data;
    ctx->n = s->n;
    ctx->log_cap = e->log_cap;
    strcpy((char *)(ctx + 1), e->spec);
    augur_map *map = s->map ? s->map : e->own_map;
    const char *name = augur_cost_name(s->cost, s->data);
    int rc = AUGUR_OK;
    if (augur__map_crosses_images(map)) {
        if (!name)
            rc = augur_solver_fail(s, AUGUR_EINVAL, "%s: a '%s' map needs the cost by "
                                   "name (augur_cost_register)", s->type->name,
                                   augur_map_type_name(map));
        else
            snprintf(ctx->name, sizeof ctx->name, "%s", name);
    }
    augur_map_job job = {
        .task = "augur.nested", .ntasks = m,
        .in = e->job_in, .in_len = (s->n + 1) * sizeof(double),
        .out = e->out, .out_len = e->rec_len,
        .context = ctx, .context_len = ctx_len,
        .seed = augur__mix_seed(s->seed, e->done),
    };
    if (rc == AUGUR_OK && (rc = augur_map_run(map, &job)) != AUGUR_OK)
        augur_solver_fail(s, rc, "%s: %s", s->type->name, augur_map_errmsg(map));
    free(ctx);
    return rc;
}

/* Take run k's record into the ensemble: counts, best, monitors, history. */
static void absorb_run(augur_solver *s, augur_ensemble *e, size_t k)
{
    size_t n = s->n;
    const nested_head *head = (const nested_head *)(e->out + k * e->rec_len);
    const double *end = (const double *)(head + 1), *log = end + n;
    /* the inner run applied the constraints and penalty: its points are x'
     * and its energies include the penalty, so nothing is applied again */
    if (e->log_cap)
        for (size_t j = 0; j < head->log_len; j++)
            augur__solver_replay(s, log + j * (n + 1), log[j * (n + 1) + n]);
    else
        augur__solver_absorb(s, end, head->f, (size_t)head->evaluations);
    augur_inner_run *run = &e->runs[e->nruns];
    double *pts = e->run_points + 2 * n * e->nruns;
    char *why = e->run_reasons + AUGUR__REASON_LEN * e->nruns;
    memcpy(pts, e->in + k * n, n * sizeof *pts);
    memcpy(pts + n, end, n * sizeof *pts);
    /* strncpy zero-fills the slot after the text: a checkpoint writes the
     * whole slot, and its bytes must not depend on what the memory held */
    strncpy(why, head->reason, AUGUR__REASON_LEN - 1);
    why[AUGUR__REASON_LEN - 1] = '\0';
    *run = (augur_inner_run){.batch = e->done, .index = k, .start = pts, .end = pts + n,
                             .f = head->f, .evaluations = (size_t)head->evaluations,
                             .generations = (size_t)head->generations, .reason = why};
    e->nruns++;
    memcpy(e->pop + k * n, end, n * sizeof *pts);
    e->pop_f[k] = s->base.maximize != 0 ? -head->f : head->f;
}

/* A run whose share was below the limit it would have had, and which
 * then stopped on it, was cut short by the budget. */
static void note_shares(augur_solver *s, augur_ensemble *e, size_t live)
{
    for (size_t k = 0; k < live && !e->cut && e->left != SIZE_MAX; k++) {
        const nested_head *head = (const nested_head *)(e->out + k * e->rec_len);
        double share = e->job_in[k * (s->n + 1) + s->n];
        e->cut = (double)head->evaluations >= share &&
                 strncmp(head->reason, "EvaluationLimits(", 17) == 0;
    }
}

/* How the batch ended the ensemble, if it did: all batches done, or the
 * budget spent (ipop says that itself, in its own terms). */
static void conclude(augur_solver *s, augur_ensemble *e, size_t m, size_t live)
{
    char why[AUGUR_REASON_CAP];
    int spent = e->left != SIZE_MAX && s->evaluations >= s->max_eval;
    size_t b = e->done++;
    if (spent && e->cut && !e->own_budget) {
        snprintf(why, sizeof why, "EvaluationLimits(evaluations=%zu; batch %zu cut "
                 "short: %zu of %zu runs, sharing the %zu evaluations left)",
                 s->max_eval, b, live, m, e->left);
        augur_solver_finished(s, why);
    } else if (e->done >= (size_t)e->batches) {
        snprintf(why, sizeof why, "%s(npts=%zu, batches=%zu: all runs done)", e->label,
                 m, e->done);
        augur_solver_finished(s, why);
    }
}

static int batch(augur_solver *s, augur_ensemble *e)
{
    size_t m = e->m, live = m;
    int rc = e->points(s, e, e->in, m, e->box, e->box + s->n);
    if (rc == AUGUR_OK)
        rc = grow_runs(s, e, m);
    if (rc == AUGUR_OK)
        rc = run_batch(s, e, live = share_budget(s, e, m));
    if (rc != AUGUR_OK)
        return rc;
    for (size_t k = 0; k < live; k++)
        absorb_run(s, e, k);
    note_shares(s, e, live);
    augur_solver_set_population(s, e->pop, e->pop_f, live);
    conclude(s, e, m, live);
    return AUGUR_OK;
}

/* Without a nested solver an ensemble runs AUGUR_ENSEMBLE_DEFAULT_NESTED
 * (Nelder-Mead with its defaults), set here so the spec written after the
 * run names it. */
static int default_nested(augur_solver *s)
{
    if (s->nested)
        return AUGUR_OK;
    augur_solver *in = augur_solver_create(AUGUR_ENSEMBLE_DEFAULT_NESTED, s->n);
    if (!in)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory", s->type->name);
    return augur_solver_set_nested(s, in);
}

int augur__ensemble_start(augur_solver *s, augur_ensemble *e)
{
    e->n = s->n;
    if (!e->m)
        e->m = (size_t)e->npts;
    int rc = default_nested(s);
    if (rc == AUGUR_OK)
        rc = augur__ensemble_make_spec(s, e);
    if (rc == AUGUR_OK)
        rc = augur__ensemble_alloc_rows(s, e, e->m);
    if (rc == AUGUR_OK)
        rc = augur__ensemble_alloc_outputs(s, e);
    if (rc == AUGUR_OK)
        rc = find_box(s, e);
    return rc == AUGUR_OK ? batch(s, e) : rc;
}

int augur__ensemble_check(const augur_solver *s, const void *state, char *err,
                          size_t cap)
{
    (void)state;
    const augur_solver *in = s->nested;
    if (!in)                      /* the start makes the default one */
        return AUGUR_OK;
    if (!in->type->check)
        return AUGUR_OK;
    char why[AUGUR_ERRMSG_CAP];
    int rc = in->type->check(in, in->state, why, sizeof why);
    return rc == AUGUR_OK ? rc : augur__fail_msg(err, cap, rc, "%s: nested solver: %s",
                                                 s->type->name, why);
}

int augur__ensemble_step(augur_solver *s, augur_ensemble *e)
{
    int rc = e->spec ? AUGUR_OK : augur__ensemble_resume(s, e);  /* restored */
    return rc == AUGUR_OK ? batch(s, e) : rc;
}

void augur__ensemble_free(augur_ensemble *e)
{
    free(e->spec);
    free(e->box);
    free(e->in);
    free(e->job_in);
    free(e->pop);
    free(e->pop_f);
    free(e->out);
    free(e->runs);
    free(e->run_points);
    free(e->run_reasons);
    augur_map_destroy(e->own_map);
    double npts = e->npts, batches = e->batches;   /* parameters stay */
    memset(e, 0, sizeof *e);
    e->npts = npts;
    e->batches = batches;
}

const augur_inner_run *augur_ensemble_runs(const augur_solver *s, size_t *count)
{
    if (count)
        *count = 0;
    if (!augur__is_ensemble(s))
        return NULL;
    const augur_ensemble *e = s->state;
    if (count)
        *count = e->nruns;
    return e->runs;
}

double augur__scaled_dist2(const double *a, const double *b, const double *lo,
                           const double *hi, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double w = hi[i] > lo[i] ? hi[i] - lo[i] : 1;
        double t = (a[i] - b[i]) / w;
        d += t * t;
    }
    return d;
}

extern const augur_solver_type augur_solver_buckshot;
extern const augur_solver_type augur_solver_lattice;
extern const augur_solver_type augur_solver_sparsity;
extern const augur_solver_type augur_solver_ipop;

int augur__is_ensemble(const augur_solver *s)
{
    const augur_solver_type *t = s ? s->type : NULL;
    return t && (t == &augur_solver_buckshot || t == &augur_solver_lattice ||
                 t == &augur_solver_sparsity || t == &augur_solver_ipop);
}
