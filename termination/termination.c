/* termination.c - the abstract termination condition and the registry.
 *
 * A condition is a const augur_term_type (name, label, parameter table,
 * check) plus what this file allocates for it: zeroed state of
 * type->state_size bytes holding the parameters, the members of a
 * combinator, and the last reason and error message. Everything that is the
 * same for every condition lives here once, so a leaf in criteria.c is a
 * table and one predicate: the generic setter and getter (through the
 * parameter table, as every area does), the default reason
 * "Label(param=value, ...)", error messages, reset, deep copy and lookup by
 * name. The registry lists the built-in types in one NULL-terminated array,
 * the order `augur list` shows them in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

struct augur_termination {
    const augur_term_type *type;
    void *state;                  /* type->state_size bytes after the struct
                                   * (state_offset); NULL when 0 */
    augur_termination **children; /* owned */
    size_t nchildren;
    size_t children_cap;
    char reason[AUGUR_REASON_CAP];
    char errmsg[AUGUR_ERRMSG_CAP];
};

static const augur_term_type *const registry[] = {
    &augur__term_type_vtr,
    &augur__term_type_change_over_generation,
    &augur__term_type_normalized_change_over_generation,
    &augur__term_type_vtr_change_over_generation,
    &augur__term_type_candidate_relative_tolerance,
    &augur__term_type_solution_improvement,
    &augur__term_type_normalized_cost_target,
    &augur__term_type_population_spread,
    &augur__term_type_gradient_norm_tolerance,
    &augur__term_type_evaluation_limits,
    &augur__term_type_time_limits,
    &augur__term_type_no_improvement,
    &augur__term_type_stopval,
    &augur__term_type_ftol_abs,
    &augur__term_type_ftol_rel,
    &augur__term_type_xtol_abs,
    &augur__term_type_xtol_rel,
    &augur__term_type_tol_fun,
    &augur__term_type_tol_x,
    &augur__term_type_no_effect_axis,
    &augur__term_type_no_effect_coord,
    &augur__term_type_condition_cov,
    &augur__term_type_stagnation,
    &augur__term_type_tol_up_sigma,
    &augur__term_type_or,
    &augur__term_type_and,
    &augur__term_type_not,
    &augur__term_type_when,
    NULL
};

const augur_term_type *const *augur_term_types(void)
{
    return registry;
}

const augur_term_type *augur_term_type_find(const char *name)
{
    for (size_t k = 0; registry[k]; k++)
        if (augur__name_eq(registry[k]->name, name))
            return registry[k];
    return NULL;
}

/* --- Life cycle --------------------------------------------------------- */

/* A parameter stored past the end of the state would be written out of
 * bounds by the defaults; a third-party table with that mistake is refused
 * rather than trusted. */
static int params_fit(const augur_term_type *type)
{
    for (size_t k = 0; type->params && type->params[k].name; k++)
        if (type->params[k].offset + sizeof(double) > type->state_size)
            return 0;
    return 1;
}

/* Where the state starts in the condition's one block: after the struct,
 * aligned for any type. (One allocation, not two: a short run makes its
 * condition afresh, and an ensemble makes thousands of runs.) */
static size_t state_offset(void)
{
    size_t align = _Alignof(max_align_t);
    return (sizeof(augur_termination) + align - 1) / align * align;
}

augur_termination *augur_term_create_type(const augur_term_type *type)
{
    if (!type || !type->check || !params_fit(type))
        return NULL;
    augur_termination *t = calloc(1, state_offset() + type->state_size);
    if (!t)
        return NULL;
    t->type = type;
    if (type->state_size > 0) {
        t->state = (char *)t + state_offset();
        augur__params_defaults(type->params, t->state);
    }
    return t;
}

augur_termination *augur_term_create(const char *name)
{
    return augur_term_create_type(augur_term_type_find(name));
}

void augur_term_destroy(augur_termination *t)
{
    if (!t)
        return;
    for (size_t k = 0; k < t->nchildren; k++)
        augur_term_destroy(t->children[k]);
    free(t->children);
    free(t);   /* and the state, in the same block */
}

