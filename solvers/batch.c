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
 * whose workers do not (MPI), where each rank finds its own copy. */
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

int augur__solver_map_batch(augur_solver *s, const double *X, size_t m, double *F)
{
    int rc = grow(s, m);
    eval_context ctx;
    if (rc == AUGUR_OK)
        rc = make_context(s, &ctx);
    if (rc != AUGUR_OK)
        return rc;
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
    size_t j = 0;
    for (size_t k = 0; k < m; k++) {
        if (j < sent && s->batch_rows[j] == k) {
            F[k] = augur__solver_account(s, s->batch_x + j * s->n, s->batch_f[j]);
            j++;
        } else {
            F[k] = INFINITY;
        }
    }
    return AUGUR_OK;
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
    augur__solver_clear(s);
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
