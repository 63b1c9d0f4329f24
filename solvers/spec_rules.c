/* spec_rules.c - a solver's constraints and penalty in its spec.
 *
 *     constraints = "mean(5); spread(5)";
 *     penalty = {
 *       relations = "x0 + x1 <= 5; or(x2 <= 1; x3 <= 1)";
 *       inequality = "quadratic";
 *       equality = "quadratic";
 *       k = 100.0;
 *       h = 1.0;
 *     };
 *
 * Both are the written form of constraints/ (augur_constraints_write,
 * augur_penalty_write), so a spec carries exactly what
 * augur_relations_parse can rebuild. The penalty group is that text plus
 * augur_relation_options field for field: the kinds are not in the
 * relations' text, and one "kind" could not say both how inequalities and
 * how equalities are penalised. The two settings keep mappings and
 * penalties apart - a relation of the other sort in either is an error
 * naming it - so that what is written is read back into the same place.
 * Written only when present; a solver whose constraints or penalty have no
 * written form (a callback, a user penalty) cannot be written at all. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"
#include "solver_int.h"
#include "spec_int.h"

/* The names of the kinds, in the order of augur_penalty_kind. */
static const char *const inequality_names[] = {"quadratic", "linear", "barrier"};
static const char *const equality_names[] = {"quadratic", "linear"};

static const char *inequality_name(augur_penalty_kind k)
{
    return inequality_names[k - AUGUR_PENALTY_QUADRATIC_INEQUALITY];
}

static const char *equality_name(augur_penalty_kind k)
{
    return equality_names[k - AUGUR_PENALTY_QUADRATIC_EQUALITY];
}

/* --- Writing ---------------------------------------------------------- */

static void emit_string(augur_strbuf *b, const char *name, const char *v, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = ", name);
    augur__sb_string(b, v);
    augur__sb_printf(b, ";\n");
}

static void emit_number(augur_strbuf *b, const char *name, double v, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = ", name);
    augur__sb_double(b, v);
    augur__sb_printf(b, ";\n");
}

static int emit_constraints(augur_strbuf *b, const augur_solver *s, int depth,
                            char *err, size_t cap)
{
    if (augur_constraints_count(s->constraints) == 0)
        return AUGUR_OK;          /* none, or an empty set: the same */
    char *text = NULL;
    int rc = augur_constraints_write(s->constraints, &text);
    if (rc != AUGUR_OK)
        return augur__fail_msg(err, cap, rc, "%s: %s", s->type->name,
                               augur_constraints_errmsg(s->constraints));
    emit_string(b, "constraints", text, depth);
    free(text);
    return AUGUR_OK;
}

static int emit_penalty(augur_strbuf *b, const augur_solver *s, int depth, char *err,
                        size_t cap)
{
    if (!s->penalty)
        return AUGUR_OK;
    char *text = NULL;
    augur_relation_options o;
    int rc = augur_penalty_write(s->penalty, &text, &o);
    if (rc != AUGUR_OK)
        return augur__fail_msg(err, cap, rc, "%s: %s", s->type->name,
                               augur_penalty_errmsg(s->penalty));
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "penalty = {\n");
    emit_string(b, "relations", text, depth + 1);
    emit_string(b, "inequality", inequality_name(o.inequality), depth + 1);
    emit_string(b, "equality", equality_name(o.equality), depth + 1);
    emit_number(b, "k", o.k, depth + 1);
    emit_number(b, "h", o.h, depth + 1);
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "};\n");
    free(text);
    return AUGUR_OK;
}

int augur__spec_emit_rules(augur_strbuf *b, const augur_solver *s, int depth,
                           char *err, size_t cap)
{
    int rc = emit_constraints(b, s, depth, err, cap);
    return rc == AUGUR_OK ? emit_penalty(b, s, depth, err, cap) : rc;
}

/* --- Reading ---------------------------------------------------------- */

/* The relations of setting m, restricted to `want`; errors name the
 * setting and, through the parser, the relation and its column. */
