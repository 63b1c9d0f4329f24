/* override.c - "a.b.c=value" overrides, applied to a config file's parsed
 * tree before anything is built from it.
 *
 * Working on the tree, not on the built objects, means an override is
 * checked by exactly the same readers as the file ("seed=-1" fails the way
 * `seed = -1;` would) and lands in the results file like any other
 * setting. A setting that exists keeps its type - a number stays a number,
 * so a typo cannot turn `radius` into the string "0.l" - except that a
 * number may become one of the words the readers take in its place
 * ("inf", "-inf", "unlimited"). A missing setting is created, with
 * whatever groups lead to it, its type read off the value. Lists are
 * entered by index: "monitors.[0].every=5" (or "monitors[0].every=5"). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "job_int.h"

/* One override being applied, for messages. */
typedef struct ov {
    const char *text;
    char *err;
    size_t cap;
} ov;

static int ov_fail(const ov *o, const char *fmt, const char *a, const char *b)
{
    char what[256];
    snprintf(what, sizeof what, fmt, a, b);
    return augur__fail_msg(o->err, o->cap, AUGUR_EINVAL, "override '%s': %s", o->text,
                           what);
}

/* --- Values -------------------------------------------------------------- */

static int parse_int(const char *v, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || errno)
        return 0;
    *out = x;
    return 1;
}

static int parse_float(const char *v, double *out)
{
    char *end = NULL;
    errno = 0;
    double x = augur__strtod(v, &end);
    /* strtod reads "inf" and "nan" too: those go as the readers' words */
    if (end == v || *end || errno || !isfinite(x))
        return 0;
    *out = x;
    return 1;
}

static int parse_bool(const char *v, int *out)
{
    if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0) {
        *out = tolower((unsigned char)v[0]) == 't';
        return 1;
    }
    return 0;
}

/* The words that stand for numbers in the readers. */
static int number_word(const char *v)
{
    return strcmp(v, "inf") == 0 || strcmp(v, "+inf") == 0 || strcmp(v, "-inf") == 0 ||
           strcmp(v, "unlimited") == 0;
}

/* A quoted value loses its quotes (a string however it reads). */
static const char *unquote(char *v, int *quoted)
{
    size_t len = strlen(v);
    *quoted = len >= 2 && v[0] == '"' && v[len - 1] == '"';
    if (*quoted) {
        v[len - 1] = '\0';
        return v + 1;
    }
    return v;
}

/* The type a new setting gets from its value. */
static int infer_type(const char *v, int quoted)
{
    long long i;
    double d;
    int b;
    if (quoted)
        return CONFIG_TYPE_STRING;
    if (parse_bool(v, &b))
        return CONFIG_TYPE_BOOL;
    if (parse_int(v, &i))
        return i >= INT_MIN && i <= INT_MAX ? CONFIG_TYPE_INT : CONFIG_TYPE_INT64;
    if (parse_float(v, &d))
        return CONFIG_TYPE_FLOAT;
    return CONFIG_TYPE_STRING;
}

/* Store v in s, whose type is already the one wanted. */
static int store(config_setting_t *s, const char *v)
{
    long long i = 0;
    double d = 0;
    int b = 0;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        return parse_int(v, &i) && config_setting_set_int(s, (int)i);
    case CONFIG_TYPE_INT64:
        return parse_int(v, &i) && config_setting_set_int64(s, i);
    case CONFIG_TYPE_FLOAT:
        if (!parse_float(v, &d) && parse_int(v, &i))
            d = (double)i;
        return config_setting_set_float(s, d);
    case CONFIG_TYPE_BOOL:
        return parse_bool(v, &b) && config_setting_set_bool(s, b);
    default:
        return config_setting_set_string(s, v);
    }
}

/* The type an existing setting takes v as, or -1 (wrong kind of value). */
static int keep_type(const config_setting_t *s, const char *v, int quoted)
{
    int type = config_setting_type(s);
    long long i;
    double d;
    int b;
    if (type == CONFIG_TYPE_STRING)
        return type;
    if (quoted)
        return -1;
    if (type == CONFIG_TYPE_BOOL)
        return parse_bool(v, &b) ? type : -1;
    if (number_word(v))
        return CONFIG_TYPE_STRING;
    if (type == CONFIG_TYPE_FLOAT)
        return parse_float(v, &d) || parse_int(v, &i) ? type : -1;
    if (!parse_int(v, &i))
        return -1;
    return i >= INT_MIN && i <= INT_MAX ? CONFIG_TYPE_INT : CONFIG_TYPE_INT64;
}

static const char *type_word(int type)
{
    switch (type) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "a whole number";
    case CONFIG_TYPE_FLOAT:
        return "a number";
    case CONFIG_TYPE_BOOL:
        return "true or false";
    default:
        return "a string";
    }
}

/* --- Paths --------------------------------------------------------------- */

/* Split "a.b[2].c" into segments in place: names, and "[k]" kept as is. */
static size_t split(char *path, char **seg, size_t max)
{
    size_t n = 0;
    for (char *p = path; *p && n < max;) {
        seg[n++] = p;
        char *q = p;
        if (*q == '[')
            q = strchr(q, ']') ? strchr(q, ']') + 1 : q + strlen(q);
        else
            q += strcspn(q, ".[");
        if (*q == '.')
            *q++ = '\0';
        else if (*q == '[') {
            memmove(q + 1, q, strlen(q) + 1);  /* make room for the end */
            *q++ = '\0';
        }
        p = q;
    }
    return n;
}

