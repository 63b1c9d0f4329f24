/* job.c - loading config files: read a file and build the problem, the
 * solver, the monitors and the map it names.
 *
 * The file is parsed by libconfig (auto-conversion on, @include relative to
 * the file), overrides are applied to the parsed tree (override.c), and
 * then everything is built through the readers every spec uses, so a
 * config file is checked exactly as strictly as a spec: an unknown name
 * comes with the nearest valid one, and a value of the wrong type or out
 * of range names the setting. Those readers say "path (line N): what";
 * here every message is put in the form editors jump to, "file:N: path:
 * what", once, at the end. A failed load builds nothing, writes nothing
 * and returns no job. The solver group may leave out its dimension (the
 * problem's) and, for a problem from the model registry, its bounds (the
 * model's box); `seed` and `map` at the top are shorthands for the
 * solver's and win over them. Running is job_run.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "augur/plugin.h"
#include "solver_int.h"
#include "job_int.h"
#include "results_h5.h"

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    size_t len = (size_t)(slash - path);
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

/* --- Messages ----------------------------------------------------------------- */

/* "path (line N): what" -> "file:N: path: what"; anything else -> "file:
 * what". A path has no blanks (but for "(top level)"). */
static void place(const char *file, const char *msg, char *err, size_t cap)
{
    const char *at = strstr(msg, " (line ");
    size_t plen = at ? (size_t)(at - msg) : 0;
    int is_path = at && plen && (memchr(msg, ' ', plen) == NULL ||
                                 strncmp(msg, "(top level)", plen) == 0);
    if (is_path) {
        char *end = NULL;
        unsigned long line = strtoul(at + 7, &end, 10);
        if (end != at + 7 && strncmp(end, "): ", 3) == 0) {
            snprintf(err, cap, "%s:%lu: %.*s: %s", file, line, (int)plen, msg, end + 3);
            return;
        }
    }
    /* the file as a whole (a missing group) is placed at its start */
    if (strncmp(msg, "(top level): ", 13) == 0)
        snprintf(err, cap, "%s:1: %s", file, msg);
    else
        snprintf(err, cap, "%s: %s", file, msg);
}

/* --- Building ---------------------------------------------------------------- */

static const char *const top_keys[] = {
    "problem", "solver", "monitors", "map", "seed", "output", "results", "profile",
    "checkpoint",
};

/* solver.dimension (and its nested solvers'): the problem's, filled in when
 * left out. */
static int fill_dimension(config_setting_t *g, size_t n, char *err, size_t cap)
{
    if (!config_setting_is_group(g))
        return AUGUR_OK;  /* the spec reader says what is wrong */
    config_setting_t *d = config_setting_get_member(g, "dimension");
    if (!d) {
        d = config_setting_add(g, "dimension", CONFIG_TYPE_INT64);
        if (!d || !config_setting_set_int64(d, (long long)n))
            return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    } else {
        size_t given;
        int rc = augur__setting_size(d, 1, AUGUR_MAX_DIMENSION, &given, err, cap);
        if (rc != AUGUR_OK)
            return rc;
        if (given != n)
            return augur__setting_fail(d, err, cap, AUGUR_EINVAL,
                                       "expected the problem's dimension, %zu", n);
    }
    config_setting_t *nested = config_setting_get_member(g, "nested");
    return nested ? fill_dimension(nested, n, err, cap) : AUGUR_OK;
}

/* The solver group, with `type = "auto"` when the file names no solver
 * type (no group, or a group without a type): "just solve it". A fit
 * without a solver group runs the fit strategy instead (problem_fit.c);
 * its solver object only carries the seed, so it keeps "nelder-mead". */
static config_setting_t *solver_group(config_setting_t *root, const char *type)
{
    config_setting_t *g = config_setting_get_member(root, "solver");
    if (!g)
        g = config_setting_add(root, "solver", CONFIG_TYPE_GROUP);
    if (!g || config_setting_get_member(g, "type"))
        return g;
    config_setting_t *t = config_setting_add(g, "type", CONFIG_TYPE_STRING);
    return t && config_setting_set_string(t, type) ? g : NULL;
}

/* A model's box where the solver has no bounds of its own. */
static int model_bounds(augur_job *j, const config_setting_t *g, char *err, size_t cap)
{
    const augur__problem *p = &j->problem;
    if (p->kind != AUGUR__PROBLEM_MODEL || config_setting_get_member(g, "bounds"))
        return AUGUR_OK;
    double *box = augur__malloc_array(p->n, 2 * sizeof *box);
    if (!box)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = augur_model_box(p->model, p->n, box, box + p->n);
    if (rc == AUGUR_OK && (rc = augur_solver_set_bounds(j->solver, box, box + p->n)))
        rc = augur__setting_fail(g, err, cap, rc, "the model's box: %s",
                                 augur_solver_errmsg(j->solver));
    free(box);
    return rc;
}

/* What the run's start would refuse (augur_solver_check), at the solver
 * group's line (the problem's when the file has no solver group). A
 * profile scan sets its bins' bounds itself, and the fit strategy runs in
 * place of the solver, so neither is checked here. */
