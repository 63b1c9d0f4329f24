/* setting.c - reading values out of libconfig settings, with messages that
 * say where and what was expected.
 *
 * Every reader (specs, config files, results) goes through these, so every
 * mistake in a file is reported the same way: the setting's path, its line
 * when libconfig knows it, and what was expected; an unknown name comes with
 * the nearest valid one. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "setting_int.h"

void augur__setting_path(const config_setting_t *s, char *buf, size_t cap)
{
    const config_setting_t *chain[32];
    size_t depth = 0;
    for (const config_setting_t *p = s; p && config_setting_parent(p) && depth < 32;
         p = config_setting_parent(p))
        chain[depth++] = p;
    size_t used = 0;
    buf[0] = '\0';
    while (depth-- > 0 && used < cap) {
        const config_setting_t *p = chain[depth];
        const char *name = config_setting_name(p);
        int w = name ? snprintf(buf + used, cap - used, "%s%s", used ? "." : "", name)
                     : snprintf(buf + used, cap - used, "%s[%d]", used ? "." : "",
                                config_setting_index(p));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (!buf[0])
        snprintf(buf, cap, "(top level)");
}

int augur__setting_fail(const config_setting_t *s, char *err, size_t cap, int code,
                        const char *fmt, ...)
{
    char path[160], what[200];
    augur__setting_path(s, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    unsigned line = s ? config_setting_source_line(s) : 0;
    if (line)
        return augur__fail_msg(err, cap, code, "%s (line %u): %s", path, line, what);
    return augur__fail_msg(err, cap, code, "%s: %s", path, what);
}

/* Levenshtein distance, for "did you mean" hints; short names only. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return la > lb ? la : lb;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Names users bring from scipy.optimize and mystic, with what augur calls
 * the same thing in each place a name is looked up: the first target that
 * is among the candidates is the hint, so "popsize" suggests
 * population-size for de, swarm-size for pso and population for cmaes,
 * and "maxiter" suggests generations inside limits and limits itself one
 * level up. Spelling that is merely close is left to the edit distance. */
static const struct {
    const char *alias;
    const char *targets[4];
} aliases[] = {
    {"popsize", {"population-size", "swarm-size", "population", "npts"}},
    {"npop", {"population-size", "swarm-size", "population", "npts"}},
    {"maxiter", {"generations", "limits", "max-iterations"}},
    {"maxgen", {"generations", "limits"}},
    {"maxfun", {"evaluations", "limits"}},
    {"maxfev", {"evaluations", "limits"}},
    {"maxeval", {"evaluations", "limits"}},
    {"differential-evolution", {"de2", "de"}},
    {"diffev", {"de", "de2"}},
    {"diffev2", {"de2", "de"}},
    {"fmin", {"nelder-mead"}},
    {"neldermead", {"nelder-mead"}},
    {"fmin-powell", {"powell"}},
    {"cma", {"cmaes"}},
    {"cma-es", {"cmaes"}},
    {"particle-swarm", {"pso"}},
    {"ftol", {"candidate-relative-tolerance", "change-over-generation", "ftol-rel",
              "tolerance"}},
    {"xtol", {"candidate-relative-tolerance", "xtol-rel", "tolerance"}},
    {"gtol", {"generations", "gradient-norm-tolerance"}},
    {"tol", {"tolerance"}},
    {"mutation", {"scaling-factor"}},
    {"recombination", {"cross-probability"}},
    {"crossover", {"cross-probability"}},
};

static const char *alias_target(const char *name, const char *const *candidates,
                                size_t count)
{
    for (size_t a = 0; a < AUGUR__ARRAY_SIZE(aliases); a++) {
        if (!augur__name_eq(name, aliases[a].alias))
            continue;
        for (size_t t = 0; t < 4 && aliases[a].targets[t]; t++)
            for (size_t k = 0; k < count; k++)
                if (candidates[k] && strcmp(candidates[k], aliases[a].targets[t]) == 0)
                    return candidates[k];
    }
    return NULL;
}

const char *augur__nearest(const char *name, const char *const *candidates,
                           size_t count)
{
    const char *best = alias_target(name, candidates, count);
    if (best)
        return best;
    size_t best_d = (size_t)-1;
    for (size_t k = 0; k < count; k++) {
        if (!candidates[k])
            continue;
        size_t d = distance(name, candidates[k]);
        if (d < best_d) {
            best_d = d;
            best = candidates[k];
        }
    }
    return best;
}

int augur__setting_number(const config_setting_t *s, double *v, char *err, size_t cap)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_FLOAT:
        *v = config_setting_get_float(s);
        return AUGUR_OK;
    case CONFIG_TYPE_INT:
        *v = config_setting_get_int(s);
        return AUGUR_OK;
    case CONFIG_TYPE_INT64:
        *v = (double)config_setting_get_int64(s);
        return AUGUR_OK;
    case CONFIG_TYPE_STRING: {
        const char *t = config_setting_get_string(s);
        if (strcmp(t, "inf") == 0 || strcmp(t, "+inf") == 0) {
            *v = INFINITY;
            return AUGUR_OK;
        }
        if (strcmp(t, "-inf") == 0) {
            *v = -INFINITY;
            return AUGUR_OK;
        }
        break;
    }
    default:
        break;
    }
    return augur__setting_fail(s, err, cap, AUGUR_EINVAL,
                               "expected a number (or \"inf\", \"-inf\")");
}

