/* solver.c - the abstract solver's life cycle, settings and results.
 *
 * Everything here is the same for every algorithm: creating a solver of a
 * named type, the generic parameter setter driven by the type's table (and
 * the base's own "maximize" and "id"), starting points, bounds, the seed,
 * limits, monitors and the termination condition, and the read-out of
 * results. The evaluation path and the solve loop live in run.c. Every
 * public call on a solver clears its message first, so augur_solver_errmsg()
 * always describes the latest call. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "solver_int.h"

static const augur_param base_table[] = {
    {.name = "maximize", .kind = AUGUR_PARAM_BOOL, .def = 0,
     .offset = offsetof(base_params, maximize),
     .doc = "maximise the cost instead of minimising it"},
    {.name = "id", .kind = AUGUR_PARAM_INT, .def = 0, .min = -1e9, .max = 1e9,
     .offset = offsetof(base_params, id),
     .doc = "tag passed to monitors (nested solvers number their runs)"},
    {.name = "sampler", .kind = AUGUR_PARAM_CHOICE, .def = AUGUR_SAMPLER_UNIFORM,
     .offset = offsetof(base_params, sampler), .choices = augur_sampler_names,
     .doc = "how random starting points are drawn from their box"},
    {.name = NULL},
};

const augur_param *augur_solver_base_params(void)
{
    return base_table;
}

int augur_solver_fail(augur_solver *s, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(s->errmsg, sizeof s->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

/* --- Life cycle -------------------------------------------------------- */

static void fill(double *a, size_t n, double value)
{
    for (size_t i = 0; i < n; i++)
        a[i] = value;
}

/* The base's six vectors of n in one block (s->vectors, freed with the
 * solver): a short run is mostly its start, and the allocator's work was
 * a good part of that. The best points are NaN until a point is
 * evaluated, the bounds infinite. */
static int alloc_vectors(augur_solver *s)
{
    size_t n = s->n;
    double *v = augur__malloc_array(augur__mul_sat(6, n), sizeof *v);
    if (!v)
        return AUGUR_ENOMEM;
    s->vectors = v;
    s->lb = v;
    s->ub = v + n;
    s->best_x = v + 2 * n;
    s->rec_x = v + 3 * n;
    s->prev_rec_x = v + 4 * n;
    s->trial = v + 5 * n;
    fill(s->lb, n, -INFINITY);
    fill(s->ub, n, INFINITY);
    fill(s->best_x, n, NAN);
    fill(s->rec_x, n, NAN);
    fill(s->prev_rec_x, n, NAN);
    fill(s->trial, n, NAN);
    return AUGUR_OK;
}

/* The solver, its generator and the generator's state (624 words of
 * mt19937) in one zeroed block: a short run is mostly its start, and
 * these were three allocations, two of them too large for the
 * allocator's per-thread cache. gsl_rng_alloc would also seed the state,
 * only for augur_solver_rng to seed it again at the first draw (gsl_rng's
 * fields are public; the state stays all zeros until then, as a
 * checkpoint of an unused generator writes it). */
static size_t rng_state_offset(void)
{
    size_t align = _Alignof(max_align_t);
    return (sizeof(augur_solver) + align - 1) / align * align;
}

static augur_solver *solver_alloc(void)
{
    augur_solver *s = calloc(1, rng_state_offset() + gsl_rng_mt19937->size);
    if (!s)
        return NULL;
    s->rng_block.type = gsl_rng_mt19937;
    s->rng_block.state = (char *)s + rng_state_offset();
    s->rng = &s->rng_block;
    return s;
}

