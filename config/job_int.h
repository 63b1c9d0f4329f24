/* job_int.h - private to augur's config area: the pieces of a config-file
 * job, shared by job.c (loading, running), override.c (command-line
 * overrides), problem.c (the cost), monitors.c (monitor kinds) and
 * results.c (the results file and the summary).
 *
 * A job keeps what it read in resolved form - the problem's settings with
 * defaults filled in, the monitors' settings - so that the results file
 * can write the input back with every default resolved, and rebuilding
 * from that file gives the same run bit for bit. */
#ifndef AUGUR_JOB_INT_H
#define AUGUR_JOB_INT_H

#include <libconfig.h>
#include <pthread.h>
#include "augur/config.h"
#include "augur/ensemble.h"
#include "augur/fit.h"
#include "augur/map.h"
#include "augur/model.h"
#include "augur/profile.h"
#include "augur/settings.h"
#include "spec_int.h"
#include "history.h"

/* Messages of a job: a path, a line and a reason, plus the file name. */
#define AUGUR__JOB_ERRCAP 768

/* --- The problem (problem.c) ---------------------------------------------- */

enum {
    AUGUR__PROBLEM_MODEL,
    AUGUR__PROBLEM_FORMULA,
    AUGUR__PROBLEM_PLUGIN,
    AUGUR__PROBLEM_FIT
};

typedef struct augur__formula augur__formula;

/* A plugin group (plugin.c): names as written, the library's file as
 * dlopen got it, the symbol, init's data and the fini hook. */
typedef struct augur__plugin {
    char *path, *symbol, *init, *fini;
    int system;                   /* dlopen searches the system's paths */
    char *file;
    void *handle, *sym, *data;
    augur_plugin_fini_fn *fini_fn;
    int initialised;              /* init ran: fini is due */
    augur_settings *settings;
} augur__plugin;

/* Read a plugin group ps (dir: the config file's folder): open the
 * library, find the symbol, run init with the settings. On failure what
 * was done is undone by augur__plugin_free. */
int augur__plugin_read(const config_setting_t *ps, const char *dir, augur__plugin *pl,
                       char *err, size_t cap);
void augur__plugin_free(augur__plugin *pl);
/* The group, resolved, each line prefixed by indent; path: as the results
 * file names it (a system library's stays as written). */
void augur__plugin_emit(augur_strbuf *b, const augur__plugin *pl, const char *indent,
                        const char *path);

typedef struct augur__problem {
    int kind;
    size_t n;
    /* What the solver calls: the slot's trampoline when the cost has a
     * registered name, else the raw cost. */
    augur_cost cost;
    void *data;
    const augur_model *model;     /* MODEL */
    char *text;                   /* FORMULA: the formula */
    augur__formula *formula;
    augur__plugin plugin;         /* PLUGIN, and a fit model from a plugin */
    /* FIT: as written (data paths relative to the config's directory). */
    char *fit_model, *data_file, *data_x, *data_y, *data_sigma;
    int fit_formula;              /* fit_model is a formula, not a name */
    int fit_plugin;               /* the model is plugin.sym, copied to: */
    augur_fit_model plugin_model; /* (its data: the plugin's init's) */
    size_t fit_params;
    int metric, polish;
    /* The fit strategy (no solver named): its settings, box and start
     * (NULL where not given). */
    int strategy;
    augur_fit_strategy_options strat;
    double *strat_lower, *strat_upper, *strat_start;
    augur_fit_strategy_result strat_res;  /* after the run */
    augur_data *d;
    augur_fit *fit;
    int slot;                     /* registered cost slot, or -1 */
} augur__problem;

/* Build from the `problem` group; dir is the config file's directory. */
int augur__problem_read(const config_setting_t *g, const char *dir,
                        augur__problem *p, char *err, size_t cap);
void augur__problem_free(augur__problem *p);

/* Fits (problem_fit.c): read the `fit` group (p->cost and p->data set to
 * the raw fit cost), free what a fit holds, write the group back. */
int augur__problem_read_fit(const config_setting_t *g, const char *dir,
                            augur__problem *p, char *err, size_t cap);
void augur__problem_free_fit(augur__problem *p);
void augur__problem_emit_fit(augur_strbuf *b, const augur__problem *p,
                             const char *data_file, const char *plugin_file);
