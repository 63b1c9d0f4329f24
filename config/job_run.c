/* job_run.c - what is done with a loaded job: its settings from the
 * caller (seed, map, progress, the monitors' stream), the run, and the
 * outcome kept past the solver.
 *
 * A job runs once: its monitors are made and attached when it starts
 * (a log file is not opened by a job that is only checked), the solve or
 * the profile scan runs, and the answer - polished and reported, for a fit
 * that asks - is copied out with every inner run of an ensemble, so the
 * results file and the summary need nothing but the job. Settings that
 * would change the run are refused once it has run: a results file must
 * describe the run that made it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "solver_int.h"
#include "job_int.h"
#include "results_h5.h"

static int job_fail(augur_job *j, int code, const char *fmt, ...) AUGUR__PRINTF(3, 4);
static int job_fail(augur_job *j, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = augur__vfail_msg(j->errmsg, sizeof j->errmsg, code, fmt, ap);
    va_end(ap);
    return rc;
}

/* --- Settings ------------------------------------------------------------------ */

int augur_job_set_seed(augur_job *j, uint64_t seed)
{
    if (!j)
        return AUGUR_EINVAL;
    j->errmsg[0] = '\0';
    if (j->ran)
        return job_fail(j, AUGUR_ESTATE, "the job has run: load it again to change it");
    return augur_solver_set_seed(j->solver, seed);
}

/* "type" or "type:workers". */
int augur_job_set_map(augur_job *j, const char *map)
{
    if (!j || !map)
        return AUGUR_EINVAL;
    j->errmsg[0] = '\0';
    if (j->ran)
        return job_fail(j, AUGUR_ESTATE, "the job has run: load it again to change it");
    char type[64];
    const char *colon = strchr(map, ':');
    size_t len = colon ? (size_t)(colon - map) : strlen(map);
    long workers = 0;
    if (colon) {
        char *end = NULL;
        errno = 0;
        workers = strtol(colon + 1, &end, 10);
        if (end == colon + 1 || *end || errno || workers < 0 || workers > AUGUR_MAX_WORKERS)
            return job_fail(j, AUGUR_EINVAL, "map '%s': expected type:workers "
                            "(e.g. threads:4)", map);
    }
    if (len == 0 || len >= sizeof type)
        return job_fail(j, AUGUR_EINVAL, "map '%s': expected a type (serial, threads, "
                        "fork, mpi)", map);
    memcpy(type, map, len);
    type[len] = '\0';
    augur_map *m = NULL;
    char why[AUGUR_ERRMSG_CAP];
    int rc = augur_map_new(&m, type, (int)workers, why, sizeof why);
    if (rc != AUGUR_OK)
        return job_fail(j, rc, "map '%s': %s", map, why);
    if (j->has_profile) {   /* the scan's map, whatever the solver */
        augur_map_destroy(j->map);
        j->map = m;
        return AUGUR_OK;
    }
    rc = augur__solver_own_map(j->solver, m);
    if (rc != AUGUR_OK)
        return job_fail(j, rc, "map '%s': %s", map, augur_solver_errmsg(j->solver));
    return AUGUR_OK;
}

int augur_job_set_timeout(augur_job *j, double seconds)
{
    if (!j)
        return AUGUR_EINVAL;
    j->errmsg[0] = '\0';
    if (j->ran)
        return job_fail(j, AUGUR_ESTATE, "the job has run: load it again to change it");
    augur_map *m = j->has_profile ? j->map : augur_solver_map(j->solver);
    if (!m)
        return job_fail(j, AUGUR_EINVAL, "a timeout needs a map (e.g. --map fork:2, "
                        "or map = { type = \"fork\"; workers = 2; timeout = %g; })",
                        seconds);
    int rc = augur_map_set_timeout(m, seconds);
    if (rc != AUGUR_OK)
        return job_fail(j, rc, "%s", augur_map_errmsg(m));
    return AUGUR_OK;
}

