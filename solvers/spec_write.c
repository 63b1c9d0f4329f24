/* spec_write.c - writing a solver or a termination tree as spec text.
 *
 * Everything comes from the objects' own tables: the parameters from the
 * type's parameter table (and the base's), the conditions' parameters from
 * theirs, so a new solver or condition is written out with no change here.
 * Only settings are written, never run state (the population, counts); a
 * setting left at "the solver's default" (limits 0, no seed, the default
 * termination, no constraints) is left out, so reading the spec back
 * gives the same defaults. Constraints and the penalty are written as
 * their text (spec_rules.c); one that has none (a callback) makes the
 * write fail rather than leave it out, since a solver rebuilt without it
 * would quietly solve another problem. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "solver_int.h"
#include "spec_int.h"

void augur__spec_emit_value(augur_strbuf *b, const augur_param *p, double v)
{
    switch (p->kind) {
    case AUGUR_PARAM_BOOL:
        augur__sb_printf(b, "%s", v != 0 ? "true" : "false");
        break;
    case AUGUR_PARAM_CHOICE:
        augur__sb_string(b, augur_param_choice_name(p, v));
        break;
    case AUGUR_PARAM_INT:
        /* past 32 bits libconfig needs the L suffix, or it wraps */
        augur__sb_printf(b, "%.0f%s", v, fabs(v) > INT32_MAX ? "L" : "");
        break;
    case AUGUR_PARAM_REAL:
        augur__sb_double(b, v);
        break;
    }
}

static void emit_params(augur_strbuf *b, const augur_param *table, const void *state,
                        int depth)
{
    for (size_t k = 0; table && table[k].name; k++) {
        augur__sb_indent(b, depth);
        augur__sb_printf(b, "%s = ", table[k].name);
        augur__spec_emit_value(b, &table[k], augur__param_value(state, &table[k]));
        augur__sb_printf(b, ";\n");
    }
}

/* An array when every entry is finite, else a list (libconfig arrays hold
 * one type, and infinities are written as strings). */
static void emit_vector(augur_strbuf *b, const double *v, size_t n)
{
    int finite = 1;
    for (size_t i = 0; i < n; i++)
        finite &= isfinite(v[i]) != 0;
    augur__sb_printf(b, finite ? "[ " : "( ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            augur__sb_printf(b, ", ");
        augur__sb_double(b, v[i]);
    }
    augur__sb_printf(b, finite ? " ]" : " )");
}

static void emit_named_vector(augur_strbuf *b, const char *name, const double *v,
                              size_t n, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = ", name);
    emit_vector(b, v, n);
    augur__sb_printf(b, ";\n");
}

void augur__spec_emit_term(augur_strbuf *b, const augur_termination *t, int depth)
{
    const augur_term_type *type = augur_term_get_type(t);
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "type = ");
    augur__sb_string(b, type->name);
    augur__sb_printf(b, ";\n");
    for (size_t k = 0; type->params && type->params[k].name; k++) {
        double v = 0;
        augur_term_get_param(t, type->params[k].name, &v);
        augur__sb_indent(b, depth);
        augur__sb_printf(b, "%s = ", type->params[k].name);
        augur__spec_emit_value(b, &type->params[k], v);
        augur__sb_printf(b, ";\n");
    }
    size_t nc = augur_term_child_count(t);
    if (type->max_children == 0)
        return;
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "members = (");
    for (size_t i = 0; i < nc; i++) {
        augur__sb_printf(b, "%s\n", i ? "," : "");
        augur__sb_indent(b, depth + 1);
        augur__sb_printf(b, "{\n");
        augur__spec_emit_term(b, augur_term_child(t, i), depth + 2);
        augur__sb_indent(b, depth + 1);
        augur__sb_printf(b, "}");
    }
    augur__sb_printf(b, nc ? "\n" : "");
    augur__sb_indent(b, nc ? depth : 0);
    augur__sb_printf(b, ");\n");
}

static void emit_limit(augur_strbuf *b, const char *name, size_t v, int depth)
{
    if (v == 0)
        return;
    augur__sb_indent(b, depth);
    if (v == AUGUR_UNLIMITED)
        augur__sb_printf(b, "%s = \"unlimited\";\n", name);
    else
        augur__sb_printf(b, "%s = %zu%s;\n", name, v, v > INT32_MAX ? "L" : "");
}

