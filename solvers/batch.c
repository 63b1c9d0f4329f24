/* batch.c - evaluating a batch of points through the solver's map.
 *
 * Only the cost calls travel: each row is admitted on the caller first
 * (constraints applied, the point brought into the bounds or rejected:
 * augur__solver_admit), the admitted points x' are sent as one job of the
 * built-in task "augur.evaluate" (in: n doubles, out: the raw cost), and
 * everything else of the evaluation path - the penalty, the sign, the NaN
 * rule, counting, the best point and the evaluation monitors - runs back
 * on the caller, in row order. That is why counts, logs and answers are
 * the same on every backend: workers never touch the solver, its
 * constraints or its penalty.
 *
 * The cost reaches the workers in the job's context: as its function and
 * data pointers, valid where workers share the caller's program image
 * (threads, and fork workers started after the solve began), and as its
 * registered name (augur_cost_register, or a model's name) for backends
 * whose workers do not (MPI), where each rank finds its own copy.
 *
 * A batch cost (augur_solver_set_batch_cost) takes the map's place: the
 * same admitted rows go to it in one call on the caller, and the same
 * accounting follows. Every evaluation of a solver with a batch cost comes
 * here, single points as batches of one, so the hard evaluation cap and
 * the failure rule live in one place. Only the serial map goes with it
 * (see augur_solver_set_batch_cost for why). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "map_hooks.h"
#include "solver_int.h"

typedef struct eval_context {
    uint64_t cost;                /* augur_cost, as an integer */
    uint64_t data;                /* void *, as an integer */
    uint64_t n;
    char name[64];                /* registered name, or "" */
} eval_context;

static int task_evaluate(const augur_task_call *call, const void *in,
                         size_t in_len, void *out, size_t out_len)
{
    const eval_context *ctx = call->context;
    if (!ctx || call->context_len != sizeof *ctx || out_len != sizeof(double) ||
        in_len != ctx->n * sizeof(double)) {
        augur__fail_msg(call->errmsg, call->errcap, AUGUR_EINVAL,
                        "augur.evaluate: malformed job");
        return AUGUR_EINVAL;
    }
    augur_cost_fn cost = (augur_cost_fn)(uintptr_t)ctx->cost;
    void *data = (void *)(uintptr_t)ctx->data;
    if (ctx->name[0] && augur_cost_find(ctx->name, &cost, &data) != AUGUR_OK)
        return augur__fail_msg(call->errmsg, call->errcap, AUGUR_ENOTFOUND,
                               "augur.evaluate: no cost named '%s' in this "
                               "process (register it on every rank)", ctx->name);
    double f = cost((const double *)in, (size_t)ctx->n, data);
    memcpy(out, &f, sizeof f);
    return AUGUR_OK;
}

AUGUR__AT_LOAD(register_task_evaluate)
{
    augur__task_builtin("augur.evaluate", task_evaluate);
}

static int grow(augur_solver *s, size_t m)
{
    if (m <= s->batch_cap)
        return AUGUR_OK;
    double *x = realloc(s->batch_x, m * s->n * sizeof *x);
    if (x)
        s->batch_x = x;
    double *f = realloc(s->batch_f, m * sizeof *f);
    if (f)
        s->batch_f = f;
    size_t *r = realloc(s->batch_rows, m * sizeof *r);
    if (r)
        s->batch_rows = r;
    if (!x || !f || !r)
        return augur_solver_fail(s, AUGUR_ENOMEM, "out of memory (batch)");
    s->batch_cap = m;
    return AUGUR_OK;
}

static int make_context(augur_solver *s, eval_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->cost = (uint64_t)(uintptr_t)s->cost;
    ctx->data = (uint64_t)(uintptr_t)s->data;
    ctx->n = s->n;
    const char *name = augur_cost_name(s->cost, s->data);
    if (augur__map_crosses_images(s->map)) {
        if (!name)
            return augur_solver_fail(s, AUGUR_EINVAL,
                                     "%s: a map of type '%s' needs the cost by "
                                     "name: register it on every process with "
                                     "augur_cost_register", s->type->name,
                                     augur_map_type_name(s->map));
        snprintf(ctx->name, sizeof ctx->name, "%s", name);
    }
    return AUGUR_OK;
}

/* Admit up to the budget's worth of rows into batch_x (their indices in
 * batch_rows); returns how many. A row cut by the budget marks the
 * generation cut short. */
static size_t admit_rows(augur_solver *s, const double *X, size_t m)
{
    size_t sent = 0, left = augur__solver_budget_left(s), seen;
    for (seen = 0; seen < m && sent < left; seen++) {
        double *row = s->batch_x + sent * s->n;
        const double *x = augur__solver_admit(s, X + seen * s->n, row);
        if (!x)
            continue;
        if (x != row)
            memcpy(row, x, s->n * sizeof *x);
        s->batch_rows[sent++] = seen;
    }
    if (seen < m)
        augur__solver_note_cut(s);
    return sent;
}

/* A batch cost's failure stops the run like a monitor's: the first one is
 * kept as the pending status. */
static int batch_failed(augur_solver *s, int rc)
{
    if (rc >= 0)
        rc = AUGUR_EFAILED;
    if (s->pending == AUGUR_OK)
        s->pending = augur_solver_fail(s, rc, "%s: the batch cost failed (%s)",
                                       s->type->name, augur_status_name(rc));
    atomic_store(&s->stop_requested, 1);
    return s->pending;
}