static int grow_children(augur_termination *t)
{
    if (t->nchildren < t->children_cap)
        return AUGUR_OK;
    size_t cap = t->children_cap ? 2 * t->children_cap : 2;
    augur_termination **c = realloc(t->children, cap * sizeof *c);
    if (!c)
        return AUGUR_ENOMEM;
    t->children = c;
    t->children_cap = cap;
    return AUGUR_OK;
}

int augur_term_add_child(augur_termination *t, augur_termination *child)
{
    if (!t) {
        augur_term_destroy(child);
        return AUGUR_EINVAL;
    }
    t->errmsg[0] = '\0';
    int rc = AUGUR_OK;
    if (!child || child == t)
        rc = augur__fail_msg(t->errmsg, sizeof t->errmsg, AUGUR_EINVAL,
                             "%s: no condition to add", t->type->name);
    else if (t->nchildren >= t->type->max_children)
        rc = augur__fail_msg(t->errmsg, sizeof t->errmsg, AUGUR_ERANGE,
                             "%s takes at most %zu condition%s",
                             t->type->name, t->type->max_children,
                             t->type->max_children == 1 ? "" : "s");
    else if ((rc = grow_children(t)) < 0)
        augur__fail_msg(t->errmsg, sizeof t->errmsg, rc,
                        "%s: out of memory adding a condition", t->type->name);
    if (rc < 0) {
        /* Ownership moved in with the call, so a refused child is ours to
         * free: callers never need a cleanup branch. */
        if (child != t)
            augur_term_destroy(child);
        return rc;
    }
    t->children[t->nchildren++] = child;
    return AUGUR_OK;
}

/* Copies parameters through the table, not the raw state: remembered
 * values (anything past the parameters) must start afresh in a copy. */
static void copy_params(augur_termination *dst, const augur_termination *src)
{
    const augur_param *p = src->type->params;
    for (size_t k = 0; p && p[k].name; k++)
        *augur__param_slot(dst->state, &p[k]) =
            augur__param_value(src->state, &p[k]);
}

augur_termination *augur_term_copy(const augur_termination *t)
{
    if (!t)
        return NULL;
    augur_termination *c = augur_term_create_type(t->type);
    if (!c)
        return NULL;
    copy_params(c, t);
    for (size_t k = 0; k < t->nchildren; k++)
        if (augur_term_add_child(c, augur_term_copy(t->children[k])) < 0) {
            augur_term_destroy(c);
            return NULL;
        }
    return c;
}

/* --- Parameters --------------------------------------------------------- */

int augur_term_set_param(augur_termination *t, const char *name, double value)
{
    if (!t)
        return AUGUR_EINVAL;
    t->errmsg[0] = '\0';
    return augur__params_set(t->type->params, t->state, t->type->name, name,
                             value, t->errmsg, sizeof t->errmsg);
}

int augur_term_get_param(const augur_termination *t, const char *name,
                         double *value)
{
    if (!t)
        return AUGUR_EINVAL;
    /* A getter on a const object cannot keep a message; a scratch buffer
     * still lets the shared helper validate. */
    char scratch[AUGUR_ERRMSG_CAP];
    return augur__params_get(t->type->params, t->state, t->type->name, name,
                             value, scratch, sizeof scratch);
}

/* --- Checking ----------------------------------------------------------- */