int augur__setting_count(const config_setting_t *s, size_t *v, int allow_unlimited,
                         char *err, size_t cap)
{
    int type = config_setting_type(s);
    if (allow_unlimited && type == CONFIG_TYPE_STRING &&
        strcmp(config_setting_get_string(s), "unlimited") == 0) {
        *v = (size_t)-1;
        return AUGUR_OK;
    }
    long long x;
    if (type == CONFIG_TYPE_INT)
        x = config_setting_get_int(s);
    else if (type == CONFIG_TYPE_INT64)
        x = config_setting_get_int64(s);
    else if (type == CONFIG_TYPE_STRING) {
        const char *t = config_setting_get_string(s);
        char *end = NULL;
        errno = 0;
        unsigned long long u = strtoull(t, &end, 10);
        if (end != t && *end == '\0' && errno == 0 && t[0] != '-') {
            *v = (size_t)u;
            return AUGUR_OK;
        }
        x = -1;
    } else
        x = -1;
    if (x < 0)
        return augur__setting_fail(s, err, cap, AUGUR_EINVAL,
                                   "expected a whole number >= 0%s",
                                   allow_unlimited ? " or \"unlimited\"" : "");
    *v = (size_t)x;
    return AUGUR_OK;
}

int augur__setting_size(const config_setting_t *s, size_t min, size_t max, size_t *v,
                        char *err, size_t cap)
{
    size_t x = 0;
    int rc = augur__setting_count(s, &x, 0, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    if (x < min || x > max)
        return augur__setting_fail(s, err, cap, AUGUR_ERANGE,
                                   "%zu is out of range: expected a whole number from "
                                   "%zu to %zu", x, min, max);
    *v = x;
    return AUGUR_OK;
}

int augur__setting_vector(const config_setting_t *s, size_t n, double *v, char *err,
                          size_t cap)
{
    int type = config_setting_type(s);
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST)
        return augur__setting_fail(s, err, cap, AUGUR_EINVAL,
                                   "expected a list of %zu numbers", n);
    size_t len = (size_t)config_setting_length(s);
    if (len != n)
        return augur__setting_fail(s, err, cap, AUGUR_EINVAL,
                                   "expected %zu numbers, got %zu", n, len);
    for (size_t i = 0; i < n; i++) {
        int rc = augur__setting_number(config_setting_get_elem(s, (unsigned)i), &v[i],
                                       err, cap);
        if (rc != AUGUR_OK)
            return rc;
    }
    return AUGUR_OK;
}

const char *augur__setting_string(const config_setting_t *s, char *err, size_t cap,
                                  int *rc)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        *rc = augur__setting_fail(s, err, cap, AUGUR_EINVAL, "expected a string");
        return NULL;
    }
    *rc = AUGUR_OK;
    return config_setting_get_string(s);
}

int augur__setting_group(const config_setting_t *s, char *err, size_t cap)
{
    if (config_setting_type(s) != CONFIG_TYPE_GROUP)
        return augur__setting_fail(s, err, cap, AUGUR_EINVAL,
                                   "expected a group { ... }");
    return AUGUR_OK;
}

int augur__setting_only(const config_setting_t *g, const char *const *allowed,
                        size_t count, char *err, size_t cap)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        int known = 0;
        for (size_t k = 0; k < count && !known; k++)
            known = name && strcmp(name, allowed[k]) == 0;
        if (!known) {
            const char *near = augur__nearest(name ? name : "", allowed, count);
            return augur__setting_fail(m, err, cap, AUGUR_ENOTFOUND,
                                       "unknown setting '%s'%s%s%s", name ? name : "?",
                                       near ? " (did you mean '" : "", near ? near : "",
                                       near ? "'?)" : "");
        }
    }
    return AUGUR_OK;
}

const char *augur__setting_member_string(const config_setting_t *g, const char *name, int required,
                              char *err, size_t cap, int *rc)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    *rc = AUGUR_OK;
    if (!m) {
        if (required)
            *rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL, "needs '%s' (a string)",
                                      name);
        return NULL;
    }
    return augur__setting_string(m, err, cap, rc);
}

/* "0x1.8p+1" and the like, the whole string. */
static int hex_float(const char *t, double *v)
{
    const char *p = t + (t[0] == '-');
    if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || !strchr(p, 'p'))
        return 0;
    char *end;
    *v = augur__strtod(t, &end);
    return end != t && *end == '\0';
}

int augur__setting_element_double(const config_setting_t *e, double *v)
{
    switch (config_setting_type(e)) {
    case CONFIG_TYPE_FLOAT:
        *v = config_setting_get_float(e);
        return 1;
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        *v = (double)config_setting_get_int64(e);
        return 1;
    case CONFIG_TYPE_STRING: {
        const char *t = config_setting_get_string(e);
        if (!strcmp(t, "inf") || !strcmp(t, "-inf") || !strcmp(t, "nan")) {
            *v = t[0] == '-' ? -INFINITY : t[0] == 'i' ? INFINITY : NAN;
            return 1;
        }
        return hex_float(t, v);
    }
    default:
        return 0;
    }
}
