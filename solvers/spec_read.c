/* spec_read.c - rebuilding a solver or a termination tree from spec text.
 *
 * The reader is strict, because a spec is also what people write in config
 * files: an unknown setting is an error naming the nearest valid one, a
 * value of the wrong kind or out of range is an error naming the setting's
 * path and line, and every parameter goes through the same generic setter
 * as augur_solver_set_param, so a file can set nothing the API could not.
 * Nothing is half-built on failure: the partly made object is destroyed. */
#include <string.h>
#include <stdlib.h>
#include "augur/plugin.h"
#include "solver_int.h"
#include "spec_int.h"

/* --- Parameters ---------------------------------------------------------- */

/* The value of one parameter setting as the generic setter takes it. */
int augur__setting_param(const config_setting_t *m, const augur_param *p, double *v,
                         char *err, size_t cap)
{
    int type = config_setting_type(m);
    if (p->kind == AUGUR_PARAM_BOOL && type == CONFIG_TYPE_BOOL) {
        *v = config_setting_get_bool(m);
        return AUGUR_OK;
    }
    if (p->kind == AUGUR_PARAM_CHOICE && type == CONFIG_TYPE_STRING) {
        const char *name = config_setting_get_string(m);
        for (size_t k = 0; p->choices[k]; k++)
            if (augur__name_eq(p->choices[k], name)) {
                *v = (double)k;
                return AUGUR_OK;
            }
        size_t count = 0;
        while (p->choices[count])
            count++;
        const char *near = augur__nearest(name, p->choices, count);
        return augur__setting_fail(m, err, cap, AUGUR_ERANGE,
                                   "no choice '%s' (did you mean '%s'?)", name,
                                   near ? near : "?");
    }
    if (p->kind == AUGUR_PARAM_BOOL || p->kind == AUGUR_PARAM_CHOICE) {
        if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
            return augur__setting_fail(m, err, cap, AUGUR_EINVAL, "expected %s",
                                       p->kind == AUGUR_PARAM_BOOL
                                           ? "true or false" : "one of the choices' names");
    }
    return augur__setting_number(m, v, err, cap);
}

/* Set every member of the "parameters" group through `set`. */
typedef int (*param_setter)(void *obj, const char *name, double v);

static int read_params(const config_setting_t *g, const augur_param *const tables[2],
                       void *obj, param_setter set, const char *(*errmsg)(const void *),
                       char *err, size_t cap)
{
    int rc = augur__setting_group(g, err, cap);
    for (int i = 0; rc == AUGUR_OK && i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        const augur_param *p = augur_param_find(tables[0], name);
        if (!p && tables[1])
            p = augur_param_find(tables[1], name);
        if (!p) {
            const char *names[128];
            size_t count = 0;
            for (size_t t = 0; t < 2; t++)
                for (size_t k = 0; tables[t] && tables[t][k].name && count < 128; k++)
                    names[count++] = tables[t][k].name;
            const char *near = augur__nearest(name, names, count);
            return augur__setting_fail(m, err, cap, AUGUR_ENOTFOUND,
                                       "unknown parameter '%s'%s%s%s", name,
                                       near ? " (did you mean '" : "", near ? near : "",
                                       near ? "'?)" : "");
        }
        double v;
        rc = augur__setting_param(m, p, &v, err, cap);
        if (rc == AUGUR_OK && (rc = set(obj, p->name, v)) != AUGUR_OK)
            rc = augur__setting_fail(m, err, cap, rc, "%s", errmsg(obj));
    }
    return rc;
}

/* --- Termination ----------------------------------------------------------- */

static int term_set(void *t, const char *name, double v)
{
    return augur_term_set_param(t, name, v);
}

static const char *term_errmsg(const void *t)
{
    return augur_term_errmsg(t);
}

static int read_members(const config_setting_t *list, augur_termination *t,
                        char *err, size_t cap)
{
    int type = config_setting_type(list);
    if (type != CONFIG_TYPE_LIST)
        return augur__setting_fail(list, err, cap, AUGUR_EINVAL,
                                   "expected a list ( { ... }, ... ) of conditions");
    for (int i = 0; i < config_setting_length(list); i++) {
        augur_termination *child = NULL;
        int rc = augur__spec_term_from(config_setting_get_elem(list, (unsigned)i),
                                       &child, err, cap);
        if (rc != AUGUR_OK)
            return rc;
        rc = augur_term_add_child(t, child);
        if (rc != AUGUR_OK)
            return augur__setting_fail(list, err, cap, rc, "%s", augur_term_errmsg(t));
    }
    return AUGUR_OK;
}