static int index_of(const char *seg, unsigned *k)
{
    long long i;
    size_t len = strlen(seg);
    if (len < 3 || seg[0] != '[' || seg[len - 1] != ']')
        return 0;
    char num[24];
    if (len - 2 >= sizeof num)
        return 0;
    memcpy(num, seg + 1, len - 2);
    num[len - 2] = '\0';
    if (!parse_int(num, &i) || i < 0 || i > INT_MAX)
        return 0;
    *k = (unsigned)i;
    return 1;
}

/* The child named or indexed by seg, created (as a group, or as the type
 * `create` when it is the last) when missing from a group. */
static config_setting_t *child(const ov *o, config_setting_t *cur, const char *seg,
                               int create, int *rc)
{
    unsigned k;
    if (index_of(seg, &k)) {
        int type = config_setting_type(cur);
        config_setting_t *e = type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY
                                  ? config_setting_get_elem(cur, k) : NULL;
        if (!e)
            *rc = ov_fail(o, "%s has no entry %s", config_setting_name(cur)
                          ? config_setting_name(cur) : "the setting", seg);
        return e;
    }
    if (!config_setting_is_group(cur)) {
        *rc = ov_fail(o, "'%s' is not inside a group%s", seg, "");
        return NULL;
    }
    config_setting_t *m = config_setting_get_member(cur, seg);
    if (!m && (!*seg || !(m = config_setting_add(cur, seg, create))))
        *rc = ov_fail(o, "'%s' is not a valid setting name%s", seg, "");
    return m;
}

/* Set the scalar s (or replace it, when the value changes its type). */
static int change(const ov *o, config_setting_t *s, const char *v, int quoted)
{
    if (config_setting_is_aggregate(s))
        return ov_fail(o, "'%s' holds settings: override its members%s",
                       config_setting_name(s) ? config_setting_name(s) : "it", "");
    int want = keep_type(s, v, quoted);
    if (want < 0)
        return ov_fail(o, "expected %s, got '%s'", type_word(config_setting_type(s)), v);
    config_setting_t *parent = config_setting_parent(s);
    const char *name = config_setting_name(s);
    if (want != config_setting_type(s)) {
        if (!name || !config_setting_is_group(parent))
            return ov_fail(o, "expected %s, got '%s'", type_word(config_setting_type(s)),
                           v);
        char *copy = strdup(name);
        config_setting_remove(parent, copy);
        s = copy ? config_setting_add(parent, copy, want) : NULL;
        free(copy);
    }
    if (!s || !store(s, v))
        return ov_fail(o, "cannot store '%s'%s", v, "");
    return AUGUR_OK;
}

/* Copy text[0, len) without the blanks around it; room for split(). */
static char *trimmed(const char *text, size_t len)
{
    while (len && isspace((unsigned char)*text))
        text++, len--;
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    char *t = malloc(2 * len + 1);  /* split() adds at most one byte per '[' */
    if (t) {
        memcpy(t, text, len);
        t[len] = '\0';
    }
    return t;
}

static int walk(config_t *c, const ov *o, char *path, const char *v, int quoted)
{
    char *seg[32];
    size_t n = split(path, seg, 32);
    int rc = n ? AUGUR_OK : ov_fail(o, "the path is empty%s%s", "", "");
    config_setting_t *cur = config_root_setting(c);
    for (size_t i = 0; rc == AUGUR_OK && i < n; i++) {
        int last = i + 1 == n;
        config_setting_t *s = child(o, cur, seg[i],
                                    last ? infer_type(v, quoted) : CONFIG_TYPE_GROUP, &rc);
        if (s && last)
            rc = change(o, s, v, quoted);
        else if (s && !config_setting_is_aggregate(s))
            rc = ov_fail(o, "'%s' is a value, not a group%s", seg[i], "");
        cur = s;
    }
    return rc;
}

static int apply_one(config_t *c, const char *text, char *err, size_t cap)
{
    ov o = {.text = text, .err = err, .cap = cap};
    const char *eq = strchr(text, '=');
    if (!eq)
        return ov_fail(&o, "expected path=value%s%s", "", "");
    char *path = trimmed(text, (size_t)(eq - text));
    char *value = trimmed(eq + 1, strlen(eq + 1));
    int rc = AUGUR_ENOMEM;
    if (path && value) {
        int quoted;
        const char *v = unquote(value, &quoted);
        rc = walk(c, &o, path, v, quoted);
    } else
        augur__fail_msg(err, cap, rc, "out of memory");
    free(path);
    free(value);
    return rc;
}

int augur__overrides_apply(config_t *c, const char *const *overrides, char *err,
                           size_t cap)
{
    for (size_t i = 0; overrides && overrides[i]; i++) {
        int rc = apply_one(c, overrides[i], err, cap);
        if (rc != AUGUR_OK)
            return rc;
    }
    return AUGUR_OK;
}
