/* problem.c - the `problem` group of a config file: what is minimised.
 *
 *     problem = { model = "rosen"; dimension = 3; };
 *     problem = { formula = "(1-x0)^2 + 100*(x1-x0^2)^2"; dimension = 2; };
 *     problem = { plugin = { path = "libcost.so"; symbol = "cost";
 *                            init = "cost_init"; settings = { ... }; };
 *                 dimension = 4; };                     (plugin.c)
 *     problem = { fit = { ... }; };                       (problem_fit.c)
 *
 * A model comes from the model registry; a formula goes through libmatheval
 * after constraints/expression.c has read it (libmatheval gives no reason
 * for a bad formula, leaks on one and prints characters it does not know);
 * a plugin is a shared library opened with dlopen. Every cost but a
 * model's (which maps find by the model's name) is registered under a
 * name, "augur.config.<k>", so that an MPI rank that loaded the same file
 * finds its own copy: k is a slot in a small table, taken in load order
 * and given back when the job is destroyed, so every rank loading the same
 * files in the same order gets the same names, and a name never points at
 * a cost that is gone. */
#include <math.h>
#include <matheval.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"
#include "job_int.h"

/* --- Named slots ----------------------------------------------------------- */

#define SLOTS 64

typedef struct slot {
    augur_cost cost;
    void *data;
    int used;
} slot;

static slot slots[SLOTS];
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;

static double slot_cost(const double *x, size_t n, void *data)
{
    const slot *s = data;
    return s->cost ? s->cost(x, n, s->data) : NAN;
}

/* Take a free slot for (cost, data) and register its name; with no slot
 * free the job still runs everywhere but on maps that need the name (MPI). */
static void name_cost(augur__problem *p, augur_cost cost, void *data)
{
    p->cost = cost;
    p->data = data;
    p->slot = -1;
    pthread_mutex_lock(&slot_lock);
    for (int k = 0; k < SLOTS && p->slot < 0; k++)
        if (!slots[k].used) {
            slots[k] = (slot){.cost = cost, .data = data, .used = 1};
            p->slot = k;
        }
    pthread_mutex_unlock(&slot_lock);
    if (p->slot < 0)
        return;
    char name[32];
    snprintf(name, sizeof name, "augur.config.%d", p->slot);
    if (augur_cost_register(name, slot_cost, &slots[p->slot]) == AUGUR_OK) {
        p->cost = slot_cost;
        p->data = &slots[p->slot];
    }
}

static void release_slot(augur__problem *p)
{
    if (p->slot < 0)
        return;
    pthread_mutex_lock(&slot_lock);
    slots[p->slot] = (slot){0};
    pthread_mutex_unlock(&slot_lock);
    p->slot = -1;
}

/* --- Shared readers -------------------------------------------------------- */

/* A string member of g, or an error at g (missing) or at it (wrong type). */
/* problem.dimension: required, optional (0 when absent), checked >= 1. */
static int read_dimension(const config_setting_t *g, int required, size_t *n,
                          char *err, size_t cap)
{
    const config_setting_t *d = config_setting_get_member(g, "dimension");
    *n = 0;
    if (!d)
        return required ? augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                              "needs a dimension (e.g. dimension = 2;)")
                        : AUGUR_OK;
    return augur__setting_size(d, 1, AUGUR_MAX_DIMENSION, n, err, cap);
}

/* --- Models --------------------------------------------------------------- */

static int read_model(const config_setting_t *g, augur__problem *p, char *err, size_t cap)
{
    int rc;
    const config_setting_t *ms = config_setting_get_member(g, "model");
    const char *name = augur__setting_string(ms, err, cap, &rc);
    if (!name)
        return rc;
    p->model = augur_model_find(name);
    if (!p->model) {
        const char *names[128];
        size_t count = 0;
        for (const augur_model *const *m = augur_models(); *m && count < 128; m++)
            names[count++] = (*m)->name;
        const char *near = augur__nearest(name, names, count);
        return augur__setting_fail(ms, err, cap, AUGUR_ENOTFOUND,
                                   "no model '%s' (did you mean '%s'?)", name,
                                   near ? near : "?");
    }
    if ((rc = read_dimension(g, 0, &p->n, err, cap)) != AUGUR_OK)
        return rc;
    if (!p->n)
        p->n = p->model->default_dim;
    if (augur_model_check_dim(p->model, p->n) != AUGUR_OK) {
        const config_setting_t *d = config_setting_get_member(g, "dimension");
        if (p->model->max_dim == p->model->min_dim)
            return augur__setting_fail(d, err, cap, AUGUR_ERANGE,
                                       "%s takes dimension %zu only", name,
                                       p->model->min_dim);
        if (p->model->max_dim)
            return augur__setting_fail(d, err, cap, AUGUR_ERANGE,
                                       "%s takes a dimension from %zu to %zu", name,
                                       p->model->min_dim, p->model->max_dim);
        return augur__setting_fail(d, err, cap, AUGUR_ERANGE,
                                   "%s takes a dimension >= %zu", name,
                                   p->model->min_dim);
    }
    p->cost = p->model->cost;
    p->data = NULL;
    return AUGUR_OK;
}