static int check_solver(augur_job *j, config_setting_t *root, const config_setting_t *g,
                        char *err, size_t cap)
{
    if (j->has_profile || (j->problem.kind == AUGUR__PROBLEM_FIT && j->problem.strategy))
        return AUGUR_OK;
    int rc = augur_solver_check(j->solver);
    if (rc == AUGUR_OK)
        return rc;
    if (config_setting_source_line(g) == 0)
        g = config_setting_get_member(root, "problem");
    return augur__setting_fail(g, err, cap, rc, "%s", augur_solver_errmsg(j->solver));
}

static int read_solver(augur_job *j, config_setting_t *root, char *err, size_t cap)
{
    int strategy = j->problem.kind == AUGUR__PROBLEM_FIT && j->problem.strategy;
    config_setting_t *g = solver_group(root, strategy ? "nelder-mead" : "auto");
    if (!g)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = fill_dimension(g, j->problem.n, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__spec_solver_from(g, &j->solver, err, cap);
    if (rc == AUGUR_OK)
        rc = model_bounds(j, g, err, cap);
    const config_setting_t *seed = config_setting_get_member(root, "seed");
    size_t v;
    if (rc == AUGUR_OK && seed && (rc = augur__setting_count(seed, &v, 0, err, cap)) == 0)
        augur_solver_set_seed(j->solver, (uint64_t)v);
    /* a profile scan's map runs its bins, whatever the solver */
    const config_setting_t *map = config_setting_get_member(root, "map");
    const config_setting_t *profile = config_setting_get_member(root, "profile");
    if (rc == AUGUR_OK && map && profile)
        rc = augur__spec_make_map(map, &j->map, err, cap);
    else if (rc == AUGUR_OK && map)
        rc = augur__spec_read_map(map, j->solver, err, cap);
    if (rc == AUGUR_OK && profile) {
        rc = augur__profile_resolve(profile, &j->profile_values, j->solver, err, cap);
        augur__profile_take_map(j);
    }
    return rc == AUGUR_OK ? check_solver(j, root, g, err, cap) : rc;
}

static int read_output(augur_job *j, const config_setting_t *g, char *err, size_t cap)
{
    static const char *const keys[] = {"results"};
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, 1, err, cap);
    const char *r = rc ? NULL : augur__setting_member_string(g, "results", 0, err, cap, &rc);
    if (r && !*r)
        return augur__setting_fail(config_setting_get_member(g, "results"), err, cap,
                                   AUGUR_EINVAL, "expected a file name");
    if (r && (!(j->results = strdup(r)) ||
              !(j->results_path = augur__path_join(j->dir, r))))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    char why[AUGUR_ERRMSG_CAP];
    if (r && (rc = augur__output_path_check(j->results_path, why, sizeof why)) != 0)
        return augur__setting_fail(config_setting_get_member(g, "results"), err, cap, rc,
                                   "%s", why);
    return rc;
}

static int build(augur_job *j, config_setting_t *root, char *err, size_t cap)
{
    int rc = augur__setting_only(root, top_keys, AUGUR__ARRAY_SIZE(top_keys), err, cap);
    const config_setting_t *m;
    if (rc == AUGUR_OK && (m = config_setting_get_member(root, "profile"))) {
        j->has_profile = 1;
        rc = augur__profile_read(m, &j->profile_values, err, cap);
    }
    const config_setting_t *problem = config_setting_get_member(root, "problem");
    if (rc == AUGUR_OK && !problem)
        rc = augur__setting_fail(root, err, cap, AUGUR_EINVAL,
                                 "needs a problem (e.g. problem = { model = \"rosen\"; "
                                 "dimension = 3; };)");
    if (rc == AUGUR_OK)
        rc = augur__problem_read(problem, j->dir, &j->problem, err, cap);
    if (rc == AUGUR_OK)
        rc = read_solver(j, root, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(root, "monitors")))
        rc = j->has_profile ? augur__setting_fail(m, err, cap, AUGUR_EINVAL,
                                                  "a profile scan runs no monitors")
                            : augur__monitors_read(m, j->dir, &j->monitors, &j->nmonitors, err,
                                                   cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(root, "output")))
        rc = read_output(j, m, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(root, "checkpoint")))
        rc = augur__checkpoint_read(m, j, err, cap);
    return rc;
}

/* --- Loading ----------------------------------------------------------------- */

static int parse(config_t *c, const char *text, const char *name, const char *dir,
                 char *err, size_t cap)
{
    config_init(c);
    config_set_auto_convert(c, 1);
    config_set_include_dir(c, dir);
    if (config_read_string(c, text) == CONFIG_TRUE)
        return AUGUR_OK;
    const char *file = config_error_file(c);
    return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s:%d: %s", file ? file : name,
                           config_error_line(c), config_error_text(c));
}

