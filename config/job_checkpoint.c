/* job_checkpoint.c - checkpoints of a config-file job: save the run every
 * N generations or every so long, and once more when a stop request ends
 * it; rebuild the job from the file and let it run on (augur resume).
 *
 * The solver's state is the solver's checkpoint (solvers/checkpoint.c);
 * what the job adds, as the one string augur_solver_save_job carries, is
 * what its results file needs besides the solver: the input with every
 * default resolved (the text a results file starts with, paths as
 * written), the file's name and folder (the results file names the one,
 * relative paths start from the other), where the results go, how often
 * to save, and the convergence history kept so far (history.c). Resuming
 * loads that input as the file it came from, puts the restored solver in
 * place of the one the input builds, and puts the history back, so the
 * results file of the resumed run is the uninterrupted run's byte for
 * byte, but for its timings.
 *
 * Saving is a generation monitor attached after the history's, so the
 * saved history includes the generation being saved, and before the
 * progress line's, so the line can say when it last saved. It never runs
 * in a signal handler: Ctrl-C or SIGTERM only asks the solver to stop,
 * and the last checkpoint is written once augur_solve has returned, at
 * that generation boundary, before the stopped run's limits are pinned
 * for its results file (interrupted.c). By generations it saves at the
 * multiples of N, so a resumed run saves where the uninterrupted one did. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur/plugin.h"
#include "setting_int.h"
#include "solver_int.h"
#include "job_int.h"

#define DEFAULT_EVERY "60s"

/* "10" (generations), "30s", "5m", "1h", "2.5s". */
static int parse_every(const char *text, size_t *gens, double *secs)
{
    char *end = NULL;
    *gens = 0;
    *secs = 0;
    if (!text || !*text || text[0] == '-' || text[0] == ' ')
        return AUGUR_EINVAL;
    errno = 0;
    double v = augur__strtod(text, &end);
    if (end == text || errno || !(v > 0) || v > 1e9)
        return AUGUR_EINVAL;
    if (*end == '\0') {
        if (v != floor(v))
            return AUGUR_EINVAL;
        *gens = (size_t)v;
        return AUGUR_OK;
    }
    double unit = !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60 : !strcmp(end, "h") ? 3600
                                                                                       : 0;
    if (unit == 0)
        return AUGUR_EINVAL;
    *secs = v * unit;
    return AUGUR_OK;
}

#define EVERY_HELP "expected a number of generations (10) or a time (\"30s\", " \
                   "\"5m\", \"1h\")"

static int set_plan(augur_job *j, const char *path, const char *every, char *err,
                    size_t cap)
{
    size_t gens;
    double secs;
    if (parse_every(every ? every : DEFAULT_EVERY, &gens, &secs) != AUGUR_OK)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "checkpoint every '%s': %s",
                               every, EVERY_HELP);
    int rc = augur__output_path_check(path, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    char *copy = strdup(path);
    if (!copy)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    free(j->ckpt_path);
    j->ckpt_path = copy;
    j->ckpt_gens = gens;
    j->ckpt_secs = secs;
    return AUGUR_OK;
}

int augur__checkpoint_read(const config_setting_t *g, augur_job *j, char *err,
                           size_t cap)
{
    static const char *const keys[] = {"file", "every"};
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, 2, err, cap);
    const char *file = rc ? NULL : augur__setting_member_string(g, "file", 1, err, cap, &rc);
    if (!file)
        return rc;
    const config_setting_t *e = config_setting_get_member(g, "every");
    char buf[64] = DEFAULT_EVERY;
    if (e && config_setting_type(e) == CONFIG_TYPE_STRING)
        snprintf(buf, sizeof buf, "%s", config_setting_get_string(e));
    else if (e && (config_setting_type(e) == CONFIG_TYPE_INT ||
                   config_setting_type(e) == CONFIG_TYPE_INT64))
        snprintf(buf, sizeof buf, "%lld", (long long)config_setting_get_int64(e));
    else if (e)
        return augur__setting_fail(e, err, cap, AUGUR_EINVAL, EVERY_HELP);
    size_t gens;
    double secs;
    if (parse_every(buf, &gens, &secs) != AUGUR_OK)
        return augur__setting_fail(e, err, cap, AUGUR_EINVAL, EVERY_HELP);
    char *path = augur__path_join(j->dir, file);
    j->ckpt_file = strdup(file);
    j->ckpt_every = e ? strdup(buf) : NULL;
    if (!path || !j->ckpt_file || (e && !j->ckpt_every))
        rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    char why[AUGUR_ERRMSG_CAP];
    if (rc == AUGUR_OK && (rc = set_plan(j, path, buf, why, sizeof why)) != AUGUR_OK)
        rc = augur__setting_fail(config_setting_get_member(g, "file"), err, cap, rc, "%s",
                                 why);
    free(path);
    return rc;
}