/* After a fit's solve: polish x in place when asked (f follows), then the
 * report at x: one uncertainty per parameter and the reduced chi-square. */
int augur__problem_finish_fit(const augur__problem *p, const augur_solver *s,
                              double *x, double *f, double *uncertainty,
                              double *reduced_chi_square, augur_lm_result *lm,
                              char *err, size_t cap);
/* A run stopped by a request: pin the solver's limits (or batches) to
 * what it reached and write the results file's note (interrupted.c). */
int augur__job_pin_interrupted(augur_job *j);

/* The fit strategy (problem_strategy.c): problem.fit.strategy read into p
 * and written back with its defaults resolved; run in place of a solve
 * (seed and map from s): x, f and the strategy's result out. */
int augur__problem_read_strategy(const config_setting_t *f, augur__problem *p, char *err,
                                 size_t cap);
void augur__problem_emit_strategy(augur_strbuf *b, const augur__problem *p);
int augur__problem_strategy_fit(const augur__problem *p, const augur_solver *s,
                                double *x, double *f, augur_fit_strategy_result *res,
                                char *err, size_t cap);
/* The summary's lines for a fit: parameters by name, +- uncertainty. */
void augur__problem_print_fit(const augur__problem *p, const double *x,
                              const double *uncertainty, double reduced_chi_square,
                              const augur_lm_result *lm,
                              FILE *fp);
/* docs/CONFIG.md's table of fit models and the metrics. */
void augur__reference_fit_models(FILE *fp);
/* The problem group, resolved, at depth 1 (for the results file); paths
 * as path_for gives them. */
void augur__problem_emit(augur_strbuf *b, const augur__problem *p,
                         const char *(*path_for)(const void *ctx, const char *path,
                                                 char *buf, size_t cap),
                         const void *ctx);

/* --- Monitors (monitors.c) ------------------------------------------------- */

/* Every kind's numbers live in one struct of doubles, so the kinds'
 * parameter tables can share offsets. */
typedef struct augur__monitor_values {
    double every, x, cap, records;
} augur__monitor_values;

typedef struct augur__monitor_setting {
    const augur_monitor_kind *kind;
    augur__monitor_values v;
    char *file;                   /* as written, or NULL */
} augur__monitor_setting;

/* The `monitors` list, checked (a log file, relative to dir, must be a
 * regular file or a new name); *out is an array of *count settings. */
int augur__monitors_read(const config_setting_t *list, const char *dir,
                         augur__monitor_setting **out, size_t *count, char *err,
                         size_t cap);
void augur__monitors_free(augur__monitor_setting *m, size_t count);
/* Make the monitors and attach them to s. stream: where verbose ones
 * write (NULL leaves them out); dir: where relative file names start;
 * label: what verbose ones call the cost (augur__problem_label). */
int augur__monitors_attach(const augur__monitor_setting *m, size_t count,
                           augur_solver *s, FILE *stream, const char *dir,
                           const char *label, char *err, size_t cap);
/* What the cost is, for people: mystic's "ChiSquare" for a chi-square
 * fit, "SumOfSquares" / "AbsoluteDeviation" for the other metrics, else
 * "f". */
const char *augur__problem_label(const augur__problem *p);
void augur__monitors_emit(augur_strbuf *b, const augur__monitor_setting *m,
                          size_t count,
                          const char *(*path_for)(const void *ctx, const char *path,
                                                  char *buf, size_t cap),
                          const void *ctx);

/* --- Overrides (override.c) ------------------------------------------------- */

/* Apply "a.b.c=value" strings to the parsed tree (see config.h). */
int augur__overrides_apply(config_t *c, const char *const *overrides, char *err,
                           size_t cap);

/* --- Profile scans (profile.c) --------------------------------------------- */

typedef struct augur__profile_values {
    double parameter, from, to, points, bins, overlap, combine;
} augur__profile_values;

/* The `profile` group's settings, for the reader and docs/CONFIG.md. */
extern const augur_param augur__profile_params[];
int augur__profile_read(const config_setting_t *g, augur__profile_values *v, char *err,
                        size_t cap);