int augur_job_set_progress(augur_job *j, augur_job_progress_fn fn, void *data)
{
    if (!j)
        return AUGUR_EINVAL;
    j->progress = fn;
    j->progress_data = data;
    return AUGUR_OK;
}

int augur_job_set_stream(augur_job *j, FILE *fp)
{
    if (!j)
        return AUGUR_EINVAL;
    j->stream = fp;
    return AUGUR_OK;
}

int augur_job_check_output(augur_job *j, const char *path)
{
    if (!j)
        return AUGUR_EINVAL;
    j->errmsg[0] = '\0';
    int rc = augur__output_path_check(path, j->errmsg, sizeof j->errmsg);
    if (rc == AUGUR_OK && augur__results_h5_path(path))
        rc = augur__results_h5_available(path, j->errmsg, sizeof j->errmsg);
    return rc;
}

const char *augur_job_results_path(const augur_job *j)
{
    return j ? j->results_path : NULL;
}

augur_solver *augur_job_solver(augur_job *j)
{
    return j ? j->solver : NULL;
}

const char *augur_job_errmsg(const augur_job *j)
{
    return j ? j->errmsg : "no job";
}

/* --- Running --------------------------------------------------------------------- */

static int on_record(const augur_record *r, void *data)
{
    augur_job *j = data;
    if (j->progress)
        j->progress(r, augur_solver_max_evaluations(j->solver), augur__now() - j->t0,
                    j->progress_data);
    return 0;
}

/* Keep the outcome, and every inner run of an ensemble, past the solver. */
static int keep_outcome(augur_job *j)
{
    augur_solver *s = j->solver;
    size_t n = j->problem.n, count = 0;
    const augur_inner_run *runs = augur_ensemble_runs(s, &count);
    j->x = malloc(n * sizeof *j->x);
    j->reason = strdup(augur_solver_termination_reason(s));
    j->runs = count ? calloc(count, sizeof *j->runs) : NULL;
    if (!j->x || !j->reason || (count && !j->runs))
        return job_fail(j, AUGUR_ENOMEM, "out of memory");
    memcpy(j->x, augur_solver_best_solution(s), n * sizeof *j->x);
    j->f = augur_solver_best_energy(s);
    j->evaluations = augur_solver_evaluations(s);
    j->generations = augur_solver_generations(s);
    j->seconds = augur_solver_elapsed(s);
    for (size_t i = 0; i < count; i++, j->nruns++) {
        augur__run_copy *c = &j->runs[i];
        *c = (augur__run_copy){.batch = runs[i].batch, .index = runs[i].index,
                               .evaluations = runs[i].evaluations,
                               .generations = runs[i].generations, .f = runs[i].f,
                               .start = malloc(n * sizeof(double)),
                               .end = malloc(n * sizeof(double)),
                               .reason = strdup(runs[i].reason ? runs[i].reason : "")};
        if (!c->start || !c->end || !c->reason)
            return job_fail(j, AUGUR_ENOMEM, "out of memory");
        memcpy(c->start, runs[i].start, n * sizeof(double));
        memcpy(c->end, runs[i].end, n * sizeof(double));
    }
    size_t *counts = count ? malloc(count * sizeof *counts) : NULL;
    for (size_t i = 0; counts && i < count; i++)
        counts[i] = runs[i].evaluations;
    augur__history_split(&j->history, counts, counts ? count : 0);
    free(counts);
    return AUGUR_OK;
}

/* The fit strategy in place of the solve (no solver named): the outcome
 * as keep_outcome would have it, the best run's LM ending as the polish. */
static int run_strategy(augur_job *j)
{
    augur_solver *s = j->solver;
    if (!s->seed_set)
        augur_solver_set_seed(s, augur__os_seed());
    j->has_strategy = 1;
    j->x = malloc(j->problem.n * sizeof *j->x);
    if (!j->x)
        return job_fail(j, AUGUR_ENOMEM, "out of memory");
    augur_fit_strategy_result *r = &j->problem.strat_res;
    int rc = augur__problem_strategy_fit(&j->problem, s, j->x, &j->f, r, j->errmsg,
                                         sizeof j->errmsg);
    if (rc != AUGUR_OK)
        return rc;
    j->reason = strdup(r->reason);
    j->evaluations = r->evaluations;
    j->generations = r->runs;
    j->seconds = augur__now() - j->t0;
    j->polish = r->best;
    j->polish.converged = r->converged;
    return j->reason ? AUGUR_OK : job_fail(j, AUGUR_ENOMEM, "out of memory");
}

