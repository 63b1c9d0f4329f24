/* profile.c - profile scans (augur/profile.h): the best cost as a function
 * of one parameter, computed in overlapping bins that run as map tasks and
 * are joined into one curve.
 *
 * A bin is the built-in task "augur.profile-bin". Like "augur.nested" it
 * rebuilds the solver from spec text in the job's context, because text is
 * what reaches a thread, a forked worker and an MPI rank alike. Within a
 * bin the grid values are solved in increasing order, each from a fresh
 * copy of the template with the scanned coordinate pinned by its bounds
 * (lb = ub = v, which every solver honours without knowing why) and
 * started from the previous value's answer: neighbouring optima are close,
 * so the warm start is what makes a scan cheap, and it is also why the bins
 * overlap - a bin's first values, started cold, are the least settled.
 * Every seed derives from (job seed, bin) and the value's place in the bin,
 * so the bytes are the same on every backend. The grid values themselves
 * are computed once, on the caller, and shipped: the join matches points
 * by exact x, so two bins must carry the very same double for a value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/profile.h"
#include "augur/spec.h"
#include "augur/plugin.h"
#include "internal.h"
#include "map_hooks.h"

/* --- The task --------------------------------------------------------------- */

typedef struct bin_context {
    uint64_t cost, data;          /* pointers, where workers share the image */
    char name[64];                /* the cost's registered name, or "" */
    uint64_t n, parameter, cap;   /* dimension, k, grid values per record */
    /* followed by the template's spec, NUL-terminated */
} bin_context;

typedef struct bin_in {
    uint64_t count;               /* grid values in this bin */
    /* followed by cap doubles: the values */
} bin_in;

typedef struct bin_out {
    uint64_t evaluations;
    /* followed by cap doubles (optimum costs), then cap rows of n (where) */
} bin_out;

/* What every grid value's solve in one task shares. */
typedef struct scan {
    const char *spec;
    augur_cost cost;
    void *data;
    size_t n, k;
    double *lb, *ub, *x;          /* scratch, n each */
    char *why;
    size_t cap;
} scan;

static size_t in_record(size_t cap)
{
    return sizeof(bin_in) + cap * sizeof(double);
}

static size_t out_record(size_t cap, size_t n)
{
    return sizeof(bin_out) + cap * (n + 1) * sizeof(double);
}

/* Pin x_k = v by the bounds, and start at prev (the last answer), else at
 * the template's own starting point or box, with x_k = v there too. */
static int pin(augur_solver *s, const scan *sc, double v, const double *prev)
{
    size_t n = sc->n;
    const double *box_lb = NULL, *box_ub = NULL;
    memcpy(sc->lb, augur_solver_lower(s), n * sizeof *sc->lb);
    memcpy(sc->ub, augur_solver_upper(s), n * sizeof *sc->ub);
    sc->lb[sc->k] = sc->ub[sc->k] = v;
    int rc = augur_solver_set_bounds(s, sc->lb, sc->ub);
    const double *start = prev ? prev : augur_solver_start_point(s);
    if (rc == AUGUR_OK && start) {
        memcpy(sc->x, start, n * sizeof *sc->x);
        sc->x[sc->k] = v;
        rc = augur_solver_set_initial_point(s, sc->x);
    } else if (rc == AUGUR_OK && augur_solver_start_box(s, &box_lb, &box_ub)) {
        memcpy(sc->lb, box_lb, n * sizeof *sc->lb);
        memcpy(sc->ub, box_ub, n * sizeof *sc->ub);
        sc->lb[sc->k] = sc->ub[sc->k] = v;
        rc = augur_solver_set_random_initial_points(s, sc->lb, sc->ub);
    }
    return rc;
}

