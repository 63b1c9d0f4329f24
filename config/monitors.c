/* monitors.c - the monitors a config file can ask for, as a table of kinds.
 *
 *     monitors = ( { type = "verbose"; every = 10; x = true; },
 *                  { type = "logging"; file = "log.csv"; every = 1; },
 *                  { type = "history"; cap = 0; } );
 *
 * Each kind's numbers, booleans and choices are a parameter table, so they
 * are checked by the same generic setter as every solver parameter (range,
 * whole numbers, choice names) and documented from the same table by
 * `augur list monitors` and docs/CONFIG.md. Reading a file only checks and
 * keeps the settings; the monitors themselves are made when the job runs,
 * because a verbose monitor writes to the stream the caller hands the job
 * then (the library picks none) and a log file is not opened by a job that
 * is only checked. File names start from the config file's directory. */
#include <stdlib.h>
#include <string.h>
#include "job_int.h"

#define SLOT(field) offsetof(augur__monitor_values, field)
#define MAX_COUNT 1e15

static const char *const record_kinds[] = {"generations", "evaluations", NULL};

#define RECORDS                                                                     \
    {.name = "records", .kind = AUGUR_PARAM_CHOICE, .def = 0, .max = 1,            \
     .offset = SLOT(records), .choices = record_kinds,                              \
     .doc = "what is fed to the monitor: one record per generation, or per cost "   \
            "evaluation"}

static const augur_param verbose_params[] = {
    {.name = "every", .kind = AUGUR_PARAM_INT, .def = 1, .min = 1, .max = MAX_COUNT,
     .offset = SLOT(every), .doc = "write every this many records (the first always)"},
    {.name = "x", .kind = AUGUR_PARAM_BOOL, .def = 0, .max = 1, .offset = SLOT(x),
     .doc = "write the point too"},
    RECORDS,
    {.name = NULL},
};

static const augur_param logging_params[] = {
    {.name = "every", .kind = AUGUR_PARAM_INT, .def = 1, .min = 1, .max = MAX_COUNT,
     .offset = SLOT(every), .doc = "write a line every this many records"},
    RECORDS,
    {.name = NULL},
};

static const augur_text_setting logging_texts[] = {
    {.name = "file", .required = 1,
     .doc = "the CSV file (generation,evaluations,f,x0,...), truncated when the run "
            "starts; from the config file's directory"},
    {.name = NULL},
};

static const augur_param history_params[] = {
    {.name = "cap", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0, .max = MAX_COUNT,
     .offset = SLOT(cap), .doc = "keep only the newest cap records (0: all)"},
    RECORDS,
    {.name = NULL},
};

static const augur_monitor_kind verbose = {
    .name = "verbose",
    .doc = "\"Generation <g> has ChiSquare: <f>\" lines on the stream the caller "
           "gives the job (augur run: standard output)",
    .params = verbose_params,
};

static const augur_monitor_kind logging = {
    .name = "logging",
    .doc = "a CSV log of the records, flushed after each line",
    .params = logging_params,
    .texts = logging_texts,
};

static const augur_monitor_kind history = {
    .name = "history",
    .doc = "keeps x and f of the records in memory",
    .params = history_params,
};

static const augur_monitor_kind *const kinds[] = {&verbose, &logging, &history, NULL};

const augur_monitor_kind *const *augur_monitor_kinds(void)
{
    return kinds;
}

const augur_monitor_kind *augur_monitor_kind_find(const char *name)
{
    for (size_t k = 0; name && kinds[k]; k++)
        if (augur__name_eq(kinds[k]->name, name))
            return kinds[k];
    return NULL;
}

/* --- Reading ----------------------------------------------------------------- */