void augur__job_emit_checkpoint(augur_strbuf *b, const augur_job *j)
{
    if (!j->ckpt_file)
        return;
    augur__sb_printf(b, "checkpoint = {\n  file = ");
    augur__sb_string(b, j->ckpt_file);
    augur__sb_printf(b, ";\n");
    if (j->ckpt_every) {
        size_t gens;
        double secs;
        parse_every(j->ckpt_every, &gens, &secs);
        if (gens)
            augur__sb_printf(b, "  every = %zu;\n", gens);
        else {
            augur__sb_printf(b, "  every = ");
            augur__sb_string(b, j->ckpt_every);
            augur__sb_printf(b, ";\n");
        }
    }
    augur__sb_printf(b, "};\n");
}

/* --- Setting it up ------------------------------------------------------------ */

static int job_fail(augur_job *j, int code, const char *fmt, ...) AUGUR__PRINTF(3, 4);

static int job_fail(augur_job *j, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = augur__vfail_msg(j->errmsg, sizeof j->errmsg, code, fmt, ap);
    va_end(ap);
    return rc;
}

int augur_job_set_checkpoint(augur_job *j, const char *path, const char *every)
{
    if (!j || !path)
        return AUGUR_EINVAL;
    j->errmsg[0] = '\0';
    if (j->ran)
        return job_fail(j, AUGUR_ESTATE, "the job has run: load it again to change it");
    return set_plan(j, path, every, j->errmsg, sizeof j->errmsg);
}

size_t augur_job_checkpoints(const augur_job *j, size_t *generation, double *seconds)
{
    if (generation)
        *generation = j ? j->ckpt_last_gen : 0;
    if (seconds)
        *seconds = j && j->ckpt_saves ? j->ckpt_last - j->t0 : 0;
    return j ? j->ckpt_saves : 0;
}

const char *augur_job_checkpoint_path(const augur_job *j)
{
    return j ? j->ckpt_path : NULL;
}

/* An absolute form of path (relative to the working directory now). */
static char *absolute(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    return augur__path_join(cwd, path);
}

int augur_job_set_results_path(augur_job *j, const char *path)
{
    if (!j || !path)
        return AUGUR_EINVAL;
    char *copy = absolute(path);
    if (!copy)
        return AUGUR_ENOMEM;
    free(j->carried_results);
    j->carried_results = copy;
    return AUGUR_OK;
}

/* --- Saving ----------------------------------------------------------------------- */

/* What the carried text starts with: nothing in it changes while the job
 * runs, so it is made once (with a realpath and a getcwd). */
static int job_head(augur_job *j)
{
    char dir[PATH_MAX];
    if (!realpath(j->dir, dir))
        snprintf(dir, sizeof dir, "%s", j->dir);
    augur_strbuf b = {0};
    augur__sb_printf(&b, "name = ");
    augur__sb_string(&b, j->name);
    augur__sb_printf(&b, ";\ndir = ");
    augur__sb_string(&b, dir);
    augur__sb_printf(&b, ";\n");
    const char *results = j->carried_results ? j->carried_results : NULL;
    char *abs = !results && j->results_path ? absolute(j->results_path) : NULL;
    if (results || abs) {
        augur__sb_printf(&b, "results = ");
        augur__sb_string(&b, results ? results : abs);
        augur__sb_printf(&b, ";\n");
    }
    free(abs);
    augur__sb_printf(&b, "every-generations = %zuL;\nevery-seconds = ", j->ckpt_gens);
    augur__sb_double(&b, j->ckpt_secs);
    augur__sb_printf(&b, ";\n");
    return augur__sb_finish(&b, &j->ckpt_head);
}

/* The string the checkpoint carries besides the solver, in j->ckpt_text:
 * the head, the history so far (history.c keeps the text of its final
 * part, so a save formats only the new points), the input. */