int augur__spec_term_from(const config_setting_t *g, augur_termination **out,
                          char *err, size_t cap)
{
    *out = NULL;
    int rc = augur__setting_group(g, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    const config_setting_t *ts = config_setting_get_member(g, "type");
    if (!ts)
        return augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                   "a condition needs a type (e.g. type = \"vtr\";)");
    const char *name = augur__setting_string(ts, err, cap, &rc);
    if (!name)
        return rc;
    const augur_term_type *type = augur_term_type_find(name);
    if (!type) {
        const char *names[64];
        size_t count = 0;
        for (const augur_term_type *const *t = augur_term_types(); *t && count < 64; t++)
            names[count++] = (*t)->name;
        const char *near = augur__nearest(name, names, count);
        return augur__setting_fail(ts, err, cap, AUGUR_ENOTFOUND,
                                   "no termination condition '%s' (did you mean '%s'?)",
                                   name, near ? near : "?");
    }
    augur_termination *t = augur_term_create_type(type);
    if (!t)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    /* The condition's settings are its parameters, plus type and members. */
    for (int i = 0; rc == AUGUR_OK && i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *mn = config_setting_name(m);
        if (strcmp(mn, "type") == 0)
            continue;
        if (strcmp(mn, "members") == 0) {
            rc = type->max_children
                     ? read_members(m, t, err, cap)
                     : augur__setting_fail(m, err, cap, AUGUR_EINVAL,
                                           "'%s' takes no members", type->name);
            continue;
        }
        const augur_param *p = augur_param_find(type->params, mn);
        if (!p) {
            const char *names[32] = {"type"};
            size_t count = 1;
            for (size_t k = 0; type->params && type->params[k].name && count < 31; k++)
                names[count++] = type->params[k].name;
            if (type->max_children)
                names[count++] = "members";
            const char *near = augur__nearest(mn, names, count);
            rc = augur__setting_fail(m, err, cap, AUGUR_ENOTFOUND,
                                     "unknown setting '%s' of '%s' (did you mean '%s'?)",
                                     mn, type->name, near ? near : "?");
            break;
        }
        double v;
        rc = augur__setting_param(m, p, &v, err, cap);
        if (rc == AUGUR_OK && (rc = term_set(t, p->name, v)) != AUGUR_OK)
            rc = augur__setting_fail(m, err, cap, rc, "%s", term_errmsg(t));
    }
    if (rc != AUGUR_OK) {
        augur_term_destroy(t);
        return rc;
    }
    *out = t;
    return AUGUR_OK;
}

/* --- Solvers --------------------------------------------------------------- */

static int solver_set(void *s, const char *name, double v)
{
    return augur_solver_set_param(s, name, v);
}

static const char *solver_errmsg(const void *s)
{
    return augur_solver_errmsg(s);
}

static const char *const solver_keys[] = {
    "type", "dimension", "seed", "parameters", "bounds", "initial", "limits",
    "termination", "constraints", "penalty", "nested", "map",
};

static int read_header(const config_setting_t *g, const char **type, size_t *n,
                       char *err, size_t cap)
{
    const config_setting_t *ts = config_setting_get_member(g, "type");
    const config_setting_t *ds = config_setting_get_member(g, "dimension");
    if (!ts)
        return augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                   "a solver needs a type (e.g. type = \"nelder-mead\";)");
    if (!ds)
        return augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                   "a solver needs a dimension (e.g. dimension = 3;)");
    int rc;
    *type = augur__setting_string(ts, err, cap, &rc);
    if (!*type)
        return rc;
    return augur__setting_size(ds, 1, AUGUR_MAX_DIMENSION, n, err, cap);
}

static int unknown_solver(const config_setting_t *g, const char *type, char *err,
                          size_t cap)
{
    const char *names[256];
    size_t count = 0;
    for (const augur_solver_type *const *t = augur_solver_types(); *t && count < 256; t++)
        names[count++] = (*t)->name;
    const char *near = augur__nearest(type, names, count);
    return augur__setting_fail(config_setting_get_member(g, "type"), err, cap,
                               AUGUR_ENOTFOUND, "no solver type '%s' (did you mean '%s'?)",
                               type, near ? near : "?");
}

static int read_seed(const config_setting_t *m, augur_solver *s, char *err, size_t cap)
{
    size_t seed;
    int rc = augur__setting_count(m, &seed, 0, err, cap);
    if (rc == AUGUR_OK)
        augur_solver_set_seed(s, (uint64_t)seed);
    return rc;
}