static int unknown_kind(const config_setting_t *ts, const char *name, char *err,
                        size_t cap)
{
    const char *names[8];
    size_t count = 0;
    for (size_t k = 0; kinds[k]; k++)
        names[count++] = kinds[k]->name;
    const char *near = augur__nearest(name, names, count);
    return augur__setting_fail(ts, err, cap, AUGUR_ENOTFOUND,
                               "no monitor type '%s' (did you mean '%s'?)", name,
                               near ? near : "?");
}

/* Every setting a kind takes, for the unknown-name check. */
static size_t kind_keys(const augur_monitor_kind *k, const char **keys, size_t max)
{
    size_t count = 0;
    keys[count++] = "type";
    for (size_t i = 0; k->params[i].name && count < max; i++)
        keys[count++] = k->params[i].name;
    for (size_t i = 0; k->texts && k->texts[i].name && count < max; i++)
        keys[count++] = k->texts[i].name;
    return count;
}

/* A log file must be one the run may write (a regular file or a new name),
 * refused here, at load, so `check` says so and `run` writes nothing. */
static int check_file(const config_setting_t *s, const char *file, const char *dir,
                      char *err, size_t cap)
{
    char *full = augur__path_join(dir, file);
    if (!full)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    char why[AUGUR_ERRMSG_CAP];
    int rc = augur__output_path_check(full, why, sizeof why);
    free(full);
    return rc ? augur__setting_fail(s, err, cap, rc, "%s", why) : AUGUR_OK;
}

static int read_values(const config_setting_t *g, augur__monitor_setting *m,
                       const char *dir, char *err, size_t cap)
{
    const augur_monitor_kind *k = m->kind;
    augur__params_defaults(k->params, &m->v);
    int rc = AUGUR_OK;
    for (size_t i = 0; rc == AUGUR_OK && k->params[i].name; i++) {
        const config_setting_t *s = config_setting_get_member(g, k->params[i].name);
        double v;
        char why[AUGUR_ERRMSG_CAP];
        if (!s || (rc = augur__setting_param(s, &k->params[i], &v, err, cap)) != AUGUR_OK)
            continue;
        rc = augur__params_set(k->params, &m->v, k->name, k->params[i].name, v, why,
                               sizeof why);
        if (rc != AUGUR_OK)
            rc = augur__setting_fail(s, err, cap, rc, "%s", why);
    }
    for (size_t i = 0; rc == AUGUR_OK && k->texts && k->texts[i].name; i++) {
        const char *t = augur__setting_member_string(g, k->texts[i].name, k->texts[i].required, err,
                                          cap, &rc);
        if (t && !*t)
            rc = augur__setting_fail(config_setting_get_member(g, k->texts[i].name), err,
                                     cap, AUGUR_EINVAL, "expected a file name");
        else if (t && !(m->file = strdup(t)))
            rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        else if (t)
            rc = check_file(config_setting_get_member(g, k->texts[i].name), t, dir, err,
                            cap);
    }
    return rc;
}

static int read_one(const config_setting_t *g, augur__monitor_setting *m,
                    const char *dir, char *err, size_t cap)
{
    int rc = augur__setting_group(g, err, cap);
    const config_setting_t *ts = rc ? NULL : config_setting_get_member(g, "type");
    if (rc == AUGUR_OK && !ts)
        rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                 "a monitor needs a type (e.g. type = \"verbose\";)");
    const char *name = rc ? NULL : augur__setting_string(ts, err, cap, &rc);
    if (rc != AUGUR_OK)
        return rc;
    if (!(m->kind = augur_monitor_kind_find(name)))
        return unknown_kind(ts, name, err, cap);
    const char *keys[32];
    size_t count = kind_keys(m->kind, keys, 32);
    rc = augur__setting_only(g, keys, count, err, cap);
    return rc ? rc : read_values(g, m, dir, err, cap);
}