int augur_term_fail(augur_termination *t, int code, const char *fmt, ...)
{
    if (!t)
        return code;
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(t->errmsg, sizeof t->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

static void describe_into(const augur_termination *t, char *buf, size_t cap,
                          size_t *used)
{
    augur__append(buf, cap, used, t->type->label ? t->type->label : t->type->name);
    augur__append(buf, cap, used, "(");
    if (t->state) {
        augur__params_format(t->type->params, t->state, buf + *used,
                             cap - *used);
        *used += strlen(buf + *used);
    }
    for (size_t k = 0; k < t->nchildren; k++) {
        if (k > 0 || (t->type->params && t->type->params[0].name))
            augur__append(buf, cap, used, ", ");
        describe_into(t->children[k], buf, cap, used);
    }
    augur__append(buf, cap, used, ")");
}

void augur_term_describe(const augur_termination *t, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    buf[0] = '\0';
    if (!t)
        return;
    size_t used = 0;
    describe_into(t, buf, cap, &used);
}

int augur_term_check(augur_termination *t, const augur_info *info)
{
    if (!t)
        return AUGUR_EINVAL;
    t->reason[0] = '\0';
    t->errmsg[0] = '\0';
    if (!info)
        return augur_term_fail(t, AUGUR_EINVAL, "%s: no run information",
                               t->type->name);
    int rc = t->type->check(t, t->state, info, t->reason, sizeof t->reason);
    if (rc < 0) {
        /* An error is not a stop: a half-written reason must not be read
         * as one, and the message must say something. */
        t->reason[0] = '\0';
        if (!t->errmsg[0])
            augur_term_fail(t, rc, "%s: check failed (status %d)",
                            t->type->name, rc);
        return rc;
    }
    if (rc == 0) {
        t->reason[0] = '\0';
        return 0;
    }
    if (!t->reason[0])
        augur_term_describe(t, t->reason, sizeof t->reason);
    return 1;
}

const char *augur_term_reason(const augur_termination *t)
{
    return t ? t->reason : "";
}

const char *augur_term_errmsg(const augur_termination *t)
{
    return t ? t->errmsg : "";
}

void augur_term_reset(augur_termination *t)
{
    if (!t)
        return;
    if (t->type->reset && t->state)
        t->type->reset(t->state);
    t->reason[0] = '\0';
    t->errmsg[0] = '\0';
    for (size_t k = 0; k < t->nchildren; k++)
        augur_term_reset(t->children[k]);
}

/* --- History windows ------------------------------------------------------ */

size_t augur__term_last_only(const void *state)
{
    (void)state;
    return 1;
}

size_t augur_term_history(const augur_termination *t)
{
    if (!t)
        return 1;
    size_t w = t->type->history ? t->type->history(t->state)
               : t->type->max_children ? 0 : SIZE_MAX;
    for (size_t k = 0; k < t->nchildren; k++) {
        size_t c = augur_term_history(t->children[k]);
        w = c > w ? c : w;
    }
    return w;
}

/* --- The clock ------------------------------------------------------------ */

/* A solver reads the clock for its conditions once per generation, which
 * is a good part of a short run's cost, and skips it when no condition in
 * force reads info->elapsed (which is then NaN). Of the built-in types
 * only TimeLimits reads it; any other type (a program's own, which the
 * library cannot inspect) is given the time. Known here rather than from
 * a flag in augur_term_type, so the public table keeps its layout. */
static int reads_clock_itself(const augur_term_type *type)
{
    if (type == &augur__term_type_time_limits)
        return 1;
    for (size_t k = 0; registry[k]; k++)
        if (registry[k] == type)
            return 0;
    return 1;
}

int augur_term_reads_elapsed(const augur_termination *t)
{
    if (!t)
        return 0;
    if (reads_clock_itself(t->type))
        return 1;
    for (size_t k = 0; k < t->nchildren; k++)
        if (augur_term_reads_elapsed(t->children[k]))
            return 1;
    return 0;
}

/* --- Accessors ---------------------------------------------------------- */

const augur_term_type *augur_term_get_type(const augur_termination *t)
{
    return t ? t->type : NULL;
}

size_t augur_term_child_count(const augur_termination *t)
{
    return t ? t->nchildren : 0;
}

augur_termination *augur_term_child(const augur_termination *t, size_t i)
{
    return t && i < t->nchildren ? t->children[i] : NULL;
}

/* A condition of `type` with the settings (ending at a NULL name) applied,
 * or NULL when one is refused (negative tolerance, NaN, out of range): the
 * generic setter does the validating, so constructors cannot disagree with
 * it. */
augur_termination *augur__term_build(const augur_term_type *type,
                                      const setting *settings)
{
    augur_termination *t = augur_term_create_type(type);
    for (size_t k = 0; t && settings[k].name; k++)
        if (augur_term_set_param(t, settings[k].name, settings[k].value) < 0) {
            augur_term_destroy(t);
            t = NULL;
        }
    return t;
}