int augur_solver_new(augur_solver **out, const char *type_name, size_t n,
                     char *err, size_t cap)
{
    if (!out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "NULL result pointer");
    *out = NULL;
    const augur_solver_type *type = augur_solver_type_find(type_name);
    if (!type)
        return augur__fail_msg(err, cap, AUGUR_ENOTFOUND,
                               "no solver type named '%s' (see augur_solver_types)",
                               type_name ? type_name : "(null)");
    if (n == 0)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: the dimension must be at least 1", type->name);
    if (n > AUGUR_MAX_DIMENSION)
        return augur__fail_msg(err, cap, AUGUR_ERANGE,
                               "%s: a dimension of %zu is more than the %zu allowed "
                               "(AUGUR_MAX_DIMENSION)", type->name, n,
                               (size_t)AUGUR_MAX_DIMENSION);
    augur_solver *s = solver_alloc();
    if (!s)
        goto nomem;
    s->type = type;
    s->n = n;
    s->state = calloc(1, type->state_size ? type->state_size : 1);
    s->rng_stale = 1;
    if (!s->state || alloc_vectors(s) != AUGUR_OK)
        goto nomem;
    augur__params_defaults(type->params, s->state);
    augur__params_defaults(base_table, &s->base);
    s->best_f = INFINITY;
    atomic_init(&s->stop_requested, 0);
    augur__solver_stamp_settings(s);
    *out = s;
    return AUGUR_OK;
nomem:
    augur_solver_destroy(s);
    return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory creating a solver");
}

void augur__solver_stamp_settings(augur_solver *s)
{
    static atomic_ulong clock;
    s->settings = atomic_fetch_add_explicit(&clock, 1, memory_order_relaxed) + 1;
}

augur_solver *augur_solver_create(const char *type, size_t n)
{
    augur_solver *s = NULL;
    augur_solver_new(&s, type, n, NULL, 0);
    return s;
}

static void drop_monitors(augur_monitor **list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        augur_monitor_destroy(list[i]);
    free(list);
}

void augur_solver_destroy(augur_solver *s)
{
    if (!s)
        return;
    if (s->state && s->type->free)
        s->type->free(s->state);
    if (s->state && s->type->destroy)
        s->type->destroy(s->state);
    free(s->state);
    augur_term_destroy(s->term);
    augur_solver_destroy(s->nested);
    augur_constraints_destroy(s->constraints);
    augur_penalty_destroy(s->penalty);
    free(s->cx);
    if (s->owns_map)
        augur_map_destroy(s->map);
    drop_monitors(s->gen_mons, s->n_gen_mons);
    drop_monitors(s->eval_mons, s->n_eval_mons);
    free(s->vectors);
    free(s->x0);
    free(s->init_lb);
    free(s->init_ub);
    free(s->restored_trial);
    if (s->hist != s->hist_inline)
        free(s->hist);
    free(s->batch_x);
    free(s->batch_f);
    free(s->batch_rows);
    free(s);
}

/* --- Parameters -------------------------------------------------------- */

/* The table a name belongs to: the type's own first, then the base's. */
static const augur_param *table_for(const augur_solver *s, const char *name,
                                    void **state)
{
    if (augur_param_find(s->type->params, name)) {
        *state = s->state;
        return s->type->params;
    }
    if (augur_param_find(base_table, name)) {
        *state = (void *)&s->base;
        return base_table;
    }
    return NULL;
}

static int unknown_param(augur_solver *s, const char *name)
{
    char names[200] = "";
    size_t used = 0;
    const augur_param *tables[2] = {s->type->params, base_table};
    for (size_t t = 0; t < 2; t++)
        for (size_t k = 0; tables[t] && tables[t][k].name && used < sizeof names; k++) {
            int w = snprintf(names + used, sizeof names - used, "%s%s",
                             used ? ", " : "", tables[t][k].name);
            if (w > 0)
                used += (size_t)w;
        }
    return augur_solver_fail(s, AUGUR_ENOTFOUND,
                             "%s: no parameter named '%s' (it has: %s)",
                             s->type->name, name ? name : "(null)", names);
}

