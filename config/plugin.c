/* plugin.c - the `plugin` group a config file uses for a cost
 * (problem.plugin) or a fit model (problem.fit.plugin): a shared library
 * opened with dlopen, one symbol from it, and optionally an init hook that
 * receives the group's `settings` (augur/settings.h, so plugins never see
 * libconfig) and a fini hook.
 *
 *     plugin = { path = "libmycost.so"; symbol = "cost";
 *                init = "cost_init"; fini = "cost_fini";
 *                settings = { scale = 2.5; centre = [ 1.0, 2.0 ]; };
 *                system = false; };
 *
 * Where the library is found - one rule: `path` is a file relative to the
 * config file's folder (or absolute), whether or not it has a slash, so a
 * config and its plugin move together. dlopen searches the system's
 * library paths (LD_LIBRARY_PATH, the ld.so cache) only for
 * `system = true;`, and then gets the path exactly as written. Without the
 * rule a bare "libslow.so" would be searched for on the system paths and
 * miss the copy next to the config. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include "job_int.h"

static const char *const keys[] = {"path", "symbol", "init", "fini", "settings",
                                   "system"};

/* The file dlopen gets: as written for a system library, else relative
 * to dir and never without a slash ("./libx.so"). */
static char *library_file(const char *dir, const char *path, int system)
{
    if (system)
        return strdup(path);
    char *full = augur__path_join(dir, path);
    if (full && !strchr(full, '/')) {
        char *dotted = malloc(strlen(full) + 3);
        if (dotted)
            snprintf(dotted, strlen(full) + 3, "./%s", full);
        free(full);
        full = dotted;
    }
    return full;
}

/* One value of settings into s; groups and lists of strings are refused,
 * so every value has one flat form. */
static int read_value(const config_setting_t *v, augur_settings *s, char *err, size_t cap)
{
    const char *key = config_setting_name(v);
    int rc = AUGUR_OK;
    switch (config_setting_type(v)) {
    case CONFIG_TYPE_STRING:
        rc = augur_settings_set_string(s, key, config_setting_get_string(v));
        break;
    case CONFIG_TYPE_BOOL:
        rc = augur_settings_set_bool(s, key, config_setting_get_bool(v));
        break;
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
    case CONFIG_TYPE_FLOAT: {
        double x;
        if ((rc = augur__setting_number(v, &x, err, cap)) == AUGUR_OK)
            rc = augur_settings_set_number(s, key, x);
        break;
    }
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST: {
        size_t n = (size_t)config_setting_length(v);
        double *x = malloc((n ? n : 1) * sizeof *x);
        if (!x)
            return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        if ((rc = augur__setting_vector(v, n, x, err, cap)) == AUGUR_OK)
            rc = augur_settings_set_numbers(s, key, x, n);
        free(x);
        break;
    }
    default:
        return augur__setting_fail(v, err, cap, AUGUR_EINVAL, "a plugin's setting is a "
                                   "string, a number, true/false or an array of numbers");
    }
    if (rc == AUGUR_ENOMEM)
        return augur__fail_msg(err, cap, rc, "out of memory");
    return rc == AUGUR_OK ? rc : augur__setting_fail(v, err, cap, rc, "not a finite value");
}

