/* settings.c - augur_settings (augur/settings.h): the flat key/value view
 * of a config group that a plugin's init receives, so plugins never see
 * libconfig. Entries are kept in the order written, each with its kind,
 * its text and, for numbers, its values; lookups are linear, since a
 * plugin's settings are a handful read once. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/settings.h"
#include "augur/status.h"
#include "internal.h"
#include "strbuf.h"

typedef struct entry {
    char *key;
    augur_setting_kind kind;
    char *text;
    double *v;                    /* NUMBER, BOOL (one), NUMBERS */
    size_t n;
} entry;

struct augur_settings {
    char *dir;
    entry *e;
    size_t count, cap;
};

augur_settings *augur_settings_create(const char *dir)
{
    augur_settings *s = calloc(1, sizeof *s);
    if (s && !(s->dir = strdup(dir ? dir : "."))) {
        free(s);
        return NULL;
    }
    return s;
}

static void entry_clear(entry *e)
{
    free(e->key);
    free(e->text);
    free(e->v);
    *e = (entry){0};
}

void augur_settings_destroy(augur_settings *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        entry_clear(&s->e[i]);
    free(s->e);
    free(s->dir);
    free(s);
}

static const entry *find(const augur_settings *s, const char *key)
{
    for (size_t i = 0; s && key && i < s->count; i++)
        if (strcmp(s->e[i].key, key) == 0)
            return &s->e[i];
    return NULL;
}

static int key_ok(const char *key)
{
    if (!key || !isalpha((unsigned char)key[0]))
        return 0;
    for (const char *p = key; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return 0;
    return 1;
}

/* Take (kind, text, v, n) into the entry for key: text and v are owned
 * from here on, freed on failure. */
static int put(augur_settings *s, const char *key, augur_setting_kind kind, char *text,
               double *v, size_t n)
{
    entry *e = (entry *)find(s, key);
    if (!e && s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        entry *grown = realloc(s->e, cap * sizeof *grown);
        if (!grown) {
            free(text);
            free(v);
            return AUGUR_ENOMEM;
        }
        s->e = grown;
        s->cap = cap;
    }
    char *k = e ? NULL : strdup(key);
    if (!text || (n && !v) || (!e && !k)) {
        free(text);
        free(v);
        free(k);
        return AUGUR_ENOMEM;
    }
    if (e) {
        free(e->text);
        free(e->v);
    } else {
        e = &s->e[s->count++];
        e->key = k;
    }
    e->kind = kind;
    e->text = text;
    e->v = v;
    e->n = n;
    return AUGUR_OK;
}

static char *numbers_text(const double *v, size_t n)
{
    augur_strbuf b = {0};
    char *text = NULL;
    augur__sb_printf(&b, "%s", "");
    for (size_t i = 0; i < n; i++)
        augur__sb_printf(&b, "%s%.17g", i ? ", " : "", v[i]);
    return augur__sb_finish(&b, &text) == AUGUR_OK ? text : NULL;
}

int augur_settings_set_string(augur_settings *s, const char *key, const char *v)
{
    if (!s || !key_ok(key) || !v)
        return AUGUR_EINVAL;
    return put(s, key, AUGUR_SETTING_STRING, strdup(v), NULL, 0);
}

int augur_settings_set_numbers(augur_settings *s, const char *key, const double *v,
                               size_t n)
{
    if (!s || !key_ok(key) || (n && !v))
        return AUGUR_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return AUGUR_EINVAL;
    double *copy = n ? malloc(n * sizeof *copy) : NULL;
    if (copy)
        memcpy(copy, v, n * sizeof *copy);
    return put(s, key, AUGUR_SETTING_NUMBERS, numbers_text(v, n), copy, n);
}

static int set_one(augur_settings *s, const char *key, augur_setting_kind kind, double v,
                   const char *text)
{
    if (!s || !key_ok(key) || !isfinite(v))
        return AUGUR_EINVAL;
    double *copy = malloc(sizeof *copy);
    if (copy)
        *copy = v;
    return put(s, key, kind, text ? strdup(text) : numbers_text(&v, 1), copy, 1);
}

int augur_settings_set_number(augur_settings *s, const char *key, double v)
{
    return set_one(s, key, AUGUR_SETTING_NUMBER, v, NULL);
}

int augur_settings_set_bool(augur_settings *s, const char *key, int v)
{
    return set_one(s, key, AUGUR_SETTING_BOOL, v != 0, v ? "true" : "false");
}

size_t augur_settings_count(const augur_settings *s)
{
    return s ? s->count : 0;
}

const char *augur_settings_key(const augur_settings *s, size_t i)
{
    return s && i < s->count ? s->e[i].key : NULL;
}

const char *augur_settings_get(const augur_settings *s, const char *key)
{
    const entry *e = find(s, key);
    return e ? e->text : NULL;
}

int augur_settings_kind(const augur_settings *s, const char *key, augur_setting_kind *kind)
{
    const entry *e = find(s, key);
    if (!e)
        return AUGUR_ENOTFOUND;
    if (kind)
        *kind = e->kind;
    return AUGUR_OK;
}

int augur_settings_number(const augur_settings *s, const char *key, double *v)
{
    const entry *e = find(s, key);
    if (!e)
        return AUGUR_ENOTFOUND;
    if (e->kind == AUGUR_SETTING_STRING || e->kind == AUGUR_SETTING_NUMBERS)
        return AUGUR_EINVAL;
    if (v)
        *v = e->v[0];
    return AUGUR_OK;
}

int augur_settings_numbers(const augur_settings *s, const char *key, double *v,
                           size_t cap, size_t *len)
{
    const entry *e = find(s, key);
    if (!e)
        return AUGUR_ENOTFOUND;
    if (e->kind == AUGUR_SETTING_STRING || e->kind == AUGUR_SETTING_BOOL)
        return AUGUR_EINVAL;
    if (len)
        *len = e->n;
    if (e->n > cap)
        return AUGUR_ERANGE;
    if (v && e->n)
        memcpy(v, e->v, e->n * sizeof *v);
    return AUGUR_OK;
}

const char *augur_settings_dir(const augur_settings *s)
{
    return s ? s->dir : ".";
}

int augur_settings_path(const augur_settings *s, const char *key, char *buf, size_t cap)
{
    const entry *e = find(s, key);
    if (!e)
        return AUGUR_ENOTFOUND;
    if (e->kind != AUGUR_SETTING_STRING)
        return AUGUR_EINVAL;
    char *full = augur__path_join(s->dir, e->text);
    if (!full)
        return AUGUR_ENOMEM;
    int fits = buf && strlen(full) < cap;
    if (fits)
        memcpy(buf, full, strlen(full) + 1);
    free(full);
    return fits ? AUGUR_OK : AUGUR_ERANGE;
}

int augur_settings_fail(char *err, size_t cap, const char *fmt, ...)
{
    if (err && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, cap, fmt, ap);
        va_end(ap);
    }
    return AUGUR_EINVAL;
}