static int finish_fit(augur_job *j)
{
    if (j->problem.kind != AUGUR__PROBLEM_FIT)
        return AUGUR_OK;
    if (!(j->uncertainty = malloc(j->problem.n * sizeof *j->uncertainty)))
        return job_fail(j, AUGUR_ENOMEM, "out of memory");
    augur__problem q = j->problem;
    q.polish = q.polish && !j->has_strategy;  /* the strategy's answer is LM's */
    int rc = augur__problem_finish_fit(&q, j->solver, j->x, &j->f,
                                       j->uncertainty, &j->reduced_chi_square,
                                       &j->polish,
                                       j->errmsg, sizeof j->errmsg);
    j->has_report = rc == AUGUR_OK;
    return rc;
}

int augur_job_run(augur_job *j)
{
    if (!j)
        return AUGUR_EINVAL;
    j->errmsg[0] = '\0';
    if (j->ran)
        return job_fail(j, AUGUR_ESTATE, "the job has run: load it again to run again");
    augur_solver *s = j->solver;
    if (j->has_profile) {
        j->ran = 1;
        return augur__profile_run(j);
    }
    int rc = augur__monitors_attach(j->monitors, j->nmonitors, s, j->stream, j->dir,
                                    augur__problem_label(&j->problem), j->errmsg,
                                    sizeof j->errmsg);
    if (rc == AUGUR_OK)
        rc = augur__history_attach(&j->history, s);
    if (rc == AUGUR_OK && (rc = augur__job_checkpoint_attach(j)) != AUGUR_OK)
        return rc;
    if (rc == AUGUR_OK && j->progress)
        rc = augur_solver_add_generation_monitor(s, augur_monitor_callback(on_record, j));
    if (rc != AUGUR_OK)
        return j->errmsg[0] ? rc : job_fail(j, rc, "%s", augur_solver_errmsg(s));
    j->t0 = augur__now();
    j->ran = 1;
    if (j->problem.kind == AUGUR__PROBLEM_FIT && j->problem.strategy) {
        rc = run_strategy(j);
        return rc == AUGUR_OK ? finish_fit(j) : rc;
    }
    rc = augur_solve(s, j->problem.cost, j->problem.data, NULL);
    /* a failed save stopped the run; a stop request gets its last save,
     * before the limits are pinned for the results file; either way every
     * save is on disk before the run returns */
    int saved = augur__job_checkpoint_end(j, rc == AUGUR_STOPPED);
    if (rc < 0)
        return job_fail(j, rc, "%s", augur_solver_errmsg(s));
    if (saved != AUGUR_OK)
        return saved;
    int kept = keep_outcome(j);
    if (kept == AUGUR_OK && rc == AUGUR_STOPPED)
        kept = augur__job_pin_interrupted(j);
    if (kept == AUGUR_OK)
        kept = finish_fit(j);
    return kept != AUGUR_OK ? kept : rc;
}

int augur_job_answer(const augur_job *j, const double **x, size_t *n, double *f)
{
    if (!j || !x || !n || !f)
        return AUGUR_EINVAL;
    if (!j->x)
        return AUGUR_ESTATE;
    *x = j->x;
    *n = j->problem.n;
    *f = j->f;
    return AUGUR_OK;
}

int augur_job_fit_converged(const augur_job *j)
{
    if (!j || !j->x)
        return -1;
    if (j->problem.kind != AUGUR__PROBLEM_FIT || !(j->problem.polish || j->has_strategy))
        return 1;
    return j->polish.converged ? 1 : 0;
}
