/* param.c - the generic setter, getter, validation and formatting behind
 * every type's parameter table (solvers, termination conditions, monitors,
 * maps). One table per type drives all of them, so a parameter's name,
 * range and default are written once. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

size_t augur_param_count(const augur_param *table)
{
    size_t k = 0;
    while (table && table[k].name)
        k++;
    return k;
}

const augur_param *augur_param_find(const augur_param *table, const char *name)
{
    for (size_t k = 0; table && table[k].name; k++)
        if (augur__name_eq(table[k].name, name))
            return &table[k];
    return NULL;
}

static size_t choice_count(const augur_param *p)
{
    size_t k = 0;
    while (p->choices && p->choices[k])
        k++;
    return k;
}

const char *augur_param_choice_name(const augur_param *p, double index)
{
    if (!p || p->kind != AUGUR_PARAM_CHOICE || !(index >= 0))
        return NULL;
    size_t k = (size_t)index;
    return (double)k == index && k < choice_count(p) ? p->choices[k] : NULL;
}

void augur__params_defaults(const augur_param *table, void *state)
{
    for (size_t k = 0; table && table[k].name; k++)
        *augur__param_slot(state, &table[k]) = table[k].def;
}

static int check_value(const augur_param *p, const char *owner, double v,
                       char *err, size_t cap)
{
    if (isnan(v))
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: parameter '%s' must be a number, not NaN",
                               owner, p->name);
    switch (p->kind) {
    case AUGUR_PARAM_BOOL:
        if (v != 0 && v != 1)
            return augur__fail_msg(err, cap, AUGUR_EINVAL,
                                   "%s: parameter '%s' is a flag: 0 or 1, not %g",
                                   owner, p->name, v);
        return AUGUR_OK;
    case AUGUR_PARAM_CHOICE:
        if (!augur_param_choice_name(p, v))
            return augur__fail_msg(err, cap, AUGUR_ERANGE,
                                   "%s: parameter '%s' takes a choice index "
                                   "0..%zu, not %g",
                                   owner, p->name, choice_count(p) - 1, v);
        return AUGUR_OK;
    case AUGUR_PARAM_INT:
        if (v != floor(v))
            return augur__fail_msg(err, cap, AUGUR_EINVAL,
                                   "%s: parameter '%s' must be a whole number, "
                                   "not %g", owner, p->name, v);
        /* fall through */
    case AUGUR_PARAM_REAL:
        if (v < p->min || v > p->max)
            return augur__fail_msg(err, cap, AUGUR_ERANGE,
                                   "%s: parameter '%s' must be in [%g, %g], "
                                   "not %g", owner, p->name, p->min, p->max, v);
        return AUGUR_OK;
    }
    return AUGUR_EINVAL;
}

