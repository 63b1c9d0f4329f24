/* cli.h - private to the `augur` command: what its files share.
 *
 * The command is a thin application over the library's config-driven jobs
 * (augur/config.h): augur.c parses the command word and dispatches,
 * options.c reads the options every command shares, one file per command
 * does its work, progress.c draws the progress line and interrupt.c turns
 * Ctrl-C into a clean stop. Exit statuses are fixed here once, because the
 * help text, the man page and the tests all promise them. */
#ifndef AUGUR_CLI_H
#define AUGUR_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "augur.h"
#include "augur/config.h"

/* Exit statuses (documented in `augur --help` and augur(1)). */
enum {
    CLI_OK = 0,        /* success */
    CLI_FAILED = 1,    /* the run failed (a solver error) */
    CLI_USAGE = 2,     /* bad usage or a bad config file; nothing written */
    CLI_IO = 3,        /* the results could not be written */
    CLI_STOPPED = 130, /* stopped by Ctrl-C (SIGINT); results still written */
    CLI_TERMINATED = 143 /* stopped by SIGTERM; results still written */
};

/* Which options a command accepts (bits for parse_options). */
enum {
    OPT_SET = 1 << 0,      /* --set key=value (repeatable) */
    OPT_SEED = 1 << 1,     /* --seed N */
    OPT_MAP = 1 << 2,      /* --map serial|threads:N|fork:N|mpi, --timeout S */
    OPT_OUTPUT = 1 << 3,   /* -o / --output RESULTS */
    OPT_QUIET = 1 << 4,    /* -q / --quiet */
    OPT_COMPARE = 1 << 5,  /* --solvers a,b --seeds N --tol X --target F */
    OPT_CHECKPOINT = 1 << 6 /* --checkpoint PATH --every N|30s */
};

typedef struct cli_options {
    const char *command;      /* for messages: "run", "check", ... */
    const char *file;         /* the positional argument (list: the section) */
    const char **sets;        /* --set values, NULL-terminated (never NULL) */
    size_t nsets;
    int has_seed;
    uint64_t seed;
    const char *map;          /* NULL: the file's */
    int has_timeout;
    double timeout;           /* --timeout: seconds a fork map's task may run */
    const char *output;       /* NULL: the file's output.results */
    int quiet;
    const char *solvers;      /* compare: comma-separated types */
    size_t seeds;             /* compare: seeds 1..seeds */
    double tol;               /* compare: success tolerance */
    int has_target;           /* compare: --target F given */
    double target;            /* compare: success when f <= target */
    const char *checkpoint;   /* --checkpoint PATH */
    const char *every;        /* --every N|30s */
    int help;                 /* -h / --help was given */
} cli_options;

/* Whether a command takes its one positional argument (the file, or
 * list's section). */
enum { POS_NONE, POS_REQUIRED, POS_OPTIONAL };

/* Parse argv[1..] of a command (argv[0] is the command word). Returns
 * CLI_OK, or CLI_USAGE after printing what was wrong (a required argument
 * may be missing when --help was given). Free with free_options. */
int parse_options(int argc, char **argv, unsigned allowed, int positional,
                  cli_options *o);
void free_options(cli_options *o);

/* "augur: <message>" on stderr; returns status. */
int cli_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Commands: argv[0] is the command word. Each returns an exit status. */
int cmd_run(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);

/* Help for one command on fp; 0, or -1 for an unknown command. */
int print_command_help(const char *command, FILE *fp);

/* Load `o->file` once with its --set overrides (an MPI map in the file
 * left for later: AUGUR_JOB_DEFER_MPI), then apply --seed and --map. On failure
 * prints why and returns CLI_USAGE (*out NULL). */
int load_job(const cli_options *o, augur_job **out);
/* "mpi", "mpi:4" (a --map value) name the MPI map. */
int is_mpi_map(const char *map);
/* 1 when a job loaded by load_job runs on the MPI map: --map mpi, or no
 * --map and the file (with its overrides) asks for it. */
int job_wants_mpi(const cli_options *o, const augur_job *job);
/* Apply --seed and --map (but an MPI one, which needs MPI running) to a
 * loaded job (CLI_USAGE after a message). */
int apply_seed_and_map(const cli_options *o, augur_job *job);
/* 1 when this run uses the MPI map: --map mpi, or no --map and the file
 * (with its overrides) asks for it (peek.c). */
int wants_mpi(const cli_options *o);
/* CLI_OK when a results file can be created at path, else CLI_IO after a
 * message (checked before a long run rather than after it). */
int check_writable(const char *path);
/* Before a run: CLI_USAGE when path is not a regular file or a new name
 * (a FIFO, a device, a link, ''), after a message; then check_writable. */
int check_output(augur_job *job, const char *path);

/* --- The progress line (progress.c) ------------------------------------- */

typedef struct progress {
    int on;                   /* drawing (stderr is a terminal, not quiet) */
    int drawn;                /* something is on the line now */
    double last;              /* elapsed time of the last draw */
    char label[64];           /* prefix, e.g. "pso seed 3/10" (may be "") */
    FILE *out;                /* where verbose monitors' lines belong */
    FILE *relay;              /* their memory stream while the line is up */
    char *relay_buf;
    size_t relay_len;
    const augur_job *job;     /* for when it last saved a checkpoint */
} progress;

/* Attach to a job: the file's verbose monitors write to `out` (NULL: left
 * out), and when `on`, a progress line is drawn on stderr. */
void progress_begin(progress *p, augur_job *job, int on, const char *label, FILE *out);
/* Clear the line, pass on what is left, and detach. */
void progress_end(progress *p, augur_job *job);
/* Whether progress lines belong on stderr: a terminal, and not --quiet. */
int progress_wanted(int quiet);

/* --- Ctrl-C (interrupt.c) ------------------------------------------------- */

/* Catch SIGINT and SIGTERM while a job runs: the first one asks the job's
 * solver to stop after its current generation; a second one kills as
 * usual. */
void interrupt_begin(augur_job *job);
void interrupt_end(void);
/* The signal that arrived since the last interrupt_begin (SIGINT or
 * SIGTERM), else 0. */
int interrupted(void);
/* Under the mpi map, on every rank from before MPI starts to its end:
 * SIGINT and SIGTERM are noted (interrupted()) and nothing more, so a
 * worker rank serves on until rank 0 releases it; a run between
 * interrupt_begin and interrupt_end also stops at its generation boundary. */
void interrupt_hold(void);
void interrupt_release(void);

/* --- compare's file rewriting (rewrite.c) -------------------------------- */

/* Load o->file with solver.type replaced by `type`, dropping the solver
 * settings the type does not take (each named in a note on `notes`). The
 * --set values are applied too; those naming a parameter the type lacks
 * are dropped the same way. CLI_OK or CLI_USAGE (message printed). */
int load_for_type(const cli_options *o, const char *type, augur_job **out,
                  FILE *notes);
/* The known minimum of the file's problem when it is a registry model of a
 * dimension whose minimum is known: 1 and *fmin, else 0. */
int known_minimum(const cli_options *o, augur_job *job, double *fmin);

#endif
