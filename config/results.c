/* results.c - the results file of a job, and its summary for people.
 *
 * The results file is itself a config file: the input with every default
 * resolved - the problem with its dimension, the solver as a full spec
 * with the seed the run used (drawn from the OS when the file gave none),
 * the monitors with all their settings - followed by a `results` group,
 * which loading ignores. Loading it therefore reproduces the run bit for
 * bit; numbers are written with the shortest text that reads back exactly
 * (strbuf.c). Relative paths in it start from its own directory: they are
 * written as the input had them when it sits next to the input, else made
 * absolute. It is written to a temporary file in the same directory and
 * renamed over the target, so a failed write leaves nothing behind and a
 * reader never sees half a file. A path ending in .h5 gets the same results
 * in HDF5 (results_h5.c), this text as its "config" attribute. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "augur/version.h"
#include "job_int.h"
#include "results_h5.h"

/* Where relative paths start: the input's directory and the results'. */
typedef struct places {
    const char *config_dir;
    char config_real[PATH_MAX];
    int same;                     /* the two are one directory */
} places;

static const char *path_for(const void *ctx, const char *path, char *buf, size_t cap)
{
    const places *pl = ctx;
    if (!path || path[0] == '/' || pl->same || !pl->config_real[0])
        return path;
    int w = snprintf(buf, cap, "%s/%s", pl->config_real, path);
    return w >= 0 && (size_t)w < cap ? buf : path;   /* too long: as written */
}

static void find_places(places *pl, const char *config_dir, const char *results_path)
{
    char results_real[PATH_MAX] = "";
    char *dir = NULL;
    const char *slash = strrchr(results_path, '/');
    if (!slash)
        dir = strdup(".");
    else if (slash == results_path)
        dir = strdup("/");
    else if ((dir = malloc((size_t)(slash - results_path) + 1))) {
        memcpy(dir, results_path, (size_t)(slash - results_path));
        dir[slash - results_path] = '\0';
    }
    pl->config_dir = config_dir;
    if (!realpath(config_dir, pl->config_real))
        pl->config_real[0] = '\0';
    if (!dir || !realpath(dir, results_real))
        results_real[0] = '\0';
    pl->same = pl->config_real[0] && strcmp(pl->config_real, results_real) == 0;
    free(dir);
}

/* --- Text --------------------------------------------------------------------- */

/* An array when every entry is finite, else a list (infinities and NaN are
 * strings, and libconfig arrays hold one type). */