/* The carried text's last part, "config = <the input, escaped>;", made
 * once: the input does not change during the run. */
static int job_tail(augur_job *j)
{
    char *input = NULL;
    int rc = augur__job_input_text(j, &input, j->errmsg, sizeof j->errmsg);
    if (rc != AUGUR_OK)
        return rc;
    augur_strbuf b = {0};
    augur__sb_printf(&b, "config = ");
    augur__sb_string(&b, input);
    augur__sb_printf(&b, ";\n");
    free(input);
    if (augur__sb_finish(&b, &j->ckpt_tail) != AUGUR_OK)
        return job_fail(j, AUGUR_ENOMEM, "checkpoint: out of memory");
    return AUGUR_OK;
}

static int job_text(augur_job *j)
{
    int rc = AUGUR_OK;
    if (!j->ckpt_tail && (rc = job_tail(j)) != AUGUR_OK)
        return rc;
    if (!j->ckpt_head && job_head(j) != AUGUR_OK)
        return job_fail(j, AUGUR_ENOMEM, "checkpoint: out of memory");
    augur_strbuf *b = &j->ckpt_text;
    augur__sb_clear(b);
    augur__sb_append(b, j->ckpt_head, strlen(j->ckpt_head));
    augur__history_save(b, &j->history);
    augur__sb_append(b, j->ckpt_tail, strlen(j->ckpt_tail));
    if (b->failed) {
        free(b->text);
        *b = (augur_strbuf){0};
        return job_fail(j, AUGUR_ENOMEM, "checkpoint: out of memory");
    }
    return AUGUR_OK;
}

/* Captured and handed to the checkpointer's thread, which writes the file;
 * an error of an earlier write comes back here (or at the end). */
static int save(augur_job *j, size_t generation)
{
    int rc = job_text(j);
    if (rc == AUGUR_OK &&
        (rc = augur_checkpointer_save(j->ckpt, j->solver, j->ckpt_text.text)))
        job_fail(j, rc, "checkpoint %s: %s", j->ckpt_path, augur_checkpointer_errmsg(j->ckpt));
    if (rc == AUGUR_OK) {
        j->ckpt_saves++;
        j->ckpt_last_gen = generation;
        j->ckpt_last = augur__now();
    }
    return rc;
}

static int on_generation(const augur_record *r, void *data)
{
    augur_job *j = data;
    int due = (j->ckpt_gens && r->generation % j->ckpt_gens == 0 && r->generation > 0) ||
              (j->ckpt_secs > 0 && augur__now() - j->ckpt_last >= j->ckpt_secs);
    if (!due || j->ckpt_rc)
        return j->ckpt_rc ? 1 : 0;
    j->ckpt_rc = save(j, r->generation);
    return j->ckpt_rc ? 1 : 0;   /* a failed save stops the run */
}

int augur__job_checkpoint_attach(augur_job *j)
{
    if (!j->ckpt_path)
        return AUGUR_OK;
    if (j->has_profile)
        return job_fail(j, AUGUR_EUNSUP, "a profile scan cannot be checkpointed");
    if (j->problem.kind == AUGUR__PROBLEM_FIT && j->problem.strategy)
        return job_fail(j, AUGUR_EUNSUP, "the fit strategy (a fit with no solver) "
                        "cannot be checkpointed: name a solver");
    char err[AUGUR_ERRMSG_CAP];
    if (!(j->ckpt = augur_checkpointer_open(j->ckpt_path, err, sizeof err)))
        return job_fail(j, AUGUR_EIO, "checkpoint: %s", err);
    j->ckpt_last = augur__now();
    j->ckpt_rc = AUGUR_OK;
    int rc = augur_solver_add_generation_monitor(j->solver,
                                                 augur_monitor_callback(on_generation, j));
    return rc ? job_fail(j, rc, "%s", augur_solver_errmsg(j->solver)) : AUGUR_OK;
}