/* --- Formulas -------------------------------------------------------------- */

/* libmatheval's parser keeps global state, so parsing runs under the
 * library's one matheval lock (util.c); an evaluator keeps the variables'
 * values in itself, so evaluating one from several threads (a threads map)
 * is serialised by its own lock. */

struct augur__formula {
    void *ev;
    char **names;                 /* owned by the evaluator */
    int count;
    size_t *idx;
    double *vals;
    pthread_mutex_t lock;
};

static void formula_free(augur__formula *f)
{
    if (!f)
        return;
    if (f->ev)
        evaluator_destroy(f->ev);
    pthread_mutex_destroy(&f->lock);
    free(f->idx);
    free(f->vals);
    free(f);
}

static double formula_cost(const double *x, size_t n, void *data)
{
    augur__formula *f = data;
    (void)n;
    pthread_mutex_lock(&f->lock);
    for (int k = 0; k < f->count; k++)
        f->vals[k] = x[f->idx[k]];
    double v = evaluator_evaluate(f->ev, f->count, f->names, f->vals);
    pthread_mutex_unlock(&f->lock);
    return v;
}

/* The pre-check's message, which speaks of "relation 1", said of the
 * formula instead. */
static int check_formula(const config_setting_t *fs, const char *text, size_t n,
                         char *err, size_t cap)
{
    char why[AUGUR_ERRMSG_CAP];
    augur__relation r = {.text = text, .len = strlen(text), .number = 1, .n = n,
                         .err = why, .cap = sizeof why};
    size_t blank = strspn(text, " \t\r\n");
    if (!text[blank])
        return augur__setting_fail(fs, err, cap, AUGUR_EINVAL, "the formula is empty");
    int rc = augur__expression_check(&r, 0, r.len, "formula", SIZE_MAX, NULL, NULL);
    if (rc == AUGUR_OK)
        return rc;
    const char *shown = strncmp(why, "relation 1 ", 11) == 0 ? why + 11 : why;
    return augur__setting_fail(fs, err, cap, rc, "%s", shown);
}

