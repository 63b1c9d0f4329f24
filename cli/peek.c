/* peek.c - reading a few settings of a config file before the library
 * loads it.
 *
 * Two decisions have to be made before a job exists. Whether the run uses
 * the "mpi" map: loading builds the map, and an MPI map can only be built
 * once MPI has started, while MPI may only start after every rank has
 * loaded the file (loading registers the cost by name, and MPI workers find
 * costs only by names registered before augur_mpi_init). And, for compare,
 * whether the problem is a registry model with a known minimum. Both are
 * read from the file as libconfig parses it (the way the library does:
 * auto-conversion on, @include relative to the file), with the --set
 * overrides of the same settings taking precedence, as they do in the
 * library. Anything the peek cannot read is left for the real load to
 * report. */
#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include "augur/plugin.h"
#include "cli.h"
#include "peek.h"

int peek_read(const char *path, config_t *c)
{
    config_init(c);
    config_set_auto_convert(c, 1);
    char *copy = strdup(path);
    if (copy)
        config_set_include_dir(c, dirname(copy));
    int ok = config_read_file(c, path) == CONFIG_TRUE;
    free(copy);   /* libconfig keeps its own copy of the include dir */
    return ok ? 0 : -1;
}

/* The value of the last "--set key=value" for exactly this key (blanks
 * around both trimmed, quotes removed), copied into buf; or NULL. */
const char *peek_set(const cli_options *o, const char *key, char *buf, size_t cap)
{
    const char *found = NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < o->nsets; i++) {
        const char *s = o->sets[i];
        while (isspace((unsigned char)*s))
            s++;
        if (strncmp(s, key, klen) != 0)
            continue;
        const char *rest = s + klen;
        while (isspace((unsigned char)*rest))
            rest++;
        if (*rest == '=')
            found = rest + 1;
    }
    if (!found)
        return NULL;
    while (isspace((unsigned char)*found))
        found++;
    size_t len = strlen(found);
    while (len && isspace((unsigned char)found[len - 1]))
        len--;
    if (len >= 2 && found[0] == '"' && found[len - 1] == '"')
        found++, len -= 2;
    snprintf(buf, cap, "%.*s", (int)len, found);
    return buf;
}

/* A string setting, with its --set override first. */
static const char *peek_string(const cli_options *o, const config_t *c, const char *key,
                               char *buf, size_t cap)
{
    const char *v = peek_set(o, key, buf, cap);
    if (!v && c && config_lookup_string(c, key, &v) != CONFIG_TRUE)
        v = NULL;
    return v;
}

/* "mpi", "mpi:4" (a --map value) name the MPI map. */
static int is_mpi(const char *map)
{
    return map && strncmp(map, "mpi", 3) == 0 && (map[3] == '\0' || map[3] == ':');
}

/* Whether the file, with its overrides, asks for the MPI map. */
static int file_wants_mpi(const cli_options *o)
{
    config_t c;
    int readable = peek_read(o->file, &c) == 0;
    char buf[64];
    /* The top-level map wins over the solver's, as in the library. */
    const char *type = peek_string(o, readable ? &c : NULL, "map.type", buf, sizeof buf);
    if (!type)
        type = peek_string(o, readable ? &c : NULL, "solver.map.type", buf, sizeof buf);
    int mpi = type && strcmp(type, "mpi") == 0;
    config_destroy(&c);
    return mpi;
}

int wants_mpi(const cli_options *o)
{
    return o->map ? is_mpi(o->map) : file_wants_mpi(o);
}

void make_serial(config_t *c)
{
    static const char *const paths[] = {"map.type", "solver.map.type"};
    for (size_t i = 0; i < 2; i++) {
        config_setting_t *t = config_lookup(c, paths[i]);
        const char *v = t ? config_setting_get_string(t) : NULL;
        if (v && strcmp(v, "mpi") == 0)
            config_setting_set_string(t, "serial");
    }
}

/* Whether the registry minimiser xmin is a point the solver can reach. */
static int reachable(augur_job *job, const double *xmin, size_t n)
{
    const augur_solver *s = augur_job_solver(job);
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t i = 0; lb && ub && i < n; i++)
        if (xmin[i] < lb[i] || xmin[i] > ub[i])
            return 0;
    return 1;
}

/* Constraints or a penalty change the problem: the model's minimum is then
 * not the problem's. */
static int changed_problem(const cli_options *o, const config_t *c)
{
    char buf[8];
    return config_lookup(c, "solver.constraints") || config_lookup(c, "solver.penalty") ||
           peek_set(o, "solver.constraints", buf, sizeof buf) ||
           peek_set(o, "solver.penalty.relations", buf, sizeof buf);
}

int known_minimum(const cli_options *o, augur_job *job, double *fmin)
{
    config_t c;
    if (peek_read(o->file, &c) != 0) {
        config_destroy(&c);
        return 0;
    }
    char buf[128];
    const char *name = peek_string(o, &c, "problem.model", buf, sizeof buf);
    const augur_model *m = name ? augur_model_find(name) : NULL;
    size_t n = augur_solver_dimension(augur_job_solver(job));
    double maximize = 0;
    augur_solver_get_param(augur_job_solver(job), "maximize", &maximize);
    double *xmin = m && !changed_problem(o, &c) && maximize == 0 ? malloc(n * sizeof *xmin)
                                                                  : NULL;
    int known = xmin && augur_model_minimum(m, n, fmin, xmin) == AUGUR_OK &&
                reachable(job, xmin, n);
    free(xmin);
    config_destroy(&c);
    return known;
}