int augur__job_checkpoint_end(augur_job *j, int stopped)
{
    if (!j->ckpt)
        return j->ckpt_rc;
    if (stopped && j->ckpt_rc == AUGUR_OK)
        j->ckpt_rc = save(j, augur_solver_generations(j->solver));
    char err[AUGUR_ERRMSG_CAP];
    int rc = augur_checkpointer_close(j->ckpt, err, sizeof err);
    j->ckpt = NULL;
    if (rc != AUGUR_OK && j->ckpt_rc == AUGUR_OK)
        j->ckpt_rc = job_fail(j, rc, "checkpoint %s: %s", j->ckpt_path, err);
    return j->ckpt_rc;
}

void augur__job_checkpoint_free(augur_job *j)
{
    augur_checkpointer_close(j->ckpt, NULL, 0);
    free(j->ckpt_head);
    free(j->ckpt_text.text);
    free(j->ckpt_path);
    free(j->ckpt_file);
    free(j->ckpt_every);
    free(j->ckpt_tail);
    free(j->carried_results);
}

/* --- Resuming ---------------------------------------------------------------------- */

static const char *text_of(const config_setting_t *root, const char *name)
{
    const config_setting_t *m = config_setting_get_member(root, name);
    return m ? config_setting_get_string(m) : NULL;
}

/* The job the carried text describes, with the restored solver in place. */
static int rebuild(config_t *c, augur_solver *s, const char *path, unsigned flags,
                   augur_job **out, char *err, size_t cap)
{
    const config_setting_t *root = config_root_setting(c);
    const char *name = text_of(root, "name"), *dir = text_of(root, "dir");
    const char *input = text_of(root, "config"), *results = text_of(root, "results");
    long long gens = 0;
    double secs = 0;
    if (!name || !dir || !input || !config_setting_lookup_int64(root, "every-generations",
                                                                &gens) ||
        !config_setting_lookup_float(root, "every-seconds", &secs))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s: the checkpoint carries no "
                               "job (it was not written by augur run)", path);
    int rc = augur__job_load_text(input, name, dir, flags, out, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    augur_job *j = *out;
    augur_solver_destroy(j->solver);
    j->solver = s;
    char *p = strdup(path);
    char *r = results ? strdup(results) : NULL;
    if (!p || (results && !r)) {
        free(p);
        free(r);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    free(j->ckpt_path);
    j->ckpt_path = p;
    j->ckpt_gens = (size_t)gens;
    j->ckpt_secs = secs;
    if (r) {
        free(j->carried_results);
        j->carried_results = r;
        free(j->results_path);
        j->results_path = strdup(r);
    }
    if (augur__history_load(config_setting_get_member(root, "history"), &j->history))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s: the job's history is "
                               "damaged", path);
    return AUGUR_OK;
}

int augur_job_resume(const char *checkpoint, augur_job **out, char *err, size_t cap)
{
    return augur_job_resume_ex(checkpoint, 0, out, err, cap);
}

int augur_job_resume_ex(const char *checkpoint, unsigned flags, augur_job **out,
                        char *err, size_t cap)
{
    if (out)
        *out = NULL;
    if (!checkpoint || !out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "augur_job_resume: NULL %s",
                               checkpoint ? "result pointer" : "path");
    char *text = NULL;
    int solver_mpi = 0;
    augur_solver *s = augur__solver_restore_ex(checkpoint, &text, (flags & AUGUR_JOB_DEFER_MPI)
                                               ? &solver_mpi : NULL, err, cap);
    if (!s)
        return AUGUR_EINVAL;
    if (!text) {
        augur_solver_destroy(s);
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s: the checkpoint carries no "
                               "job (it was saved by augur_solver_save, not augur run)",
                               checkpoint);
    }
    config_t c;
    config_init(&c);
    int rc = AUGUR_OK;
    if (config_read_string(&c, text) != CONFIG_TRUE) {
        rc = augur__fail_msg(err, cap, AUGUR_EINVAL, "%s: the job it carries: line %d: %s",
                             checkpoint, config_error_line(&c), config_error_text(&c));
        augur_solver_destroy(s);
    } else {
        rc = rebuild(&c, s, checkpoint, flags & AUGUR_JOB_DEFER_MPI, out, err, cap);
        if (rc != AUGUR_OK && !*out)
            augur_solver_destroy(s);
        if (rc == AUGUR_OK && solver_mpi)
            (*out)->wants_mpi = 1;
    }
    if (rc != AUGUR_OK && *out) {
        augur_job_destroy(*out);
        *out = NULL;
    }
    config_destroy(&c);
    free(text);
    return rc;
}