/* One grid value: the optimum cost *y, where it was found, and the count. */
static int solve_value(const scan *sc, double v, const double *prev, uint64_t seed,
                       double *y, double *where, uint64_t *evaluations)
{
    augur_solver *s = NULL;
    int rc = augur_solver_read_spec(sc->spec, &s, sc->why, sc->cap);
    if (rc == AUGUR_OK)
        rc = pin(s, sc, v, prev);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_seed(s, seed);
    if (rc == AUGUR_OK)
        rc = augur_solve(s, sc->cost, sc->data, NULL);
    if (rc < 0 && s)
        snprintf(sc->why, sc->cap, "%s", augur_solver_errmsg(s));
    if (rc >= 0) {
        const double *best = augur_solver_best_solution(s);
        *y = augur_solver_best_energy(s);
        *evaluations += augur_solver_evaluations(s);
        if (best && isfinite(*y))
            memcpy(where, best, sc->n * sizeof *where);
        else
            rc = augur__fail_msg(sc->why, sc->cap, AUGUR_EFAILED, "no finite cost "
                                 "found (best %g)", *y);
    }
    augur_solver_destroy(s);
    return rc < 0 ? rc : AUGUR_OK;
}

static int bin_fail(const augur_task_call *call, int code, const char *what)
{
    return augur__fail_msg(call->errmsg, call->errcap, code, "profile bin: %s", what);
}

static int find_cost(const bin_context *ctx, augur_cost *cost, void **data)
{
    *cost = (augur_cost)(uintptr_t)ctx->cost;
    *data = (void *)(uintptr_t)ctx->data;
    if (ctx->name[0])
        return augur_cost_find(ctx->name, cost, data);
    return AUGUR_OK;
}

static int scan_bin(scan *sc, const augur_task_call *call, const double *values,
                    size_t count, size_t cap, bin_out *head)
{
    double *ys = (double *)(head + 1), *where = ys + cap;
    int rc = AUGUR_OK;
    for (size_t t = 0; t < count && rc == AUGUR_OK; t++) {
        const double *prev = t ? where + (t - 1) * sc->n : NULL;
        rc = solve_value(sc, values[t], prev, augur__mix_seed(call->seed, t), &ys[t],
                         where + t * sc->n, &head->evaluations);
        if (rc != AUGUR_OK) {
            char what[AUGUR_ERRMSG_CAP];
            snprintf(what, sizeof what, "x%zu = %.17g: %s", sc->k, values[t], sc->why);
            return bin_fail(call, rc, what);
        }
    }
    return rc;
}

static int task_profile_bin(const augur_task_call *call, const void *in,
                            size_t in_len, void *out, size_t out_len)
{
    const bin_context *ctx = call->context;
    if (!ctx || call->context_len <= sizeof *ctx ||
        ((const char *)ctx)[call->context_len - 1] != '\0')
        return bin_fail(call, AUGUR_EINVAL, "malformed job");
    size_t n = (size_t)ctx->n, cap = (size_t)ctx->cap;
    const bin_in *bin = in;
    if (ctx->parameter >= n || in_len != in_record(cap) ||
        out_len != out_record(cap, n) || bin->count == 0 || bin->count > cap)
        return bin_fail(call, AUGUR_EINVAL, "malformed job");
    memset(out, 0, out_len);
    char why[AUGUR_ERRMSG_CAP] = "";
    scan sc = {.spec = (const char *)(ctx + 1), .n = n, .k = (size_t)ctx->parameter,
               .why = why, .cap = sizeof why};
    if (find_cost(ctx, &sc.cost, &sc.data) != AUGUR_OK)
        return augur__fail_msg(call->errmsg, call->errcap, AUGUR_ENOTFOUND,
                               "profile bin: no cost named '%s' in this process "
                               "(register it on every rank)", ctx->name);
    double *scratch = malloc(3 * n * sizeof *scratch);
    if (!scratch)
        return bin_fail(call, AUGUR_ENOMEM, "out of memory");
    sc.lb = scratch;
    sc.ub = scratch + n;
    sc.x = scratch + 2 * n;
    int rc = scan_bin(&sc, call, (const double *)(bin + 1), (size_t)bin->count, cap,
                      out);
    free(scratch);
    return rc;
}

AUGUR__AT_LOAD(register_task_profile_bin)
{
    augur__task_builtin("augur.profile-bin", task_profile_bin);
}

/* --- Checks and the plan ------------------------------------------------------ */

/* Value j of the grid; the last is `to` itself, not a sum that may miss it. */
static double grid_value(const augur_profile_options *o, size_t j)
{
    if (j + 1 == o->points)
        return o->to;
    return o->from + (o->to - o->from) * ((double)j / (double)(o->points - 1));
}