static int call_batch_cost(augur_solver *s, size_t sent)
{
    if (s->pending != AUGUR_OK)
        return s->pending;   /* after a failure, call nothing more */
    if (sent == 0)
        return AUGUR_OK;
    int rc = s->batch_cost(s->batch_x, sent, s->n, s->batch_f, s->batch_data);
    return rc == AUGUR_OK ? AUGUR_OK : batch_failed(s, rc);
}

static int run_map_job(augur_solver *s, size_t sent)
{
    eval_context ctx;
    int rc = make_context(s, &ctx);
    if (rc != AUGUR_OK)
        return rc;
    augur_map_job job = {
        .task = "augur.evaluate",
        .ntasks = sent,
        .in = s->batch_x,
        .in_len = s->n * sizeof(double),
        .out = s->batch_f,
        .out_len = sizeof(double),
        .context = &ctx,
        .context_len = sizeof ctx,
        .seed = s->seed,
    };
    rc = augur_map_run(s->map, &job);
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "%s: map '%s': %s", s->type->name,
                                 augur_map_type_name(s->map), augur_map_errmsg(s->map));
    return AUGUR_OK;
}

int augur__solver_map_batch(augur_solver *s, const double *X, size_t m, double *F)
{
    for (size_t k = 0; k < m; k++)
        F[k] = INFINITY;
    int rc = grow(s, m);
    if (rc != AUGUR_OK)
        return rc;
    size_t sent = admit_rows(s, X, m);
    rc = s->batch_cost ? call_batch_cost(s, sent) : run_map_job(s, sent);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t j = 0; j < sent; j++)
        F[s->batch_rows[j]] = augur__solver_account(s, s->batch_x + j * s->n,
                                                    s->batch_f[j]);
    return AUGUR_OK;
}

/* The per-point cost bound while a batch cost is set: a batch of one, for
 * what needs a plain augur_cost (the conditions' objective, nested runs).
 * data is the solver; a failure is kept as for a batch and gives NaN. */
static double batch_one(const double *x, size_t n, void *data)
{
    augur_solver *s = data;
    double f = NAN;
    if (s->pending != AUGUR_OK)
        return NAN;
    int rc = s->batch_cost(x, 1, n, &f, s->batch_data);
    if (rc != AUGUR_OK) {
        batch_failed(s, rc);
        return NAN;
    }
    return f;
}

static int map_is_serial(const augur_map *map)
{
    return !map || strcmp(augur_map_type_name(map), "serial") == 0;
}

static int refuse_map(augur_solver *s, const augur_map *map)
{
    return augur_solver_fail(s, AUGUR_EUNSUP, "%s: a batch cost runs in the caller, "
                             "one call per batch, so it goes with the serial map "
                             "only: the '%s' map would hand each row to a worker as "
                             "a task of its own (MPI ranks find a cost only by its "
                             "registered name); use a per-point cost with it",
                             s->type->name, augur_map_type_name(map));
}

int augur_solver_set_batch_cost(augur_solver *s, augur_batch_cost cost, void *data)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_clear(s);
    if (!cost) {
        if (s->batch_cost)
            s->cost = NULL, s->data = NULL;
        s->batch_cost = NULL;
        s->batch_data = NULL;
        return AUGUR_OK;
    }
    if (!map_is_serial(s->map))
        return refuse_map(s, s->map);
    s->batch_cost = cost;
    s->batch_data = data;
    s->cost = batch_one;
    s->data = s;
    return AUGUR_OK;
}

int augur_solve_batch(augur_solver *s, augur_batch_cost cost, void *data,
                      augur_termination *t)
{
    int rc = s && cost ? augur_solver_set_batch_cost(s, cost, data) : AUGUR_EINVAL;
    if (rc != AUGUR_OK) {
        augur_term_destroy(t);
        if (s && !cost)
            return augur_solver_fail(s, rc, "%s: no batch cost", s->type->name);
        return rc;
    }
    return augur_solve(s, NULL, NULL, t);
}

/* "de2, pso, buckshot, ...": the registered types a map works for. */
static void map_users(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (const augur_solver_type *const *t = augur_solver_types(); t && *t; t++) {
        if (!(*t)->uses_map || len >= cap)
            continue;
        int k = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", (*t)->name);
        len += k > 0 ? (size_t)k : 0;
    }
}

int augur_solver_set_map(augur_solver *s, augur_map *map)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    if (s->batch_cost && !map_is_serial(map))
        return refuse_map(s, map);
    if (map && !s->type->uses_map) {
        char users[160];
        map_users(users, sizeof users);
        return augur_solver_fail(s, AUGUR_EUNSUP, "%s cannot use a map (it evaluates "
                                 "one point at a time); the solvers that can: %s",
                                 s->type->name, users);
    }
    if (s->owns_map && s->map != map)
        augur_map_destroy(s->map);
    s->map = map;
    s->owns_map = 0;
    return AUGUR_OK;
}

augur_map *augur_solver_map(const augur_solver *s)
{
    return s ? s->map : NULL;
}

int augur__solver_own_map(augur_solver *s, augur_map *map)
{
    int rc = augur_solver_set_map(s, map);
    if (rc == AUGUR_OK)
        s->owns_map = 1;
    else
        augur_map_destroy(map);
    return rc;
}
