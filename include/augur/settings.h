/* augur/settings.h - the settings a config file hands to a plugin, without
 * libconfig: a flat, read-only view of keys and values, and the hooks a
 * plugin exports to receive them.
 *
 *     problem = { plugin = { path = "libmycost.so"; symbol = "cost";
 *                            init = "cost_init"; fini = "cost_fini";
 *                            settings = { file = "table.csv"; scale = 2.5;
 *                                         centre = [ 1.0, 2.0 ]; }; };
 *                 dimension = 2; };
 *
 *     int cost_init(const augur_settings *s, void **data, char *err, size_t cap)
 *     {
 *         double scale = 1;                          // a default
 *         if (augur_settings_number(s, "scale", &scale) == AUGUR_EINVAL)
 *             return augur_settings_fail(err, cap, "scale: expected a number");
 *         ...  *data = my_state;  return 0;
 *     }
 *
 * A value is a string, a number, a boolean or an array of numbers; every
 * value also reads as text (numbers as written by %.17g, booleans as
 * "true" / "false", an array as "1, 2.5, 3"). The view is valid during the
 * init call only: a plugin copies what it keeps. The config file's folder
 * comes with it, so a plugin finds its own files where the config is
 * (augur_settings_path). */
#ifndef AUGUR_SETTINGS_H
#define AUGUR_SETTINGS_H

#include <stddef.h>
#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_settings augur_settings;

typedef enum augur_setting_kind {
    AUGUR_SETTING_STRING,
    AUGUR_SETTING_NUMBER,
    AUGUR_SETTING_BOOL,
    AUGUR_SETTING_NUMBERS           /* an array of numbers */
} augur_setting_kind;

/* --- Reading (what a plugin's init does) ---------------------------------- */

AUGUR_EXTERN size_t augur_settings_count(const augur_settings *s);
/* The i-th key in the order written; NULL past the end. */
AUGUR_EXTERN const char *augur_settings_key(const augur_settings *s, size_t i);
/* A value as text; NULL when the key is absent (s may be NULL: no settings). */
AUGUR_EXTERN const char *augur_settings_get(const augur_settings *s, const char *key);
/* The kind of a value: 0 and *kind set, or AUGUR_ENOTFOUND. */
AUGUR_EXTERN int augur_settings_kind(const augur_settings *s, const char *key,
                                     augur_setting_kind *kind);
/* A number: AUGUR_OK, AUGUR_ENOTFOUND (absent: *v untouched, so it may hold
 * a default) or AUGUR_EINVAL (not a number). A boolean reads as 0 or 1. */
AUGUR_EXTERN int augur_settings_number(const augur_settings *s, const char *key,
                                       double *v);
/* An array of numbers (a single number is an array of one): *len gets its
 * length and at most cap values go to v. AUGUR_ENOTFOUND, AUGUR_EINVAL
 * (not numbers) or AUGUR_ERANGE (longer than cap: *len says how long). */
AUGUR_EXTERN int augur_settings_numbers(const augur_settings *s, const char *key,
                                        double *v, size_t cap, size_t *len);
/* The folder of the config file ("." for text loaded without a file). */
AUGUR_EXTERN const char *augur_settings_dir(const augur_settings *s);
/* A string value as a path: relative ones joined to augur_settings_dir.
 * AUGUR_ENOTFOUND, AUGUR_EINVAL (not a string) or AUGUR_ERANGE (cap too
 * small). */
AUGUR_EXTERN int augur_settings_path(const augur_settings *s, const char *key,
                                     char *buf, size_t cap);
/* A plugin's failure: the message into err (formatted like printf), and
 * AUGUR_EINVAL to return. */
AUGUR_EXTERN int augur_settings_fail(char *err, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* --- Building (for C callers and tests; config files build their own) ----- */

/* An empty view; dir NULL is ".". NULL when out of memory. */
AUGUR_EXTERN augur_settings *augur_settings_create(const char *dir);
AUGUR_EXTERN void augur_settings_destroy(augur_settings *s);
/* Add or replace a value. Keys start with a letter and hold letters,
 * digits, '-' and '_' (libconfig's names). AUGUR_EINVAL for a bad key or a
 * non-finite number, AUGUR_ENOMEM. */
AUGUR_EXTERN int augur_settings_set_string(augur_settings *s, const char *key,
                                           const char *v);
AUGUR_EXTERN int augur_settings_set_number(augur_settings *s, const char *key, double v);
AUGUR_EXTERN int augur_settings_set_bool(augur_settings *s, const char *key, int v);
AUGUR_EXTERN int augur_settings_set_numbers(augur_settings *s, const char *key,
                                            const double *v, size_t n);

/* --- The hooks a plugin exports (named by init and fini in the file) ------ */

/* Called once when the config file is loaded, before any evaluation:
 * read the settings, put what the cost (or fit model) needs in *data
 * (passed as the cost's data argument, or as the fit model's data), and
 * return 0; or write a reason into err and return a negative status: the
 * load fails with the file and line of the settings group. */
typedef int augur_plugin_init_fn(const augur_settings *settings, void **data, char *err,
                                 size_t cap);
/* Called once when the job is destroyed, with init's data. */
typedef void augur_plugin_fini_fn(void *data);

#ifdef __cplusplus
}
#endif
#endif