static int check_options(const augur_solver *tmpl, augur_cost cost,
                         const augur_profile_options *o, size_t bins, char *err,
                         size_t cap)
{
    if (!tmpl || !cost || !o)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: need a template "
                               "solver, a cost and options");
    size_t n = augur_solver_dimension(tmpl);
    if (o->parameter >= n)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: parameter %zu, but "
                               "the template has dimension %zu", o->parameter, n);
    if (!isfinite(o->from) || !isfinite(o->to) || !(o->from < o->to))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: the range [%g, %g] "
                               "must be finite with from < to", o->from, o->to);
    if (o->points < 2)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: need at least 2 "
                               "points (got %zu)", o->points);
    if (bins > o->points - 1)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: %zu bins for %zu "
                               "points: at most points - 1, so that every bin holds "
                               "a grid value", bins, o->points);
    if (!(o->overlap >= 0 && o->overlap <= 1))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: overlap %g is not "
                               "in [0, 1]", o->overlap);
    return AUGUR_OK;
}

/* A template's own map is a second level of parallelism: only under a
 * serial profile (threads in threads or forks of a threaded process are
 * what ensembles refuse too), and never MPI, whose ranks are the outer
 * level. */
static int check_maps(const augur_solver *tmpl, const augur_map *map, char *err,
                      size_t cap)
{
    const augur_map *inner = augur_solver_map(tmpl);
    const char *outer = map ? augur_map_type_name(map) : "serial";
    if (!inner || (strcmp(outer, "serial") == 0 &&
                   strcmp(augur_map_type_name(inner), "mpi") != 0))
        return AUGUR_OK;
    return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: the template's '%s' map "
                           "under a '%s' profile would deadlock or oversubscribe",
                           augur_map_type_name(inner), outer);
}

/* Each bin's widened range and the grid values in it (a contiguous run:
 * the grid increases). The tolerance lets a value that lands on an edge
 * count as inside despite rounding in either. */
static int plan_bins(const augur_profile_options *o, augur_profile_result *res,
                     size_t *most)
{
    size_t bins = res->bins;
    double *edges = malloc((bins + 1) * sizeof *edges);
    if (!edges)
        return AUGUR_ENOMEM;
    for (size_t b = 0; b <= bins; b++)
        edges[b] = b == bins ? o->to
                             : o->from + (o->to - o->from) * ((double)b / (double)bins);
    double tol = 1e-9 * (o->to - o->from) / (double)(o->points - 1);
    int rc = AUGUR_OK;
    *most = 0;
    for (size_t b = 0; b < bins && rc == AUGUR_OK; b++) {
        augur_profile_bin *r = &res->raw[b];
        if ((rc = augur_extend_bin(edges, bins + 1, b, o->overlap, &r->lo, &r->hi)))
            break;
        size_t j = 0;
        while (j < o->points && grid_value(o, j) < r->lo - tol)
            j++;
        r->first = j;
        while (j < o->points && grid_value(o, j) <= r->hi + tol)
            j++;
        r->n = j - r->first;
        *most = r->n > *most ? r->n : *most;
    }
    free(edges);
    return rc;
}

/* --- Running the bins ---------------------------------------------------------- */

static int make_context(const augur_solver *tmpl, const augur_map *map,
                        augur_cost cost, void *data, const augur_profile_options *o,
                        const char *spec, size_t most, bin_context **out, size_t *len,
                        char *err, size_t cap)
{
    const char *name = augur_cost_name(cost, data);
    if (augur__map_crosses_images(map) && !name)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: a '%s' map needs the "
                               "cost by name (augur_cost_register)",
                               augur_map_type_name(map));
    *len = sizeof(bin_context) + strlen(spec) + 1;
    bin_context *ctx = calloc(1, *len);
    if (!ctx)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "profile: out of memory");
    ctx->cost = (uint64_t)(uintptr_t)cost;
    ctx->data = (uint64_t)(uintptr_t)data;
    if (augur__map_crosses_images(map))
        snprintf(ctx->name, sizeof ctx->name, "%s", name);
    ctx->n = augur_solver_dimension(tmpl);
    ctx->parameter = o->parameter;
    ctx->cap = most;
    strcpy((char *)(ctx + 1), spec);
    *out = ctx;
    return AUGUR_OK;
}