static int read_box(const config_setting_t *g, size_t n, double *lb, double *ub,
                    const char *const keys[2], char *err, size_t cap)
{
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, 2, err, cap);
    const config_setting_t *lo = config_setting_get_member(g, keys[0]);
    const config_setting_t *hi = config_setting_get_member(g, keys[1]);
    if (rc == AUGUR_OK && (!lo || !hi))
        rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL, "needs both '%s' and '%s'",
                                 keys[0], keys[1]);
    if (rc == AUGUR_OK)
        rc = augur__setting_vector(lo, n, lb, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_vector(hi, n, ub, err, cap);
    return rc;
}

static int read_bounds(const config_setting_t *m, augur_solver *s, char *err, size_t cap)
{
    size_t n = augur_solver_dimension(s);
    double *v = augur__malloc_array(n, 2 * sizeof *v);
    if (!v)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    static const char *const keys[2] = {"lower", "upper"};
    int rc = read_box(m, n, v, v + n, keys, err, cap);
    if (rc == AUGUR_OK && (rc = augur_solver_set_bounds(s, v, v + n)) != AUGUR_OK)
        rc = augur__setting_fail(m, err, cap, rc, "%s", augur_solver_errmsg(s));
    free(v);
    return rc;
}

static int read_initial(const config_setting_t *m, augur_solver *s, char *err, size_t cap)
{
    size_t n = augur_solver_dimension(s);
    double *v = augur__malloc_array(n, 2 * sizeof *v);
    if (!v)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = augur__setting_group(m, err, cap);
    const config_setting_t *point = rc == AUGUR_OK ? config_setting_get_member(m, "point") : NULL;
    if (rc == AUGUR_OK && point) {
        static const char *const keys[1] = {"point"};
        rc = augur__setting_only(m, keys, 1, err, cap);
        if (rc == AUGUR_OK)
            rc = augur__setting_vector(point, n, v, err, cap);
        if (rc == AUGUR_OK && (rc = augur_solver_set_initial_point(s, v)) != AUGUR_OK)
            rc = augur__setting_fail(m, err, cap, rc, "%s", augur_solver_errmsg(s));
    } else if (rc == AUGUR_OK) {
        static const char *const keys[2] = {"lower", "upper"};
        rc = read_box(m, n, v, v + n, keys, err, cap);
        if (rc == AUGUR_OK &&
            (rc = augur_solver_set_random_initial_points(s, v, v + n)) != AUGUR_OK)
            rc = augur__setting_fail(m, err, cap, rc, "%s", augur_solver_errmsg(s));
    }
    free(v);
    return rc;
}

