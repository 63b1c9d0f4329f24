/* run.c - `augur run FILE`: load, solve, print the summary, write results.
 *
 * The order matters for the exit statuses the command promises: everything
 * that can be wrong with the file or the options is found before the run
 * starts (status 2, nothing written), including a results path whose
 * directory cannot be written (status 3 before a long run, not after it).
 * A run that fails writes nothing (1); a fit that did not converge prints
 * its summary and writes its results, then exits 1; one stopped by Ctrl-C still prints
 * its summary and writes its results, then exits 130 (SIGTERM: 143), after
 * a last checkpoint when it saves them (--checkpoint).
 *
 * `augur resume CHECKPOINT` rebuilds the job from the checkpoint (which
 * carries its input: augur_job_resume) and goes through the same report.
 *
 * Under mpirun with the "mpi" map every rank loads the file first - the
 * job registers its cost by name while loading, and MPI workers find costs
 * only by names registered before augur_mpi_init - then rank 0 runs and
 * the other ranks serve inside augur_mpi_init and exit 0. A resumed run
 * made on the "mpi" map does the same: every rank resumes the job with
 * the map left out (AUGUR_JOB_DEFER_MPI), then MPI starts and rank 0 puts
 * the map back and runs on. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#ifdef AUGUR_HAVE_MPI
#include "augur/map_mpi.h"
#endif

/* Where the results go: -o, else the file's output.results, else nowhere. */
static const char *results_path(const cli_options *o, const augur_job *job)
{
    return o->output ? o->output : augur_job_results_path(job);
}

/* The exit status and the name of a stopping signal (SIGINT or SIGTERM). */
static int stop_status(int sig)
{
    return sig == SIGTERM ? CLI_TERMINATED : CLI_STOPPED;
}

static const char *stop_name(int sig)
{
    return sig == SIGTERM ? "SIGTERM" : "Ctrl-C";
}

/* Solve with the progress line and the Ctrl-C handler in place. */
static int solve(const cli_options *o, augur_job *job, int *stopped)
{
    progress p;
    progress_begin(&p, job, progress_wanted(o->quiet), NULL, o->quiet ? NULL : stdout);
    p.job = job;
    interrupt_begin(job);
    int rc = augur_job_run(job);
    interrupt_end();
    progress_end(&p, job);
    *stopped = interrupted();
    if (rc < 0)
        return cli_fail(*stopped ? stop_status(*stopped) : CLI_FAILED,
                        "%s: the run failed: %s",
                        o->file, augur_job_errmsg(job));
    return CLI_OK;
}

/* Print the summary and write the results of a finished (or stopped) run. */
static int report(const cli_options *o, augur_job *job, int stopped)
{
    if (!o->quiet)
        augur_job_print_summary(job, stdout);
    fflush(stdout);
    const char *path = results_path(o, job);
    if (path && augur_job_write_results(job, path) != AUGUR_OK)
        return cli_fail(CLI_IO, "cannot write the results to %s: %s", path,
                        augur_job_errmsg(job));
    if (path && !o->quiet)
        printf("results: %s\n", path);
    size_t at = 0;
    if (augur_job_checkpoints(job, &at, NULL) && stopped && !o->quiet)
        printf("checkpoint: %s (generation %zu); continue with: augur resume %s\n",
               augur_job_checkpoint_path(job), at, augur_job_checkpoint_path(job));
    if (stopped)
        return cli_fail(stop_status(stopped), "stopped by %s after generation %zu",
                        stop_name(stopped),
                        augur_solver_generations(augur_job_solver(job)));
    return CLI_OK;
}

/* Check the results path, solve, report. */
static int run_job(const cli_options *o, augur_job *job)
{
    const char *path = results_path(o, job);
    int rc = path ? check_output(job, path) : CLI_OK;
    int stopped = 0;
    if (rc == CLI_OK)
        rc = solve(o, job, &stopped);
    if (rc == CLI_OK)
        rc = report(o, job, stopped);
    /* a fit that did not converge has its results written, and fails */
    if (rc == CLI_OK && !stopped && augur_job_fit_converged(job) == 0)
        rc = cli_fail(CLI_FAILED, "%s: the fit did not converge", o->file);
    return rc;
}