static int read_settings(const config_setting_t *ps, const char *dir, augur__plugin *pl,
                         char *err, size_t cap)
{
    const config_setting_t *g = config_setting_get_member(ps, "settings");
    if (!(pl->settings = augur_settings_create(dir)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    if (!g)
        return AUGUR_OK;
    int rc = augur__setting_group(g, err, cap);
    for (int i = 0; rc == AUGUR_OK && i < config_setting_length(g); i++)
        rc = read_value(config_setting_get_elem(g, (unsigned)i), pl->settings, err, cap);
    if (rc == AUGUR_OK && !pl->init)
        rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL, "settings go to the plugin's "
                                 "init hook: name it (init = \"my_init\";)");
    return rc;
}

static int read_names(const config_setting_t *ps, augur__plugin *pl, char *err, size_t cap)
{
    int rc = augur__setting_group(ps, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(ps, keys, AUGUR__ARRAY_SIZE(keys), err, cap);
    const char *v[4] = {NULL};
    for (size_t k = 0; rc == AUGUR_OK && k < 4; k++)
        v[k] = augur__setting_member_string(ps, keys[k], k < 2, err, cap, &rc);
    const config_setting_t *sys = config_setting_get_member(ps, "system");
    if (rc == AUGUR_OK && sys && config_setting_type(sys) != CONFIG_TYPE_BOOL)
        rc = augur__setting_fail(sys, err, cap, AUGUR_EINVAL, "expected true or false");
    if (rc != AUGUR_OK)
        return rc;
    pl->system = sys && config_setting_get_bool(sys);
    char **dst[4] = {&pl->path, &pl->symbol, &pl->init, &pl->fini};
    for (size_t k = 0; k < 4; k++)
        if (v[k] && !(*dst[k] = strdup(v[k])))
            return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

/* dlsym, with the reason on the setting that named the symbol. */
static int find_symbol(const config_setting_t *ps, const char *member, augur__plugin *pl,
                       void **out, char *err, size_t cap)
{
    const char *name = config_setting_get_string(config_setting_get_member(ps, member));
    dlerror();
    *out = dlsym(pl->handle, name);
    const char *why = dlerror();
    if (*out && !why)
        return AUGUR_OK;
    return augur__setting_fail(config_setting_get_member(ps, member), err, cap,
                               AUGUR_ENOTFOUND, "no symbol '%s' in '%s': %s", name,
                               pl->file, why ? why : "it is NULL");
}

static int open_library(const config_setting_t *ps, augur__plugin *pl, char *err,
                        size_t cap)
{
    dlerror();
    pl->handle = dlopen(pl->file, RTLD_NOW | RTLD_LOCAL);
    if (pl->handle)
        return AUGUR_OK;
    const char *why = dlerror();
    return augur__setting_fail(config_setting_get_member(ps, "path"), err, cap,
                               AUGUR_ENOTFOUND, "cannot load %s%s", why ? why : pl->file,
                               pl->system ? "" : " (system = true; searches the "
                               "system's library paths)");
}

/* Run init with the settings; its message goes on the settings group (or
 * the init name when there is none). */
static int run_init(const config_setting_t *ps, augur__plugin *pl, char *err, size_t cap)
{
    void *sym;
    int rc = find_symbol(ps, "init", pl, &sym, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    augur_plugin_init_fn *init;
    memcpy(&init, &sym, sizeof init);
    char why[AUGUR_ERRMSG_CAP] = "";
    rc = init(pl->settings, &pl->data, why, sizeof why);
    if (rc >= 0) {
        pl->initialised = 1;
        return AUGUR_OK;
    }
    const config_setting_t *at = config_setting_get_member(ps, "settings");
    return augur__setting_fail(at ? at : config_setting_get_member(ps, "init"), err, cap,
                               rc, "%s: %s", pl->init, why[0] ? why : augur_strerror(rc));
}

int augur__plugin_read(const config_setting_t *ps, const char *dir, augur__plugin *pl,
                       char *err, size_t cap)
{
    *pl = (augur__plugin){0};
    int rc = read_names(ps, pl, err, cap);
    if (rc == AUGUR_OK)
        rc = read_settings(ps, dir, pl, err, cap);
    if (rc == AUGUR_OK && !(pl->file = library_file(dir, pl->path, pl->system)))
        rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    if (rc == AUGUR_OK)
        rc = open_library(ps, pl, err, cap);
    if (rc == AUGUR_OK)
        rc = find_symbol(ps, "symbol", pl, &pl->sym, err, cap);
    if (rc == AUGUR_OK && pl->fini) {
        void *sym;
        if ((rc = find_symbol(ps, "fini", pl, &sym, err, cap)) == AUGUR_OK)
            memcpy(&pl->fini_fn, &sym, sizeof pl->fini_fn);
    }
    if (rc == AUGUR_OK && pl->init)
        rc = run_init(ps, pl, err, cap);
    return rc;
}

void augur__plugin_free(augur__plugin *pl)
{
    if (pl->initialised && pl->fini_fn)
        pl->fini_fn(pl->data);
    if (pl->handle)
        dlclose(pl->handle);
    augur_settings_destroy(pl->settings);
    free(pl->path);
    free(pl->symbol);
    free(pl->init);
    free(pl->fini);
    free(pl->file);
    *pl = (augur__plugin){0};
}

static void emit_name(augur_strbuf *b, const char *indent, const char *key, const char *v)
{
    if (!v)
        return;
    augur__sb_printf(b, "%s  %s = ", indent, key);
    augur__sb_string(b, v);
    augur__sb_printf(b, ";\n");
}

static void emit_settings(augur_strbuf *b, const char *indent, const augur_settings *s)
{
    augur__sb_printf(b, "%s  settings = {\n", indent);
    for (size_t i = 0; i < augur_settings_count(s); i++) {
        const char *key = augur_settings_key(s, i);
        augur_setting_kind kind = AUGUR_SETTING_STRING;
        augur_settings_kind(s, key, &kind);
        augur__sb_printf(b, "%s    %s = ", indent, key);
        if (kind == AUGUR_SETTING_STRING)
            augur__sb_string(b, augur_settings_get(s, key));
        else if (kind == AUGUR_SETTING_BOOL)
            augur__sb_printf(b, "%s", augur_settings_get(s, key));
        else {
            size_t n = 0;
            augur_settings_numbers(s, key, NULL, 0, &n);
            double *v = malloc((n ? n : 1) * sizeof *v);
            if (v && augur_settings_numbers(s, key, v, n, &n) == AUGUR_OK) {
                augur__sb_printf(b, "%s", kind == AUGUR_SETTING_NUMBERS ? "[ " : "");
                for (size_t k = 0; k < n; k++) {
                    augur__sb_printf(b, "%s", k ? ", " : "");
                    augur__sb_double(b, v[k]);
                }
                augur__sb_printf(b, "%s", kind == AUGUR_SETTING_NUMBERS ? " ]" : "");
            }
            free(v);
        }
        augur__sb_printf(b, ";\n");
    }
    augur__sb_printf(b, "%s  };\n", indent);
}

void augur__plugin_emit(augur_strbuf *b, const augur__plugin *pl, const char *indent,
                        const char *path)
{
    augur__sb_printf(b, "%splugin = {\n", indent);
    emit_name(b, indent, "path", pl->system ? pl->path : path);
    emit_name(b, indent, "symbol", pl->symbol);
    emit_name(b, indent, "init", pl->init);
    emit_name(b, indent, "fini", pl->fini);
    if (augur_settings_count(pl->settings))
        emit_settings(b, indent, pl->settings);
    augur__sb_printf(b, "%s  system = %s;\n%s};\n", indent, pl->system ? "true" : "false",
                     indent);
}
