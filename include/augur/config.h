/* augur/config.h - config-driven runs: a libconfig file that names the
 * problem, the solver (a spec: augur/spec.h), monitors, a map, a seed and
 * where the results go; and the results file, which is itself a runnable
 * config that reproduces the run bit for bit. docs/CONFIG.md is the
 * reference for the file.
 *
 *     augur_job *job = NULL;
 *     if (augur_job_load("fit.cfg", NULL, &job, err, sizeof err) != AUGUR_OK)
 *         fprintf(stderr, "%s\n", err);          // "fit.cfg:12: ..."
 *     augur_job_run(job);
 *     augur_job_write_results(job, "fit.results.cfg");
 *     augur_job_destroy(job);
 *
 * Every mistake in a file is reported with the file name and line and what
 * was expected: an unknown key with the nearest valid name, a value of the
 * wrong type or out of range, a missing file, a vector of the wrong length,
 * lb > ub, an unknown solver or model, a formula that does not parse. */
#ifndef AUGUR_CONFIG_H
#define AUGUR_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "augur/export.h"
#include "augur/solver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_job augur_job;

/* Load a config file. overrides: NULL or a NULL-terminated list of
 * "path=value" strings applied to the file's settings before anything is
 * built ("solver.parameters.radius=0.1", "seed=7"). */
AUGUR_EXTERN int augur_job_load(const char *path, const char *const *overrides,
                                augur_job **out, char *err, size_t cap);
/* The same from text; name is used in messages in place of a file name. */
AUGUR_EXTERN int augur_job_load_string(const char *text, const char *name,
                                       const char *const *overrides, augur_job **out,
                                       char *err, size_t cap);
/* augur_job_load with flags. AUGUR_JOB_DEFER_MPI: an "mpi" map the file
 * names (map.type or solver.map.type) is not built, since it can be only
 * once MPI runs; a serial map stands in, augur_job_wants_mpi says so, and
 * augur_job_set_map(job, "mpi") puts it in place later. So a caller that
 * must know before starting MPI reads the file once, not twice. */
#define AUGUR_JOB_DEFER_MPI 1u
AUGUR_EXTERN int augur_job_load_ex(const char *path, const char *const *overrides,
                                   unsigned flags, augur_job **out, char *err, size_t cap);
/* 1 when a job loaded with AUGUR_JOB_DEFER_MPI asked for the MPI map. */
AUGUR_EXTERN int augur_job_wants_mpi(const augur_job *j);
AUGUR_EXTERN void augur_job_destroy(augur_job *j);

/* Caps on the files a job reads, in bytes, for the whole process: config
 * files (default 16 MiB) and data files (default 1 GiB). A larger file,
 * or one that is not a regular file (a FIFO, /dev/zero), is refused
 * before it is read. 0 keeps a cap as it is. (`--max-file-size`.) */
AUGUR_EXTERN void augur_set_file_limits(size_t config_bytes, size_t data_bytes);

/* Whether path may be written as an output the way augur writes its own
 * (results, logs, checkpoints): a regular file, not a link to one, or a
 * name that does not exist yet. A FIFO, a device, a directory, a socket,
 * a symbolic link or an empty name is AUGUR_EINVAL with a message naming
 * the path and what it is; an unreadable entry AUGUR_EIO. For a program
 * that writes a file beside augur's (augur plot). */
AUGUR_EXTERN int augur_output_path_check(const char *path, char *err, size_t cap);

/* Replace the seed, or the map ("serial", "threads:4", "fork:2", "mpi"). */
AUGUR_EXTERN int augur_job_set_seed(augur_job *j, uint64_t seed);
AUGUR_EXTERN int augur_job_set_map(augur_job *j, const char *map);
/* Seconds one task of the job's fork map may run before its worker is
 * killed and the run fails naming the task (0: none); needs a map. */
AUGUR_EXTERN int augur_job_set_timeout(augur_job *j, double seconds);
/* Progress: called after every generation record (the CLI draws its
 * progress line with it); NULL to stop. */
typedef void (*augur_job_progress_fn)(const augur_record *r, size_t max_evaluations,
                                      double elapsed, void *data);
AUGUR_EXTERN int augur_job_set_progress(augur_job *j, augur_job_progress_fn fn,
                                        void *data);

/* Checkpoints (docs/CHECKPOINTS.md): while the job runs, save its whole
 * state to `path` at generation boundaries - every N generations ("10":
 * at the generations that are multiples of 10) or every so long ("30s",
 * "5m", "1h"; NULL: "60s") - and once more when a stop request ends the
 * run (Ctrl-C). The file carries the job's input, so augur_job_resume
 * needs nothing else. A profile scan and the fit strategy cannot be
 * checkpointed (the run refuses); a failed save stops the run with its
 * message. The config file's `checkpoint = { file = ...; every = ...; }`
 * does the same. */
AUGUR_EXTERN int augur_job_set_checkpoint(augur_job *j, const char *path,
                                          const char *every);
/* Checkpoints written by this job so far; *generation: the generation of
 * the last one, *seconds: when (augur's clock, seconds since the run
 * began). Either pointer may be NULL. */
