/* augur.c - the `augur` command: main, the command word, and help.
 *
 *     augur run FILE [--set key=value ...] [--seed N] [--map M] [-o RESULTS]
 *               [--checkpoint PATH [--every N|30s]]
 *     augur resume CHECKPOINT [-o RESULTS]
 *     augur check FILE [--set key=value ...]
 *     augur list [solvers|terminations|monitors|maps|models|fit-models]
 *     augur compare FILE --solvers a,b,c [--seeds N] [--tol X] [--set ...]
 *     augur --help | augur help COMMAND | augur --version
 *
 * main only finds the command and hands it the rest of argv; every command
 * parses its own options (options.c) so that each accepts exactly the
 * options its help lists. The help texts live here, next to the dispatch
 * table, so that adding a command is one place to look; docs/augur.1 says
 * the same for man(1). */
#include <stdio.h>
#include <string.h>
#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;      /* one line for `augur --help` */
    const char *help;         /* full text for `augur help NAME` */
} command;

static const command commands[] = {
    {.name = "run", .run = cmd_run,
     .summary = "load a config file, solve, print a summary, write the results",
     .help =
         "usage: augur run FILE [--set key=value ...] [--seed N]\n"
         "                      [--map serial|threads:N|fork:N|mpi] [-o RESULTS] [--quiet]\n"
         "                      [--checkpoint PATH [--every N|30s]]\n"
         "\n"
         "Load FILE, apply the --set overrides (\"solver.parameters.radius=0.1\"),\n"
         "solve, and print a summary on stdout. The results (a config file that\n"
         "reproduces the run) go to RESULTS, or to the file's output.results; with\n"
         "neither, nothing is written.\n"
         "\n"
         "  --set key=value   override a setting of FILE (repeatable)\n"
         "  --seed N          the run's seed (replaces the file's)\n"
         "  --map M           where evaluations run: serial, threads:N, fork:N, or\n"
         "                    mpi (under mpirun; builds with MPI only); only solvers\n"
         "                    that evaluate whole generations or nested runs use one\n"
         "  --timeout S       a fork map's task running longer than S seconds is\n"
         "                    killed and fails the run, naming the task (0: none)\n"
         "  -o, --output PATH write the results to PATH\n"
         "  -q, --quiet       no progress line and no summary\n"
         "  --checkpoint PATH save the run's state to PATH as it goes (the file's\n"
         "                    checkpoint.file); continue it with augur resume PATH\n"
         "  --every N|T       save every N generations, or every T (\"30s\", \"5m\",\n"
         "                    \"1h\"); default 60s\n"
         "\n"
         "On a terminal a progress line on stderr shows the generation, evaluations,\n"
         "best f, evaluations per second, with an evaluation limit an ETA, and when\n"
         "the last checkpoint was saved. Ctrl-C (SIGINT) or SIGTERM stops after the\n"
         "current generation, saves a last checkpoint, writes the results, exits\n"
         "130 (143 for SIGTERM).\n"},
    {.name = "resume", .run = cmd_resume,
     .summary = "finish a run from its checkpoint (augur run --checkpoint)",
     .help =
         "usage: augur resume CHECKPOINT [-o RESULTS] [--quiet]\n"
         "\n"
         "Continue the run CHECKPOINT was saved from (augur run --checkpoint, or a\n"
         "file's checkpoint group) where it was saved, to its end: the summary and\n"
         "the results file are the uninterrupted run's, bit for bit but the\n"
         "timings. The results go to RESULTS, else where the run sent them (its -o\n"
         "or output.results). The run goes on saving to CHECKPOINT as before, and\n"
         "Ctrl-C or SIGTERM stop it the same way.\n"
         "\n"
         "  -o, --output PATH write the results to PATH\n"
         "  -q, --quiet       no progress line and no summary\n"},
    {.name = "check", .run = cmd_check,
     .summary = "validate a config file without running it",
     .help =
         "usage: augur check FILE [--set key=value ...]\n"
         "\n"
         "Load FILE and build its problem and solver, without solving. Prints\n"
         "\"FILE: ok\" and exits 0, or prints the first error (with the file's\n"
         "line) and exits 2.\n"},
    {.name = "list", .run = cmd_list,
     .summary = "solvers, terminations, monitors, maps, models, fit-models",
     .help =
         "usage: augur list [solvers|terminations|monitors|maps|models|fit-models]\n"
         "\n"
         "List what a config file can name, from the library's registries: each\n"
         "name with its one-line doc, and each parameter with its kind, default,\n"
         "range (or choices) and doc. With no argument, every section.\n"},
    {.name = "compare", .run = cmd_compare,
     .summary = "one problem under several solvers and seeds, as a table",
     .help =
         "usage: augur compare FILE --solvers a,b,c [--seeds N] [--tol X] [--target F]\n"
         "                          [--set key=value ...] [--map M] [--plot OUT]\n"
         "\n"
         "Run FILE's problem with each solver type (solver.type replaced; the rest\n"
         "of the solver settings kept where the type has them, and the others\n"
         "dropped with a note on stderr) for seeds 1..N (default 5), and print a\n"
         "table: solver, successes, f's quartiles (q1, median, q3), median\n"
         "evaluations, the median evaluations to reach the target (over the runs\n"
         "that did), median seconds. A run succeeds when f <= F (--target), else\n"
         "when f - fmin < X (default 1e-6), fmin being the problem's known\n"
         "minimum for a registry model, else the best f that any run found.\n"
         "Nothing is written but --plot OUT (.svg, .png, .pdf): the solvers'\n"
         "convergence side by side, best f against evaluations, the median over\n"
         "seeds with the band from the first to the third quartile.\n"},
    {.name = "plot", .run = cmd_plot,
     .summary = "draw results, a CSV log or a checkpoint: convergence, minima, fit, profile",
     .help =
         "usage: augur plot FILE -o OUT [--kind convergence|minima|fit|profile]\n"
         "                              [--axes i,j]\n"
         "\n"
         "Draw FILE, a results file (augur run FILE -o R.cfg), a logging monitor's\n"
         "CSV or a checkpoint (its convergence so far), to OUT: .svg, .png or .pdf\n"
         "(PLplot; docs/PLOTS.md).\n"
         "\n"
         "  -o, --output OUT  the picture (a regular file or a new name)\n"
         "  --kind K          convergence: best f against evaluations, one line per\n"
         "                    inner run of an ensemble, where it stopped marked;\n"
         "                    minima: an ensemble's runs from start to end, over the\n"
         "                    cost's contours for a 2-D model; fit: the data, the\n"
         "                    fitted curve and the residuals; profile: a profile scan\n"
         "                    and its bins. Default: the file's own (profile, fit,\n"
         "                    else convergence)\n"
         "  --axes i,j        minima: the two coordinates drawn (default 0,1)\n"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *fp)
{
    fputs("usage: augur COMMAND [ARGS]\n"
          "       augur --help | --version | help COMMAND\n"
          "\n"
          "Config-driven optimisation and fitting with the augur library.\n"
          "\n"
          "Commands:\n", fp);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("  help      help on one command: augur help run\n"
          "\n"
          "Exit status:\n"
          "  0    success\n"
          "  1    the run failed (a solver error), or a fit did not converge\n"
          "  2    bad usage or a bad config file (nothing written)\n"
          "  3    I/O error writing the results\n"
          "  130  stopped by Ctrl-C (SIGINT) after a generation; results written\n"
          "  143  stopped by SIGTERM after a generation; results written\n"
          "\n"
          "See augur(1) and docs/CONFIG.md for the config file.\n", fp);
}

int print_command_help(const char *name, FILE *fp)
{
    const command *c = find_command(name);
    if (!c)
        return -1;
    fputs(c->help, fp);
    return 0;
}

/* `augur help [COMMAND]`. */
static int help_command(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return CLI_OK;
    }
    if (argc > 2)
        return cli_fail(CLI_USAGE, "help takes one command name");
    if (print_command_help(argv[1], stdout) != 0)
        return cli_fail(CLI_USAGE, "no command '%s' (try: augur --help)", argv[1]);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return CLI_USAGE;
    }
    const char *word = argv[1];
    if (strcmp(word, "-h") == 0 || strcmp(word, "--help") == 0) {
        print_usage(stdout);
        return CLI_OK;
    }
    if (strcmp(word, "--version") == 0 || strcmp(word, "-V") == 0) {
        printf("augur %s\n", augur_version());
        return CLI_OK;
    }
    if (strcmp(word, "help") == 0)
        return help_command(argc - 1, argv + 1);
    const command *c = find_command(word);
    if (!c) {
        if (word[0] == '-')
            return cli_fail(CLI_USAGE, "unknown option '%s' (try: augur --help)", word);
        return cli_fail(CLI_USAGE, "unknown command '%s' (try: augur --help)", word);
    }
    return c->run(argc - 1, argv + 1);
}