static int read_limits(const config_setting_t *m, augur_solver *s, char *err, size_t cap)
{
    static const char *const keys[2] = {"generations", "evaluations"};
    int rc = augur__setting_group(m, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(m, keys, 2, err, cap);
    size_t v[2] = {0, 0};
    for (size_t k = 0; rc == AUGUR_OK && k < 2; k++) {
        const config_setting_t *c = config_setting_get_member(m, keys[k]);
        if (c)
            rc = augur__setting_count(c, &v[k], 1, err, cap);
    }
    if (rc == AUGUR_OK)
        rc = augur_solver_set_evaluation_limits(s, v[0], v[1]);
    return rc;
}

/* map = { type = "fork"; workers = 2; timeout = 30; }: the map made. */
int augur__spec_make_map(const config_setting_t *m, augur_map **out, char *err,
                         size_t cap)
{
    static const char *const keys[3] = {"type", "workers", "timeout"};
    *out = NULL;
    int rc = augur__setting_group(m, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(m, keys, 3, err, cap);
    const config_setting_t *ts = rc == AUGUR_OK ? config_setting_get_member(m, "type") : NULL;
    const config_setting_t *ws = config_setting_get_member(m, "workers");
    const config_setting_t *tos = config_setting_get_member(m, "timeout");
    if (rc == AUGUR_OK && !ts)
        rc = augur__setting_fail(m, err, cap, AUGUR_EINVAL, "a map needs a type");
    const char *type = rc == AUGUR_OK ? augur__setting_string(ts, err, cap, &rc) : NULL;
    size_t workers = 0;
    if (rc == AUGUR_OK && ws)
        rc = augur__setting_size(ws, 0, AUGUR_MAX_WORKERS, &workers, err, cap);
    double timeout = 0;
    if (rc == AUGUR_OK && tos)
        rc = augur__setting_number(tos, &timeout, err, cap);
    augur_map *map = NULL;
    char why[AUGUR_ERRMSG_CAP] = "";
    if (rc == AUGUR_OK && (rc = augur_map_new(&map, type, (int)workers, why, sizeof why)))
        return augur__setting_fail(m, err, cap, rc, "%s", why);
    if (rc == AUGUR_OK && tos && (rc = augur_map_set_timeout(map, timeout)) != AUGUR_OK) {
        rc = augur__setting_fail(tos, err, cap, rc, "%s", augur_map_errmsg(map));
        augur_map_destroy(map);
        return rc;
    }
    *out = map;
    return rc;
}

/* The same, handed to s, which then owns it. */
int augur__spec_read_map(const config_setting_t *m, augur_solver *s, char *err,
                         size_t cap)
{
    augur_map *map = NULL;
    int rc = augur__spec_make_map(m, &map, err, cap);
    if (rc == AUGUR_OK && (rc = augur__solver_own_map(s, map)) != AUGUR_OK)
        rc = augur__setting_fail(m, err, cap, rc, "%s", augur_solver_errmsg(s));
    return rc;
}

static int read_member(const config_setting_t *m, augur_solver *s, char *err, size_t cap)
{
    const char *name = config_setting_name(m);
    if (strcmp(name, "seed") == 0)
        return read_seed(m, s, err, cap);
    if (strcmp(name, "parameters") == 0) {
        const augur_param *const tables[2] = {augur_solver_get_type(s)->params,
                                              augur_solver_base_params()};
        return read_params(m, tables, s, solver_set, solver_errmsg, err, cap);
    }
    if (strcmp(name, "bounds") == 0)
        return read_bounds(m, s, err, cap);
    if (strcmp(name, "initial") == 0)
        return read_initial(m, s, err, cap);
    if (strcmp(name, "limits") == 0)
        return read_limits(m, s, err, cap);
    if (strcmp(name, "termination") == 0) {
        augur_termination *t = NULL;
        int rc = augur__spec_term_from(m, &t, err, cap);
        return rc == AUGUR_OK ? augur_solver_set_termination(s, t) : rc;
    }
    if (strcmp(name, "map") == 0)
        return augur__spec_read_map(m, s, err, cap);
    if (strcmp(name, "constraints") == 0)
        return augur__spec_read_constraints(m, s, err, cap);
    if (strcmp(name, "penalty") == 0)
        return augur__spec_read_penalty(m, s, err, cap);
    if (strcmp(name, "nested") == 0) {
        augur_solver *inner = NULL;
        int rc = augur__spec_solver_from(m, &inner, err, cap);
        if (rc == AUGUR_OK && (rc = augur_solver_set_nested(s, inner)) != AUGUR_OK)
            rc = augur__setting_fail(m, err, cap, rc, "%s", augur_solver_errmsg(s));
        return rc;
    }
    return AUGUR_OK;  /* type and dimension: read first */
}

int augur__spec_solver_from(const config_setting_t *g, augur_solver **out,
                            char *err, size_t cap)
{
    *out = NULL;
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, solver_keys, AUGUR__ARRAY_SIZE(solver_keys), err, cap);
    const char *type = NULL;
    size_t n = 0;
    if (rc == AUGUR_OK)
        rc = read_header(g, &type, &n, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    if (!augur_solver_type_find(type))
        return unknown_solver(g, type, err, cap);
    augur_solver *s = NULL;
    rc = augur_solver_new(&s, type, n, err, cap);
    for (int i = 0; rc == AUGUR_OK && i < config_setting_length(g); i++)
        rc = read_member(config_setting_get_elem(g, (unsigned)i), s, err, cap);
    if (rc != AUGUR_OK) {
        augur_solver_destroy(s);
        return rc;
    }
    *out = s;
    return AUGUR_OK;
}

/* --- From text ------------------------------------------------------------- */

static int parse(config_t *c, const char *text, char *err, size_t cap)
{
    config_init(c);
    config_set_auto_convert(c, 1);
    if (!text)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "spec: NULL text");
    if (config_read_string(c, text) != CONFIG_TRUE)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "spec (line %d): %s",
                               config_error_line(c), config_error_text(c));
    return AUGUR_OK;
}

int augur_solver_read_spec(const char *text, augur_solver **out, char *err, size_t cap)
{
    if (!out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "spec: NULL result pointer");
    *out = NULL;
    config_t c;
    int rc = parse(&c, text, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__spec_solver_from(config_root_setting(&c), out, err, cap);
    config_destroy(&c);
    return rc;
}

int augur_term_read_spec(const char *text, augur_termination **out, char *err,
                         size_t cap)
{
    if (!out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "spec: NULL result pointer");
    *out = NULL;
    config_t c;
    int rc = parse(&c, text, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__spec_term_from(config_root_setting(&c), out, err, cap);
    config_destroy(&c);
    return rc;
}