/* AUGUR_JOB_DEFER_MPI: "mpi" maps in the tree become serial, noted. */
static void defer_mpi(augur_job *j, config_t *c)
{
    static const char *const paths[] = {"map.type", "solver.map.type"};
    for (size_t i = 0; i < 2; i++) {
        config_setting_t *t = config_lookup(c, paths[i]);
        const char *v = t && config_setting_type(t) == CONFIG_TYPE_STRING
                            ? config_setting_get_string(t) : NULL;
        if (v && augur__name_eq(v, "mpi") && config_setting_set_string(t, "serial"))
            j->wants_mpi = 1;
    }
}

static int load(const char *text, const char *name, const char *dir,
                const char *const *overrides, unsigned flags, augur_job **out, char *err,
                size_t cap)
{
    char why[AUGUR__JOB_ERRCAP] = "";
    augur_job *j = calloc(1, sizeof *j);
    if (j)
        j->problem.slot = -1;  /* no cost slot taken yet */
    if (!j || !(j->name = strdup(name)) || !(j->dir = strdup(dir))) {
        augur_job_destroy(j);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "%s: out of memory", name);
    }
    config_t c;
    int rc = parse(&c, text, name, dir, err, cap);
    if (rc == AUGUR_OK) {
        rc = augur__overrides_apply(&c, overrides, why, sizeof why);
        if (rc == AUGUR_OK && (flags & AUGUR_JOB_DEFER_MPI))
            defer_mpi(j, &c);
        if (rc == AUGUR_OK)
            rc = build(j, config_root_setting(&c), why, sizeof why);
        if (rc != AUGUR_OK)
            place(name, why, err, cap);
    }
    config_destroy(&c);
    if (rc != AUGUR_OK) {
        augur_job_destroy(j);
        return rc;
    }
    *out = j;
    return AUGUR_OK;
}

int augur__job_load_text(const char *text, const char *name, const char *dir,
                         unsigned flags, augur_job **out, char *err, size_t cap)
{
    *out = NULL;
    return load(text, name, dir, NULL, flags, out, err, cap);
}

int augur_job_load_string(const char *text, const char *name,
                          const char *const *overrides, augur_job **out, char *err,
                          size_t cap)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "augur_job_load_string: NULL %s",
                               text ? "result pointer" : "text");
    return load(text, name ? name : "(string)", ".", overrides, 0, out, err, cap);
}

static char *slurp(const char *path, char *err, size_t cap, int *rc)
{
    size_t most = augur__max_config_bytes();
    FILE *fp = augur__input_open(path, most, "config file", rc, err, cap);
    char *text = NULL;
    size_t len = 0, room = 0;
    if (!fp)
        return NULL;
    for (;;) {
        if (len + 4096 + 1 > room) {
            room = room ? 2 * room : 8192;
            char *t = realloc(text, room);
            if (!t)
                break;
            text = t;
        }
        size_t got = fread(text + len, 1, room - len - 1, fp);
        len += got;
        if (got == 0 || len > most)   /* grown since it was opened */
            break;
    }
    int bad = ferror(fp) || !text || len + 1 > room || len > most;
    fclose(fp);
    if (bad) {
        free(text);
        *rc = augur__fail_msg(err, cap, AUGUR_EIO, "%s: cannot read it", path);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

int augur_job_load(const char *path, const char *const *overrides, augur_job **out,
                   char *err, size_t cap)
{
    return augur_job_load_ex(path, overrides, 0, out, err, cap);
}

int augur_job_wants_mpi(const augur_job *j)
{
    return j ? j->wants_mpi : 0;
}

int augur_job_load_ex(const char *path, const char *const *overrides, unsigned flags,
                      augur_job **out, char *err, size_t cap)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "augur_job_load: NULL %s",
                               path ? "result pointer" : "path");
    int rc;
    /* an HDF5 results file runs the config it carries (results_h5.c) */
    char *text = augur__results_h5_detect(path) ? augur__results_h5_config(path, &rc, err, cap)
                                                : slurp(path, err, cap, &rc);
    char *dir = text ? dir_of(path) : NULL;
    if (text && !dir)
        rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "%s: out of memory", path);
    if (dir)
        rc = load(text, path, dir, overrides, flags, out, err, cap);
    free(dir);
    free(text);
    return rc;
}

void augur_set_file_limits(size_t config_bytes, size_t data_bytes)
{
    augur__set_max_bytes(config_bytes, data_bytes);
}

int augur_output_path_check(const char *path, char *err, size_t cap)
{
    return augur__output_path_check(path, err, cap);
}

void augur_job_destroy(augur_job *j)
{
    if (!j)
        return;
    augur_solver_destroy(j->solver);
    augur_map_destroy(j->map);
    augur_profile_result_destroy(&j->profile);
    augur__problem_free(&j->problem);
    augur__monitors_free(j->monitors, j->nmonitors);
    for (size_t i = 0; i < j->nruns; i++) {
        free(j->runs[i].start);
        free(j->runs[i].end);
        free(j->runs[i].reason);
    }
    free(j->runs);
    augur__history_free(&j->history);
    free(j->x);
    free(j->reason);
    free(j->uncertainty);
    free(j->results);
    free(j->results_path);
    augur__job_checkpoint_free(j);
    free(j->name);
    free(j->dir);
    free(j);
}