static int unknown(const augur_param *table, const char *owner,
                   const char *name, char *err, size_t cap)
{
    char names[160] = "";
    size_t used = 0;
    for (size_t k = 0; table && table[k].name && used < sizeof names; k++) {
        int w = snprintf(names + used, sizeof names - used, "%s%s",
                         k ? ", " : "", table[k].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return augur__fail_msg(err, cap, AUGUR_ENOTFOUND,
                           "%s: no parameter named '%s' (it has: %s)", owner,
                           name ? name : "(null)", names[0] ? names : "none");
}

int augur__params_set(const augur_param *table, void *state, const char *owner,
                      const char *name, double value, char *err, size_t cap)
{
    const augur_param *p = augur_param_find(table, name);
    if (!p)
        return unknown(table, owner, name, err, cap);
    int rc = check_value(p, owner, value, err, cap);
    if (rc == AUGUR_OK)
        *augur__param_slot(state, p) = value;
    return rc;
}

static int parse_choice(const augur_param *p, const char *text, double *v)
{
    for (size_t k = 0; p->choices && p->choices[k]; k++)
        if (augur__name_eq(p->choices[k], text)) {
            *v = (double)k;
            return 1;
        }
    return 0;
}

static int parse_number(const char *text, double *v)
{
    if (augur__name_eq(text, "true") || augur__name_eq(text, "yes")) {
        *v = 1;
        return 1;
    }
    if (augur__name_eq(text, "false") || augur__name_eq(text, "no")) {
        *v = 0;
        return 1;
    }
    char *end = NULL;
    errno = 0;
    *v = augur__strtod(text, &end);
    return end != text && *end == '\0' && errno != ERANGE;
}

int augur__params_set_string(const augur_param *table, void *state,
                             const char *owner, const char *name,
                             const char *value, char *err, size_t cap)
{
    const augur_param *p = augur_param_find(table, name);
    if (!p)
        return unknown(table, owner, name, err, cap);
    if (!value)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: parameter '%s' given no value", owner,
                               p->name);
    double v;
    if (p->kind == AUGUR_PARAM_CHOICE && parse_choice(p, value, &v))
        return augur__params_set(table, state, owner, name, v, err, cap);
    if (!parse_number(value, &v)) {
        if (p->kind == AUGUR_PARAM_CHOICE) {
            char names[200] = "";
            size_t used = 0;
            for (size_t k = 0; p->choices[k] && used < sizeof names; k++) {
                int w = snprintf(names + used, sizeof names - used, "%s%s",
                                 k ? ", " : "", p->choices[k]);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            return augur__fail_msg(err, cap, AUGUR_ERANGE,
                                   "%s: parameter '%s' has no choice '%s' "
                                   "(choices: %s)", owner, p->name, value, names);
        }
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: parameter '%s' wants a number, not '%s'",
                               owner, p->name, value);
    }
    return augur__params_set(table, state, owner, name, v, err, cap);
}

int augur__params_get(const augur_param *table, const void *state,
                      const char *owner, const char *name, double *value,
                      char *err, size_t cap)
{
    const augur_param *p = augur_param_find(table, name);
    if (!p)
        return unknown(table, owner, name, err, cap);
    if (!value)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: NULL value pointer for '%s'", owner, name);
    *value = augur__param_value(state, p);
    return AUGUR_OK;
}

/* The shortest of %.15g..%.17g that reads back as the same double, so
 * reasons stay readable ("0.005") and specs still round-trip. */
static void shortest_double(char *buf, size_t cap, double v)
{
    void *locale = augur__numeric_begin();
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, cap, "%.*g", digits, v);
        if (strtod(buf, NULL) == v || isnan(v))
            break;
    }
    augur__numeric_end(locale);
}

/* The last few doubles formatted, per thread. Every run formats its
 * stopping condition's parameters into its reason when it ends, and an
 * ensemble ends thousands of short runs with the same few tolerances;
 * printf's exact conversion and the strtod check were most of what such
 * a run's reason cost. */
#define RECENT_FORMATS 4
typedef struct {
    uint64_t bits;                /* v's bits: -0 and each NaN apart */
    char text[32];                /* "" while the slot is empty */
} recent_format;
static _Thread_local recent_format recent[RECENT_FORMATS];
static _Thread_local unsigned recent_next;

void augur__format_double(char *buf, size_t cap, double v)
{
    if (cap < sizeof recent[0].text) {   /* too short to copy a whole text */
        shortest_double(buf, cap, v);
        return;
    }
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    for (unsigned k = 0; k < RECENT_FORMATS; k++)
        if (recent[k].text[0] && recent[k].bits == bits) {
            memcpy(buf, recent[k].text, sizeof recent[k].text);
            return;
        }
    recent_format *slot = &recent[recent_next++ % RECENT_FORMATS];
    shortest_double(slot->text, sizeof slot->text, v);
    slot->bits = bits;
    memcpy(buf, slot->text, sizeof slot->text);
}

void augur__params_format(const augur_param *table, const void *state,
                          char *buf, size_t cap)
{
    size_t used = 0;
    if (cap)
        buf[0] = '\0';
    for (size_t k = 0; table && table[k].name && used + 1 < cap; k++) {
        const augur_param *p = &table[k];
        double v = augur__param_value(state, p);
        const char *choice = p->kind == AUGUR_PARAM_CHOICE
                                 ? augur_param_choice_name(p, v) : NULL;
        char num[32];
        if (!choice)
            augur__format_double(num, sizeof num, v);
        augur__append(buf, cap, &used, k ? ", " : "");
        augur__append(buf, cap, &used, p->name);
        augur__append(buf, cap, &used, "=");
        augur__append(buf, cap, &used, choice ? choice : num);
    }
}