AUGUR_EXTERN size_t augur_job_checkpoints(const augur_job *j, size_t *generation,
                                          double *seconds);
/* Where the job saves its checkpoints, or NULL. */
AUGUR_EXTERN const char *augur_job_checkpoint_path(const augur_job *j);
/* The results path a resumed run should use when its caller names none
 * (the command line's -o): carried in the checkpoints. */
AUGUR_EXTERN int augur_job_set_results_path(augur_job *j, const char *path);
/* A job rebuilt from a checkpoint written by augur_job_set_checkpoint:
 * its run (augur_job_run) continues where the checkpoint was made, goes on
 * saving to the same file, and gives the results the uninterrupted run
 * would have given, bit for bit but the timings. */
AUGUR_EXTERN int augur_job_resume(const char *checkpoint, augur_job **out, char *err,
                                  size_t cap);
/* augur_job_resume with flags. AUGUR_JOB_DEFER_MPI: a run made on the
 * "mpi" map (the file's, or --map's, saved with the solver) resumes
 * without it, as augur_job_load_ex does: augur_job_wants_mpi says so, and
 * augur_job_set_map(job, "mpi") puts it back once augur_mpi_init has run
 * on every rank (each rank resumes the job first, so its cost is
 * registered by name before MPI starts). */
AUGUR_EXTERN int augur_job_resume_ex(const char *checkpoint, unsigned flags,
                                     augur_job **out, char *err, size_t cap);

/* Solve (and polish, for fits that ask for it). */
AUGUR_EXTERN int augur_job_run(augur_job *j);
/* A summary for people: the answer, f, counts, reason, and for fits the
 * parameters with uncertainties and the reduced chi-square. */
AUGUR_EXTERN int augur_job_print_summary(const augur_job *j, FILE *fp);
/* The results file: the input with every default resolved, the seed used,
 * the answer, counts, reason, timings, the version, inner runs of
 * ensembles, and fit statistics. Written to a temporary file and renamed,
 * so a failed write leaves nothing behind. */
AUGUR_EXTERN int augur_job_write_results(const augur_job *j, const char *path);
/* AUGUR_OK when path may take the results: a regular file or a new name.
 * A FIFO, a device, a directory, a socket, a symbolic link or an empty
 * name is AUGUR_EINVAL, with augur_job_errmsg saying what it is; the
 * writer checks the same, this asks before a run rather than after. */
AUGUR_EXTERN int augur_job_check_output(augur_job *j, const char *path);
/* Where the file asked the results to go (output.results), or NULL. */
AUGUR_EXTERN const char *augur_job_results_path(const augur_job *j);

AUGUR_EXTERN augur_solver *augur_job_solver(augur_job *j);
AUGUR_EXTERN const char *augur_job_errmsg(const augur_job *j);

/* Where the file's "verbose" monitors write (borrowed). NULL, the default,
 * leaves them out: the library never picks a stream itself. */
AUGUR_EXTERN int augur_job_set_stream(augur_job *j, FILE *fp);
/* The answer of the run - after polishing, for fits that ask for it: x
 * (*n doubles, valid while the job lives) and f. AUGUR_ESTATE before a
 * run. */
AUGUR_EXTERN int augur_job_answer(const augur_job *j, const double **x, size_t *n,
                                  double *f);
/* 0 when the job is a fit whose polish or fit strategy did not converge
 * (the summary and the results file say how it ended), else 1; -1 before
 * the run. `augur run` exits 1 for 0, after writing the results. */
AUGUR_EXTERN int augur_job_fit_converged(const augur_job *j);

/* --- Monitor kinds a file can name ---------------------------------------- */

/* A text setting of a monitor kind (a file name), with its doc. */
typedef struct augur_text_setting {
    const char *name;
    const char *doc;
    int required;
} augur_text_setting;

/* `monitors = ( { type = "verbose"; every = 10; }, ... );`: each kind's
 * numbers, booleans and choices in a parameter table (checked like any
 * other parameter), and its text settings. Used by the reader, `augur
 * list monitors` and docs/CONFIG.md. */
typedef struct augur_monitor_kind {
    const char *name;             /* "verbose", "logging", "history" */
    const char *doc;              /* one line */
    const augur_param *params;    /* NULL-name terminated */
    const augur_text_setting *texts; /* NULL-name terminated, may be NULL */
} augur_monitor_kind;

/* Every kind, NULL-terminated, and lookup by name (NULL if none). */
AUGUR_EXTERN const augur_monitor_kind *const *augur_monitor_kinds(void);
AUGUR_EXTERN const augur_monitor_kind *augur_monitor_kind_find(const char *name);

/* --- Reference ------------------------------------------------------------- */

/* The generated part of docs/CONFIG.md, as Markdown: every solver's
 * parameters, termination condition, monitor kind, map, model and fit
 * model, from their tables. tests/config_reference.c keeps the committed
 * file in step with it (`cmake --build --preset dev --target config-docs`
 * rewrites it; the ctest check config_docs fails when it is stale). */
AUGUR_EXTERN int augur_config_reference(FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