/* Copy bin b's record into its raw curve. */
static int take_bin(augur_profile_result *res, const augur_profile_options *o,
                    size_t b, const unsigned char *rec, size_t most)
{
    augur_profile_bin *r = &res->raw[b];
    size_t n = res->dimension;
    r->x = malloc(r->n * sizeof *r->x);
    r->y = malloc(r->n * sizeof *r->y);
    r->argmin = malloc(r->n * n * sizeof *r->argmin);
    if (!r->x || !r->y || !r->argmin)
        return AUGUR_ENOMEM;
    const bin_out *head = (const bin_out *)rec;
    const double *ys = (const double *)(head + 1);
    for (size_t t = 0; t < r->n; t++)
        r->x[t] = grid_value(o, r->first + t);
    memcpy(r->y, ys, r->n * sizeof *r->y);
    memcpy(r->argmin, ys + most, r->n * n * sizeof *r->argmin);
    r->evaluations = (size_t)head->evaluations;
    res->evaluations += r->evaluations;
    return AUGUR_OK;
}

static int run_job(augur_map *map, const augur_map_job *job, char *err, size_t cap)
{
    augur_map *own = NULL;
    if (!map && !(map = own = augur_map_create("serial", 1)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "profile: out of memory");
    /* forked workers must see the cost's data as it is now */
    int rc = augur_map_reset(map);
    if (rc == AUGUR_OK)
        rc = augur_map_run(map, job);
    if (rc != AUGUR_OK)
        augur__fail_msg(err, cap, rc, "profile: map '%s': %s", augur_map_type_name(map),
                        augur_map_errmsg(map));
    augur_map_destroy(own);
    return rc;
}

static int run_bins(const augur_solver *tmpl, augur_cost cost, void *data,
                    augur_map *map, const augur_profile_options *o, const char *spec,
                    size_t most, augur_profile_result *res, char *err, size_t cap)
{
    size_t bins = res->bins, ilen = in_record(most),
           olen = out_record(most, res->dimension), ctx_len = 0;
    bin_context *ctx = NULL;
    int rc = make_context(tmpl, map, cost, data, o, spec, most, &ctx, &ctx_len, err,
                          cap);
    if (rc != AUGUR_OK)
        return rc;
    unsigned char *in = calloc(bins, ilen), *out = calloc(bins, olen);
    if (!in || !out)
        rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "profile: out of memory");
    for (size_t b = 0; b < bins && rc == AUGUR_OK; b++) {
        bin_in *rec = (bin_in *)(in + b * ilen);
        rec->count = res->raw[b].n;
        for (size_t t = 0; t < res->raw[b].n; t++)
            ((double *)(rec + 1))[t] = grid_value(o, res->raw[b].first + t);
    }
    augur_map_job job = {.task = "augur.profile-bin", .ntasks = bins,
                         .in = in, .in_len = ilen, .out = out, .out_len = olen,
                         .context = ctx, .context_len = ctx_len, .seed = o->seed};
    if (rc == AUGUR_OK)
        rc = run_job(map, &job, err, cap);
    for (size_t b = 0; b < bins && rc == AUGUR_OK; b++)
        if ((rc = take_bin(res, o, b, out + b * olen, most)) != AUGUR_OK)
            augur__fail_msg(err, cap, rc, "profile: out of memory");
    free(ctx);
    free(in);
    free(out);
    return rc;
}

/* --- The profile ---------------------------------------------------------------- */

typedef struct point {
    double x, y;
} point;