int augur_solver_set_param(augur_solver *s, const char *name, double value)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    void *state;
    const augur_param *table = table_for(s, name, &state);
    if (!table)
        return unknown_param(s, name);
    return augur__params_set(table, state, s->type->name, name, value,
                             s->errmsg, sizeof s->errmsg);
}

int augur_solver_set_param_string(augur_solver *s, const char *name,
                                  const char *value)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    void *state;
    const augur_param *table = table_for(s, name, &state);
    if (!table)
        return unknown_param(s, name);
    return augur__params_set_string(table, state, s->type->name, name, value,
                                    s->errmsg, sizeof s->errmsg);
}

int augur_solver_get_param(const augur_solver *s, const char *name, double *value)
{
    if (!s)
        return AUGUR_EINVAL;
    augur_solver *w = (augur_solver *)s; /* the message slot is not logical state */
    augur__solver_clear(w);
    void *state;
    const augur_param *table = table_for(s, name, &state);
    if (!table)
        return unknown_param(w, name);
    return augur__params_get(table, state, s->type->name, name, value,
                             w->errmsg, sizeof w->errmsg);
}

/* --- Starting points, bounds, seed ------------------------------------ */

static int check_vector(augur_solver *s, const double *v, const char *what,
                        int allow_inf)
{
    if (!v)
        return augur_solver_fail(s, AUGUR_EINVAL, "%s: %s is NULL",
                                 s->type->name, what);
    for (size_t i = 0; i < s->n; i++)
        if (isnan(v[i]) || (!allow_inf && isinf(v[i])))
            return augur_solver_fail(s, AUGUR_EINVAL, "%s: %s[%zu] = %g is not %s",
                                     s->type->name, what, i, v[i],
                                     allow_inf ? "a number" : "finite");
    return AUGUR_OK;
}

static int check_box(augur_solver *s, const double *lb, const double *ub,
                     int allow_inf)
{
    int rc = check_vector(s, lb, "lower bound", allow_inf);
    if (rc == AUGUR_OK)
        rc = check_vector(s, ub, "upper bound", allow_inf);
    for (size_t i = 0; rc == AUGUR_OK && i < s->n; i++)
        if (lb[i] > ub[i])
            rc = augur_solver_fail(s, AUGUR_EINVAL,
                                   "%s: lower bound %g > upper bound %g at index %zu",
                                   s->type->name, lb[i], ub[i], i);
    return rc;
}

static int copy_into(augur_solver *s, double **dst, const double *src)
{
    if (!*dst && !(*dst = augur__malloc_array(s->n, sizeof **dst)))
        return augur_solver_fail(s, AUGUR_ENOMEM, "out of memory");
    memcpy(*dst, src, s->n * sizeof **dst);
    return AUGUR_OK;
}

int augur_solver_set_initial_point(augur_solver *s, const double *x0)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    int rc = check_vector(s, x0, "initial point", 0);
    if (rc == AUGUR_OK)
        rc = copy_into(s, &s->x0, x0);
    if (rc == AUGUR_OK) {
        free(s->init_lb);
        free(s->init_ub);
        s->init_lb = s->init_ub = NULL;
    }
    return rc;
}

int augur_solver_set_random_initial_points(augur_solver *s, const double *lb,
                                           const double *ub)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    int rc = check_box(s, lb, ub, 0);
    if (rc == AUGUR_OK)
        rc = copy_into(s, &s->init_lb, lb);
    if (rc == AUGUR_OK)
        rc = copy_into(s, &s->init_ub, ub);
    if (rc == AUGUR_OK) {
        free(s->x0);
        s->x0 = NULL;
    }
    return rc;
}

const double *augur_solver_start_point(const augur_solver *s)
{
    return s ? s->x0 : NULL;
}

int augur_solver_start_box(const augur_solver *s, const double **lb,
                           const double **ub)
{
    int have = s && s->init_lb;
    if (lb)
        *lb = have ? s->init_lb : NULL;
    if (ub)
        *ub = have ? s->init_ub : NULL;
    return have;
}