static int make_formula(const config_setting_t *fs, const char *text, size_t n,
                        augur__formula **out, char *err, size_t cap)
{
    augur__formula *f = calloc(1, sizeof *f);
    char *copy = strdup(text);
    *out = NULL;
    if (f && copy) {
        pthread_mutex_init(&f->lock, NULL);
        augur__matheval_lock();
        f->ev = evaluator_create(copy);
        if (f->ev)
            evaluator_get_variables(f->ev, &f->names, &f->count);
        augur__matheval_unlock();
    } else if (f)
        pthread_mutex_init(&f->lock, NULL);
    free(copy);
    if (f && copy && !f->ev) {
        formula_free(f);
        return augur__setting_fail(fs, err, cap, AUGUR_EINVAL,
                                   "libmatheval cannot read the formula");
    }
    size_t m = f && f->count > 0 ? (size_t)f->count : 1;
    if (!f || !copy || !(f->idx = malloc(m * sizeof *f->idx)) ||
        !(f->vals = malloc(m * sizeof *f->vals))) {
        formula_free(f);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    for (int k = 0; k < f->count; k++)
        f->idx[k] = augur__variable_index(f->names[k], strlen(f->names[k]), n);
    *out = f;
    return AUGUR_OK;
}

static int read_formula(const config_setting_t *g, augur__problem *p, char *err,
                        size_t cap)
{
    int rc;
    const config_setting_t *fs = config_setting_get_member(g, "formula");
    const char *text = augur__setting_string(fs, err, cap, &rc);
    if (!text || (rc = read_dimension(g, 1, &p->n, err, cap)) != AUGUR_OK)
        return rc;
    if ((rc = check_formula(fs, text, p->n, err, cap)) != AUGUR_OK ||
        (rc = make_formula(fs, text, p->n, &p->formula, err, cap)) != AUGUR_OK)
        return rc;
    if (!(p->text = strdup(text)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    name_cost(p, formula_cost, p->formula);
    return AUGUR_OK;
}

/* --- Plugins --------------------------------------------------------------- */

static int read_plugin(const config_setting_t *g, const char *dir, augur__problem *p,
                       char *err, size_t cap)
{
    int rc = augur__plugin_read(config_setting_get_member(g, "plugin"), dir, &p->plugin,
                                err, cap);
    if (rc == AUGUR_OK)
        rc = read_dimension(g, 1, &p->n, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    /* POSIX guarantees a function's address survives the trip through
     * void *; memcpy says so without a cast between kinds of pointer. */
    augur_cost cost;
    memcpy(&cost, &p->plugin.sym, sizeof cost);
    name_cost(p, cost, p->plugin.data);
    return AUGUR_OK;
}

/* --- The group ------------------------------------------------------------- */

static const char *const kinds[] = {"model", "formula", "plugin", "fit"};

int augur__problem_read(const config_setting_t *g, const char *dir, augur__problem *p,
                        char *err, size_t cap)
{
    static const char *const keys[] = {"model", "formula", "plugin", "fit", "dimension"};
    *p = (augur__problem){.slot = -1};
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, AUGUR__ARRAY_SIZE(keys), err, cap);
    const config_setting_t *first = NULL;
    for (int k = 0; rc == AUGUR_OK && k < 4; k++) {
        const config_setting_t *m = config_setting_get_member(g, kinds[k]);
        if (m && first)
            rc = augur__setting_fail(m, err, cap, AUGUR_EINVAL,
                                     "a problem is one of model, formula, plugin or "
                                     "fit (%s is given too, line %u)",
                                     config_setting_name(first),
                                     config_setting_source_line(first));
        else if (m) {
            first = m;
            p->kind = k;
        }
    }
    if (rc == AUGUR_OK && !first)
        rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                 "expected a model, formula, plugin or fit "
                                 "(e.g. model = \"rosen\";)");
    if (rc != AUGUR_OK)
        return rc;
    switch (p->kind) {
    case AUGUR__PROBLEM_MODEL:
        return read_model(g, p, err, cap);
    case AUGUR__PROBLEM_FORMULA:
        return read_formula(g, p, err, cap);
    case AUGUR__PROBLEM_PLUGIN:
        return read_plugin(g, dir, p, err, cap);
    default:
        if ((rc = augur__problem_read_fit(g, dir, p, err, cap)) == AUGUR_OK)
            name_cost(p, p->cost, p->data);
        return rc;
    }
}

void augur__problem_free(augur__problem *p)
{
    release_slot(p);
    formula_free(p->formula);
    augur__problem_free_fit(p);
    augur__plugin_free(&p->plugin);
    free(p->text);
    free(p->fit_model);
    free(p->data_file);
    free(p->data_x);
    free(p->data_y);
    free(p->data_sigma);
    *p = (augur__problem){.slot = -1};
}

void augur__problem_emit(augur_strbuf *b, const augur__problem *p,
                         const char *(*path_for)(const void *ctx, const char *path,
                                                 char *buf, size_t cap),
                         const void *ctx)
{
    char buf[4096];
    augur__sb_printf(b, "problem = {\n");
    switch (p->kind) {
    case AUGUR__PROBLEM_MODEL:
        augur__sb_printf(b, "  model = ");
        augur__sb_string(b, p->model->name);
        augur__sb_printf(b, ";\n");
        break;
    case AUGUR__PROBLEM_FORMULA:
        augur__sb_printf(b, "  formula = ");
        augur__sb_string(b, p->text);
        augur__sb_printf(b, ";\n");
        break;
    case AUGUR__PROBLEM_PLUGIN:
        augur__plugin_emit(b, &p->plugin, "  ",
                           path_for(ctx, p->plugin.path, buf, sizeof buf));
        break;
    default:
    {
        char lib[4096];
        augur__problem_emit_fit(b, p, path_for(ctx, p->data_file, buf, sizeof buf),
                                p->fit_plugin ? path_for(ctx, p->plugin.path, lib,
                                                         sizeof lib) : NULL);
    }
        break;
    }
    augur__sb_printf(b, "  dimension = %zu;\n};\n", p->n);
}