static void emit_vector(augur_strbuf *b, const char *name, const double *v, size_t n,
                        int depth)
{
    int finite = 1;
    for (size_t i = 0; i < n; i++)
        finite &= isfinite(v[i]) != 0;
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = %s", name, finite ? "[ " : "( ");
    for (size_t i = 0; i < n; i++) {
        augur__sb_printf(b, "%s", i ? ", " : "");
        augur__sb_double(b, v[i]);
    }
    augur__sb_printf(b, finite ? " ];\n" : " );\n");
}

static void emit_number(augur_strbuf *b, const char *name, double v, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = ", name);
    augur__sb_double(b, v);
    augur__sb_printf(b, ";\n");
}

static void emit_count(augur_strbuf *b, const char *name, size_t v, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = %zu%s;\n", name, v, v > INT32_MAX ? "L" : "");
}

static void emit_text(augur_strbuf *b, const char *name, const char *v, int depth)
{
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "%s = ", name);
    augur__sb_string(b, v);
    augur__sb_printf(b, ";\n");
}

static void emit_runs(augur_strbuf *b, const augur_job *j)
{
    size_t n = j->problem.n;
    augur__sb_printf(b, "  runs = (");
    for (size_t i = 0; i < j->nruns; i++) {
        const augur__run_copy *r = &j->runs[i];
        augur__sb_printf(b, "%s\n    {\n", i ? "," : "");
        emit_count(b, "batch", r->batch, 3);
        emit_count(b, "index", r->index, 3);
        emit_vector(b, "start", r->start, n, 3);
        emit_vector(b, "end", r->end, n, 3);
        emit_number(b, "f", r->f, 3);
        emit_count(b, "evaluations", r->evaluations, 3);
        emit_count(b, "generations", r->generations, 3);
        emit_text(b, "reason", r->reason, 3);
        augur__history_emit_inner(b, &j->history, i, 3);
        augur__sb_printf(b, "    }");
    }
    augur__sb_printf(b, "\n  );\n");
}

/* How the polish or the fit strategy ended, and the strategy's minima. */
static void emit_ending(augur_strbuf *b, const augur_job *j)
{
    const augur_fit_strategy_result *r = &j->problem.strat_res;
    augur__sb_printf(b, "    converged = %s;\n", j->polish.converged ? "true" : "false");
    emit_text(b, "ending", j->has_strategy ? r->reason : j->polish.reason, 2);
    if (!j->has_strategy)
        return;
    augur__sb_printf(b, "    minima = (");
    for (size_t k = 0; k < r->nminima; k++) {
        augur__sb_printf(b, "%s\n      {\n", k ? "," : "");
        emit_vector(b, "x", r->minima + k * j->problem.n, j->problem.n, 4);
        emit_number(b, "chi2", r->minima_chi2[k], 4);
        emit_count(b, "runs", r->minima_hits[k], 4);
        augur__sb_printf(b, "      }");
    }
    augur__sb_printf(b, "\n    );\n");
}

static void emit_results(augur_strbuf *b, const augur_job *j)
{
    size_t n = j->problem.n;
    augur__sb_printf(b, "results = {\n");
    emit_vector(b, "x", j->x, n, 1);
    emit_number(b, "f", j->f, 1);
    emit_count(b, "evaluations", j->evaluations, 1);
    emit_count(b, "generations", j->generations, 1);
    emit_text(b, "reason", j->reason, 1);
    emit_number(b, "seconds", j->seconds, 1);
    emit_text(b, "version", augur_version(), 1);
    augur__history_emit(b, &j->history, 1);
    if (j->nruns)
        emit_runs(b, j);
    if (j->has_profile_result) {
        augur__sb_printf(b, "  profile = {\n");
        emit_vector(b, "x", j->profile.x, j->profile.n, 2);
        emit_vector(b, "y", j->profile.y, j->profile.n, 2);
        emit_vector(b, "offsets", j->profile.offsets, j->profile.bins, 2);
        augur__sb_printf(b, "  };\n");
    }
    if (j->has_report) {
        augur__sb_printf(b, "  fit = {\n");
        emit_vector(b, "parameters", j->x, n, 2);
        emit_vector(b, "uncertainty", j->uncertainty, n, 2);
        emit_number(b, "reduced_chi_square", j->reduced_chi_square, 2);
        if (j->has_strategy || j->problem.polish)
            emit_ending(b, j);
        augur__sb_printf(b, "  };\n");
    }
    augur__sb_printf(b, "};\n");
}

/* The input with every default resolved: what loading runs again. */
static int emit_input(augur_strbuf *b, const augur_job *j, const places *pl, char *err,
                      size_t cap)
{
    augur__problem_emit(b, &j->problem, path_for, pl);
    int rc = AUGUR_OK;
    if (j->has_strategy) {
        /* the fit strategy ran in place of a solver: naming none again is
         * what runs it again; the map changes no bits */
        augur__sb_printf(b, "seed = %llu;\n",
                         (unsigned long long)augur_solver_seed(j->solver));
    } else {
        augur__sb_printf(b, "solver = {\n");
        rc = augur__spec_emit_solver(b, j->solver, 1, err, cap);
        augur__sb_printf(b, "};\n");
    }
    if (j->nmonitors)
        augur__monitors_emit(b, j->monitors, j->nmonitors, path_for, pl);
    if (j->has_profile)
        augur__profile_emit(b, j);
    if (j->results) {
        char buf[4096];
        augur__sb_printf(b, "output = {\n");
        emit_text(b, "results", path_for(pl, j->results, buf, sizeof buf), 1);
        augur__sb_printf(b, "};\n");
    }
    augur__job_emit_checkpoint(b, j);
    return rc;
}

static int results_text(const augur_job *j, const places *pl, char **text, char *err,
                        size_t cap)
{
    augur_strbuf b = {0};
    augur__sb_printf(&b, "# augur %s: the results of %s. Loading this file runs the "
                     "same job\n# again, bit for bit; the results group is ignored "
                     "then.\n\n", augur_version(), j->name);
    if (j->interrupted[0])
        augur__sb_printf(&b, "%s\n", j->interrupted);
    int rc = emit_input(&b, j, pl, err, cap);
    emit_results(&b, j);
    if (rc != AUGUR_OK) {
        free(b.text);
        return rc;
    }
    rc = augur__sb_finish(&b, text);
    return rc ? augur__fail_msg(err, cap, rc, "out of memory") : rc;
}

int augur__job_input_text(const augur_job *j, char **text, char *err, size_t cap)
{
    places pl = {.config_dir = j->dir, .same = 1};   /* paths as written */
    augur_strbuf b = {0};
    int rc = emit_input(&b, j, &pl, err, cap);
    if (rc != AUGUR_OK) {
        free(b.text);
        return rc;
    }
    rc = augur__sb_finish(&b, text);
    return rc ? augur__fail_msg(err, cap, rc, "out of memory") : rc;
}

/* --- Writing -------------------------------------------------------------------- */

static int write_replace(const char *path, const char *text, char *err, size_t cap)
{
    augur__replacement r;
    int rc = augur__replace_begin(&r, path, 0644, err, cap);   /* for sharing */
    if (rc != AUGUR_OK)
        return rc;
    if (augur__replace_write(&r, text, strlen(text)) != 0) {
        rc = augur__fail_msg(err, cap, AUGUR_EIO, "%s: cannot write it: %s", path,
                             strerror(errno));
        augur__replace_abort(&r);
        return rc;
    }
    return augur__replace_commit(&r, err, cap);
}

int augur_job_write_results(const augur_job *j, const char *path)
{
    if (!j || !path)
        return AUGUR_EINVAL;
    /* the message is the one field a const call changes, as every public
     * call on a job replaces it */
    augur_job *m = (augur_job *)j;
    m->errmsg[0] = '\0';
    if (!j->x)
        return augur__fail_msg(m->errmsg, sizeof m->errmsg, AUGUR_ESTATE,
                               "no results: the job has not run");
    places pl;
    find_places(&pl, j->dir, path);
    char *text = NULL;
    int rc = results_text(j, &pl, &text, m->errmsg, sizeof m->errmsg);
    if (rc == AUGUR_OK && augur__results_h5_path(path))
        rc = augur__results_h5_write(j, path, text, m->errmsg, sizeof m->errmsg);
    else if (rc == AUGUR_OK)
        rc = write_replace(path, text, m->errmsg, sizeof m->errmsg);
    free(text);
    return rc;
}

/* --- The summary ------------------------------------------------------------------- */

static void print_vector(FILE *fp, const double *v, size_t n)
{
    char num[40];
    fprintf(fp, "[");
    for (size_t i = 0; i < n; i++) {
        augur__format_double(num, sizeof num, v[i]);
        fprintf(fp, "%s%s", i ? ", " : "", num);
    }
    fprintf(fp, "]");
}

int augur_job_print_summary(const augur_job *j, FILE *fp)
{
    if (!j || !fp)
        return AUGUR_EINVAL;
    if (!j->x)
        return AUGUR_ESTATE;
    char num[40];
    fprintf(fp, "solver:      %s, dimension %zu, seed %llu\n",
            j->has_strategy ? "fit strategy (LM, then a multi-start of LM)"
                            : augur_solver_type_name(j->solver),
            j->problem.n,
            (unsigned long long)augur_solver_seed(j->solver));
    fprintf(fp, "x:           ");
    print_vector(fp, j->x, j->problem.n);
    augur__format_double(num, sizeof num, j->f);
    fprintf(fp, "\nf:           %s\n", num);
    fprintf(fp, "evaluations: %zu\ngenerations: %zu\n", j->evaluations, j->generations);
    fprintf(fp, "reason:      %s\n", j->reason);
    fprintf(fp, "seconds:     %.3f\n", j->seconds);
    if (j->nruns)
        fprintf(fp, "inner runs:  %zu\n", j->nruns);
    if (j->has_profile_result)
        augur__profile_print(j, fp);
    if (j->has_report)
        augur__problem_print_fit(&j->problem, j->x, j->uncertainty,
                                 j->reduced_chi_square,
                                 j->problem.polish || j->has_strategy ? &j->polish
                                                                      : NULL,
                                 fp);
    return ferror(fp) ? AUGUR_EIO : AUGUR_OK;
}