static void update_has_bounds(augur_solver *s)
{
    s->has_bounds = 0;
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->lb[i]) || isfinite(s->ub[i]))
            s->has_bounds = 1;
}

int augur_solver_set_bounds(augur_solver *s, const double *lb, const double *ub)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    int rc = check_box(s, lb, ub, 1);
    if (rc != AUGUR_OK)
        return rc;
    memcpy(s->lb, lb, s->n * sizeof *lb);
    memcpy(s->ub, ub, s->n * sizeof *ub);
    update_has_bounds(s);
    return AUGUR_OK;
}

int augur_solver_clear_bounds(augur_solver *s)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    for (size_t i = 0; i < s->n; i++) {
        s->lb[i] = -INFINITY;
        s->ub[i] = INFINITY;
    }
    s->has_bounds = 0;
    return AUGUR_OK;
}

int augur_solver_set_seed(augur_solver *s, uint64_t seed)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    s->seed = seed;
    s->seed_set = 1;
    /* Seeding mt19937 fills 624 words: left to the first draw
     * (augur_solver_rng), as a Nelder-Mead run never draws at all. */
    s->rng_stale = 1;
    return AUGUR_OK;
}

uint64_t augur_solver_seed(const augur_solver *s)
{
    return s ? s->seed : 0;
}

/* --- Limits, monitors, termination ------------------------------------ */

int augur_solver_set_evaluation_limits(augur_solver *s, size_t max_generations,
                                       size_t max_evaluations)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_begin_setting(s);
    s->finished_restored = 0;   /* a new limit or condition continues the run */
    s->max_gen_set = max_generations;
    s->max_eval_set = max_evaluations;
    augur__solver_resolve_limits(s);
    return AUGUR_OK;
}

size_t augur_solver_max_generations(const augur_solver *s)
{
    if (!s)
        return 0;
    augur__solver_resolve_limits((augur_solver *)s);
    return s->max_gen;
}

size_t augur_solver_max_evaluations(const augur_solver *s)
{
    if (!s)
        return 0;
    augur__solver_resolve_limits((augur_solver *)s);
    return s->max_eval;
}

static int add_monitor(augur_solver *s, augur_monitor ***list, size_t *count,
                       augur_monitor *m)
{
    if (!s) {
        augur_monitor_destroy(m);
        return AUGUR_EINVAL;
    }
    augur__solver_clear(s);
    if (!m)
        return augur_solver_fail(s, AUGUR_EINVAL, "%s: NULL monitor", s->type->name);
    augur_monitor **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (!grown) {
        augur_monitor_destroy(m);
        return augur_solver_fail(s, AUGUR_ENOMEM, "out of memory adding a monitor");
    }
    grown[(*count)++] = m;
    *list = grown;
    if (s->started)   /* a monitor added mid-run starts with the next record */
        return augur_monitor_start(m, s->n);
    return AUGUR_OK;
}

int augur_solver_add_generation_monitor(augur_solver *s, augur_monitor *m)
{
    return add_monitor(s, s ? &s->gen_mons : NULL, s ? &s->n_gen_mons : NULL, m);
}

int augur_solver_add_evaluation_monitor(augur_solver *s, augur_monitor *m)
{
    return add_monitor(s, s ? &s->eval_mons : NULL, s ? &s->n_eval_mons : NULL, m);
}

int augur_solver_set_termination(augur_solver *s, augur_termination *t)
{
    if (!s) {
        augur_term_destroy(t);
        return AUGUR_EINVAL;
    }
    augur__solver_begin_setting(s);
    s->finished_restored = 0;   /* a new limit or condition continues the run */
    augur_term_destroy(s->term);
    s->term = t;  /* NULL: the type's default is made when next needed */
    s->hist_keep = 0;   /* what it reads (window, clock): learnt when next needed */
    return AUGUR_OK;
}