int augur__monitors_read(const config_setting_t *list, const char *dir,
                         augur__monitor_setting **out, size_t *count, char *err,
                         size_t cap)
{
    *out = NULL;
    *count = 0;
    if (config_setting_type(list) != CONFIG_TYPE_LIST)
        return augur__setting_fail(list, err, cap, AUGUR_EINVAL,
                                   "expected a list ( { type = \"verbose\"; }, ... )");
    size_t n = (size_t)config_setting_length(list);
    augur__monitor_setting *m = calloc(n ? n : 1, sizeof *m);
    if (!m)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = AUGUR_OK;
    for (size_t i = 0; rc == AUGUR_OK && i < n; i++)
        rc = read_one(config_setting_get_elem(list, (unsigned)i), &m[i], dir, err, cap);
    if (rc != AUGUR_OK) {
        augur__monitors_free(m, n);
        return rc;
    }
    *out = m;
    *count = n;
    return AUGUR_OK;
}

void augur__monitors_free(augur__monitor_setting *m, size_t count)
{
    for (size_t i = 0; m && i < count; i++)
        free(m[i].file);
    free(m);
}

/* --- Making them ------------------------------------------------------------- */

static augur_monitor *make(const augur__monitor_setting *m, FILE *stream,
                           const char *dir, const char *label)
{
    const augur__monitor_values *v = &m->v;
    if (m->kind == &verbose) {
        augur_monitor *mon = augur_monitor_verbose(stream, (size_t)v->every, v->x != 0);
        if (mon && label)
            augur_monitor_verbose_set_label(mon, label);
        return mon;
    }
    if (m->kind == &history)
        return augur_monitor_history((size_t)v->cap);
    char *full = augur__path_join(dir, m->file);
    augur_monitor *mon = full ? augur_monitor_logging(full, (size_t)v->every) : NULL;
    free(full);
    return mon;
}

int augur__monitors_attach(const augur__monitor_setting *m, size_t count,
                           augur_solver *s, FILE *stream, const char *dir,
                           const char *label, char *err, size_t cap)
{
    for (size_t i = 0; i < count; i++) {
        if (m[i].kind == &verbose && !stream)
            continue;
        augur_monitor *mon = make(&m[i], stream, dir, label);
        if (!mon)
            return augur__fail_msg(err, cap, AUGUR_ENOMEM, "monitors.[%zu] (%s): out of "
                                   "memory", i, m[i].kind->name);
        int rc = m[i].v.records != 0 ? augur_solver_add_evaluation_monitor(s, mon)
                                     : augur_solver_add_generation_monitor(s, mon);
        if (rc != AUGUR_OK)
            return augur__fail_msg(err, cap, rc, "monitors.[%zu] (%s): %s", i,
                                   m[i].kind->name, augur_solver_errmsg(s));
    }
    return AUGUR_OK;
}

/* --- Writing them back ------------------------------------------------------- */

void augur__monitors_emit(augur_strbuf *b, const augur__monitor_setting *m,
                          size_t count,
                          const char *(*path_for)(const void *ctx, const char *path,
                                                  char *buf, size_t cap),
                          const void *ctx)
{
    char buf[4096];
    augur__sb_printf(b, "monitors = (");
    for (size_t i = 0; i < count; i++) {
        const augur_monitor_kind *k = m[i].kind;
        augur__sb_printf(b, "%s\n  {\n    type = ", i ? "," : "");
        augur__sb_string(b, k->name);
        augur__sb_printf(b, ";\n");
        for (size_t p = 0; k->params[p].name; p++) {
            augur__sb_printf(b, "    %s = ", k->params[p].name);
            augur__spec_emit_value(b, &k->params[p],
                                   augur__param_value(&m[i].v, &k->params[p]));
            augur__sb_printf(b, ";\n");
        }
        if (m[i].file) {
            augur__sb_printf(b, "    file = ");
            augur__sb_string(b, path_for(ctx, m[i].file, buf, sizeof buf));
            augur__sb_printf(b, ";\n");
        }
        augur__sb_printf(b, "  }");
    }
    augur__sb_printf(b, "%s);\n", count ? "\n" : "");
}