static int by_x_then_y(const void *a, const void *b)
{
    const point *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

/* The union of the bins' grid values, each with the lowest y any bin has
 * there (bins share exact grid values: they cut one grid). */
static int lowest(size_t bins, const double **xs, const double **ys,
                  const size_t *lens, augur_joined *j, char *err, size_t cap)
{
    size_t total = 0;
    for (size_t b = 0; b < bins; b++)
        total += lens[b];
    point *all = malloc((total ? total : 1) * sizeof *all);
    j->x = malloc((total ? total : 1) * sizeof *j->x);
    j->y = malloc((total ? total : 1) * sizeof *j->y);
    j->offsets = calloc(bins ? bins : 1, sizeof *j->offsets);
    if (!all || !j->x || !j->y || !j->offsets) {
        free(all);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "profile: out of memory");
    }
    size_t k = 0;
    for (size_t b = 0; b < bins; b++)
        for (size_t i = 0; i < lens[b]; i++)
            all[k++] = (point){xs[b][i], ys[b][i]};
    qsort(all, total, sizeof *all, by_x_then_y);
    j->m = bins;
    j->n = 0;
    for (size_t i = 0; i < total; i++)
        if (j->n == 0 || all[i].x != j->x[j->n - 1]) {
            j->x[j->n] = all[i].x;
            j->y[j->n++] = all[i].y;   /* the first of equal x is the lowest */
        }
    free(all);
    return AUGUR_OK;
}

static int join_bins(const augur_profile_options *o, augur_profile_result *res,
                     char *err, size_t cap)
{
    size_t bins = res->bins;
    const double **xs = malloc(bins * sizeof *xs), **ys = malloc(bins * sizeof *ys);
    size_t *lens = malloc(bins * sizeof *lens);
    int rc = xs && ys && lens ? AUGUR_OK : AUGUR_ENOMEM;
    if (rc != AUGUR_OK)
        augur__fail_msg(err, cap, rc, "profile: out of memory");
    for (size_t b = 0; b < bins && rc == AUGUR_OK; b++) {
        xs[b] = res->raw[b].x;
        ys[b] = res->raw[b].y;
        lens[b] = res->raw[b].n;
    }
    augur_joined j = {0};
    if (rc == AUGUR_OK && o->combine == AUGUR_PROFILE_JOIN)
        rc = augur_join_results(bins, xs, ys, lens, o->window, &j, err, cap);
    else if (rc == AUGUR_OK)
        rc = lowest(bins, xs, ys, lens, &j, err, cap);
    res->x = j.x;
    res->y = j.y;
    res->offsets = j.offsets;
    res->n = j.n;
    free(xs);
    free(ys);
    free(lens);
    return rc;
}

int augur_profile(const augur_solver *tmpl, augur_cost cost, void *data,
                  augur_map *map, const augur_profile_options *opt,
                  augur_profile_result *res, char *err, size_t cap)
{
    if (err && cap)
        err[0] = '\0';
    if (!res)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "profile: NULL result");
    memset(res, 0, sizeof *res);
    size_t bins = opt && opt->bins ? opt->bins : 1, most = 0;
    int rc = check_options(tmpl, cost, opt, bins, err, cap);
    if (rc == AUGUR_OK)
        rc = check_maps(tmpl, map, err, cap);
    char *spec = NULL;
    if (rc == AUGUR_OK && (rc = augur_solver_write_spec(tmpl, &spec)) != AUGUR_OK)
        augur__fail_msg(err, cap, rc, "profile: the template solver has no spec, "
                        "which is how it reaches the bins: %s", augur_solver_errmsg(tmpl));
    if (rc == AUGUR_OK) {
        res->bins = bins;
        res->dimension = augur_solver_dimension(tmpl);
        res->raw = calloc(bins, sizeof *res->raw);
        rc = res->raw ? plan_bins(opt, res, &most) : AUGUR_ENOMEM;
        if (rc != AUGUR_OK)
            augur__fail_msg(err, cap, rc, "profile: %s", rc == AUGUR_ENOMEM
                                ? "out of memory" : "cannot place the bins");
    }
    if (rc == AUGUR_OK)
        rc = run_bins(tmpl, cost, data, map, opt, spec, most, res, err, cap);
    if (rc == AUGUR_OK)
        rc = join_bins(opt, res, err, cap);
    free(spec);
    if (rc != AUGUR_OK)
        augur_profile_result_destroy(res);
    return rc;
}

void augur_profile_result_destroy(augur_profile_result *res)
{
    if (!res)
        return;
    for (size_t b = 0; res->raw && b < res->bins; b++) {
        free(res->raw[b].x);
        free(res->raw[b].y);
        free(res->raw[b].argmin);
    }
    free(res->raw);
    free(res->x);
    free(res->y);
    free(res->offsets);
    memset(res, 0, sizeof *res);
}