int augur_solver_set_nested(augur_solver *s, augur_solver *inner)
{
    if (!s) {
        augur_solver_destroy(inner);
        return AUGUR_EINVAL;
    }
    augur__solver_begin_setting(s);
    if (inner == s)
        return augur_solver_fail(s, AUGUR_EINVAL, "%s: a solver cannot nest itself",
                                 s->type->name);
    if (inner && inner->n != s->n) {
        size_t n = inner->n;
        augur_solver_destroy(inner);
        return augur_solver_fail(s, AUGUR_EINVAL, "%s: the nested solver has "
                                 "dimension %zu, not %zu", s->type->name, n, s->n);
    }
    augur_solver_destroy(s->nested);
    s->nested = inner;
    return AUGUR_OK;
}

const augur_solver *augur_solver_nested(const augur_solver *s)
{
    return s ? s->nested : NULL;
}

const augur_termination *augur_solver_termination(const augur_solver *s)
{
    return s ? s->term : NULL;
}

/* --- Results ----------------------------------------------------------- */

const double *augur_solver_best_solution(const augur_solver *s)
{
    return s && s->has_best ? s->best_x : NULL;
}

double augur_solver_best_energy(const augur_solver *s)
{
    if (!s || !s->has_best)
        return NAN;
    return s->base.maximize != 0 ? -s->best_f : s->best_f;
}

size_t augur_solver_evaluations(const augur_solver *s)
{
    return s ? s->evaluations : 0;
}

size_t augur_solver_generations(const augur_solver *s)
{
    return s && s->hist_len ? s->hist_len - 1 : 0;
}

const double *augur_solver_energy_history(const augur_solver *s, size_t *len)
{
    if (len)
        *len = s ? s->hist_kept : 0;
    return s ? s->hist : NULL;
}

const double *augur_solver_population(const augur_solver *s, size_t *npop)
{
    if (npop)
        *npop = s ? s->npop : 0;
    return s ? s->pop : NULL;
}

const char *augur_solver_termination_reason(const augur_solver *s)
{
    return s ? s->reason : "";
}

double augur_solver_elapsed(const augur_solver *s)
{
    if (!s)
        return 0;
    return s->elapsed + (s->run_t0 > 0 ? augur__now() - s->run_t0 : 0);
}

const char *augur_solver_errmsg(const augur_solver *s)
{
    return s ? s->errmsg : "NULL solver";
}

size_t augur_solver_dimension(const augur_solver *s)
{
    return s ? s->n : 0;
}

const augur_solver_type *augur_solver_get_type(const augur_solver *s)
{
    return s ? s->type : NULL;
}

const char *augur_solver_type_name(const augur_solver *s)
{
    return s ? s->type->name : NULL;
}

/* --- For implementers (plugin.h) --------------------------------------- */

const double *augur_solver_lower(const augur_solver *s)
{
    return s->lb;
}

const double *augur_solver_upper(const augur_solver *s)
{
    return s->ub;
}

int augur_solver_bounds_finite(const augur_solver *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!isfinite(s->lb[i]) || !isfinite(s->ub[i]))
            return 0;
    return 1;
}

void augur_solver_clear_errmsg(augur_solver *s)
{
    if (s)
        augur__solver_clear(s);
}

void *augur_solver_state(augur_solver *s)
{
    return s ? s->state : NULL;
}

gsl_rng *augur_solver_rng(augur_solver *s)
{
    if (s->rng_stale) {
        /* mt19937 takes 32 bits of seed; mixing first spreads nearby seeds. */
        gsl_rng_set(s->rng, (unsigned long)(augur__mix_seed(s->seed, 0) & 0xffffffffu));
        s->rng_stale = 0;
    }
    return s->rng;
}

void augur_solver_set_population(augur_solver *s, const double *X,
                                 const double *F, size_t npop)
{
    s->pop = X;
    s->pop_f = F;
    s->npop = npop;
}