int augur__profile_resolve(const config_setting_t *g, augur__profile_values *v,
                           const augur_solver *s, char *err, size_t cap);

/* --- The job ----------------------------------------------------------------- */

/* One inner run of an ensemble, copied out of the solver. */
typedef struct augur__run_copy {
    size_t batch, index, evaluations, generations;
    double *start, *end;
    double f;
    char *reason;
} augur__run_copy;

struct augur_job {
    char *name;                   /* the file name messages use */
    char *dir;                    /* relative paths in the file start here */
    augur__problem problem;
    augur_solver *solver;
    augur__monitor_setting *monitors;
    size_t nmonitors;
    char *results;                /* output.results as written, or NULL */
    char *results_path;           /* the same from the current directory */
    FILE *stream;
    /* A profile scan in place of the solve; the map runs its bins. */
    int has_profile;
    int wants_mpi;                /* AUGUR_JOB_DEFER_MPI: the file named "mpi" */
    augur__profile_values profile_values;
    augur_map *map;
    augur_job_progress_fn progress;
    void *progress_data;
    double t0;

    /* The run. */
    int ran;
    double *x;
    double f;
    size_t evaluations, generations;
    char *reason;
    double seconds;
    augur__run_copy *runs;
    size_t nruns;
    augur__history history;       /* best f against evaluations (history.c) */
    int has_report;
    double *uncertainty;
    double reduced_chi_square;
    augur_lm_result polish;       /* how the polish ended, when there was one */
    char interrupted[1024];       /* "" or the results file's note on a run
                                     stopped before its end (interrupted.c) */
    int has_strategy;             /* the fit strategy ran in place of the solver
                                     (its result is problem.strat_res) */
    augur_profile_result profile;
    int has_profile_result;

    /* Checkpoints (job_checkpoint.c). */
    char *ckpt_path;              /* NULL: none */
    char *ckpt_file;              /* checkpoint.file as the config wrote it */
    char *ckpt_every;             /* checkpoint.every as the config wrote it */
    size_t ckpt_gens;             /* every this many generations (0: not) */
    double ckpt_secs;             /* every this many seconds (0: not) */
    size_t ckpt_saves, ckpt_last_gen;
    double ckpt_last;             /* augur__now() at the last save (or start) */
    char *ckpt_tail;              /* "config = <the input>;", made at the first save */
    char *ckpt_head;              /* the carried text before the history, ditto */
    augur_strbuf ckpt_text;       /* the carried text, remade at every save */
    augur_checkpointer *ckpt;     /* writes them, while the job runs */
    int ckpt_rc;                  /* a save failed: the run stopped */
    char *carried_results;        /* augur_job_set_results_path */

    char errmsg[AUGUR__JOB_ERRCAP];
};

/* --- Checkpoints (job_checkpoint.c) ----------------------------------------- */

/* The `checkpoint` group of a config file (dir: the file's folder). */
int augur__checkpoint_read(const config_setting_t *g, augur_job *j, char *err,
                           size_t cap);
/* The group back, as written (nothing without one). */
void augur__job_emit_checkpoint(augur_strbuf *b, const augur_job *j);
/* Before the solve: refuse what cannot be saved, open the checkpointer,
 * attach the saver. */
int augur__job_checkpoint_attach(augur_job *j);
/* After the solve (stopped: by a request): the last checkpoint when it
 * stopped, then every capture on disk and the checkpointer closed. */
int augur__job_checkpoint_end(augur_job *j, int stopped);
void augur__job_checkpoint_free(augur_job *j);
/* The input, resolved, paths as written (results.c). */
int augur__job_input_text(const augur_job *j, char **text, char *err, size_t cap);
/* Load a job from text as if it were a file named name in dir (job.c). */
int augur__job_load_text(const char *text, const char *name, const char *dir,
                         unsigned flags, augur_job **out, char *err, size_t cap);

/* Profile jobs (profile.c): move the solver's map to the job, scan, and
 * write the profile group (with the map) and the summary's lines. */
void augur__profile_take_map(augur_job *j);
int augur__profile_run(augur_job *j);
void augur__profile_emit(augur_strbuf *b, const augur_job *j);
void augur__profile_print(const augur_job *j, FILE *fp);


#endif