static int read_text(const config_setting_t *m, const augur_solver *s,
                     const augur_relation_options *opt, int want,
                     augur_constraints **c, augur_penalty **p, char *err, size_t cap)
{
    int rc;
    const char *text = augur__setting_string(m, err, cap, &rc);
    if (!text)
        return rc;
    char why[AUGUR_ERRMSG_CAP];
    rc = augur__relations_read(text, s->n, opt, want, c, p, why, sizeof why);
    return rc == AUGUR_OK ? rc : augur__setting_fail(m, err, cap, rc, "%s", why);
}

int augur__spec_read_constraints(const config_setting_t *m, augur_solver *s,
                                 char *err, size_t cap)
{
    augur_constraints *c = NULL;
    augur_penalty *p = NULL;
    int rc = read_text(m, s, NULL, AUGUR__RELATIONS_MAPPINGS, &c, &p, err, cap);
    augur_penalty_destroy(p);     /* none: penalties are refused here */
    if (rc == AUGUR_OK && (rc = augur_solver_set_constraints(s, c)) != AUGUR_OK)
        rc = augur__setting_fail(m, err, cap, rc, "%s", augur_solver_errmsg(s));
    return rc;
}

/* A kind by name: its index in names[0, count), added to base. */
static int read_kind(const config_setting_t *m, const char *const *names, size_t count,
                     augur_penalty_kind base, augur_penalty_kind *kind, char *err,
                     size_t cap)
{
    int rc;
    const char *name = augur__setting_string(m, err, cap, &rc);
    for (size_t k = 0; name && k < count; k++)
        if (augur__name_eq(name, names[k])) {
            *kind = (augur_penalty_kind)(base + (int)k);
            return AUGUR_OK;
        }
    if (!name)
        return rc;
    return augur__setting_fail(m, err, cap, AUGUR_ERANGE, "no kind '%s' (did you "
                               "mean '%s'?)", name, augur__nearest(name, names, count));
}

static int read_weight(const config_setting_t *m, double *v, char *err, size_t cap)
{
    int rc = augur__setting_number(m, v, err, cap);
    if (rc == AUGUR_OK && !(isfinite(*v) && *v >= 0))
        rc = augur__setting_fail(m, err, cap, AUGUR_ERANGE, "expected a finite "
                                 "number >= 0 (0: the default)");
    return rc;
}

/* The options from the group's settings other than relations. */
static int read_options(const config_setting_t *g, augur_relation_options *o,
                        char *err, size_t cap)
{
    const config_setting_t *m;
    int rc = AUGUR_OK;
    if ((m = config_setting_get_member(g, "inequality")))
        rc = read_kind(m, inequality_names, 3, AUGUR_PENALTY_QUADRATIC_INEQUALITY,
                       &o->inequality, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "equality")))
        rc = read_kind(m, equality_names, 2, AUGUR_PENALTY_QUADRATIC_EQUALITY,
                       &o->equality, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "k")))
        rc = read_weight(m, &o->k, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "h")))
        rc = read_weight(m, &o->h, err, cap);
    return rc;
}

int augur__spec_read_penalty(const config_setting_t *g, augur_solver *s, char *err,
                             size_t cap)
{
    static const char *const keys[] = {"relations", "inequality", "equality", "k", "h"};
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, AUGUR__ARRAY_SIZE(keys), err, cap);
    const config_setting_t *rs = config_setting_get_member(g, "relations");
    if (rc == AUGUR_OK && !rs)
        rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL, "a penalty needs its "
                                 "relations (e.g. relations = \"x0 + x1 <= 5\";)");
    augur_relation_options o = {0};
    if (rc == AUGUR_OK)
        rc = read_options(g, &o, err, cap);
    augur_constraints *c = NULL;
    augur_penalty *p = NULL;
    if (rc == AUGUR_OK)
        rc = read_text(rs, s, &o, AUGUR__RELATIONS_PENALTIES, &c, &p, err, cap);
    augur_constraints_destroy(c); /* none: mappings are refused here */
    return rc == AUGUR_OK ? augur_solver_set_penalty(s, p) : rc;
}