static void emit_group_open(augur_strbuf *b, const char *name, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = {\n", name);
}

static void emit_group_close(augur_strbuf *b, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "};\n");
}

static void emit_start(augur_strbuf *b, const augur_solver *s, int depth)
{
    if (!s->x0 && !s->init_lb)
        return;
    emit_group_open(b, "initial", depth);
    if (s->x0)
        emit_named_vector(b, "point", s->x0, s->n, depth + 1);
    else {
        emit_named_vector(b, "lower", s->init_lb, s->n, depth + 1);
        emit_named_vector(b, "upper", s->init_ub, s->n, depth + 1);
    }
    emit_group_close(b, depth);
}

int augur__spec_emit_solver(augur_strbuf *b, const augur_solver *s, int depth,
                            char *err, size_t cap)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "type = ");
    augur__sb_string(b, s->type->name);
    augur__sb_printf(b, ";\n");
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "dimension = %zu;\n", s->n);
    if (s->seed_set) {
        augur__sb_indent(b, depth);
        /* libconfig's integers are signed: seeds past INT64_MAX go as text */
        if (s->seed > (uint64_t)INT64_MAX)
            augur__sb_printf(b, "seed = \"%llu\";\n", (unsigned long long)s->seed);
        else
            augur__sb_printf(b, "seed = %lluL;\n", (unsigned long long)s->seed);
    }
    emit_group_open(b, "parameters", depth);
    emit_params(b, s->type->params, s->state, depth + 1);
    emit_params(b, augur_solver_base_params(), &s->base, depth + 1);
    emit_group_close(b, depth);
    if (s->has_bounds) {
        emit_group_open(b, "bounds", depth);
        emit_named_vector(b, "lower", s->lb, s->n, depth + 1);
        emit_named_vector(b, "upper", s->ub, s->n, depth + 1);
        emit_group_close(b, depth);
    }
    emit_start(b, s, depth);
    if (s->max_gen_set || s->max_eval_set) {
        emit_group_open(b, "limits", depth);
        emit_limit(b, "generations", s->max_gen_set, depth + 1);
        emit_limit(b, "evaluations", s->max_eval_set, depth + 1);
        emit_group_close(b, depth);
    }
    if (s->term) {
        emit_group_open(b, "termination", depth);
        augur__spec_emit_term(b, s->term, depth + 1);
        emit_group_close(b, depth);
    }
    int rc = augur__spec_emit_rules(b, s, depth, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    if (s->map) {
        emit_group_open(b, "map", depth);
        augur__sb_indent(b, depth + 1);
        augur__sb_printf(b, "type = ");
        augur__sb_string(b, augur_map_type_name(s->map));
        augur__sb_printf(b, ";\n");
        augur__sb_indent(b, depth + 1);
        augur__sb_printf(b, "workers = %d;\n", augur_map_workers(s->map));
        if (augur_map_timeout(s->map) > 0) {
            augur__sb_indent(b, depth + 1);
            augur__sb_printf(b, "timeout = ");
            augur__sb_double(b, augur_map_timeout(s->map));
            augur__sb_printf(b, ";\n");
        }
        emit_group_close(b, depth);
    }
    if (s->nested) {
        char why[AUGUR_ERRMSG_CAP];
        emit_group_open(b, "nested", depth);
        rc = augur__spec_emit_solver(b, s->nested, depth + 1, why, sizeof why);
        if (rc != AUGUR_OK)
            return augur__fail_msg(err, cap, rc, "%s: nested solver: %s",
                                   s->type->name, why);
        emit_group_close(b, depth);
    }
    return AUGUR_OK;
}

int augur_solver_write_spec(const augur_solver *s, char **text)
{
    if (text)
        *text = NULL;
    if (!s || !text)
        return AUGUR_EINVAL;
    /* the message is the one field of s a const call changes, as every
     * public call on a solver replaces it */
    augur_solver *m = (augur_solver *)s;
    augur__solver_clear(m);
    augur_strbuf b = {0};
    int rc = augur__spec_emit_solver(&b, s, 0, m->errmsg, sizeof m->errmsg);
    if (rc != AUGUR_OK) {
        free(b.text);
        return rc;
    }
    return augur__sb_finish(&b, text);
}

int augur_term_write_spec(const augur_termination *t, char **text)
{
    if (!t || !text)
        return AUGUR_EINVAL;
    augur_strbuf b = {0};
    augur__spec_emit_term(&b, t, 0);
    return augur__sb_finish(&b, text);
}
