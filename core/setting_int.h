/* setting_int.h - private to augur (core/): typed reads of libconfig
 * settings with messages naming the setting's path and line, shared by the
 * specs (solvers/spec_*.c) and the config files (config/). */
#ifndef AUGUR_SETTING_INT_H
#define AUGUR_SETTING_INT_H

#include <libconfig.h>
#include <stddef.h>
#include "internal.h"

void augur__setting_path(const config_setting_t *s, char *buf, size_t cap);
int augur__setting_fail(const config_setting_t *s, char *err, size_t cap, int code,
                        const char *fmt, ...) AUGUR__PRINTF(5, 6);
/* The candidate nearest to name: one a scipy or mystic name stands for
 * (popsize -> population-size, maxiter -> generations ...), else the
 * nearest by edit distance; NULL when there are none. */
const char *augur__nearest(const char *name, const char *const *candidates,
                           size_t count);
/* One element of a list as a double: a float, an integer, "inf", "-inf",
 * "nan" or a C99 hex float in a string ("0x1.8p+1", exact): 1, or 0 for
 * anything else. */
int augur__setting_element_double(const config_setting_t *e, double *v);
/* A float or an integer, or the strings "inf"/"-inf". */
int augur__setting_number(const config_setting_t *s, double *v, char *err, size_t cap);
/* A whole number >= 0 (an integer, or decimal text for values past
 * INT64_MAX), or "unlimited" (SIZE_MAX) when allowed. */
int augur__setting_count(const config_setting_t *s, size_t *v, int allow_unlimited,
                         char *err, size_t cap);
/* A whole number from min to max (a size: dimension, parameters, workers),
 * else an error naming the setting, its line and the range; never wrapped
 * or truncated. */
int augur__setting_size(const config_setting_t *s, size_t min, size_t max, size_t *v,
                        char *err, size_t cap);
/* Exactly n numbers, as an array or a list. */
int augur__setting_vector(const config_setting_t *s, size_t n, double *v, char *err,
                          size_t cap);
const char *augur__setting_string(const config_setting_t *s, char *err, size_t cap,
                                  int *rc);
int augur__setting_group(const config_setting_t *s, char *err, size_t cap);
/* Every member of g is one of the allowed names, or an error naming the
 * nearest. */
int augur__setting_only(const config_setting_t *g, const char *const *allowed,
                        size_t count, char *err, size_t cap);

/* A string member of g: NULL with *rc AUGUR_OK when absent and not
 * required, else an error naming g or the member. */
const char *augur__setting_member_string(const config_setting_t *g, const char *name,
                                         int required, char *err, size_t cap, int *rc);

#endif
