/* plot_checkpoint.c - `augur plot CHECKPOINT`: the convergence of a run
 * that is still going, or was killed, from its last checkpoint.
 *
 * A checkpoint (docs/CHECKPOINTS.md) carries the job it belongs to as
 * text, and in it the convergence history the results file will hold: best
 * f against evaluations up to the generation saved. The file is first
 * checked the way `augur resume` checks it (format, version, checksum),
 * so a damaged checkpoint is refused rather than drawn. Only the
 * convergence can be drawn: minima, fits and profiles need a finished run. */
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/config.h"
#include "cli.h"
#include "plot.h"

int plot_is_checkpoint(const char *path)
{
    static const char head[] = "# augur checkpoint";
    char buf[sizeof head] = "";
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    size_t got = fread(buf, 1, sizeof head - 1, fp);
    fclose(fp);
    return got == sizeof head - 1 && memcmp(buf, head, got) == 0;
}

/* A list of numbers as a new array; *n its length. */
static double *numbers(const config_setting_t *list, size_t *n)
{
    *n = list ? (size_t)config_setting_length(list) : 0;
    double *v = *n ? malloc(*n * sizeof *v) : NULL;
    for (size_t i = 0; v && i < *n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        int t = config_setting_type(e);
        v[i] = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                      : (double)config_setting_get_int64(e);
    }
    return v;
}

/* The job text inside the checkpoint (a string setting "job"), parsed. */
static int read_job(const char *path, config_t *job)
{
    config_t outer;
    config_init(&outer);
    config_init(job);
    const char *text = NULL;
    int ok = config_read_file(&outer, path) == CONFIG_TRUE &&
             config_lookup_string(&outer, "job", &text) == CONFIG_TRUE &&
             config_read_string(job, text) == CONFIG_TRUE;
    config_destroy(&outer);
    return ok ? CLI_OK : cli_fail(CLI_USAGE, "plot: %s: a checkpoint without its job "
                                  "(saved by augur_solver_save, not augur run "
                                  "--checkpoint?)", path);
}

/* "de2 on ackley" from the job's config text. */
static void describe(const config_t *job, char *buf, size_t cap)
{
    const char *text = NULL, *type = NULL, *model = NULL;
    config_t c;
    config_init(&c);
    if (config_lookup_string(job, "config", &text) == CONFIG_TRUE &&
        config_read_string(&c, text) == CONFIG_TRUE) {
        config_lookup_string(&c, "solver.type", &type);
        config_lookup_string(&c, "problem.model", &model);
    }
    snprintf(buf, cap, "%s on %s", type ? type : "a solver", model ? model : "its problem");
    config_destroy(&c);
}

int plot_checkpoint(const char *path, const char *out, const char *kind)
{
    if (kind && strcmp(kind, "convergence") != 0)
        return cli_fail(CLI_USAGE, "plot: %s: a checkpoint has only the convergence "
                        "(the run has not finished)", path);
    char err[512];
    augur_job *check = NULL;
    if (augur_job_resume(path, &check, err, sizeof err) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "plot: %s", err);
    augur_job_destroy(check);
    config_t job;
    int rc = read_job(path, &job);
    if (rc != CLI_OK) {
        config_destroy(&job);
        return rc;
    }
    plot_series line = {0};
    size_t ne = 0, nf = 0;
    line.x = numbers(config_lookup(&job, "history.evaluations"), &ne);
    line.y = numbers(config_lookup(&job, "history.f"), &nf);
    line.n = ne < nf ? ne : nf;
    plot_convergence c = {.lines = &line, .nlines = 1, .first_label = "best f so far"};
    char what[128];
    describe(&job, what, sizeof what);
    snprintf(c.title, sizeof c.title, "Convergence so far: %s", what);
    snprintf(c.reason, sizeof c.reason, "checkpoint at %.0f evaluations: the run has not "
             "finished", line.n ? line.x[line.n - 1] : 0.0);
    config_destroy(&job);
    rc = line.n ? draw_convergence(out, &c)
                : cli_fail(CLI_USAGE, "plot: %s: no convergence history in it yet", path);
    free(line.x);
    free(line.y);
    return rc;
}