#ifdef AUGUR_HAVE_MPI
/* Every rank has loaded the job; start MPI. Workers serve here and come
 * back with *is_root 0 once rank 0 is done. */
static int start_mpi(int *argc, char ***argv, int *is_root)
{
    if (augur_mpi_init(argc, argv, is_root) != AUGUR_OK)
        return cli_fail(CLI_FAILED, "cannot start MPI: %s", augur_mpi_errmsg());
    return CLI_OK;
}
#endif

/* The run under the "mpi" map (or the message saying this build has none).
 * Takes the job, destroyed before MPI is finalised. */
static int run_mpi(const cli_options *o, augur_job *job, int *argc, char ***argv)
{
#ifdef AUGUR_HAVE_MPI
    int is_root = 1;
    interrupt_hold();   /* every rank: a batch system's signal must not kill a worker */
    int rc = start_mpi(argc, argv, &is_root);
    const char *map = o->map ? o->map : "mpi";
    if (rc == CLI_OK && is_root && augur_job_set_map(job, map) != AUGUR_OK)
        rc = cli_fail(CLI_USAGE, "map %s: %s", map, augur_job_errmsg(job));
    if (rc == CLI_OK && is_root && interrupted())
        rc = cli_fail(stop_status(interrupted()),
                      "stopped by %s before the run began (nothing to save)",
                      stop_name(interrupted()));
    if (rc == CLI_OK && is_root)
        rc = run_job(o, job);
    augur_job_destroy(job);
    if (is_root && augur_mpi_finalize() != AUGUR_OK && rc == CLI_OK)
        rc = cli_fail(CLI_FAILED, "MPI: %s", augur_mpi_errmsg());
    interrupt_release();
    return rc;
#else
    (void)o;
    augur_job_destroy(job);
    (void)argc;
    (void)argv;
    return cli_fail(CLI_USAGE, "this build of augur has no MPI, so no \"mpi\" map "
                               "(rebuild with OpenMPI installed)");
#endif
}

int cmd_run(int argc, char **argv)
{
    cli_options o;
    int rc = parse_options(argc, argv, OPT_SET | OPT_SEED | OPT_MAP | OPT_OUTPUT | OPT_QUIET |
                           OPT_CHECKPOINT, POS_REQUIRED, &o);
    if (rc == CLI_OK && o.help)
        print_command_help("run", stdout);
    else if (rc == CLI_OK) {
        augur_job *job = NULL;
        rc = load_job(&o, &job);   /* the file is read once, here */
        if (rc == CLI_OK && job_wants_mpi(&o, job)) {
            rc = run_mpi(&o, job, &argc, &argv);
            job = NULL;
        } else if (rc == CLI_OK)
            rc = run_job(&o, job);
        augur_job_destroy(job);
    }
    free_options(&o);
    return rc;
}

int cmd_resume(int argc, char **argv)
{
    cli_options o;
    int rc = parse_options(argc, argv, OPT_OUTPUT | OPT_QUIET, POS_REQUIRED, &o);
    if (rc == CLI_OK && o.help)
        print_command_help("resume", stdout);
    else if (rc == CLI_OK) {
        augur_job *job = NULL;
        char err[1024] = "";
        if (augur_job_resume_ex(o.file, AUGUR_JOB_DEFER_MPI, &job, err, sizeof err) !=
            AUGUR_OK)
            rc = cli_fail(CLI_USAGE, "%s", err[0] ? err : "cannot resume");
        else if (o.output && augur_job_set_results_path(job, o.output) != AUGUR_OK)
            rc = cli_fail(CLI_USAGE, "out of memory");
        if (rc == CLI_OK && augur_job_wants_mpi(job)) {
            rc = run_mpi(&o, job, &argc, &argv);
            job = NULL;
        } else if (rc == CLI_OK)
            rc = run_job(&o, job);
        augur_job_destroy(job);
    }
    free_options(&o);
    return rc;
}
