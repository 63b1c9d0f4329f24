/* options.c - the options the commands share, and the steps every command
 * that takes a config file goes through (load with overrides, apply --seed
 * and --map, check where the results go).
 *
 * Parsing is by hand rather than getopt_long, which is a GNU extension:
 * options and the one file name may come in any order, each option takes
 * its value as the next word or after '=' ("--seed 7", "--seed=7"), and
 * "--" ends the options. Every mistake is a message and exit status 2
 * before anything runs or is written. */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("augur: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

/* One option's spelling, what it needs, and which bit allows it. */
typedef struct option_def {
    const char *lng;
    const char *shrt;
    unsigned bit;
    int takes_value;
} option_def;

static const option_def defs[] = {
    {.lng = "--set", .shrt = "-s", .bit = OPT_SET, .takes_value = 1},
    {.lng = "--seed", .bit = OPT_SEED, .takes_value = 1},
    {.lng = "--max-file-size", .bit = OPT_SET, .takes_value = 1},
    {.lng = "--map", .bit = OPT_MAP, .takes_value = 1},
    {.lng = "--timeout", .bit = OPT_MAP, .takes_value = 1},
    {.lng = "--output", .shrt = "-o", .bit = OPT_OUTPUT, .takes_value = 1},
    {.lng = "--quiet", .shrt = "-q", .bit = OPT_QUIET},
    {.lng = "--solvers", .bit = OPT_COMPARE, .takes_value = 1},
    {.lng = "--seeds", .bit = OPT_COMPARE, .takes_value = 1},
    {.lng = "--tol", .bit = OPT_COMPARE, .takes_value = 1},
    {.lng = "--target", .bit = OPT_COMPARE, .takes_value = 1},
    {.lng = "--checkpoint", .bit = OPT_CHECKPOINT, .takes_value = 1},
    {.lng = "--every", .bit = OPT_CHECKPOINT, .takes_value = 1},
};

/* The definition matching word ("--seed" or "--seed=7"); *inline_value
 * points after '=' when the value came attached. */
static const option_def *match(const char *word, const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        const option_def *d = &defs[i];
        size_t len = strlen(d->lng);
        if (strncmp(word, d->lng, len) == 0 && (word[len] == '\0' || word[len] == '=')) {
            if (word[len] == '=')
                *inline_value = word + len + 1;
            return d;
        }
        if (d->shrt && strcmp(word, d->shrt) == 0)
            return d;
    }
    return NULL;
}

static int parse_count(const char *command, const char *opt, const char *text,
                       uint64_t min, uint64_t max, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(text, &end, 10);
    if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno == ERANGE || x < min ||
        x > max)
        return cli_fail(CLI_USAGE, "%s: %s wants a whole number from %llu to %llu, not '%s'",
                        command, opt, (unsigned long long)min, (unsigned long long)max,
                        text);
    *v = x;
    return CLI_OK;
}

static int add_set(cli_options *o, const char *value)
{
    if (!strchr(value, '=') || value[0] == '=')
        return cli_fail(CLI_USAGE, "%s: --set wants key=value, not '%s'", o->command, value);
    const char **grown = realloc(o->sets, (o->nsets + 2) * sizeof *grown);
    if (!grown)
        return cli_fail(CLI_USAGE, "out of memory");
    o->sets = grown;
    o->sets[o->nsets++] = value;
    o->sets[o->nsets] = NULL;
    return CLI_OK;
}

/* Store one option's value. */
static int take(cli_options *o, const option_def *d, const char *value)
{
    uint64_t v = 0;
    int rc = CLI_OK;
    if (strcmp(d->lng, "--set") == 0)
        rc = add_set(o, value);
    else if (strcmp(d->lng, "--seed") == 0) {
        rc = parse_count(o->command, "--seed", value, 0, UINT64_MAX, &v);
        o->seed = v;
        o->has_seed = 1;
    } else if (strcmp(d->lng, "--max-file-size") == 0) {
        /* bytes, for config and data files alike (augur_set_file_limits) */
        rc = parse_count(o->command, "--max-file-size", value, 1, SIZE_MAX, &v);
        if (rc == CLI_OK)
            augur_set_file_limits((size_t)v, (size_t)v);
    } else if (strcmp(d->lng, "--map") == 0)
        o->map = value;
    else if (strcmp(d->lng, "--timeout") == 0) {
        char *end;
        o->timeout = strtod(value, &end);
        if (value[0] == '\0' || *end != '\0' || !(o->timeout >= 0) || o->timeout > 1e9)
            rc = cli_fail(CLI_USAGE, "%s: --timeout wants seconds from 0 (none) to 1e9, "
                          "not '%s'", o->command, value);
        o->has_timeout = 1;
    }
    else if (strcmp(d->lng, "--output") == 0)
        o->output = value;
    else if (strcmp(d->lng, "--checkpoint") == 0)
        o->checkpoint = value;
    else if (strcmp(d->lng, "--every") == 0)
        o->every = value;
    else if (strcmp(d->lng, "--quiet") == 0)
        o->quiet = 1;
    else if (strcmp(d->lng, "--solvers") == 0)
        o->solvers = value;
    else if (strcmp(d->lng, "--seeds") == 0) {
        rc = parse_count(o->command, "--seeds", value, 1, 1000000, &v);
        o->seeds = (size_t)v;
    } else if (strcmp(d->lng, "--tol") == 0) {
        char *end;
        o->tol = strtod(value, &end);
        if (value[0] == '\0' || *end != '\0' || !(o->tol > 0) || o->tol > 1e300)
            rc = cli_fail(CLI_USAGE, "%s: --tol wants a positive number, not '%s'",
                          o->command, value);
    } else if (strcmp(d->lng, "--target") == 0) {
        char *end;
        o->target = strtod(value, &end);
        o->has_target = 1;
        if (value[0] == '\0' || *end != '\0' || !isfinite(o->target))
            rc = cli_fail(CLI_USAGE, "%s: --target wants a number, not '%s'", o->command,
                          value);
    }
    return rc;
}

static int take_positional(cli_options *o, int positional, const char *word)
{
    if (positional == POS_NONE || o->file)
        return cli_fail(CLI_USAGE, "%s: unexpected argument '%s' (try: augur help %s)",
                        o->command, word, o->command);
    o->file = word;
    return CLI_OK;
}

/* One word at argv[*i] (advancing *i past a separate value). */
static int parse_word(int argc, char **argv, int *i, unsigned allowed, int positional,
                      cli_options *o, int *options_done)
{
    const char *w = argv[*i];
    if (*options_done || w[0] != '-' || strcmp(w, "-") == 0)
        return take_positional(o, positional, w);
    if (strcmp(w, "--") == 0) {
        *options_done = 1;
        return CLI_OK;
    }
    if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
        o->help = 1;
        return CLI_OK;
    }
    const char *value;
    const option_def *d = match(w, &value);
    if (!d || !(allowed & d->bit))
        return cli_fail(CLI_USAGE, "%s: unknown option '%s' (try: augur help %s)",
                        o->command, w, o->command);
    if (d->takes_value && !value) {
        if (*i + 1 >= argc)
            return cli_fail(CLI_USAGE, "%s: %s needs a value", o->command, d->lng);
        value = argv[++*i];
    } else if (!d->takes_value && value)
        return cli_fail(CLI_USAGE, "%s: %s takes no value", o->command, d->lng);
    return take(o, d, value);
}

int parse_options(int argc, char **argv, unsigned allowed, int positional,
                  cli_options *o)
{
    *o = (cli_options){.command = argv[0], .seeds = 5, .tol = 1e-6};
    o->sets = calloc(1, sizeof *o->sets);
    if (!o->sets)
        return cli_fail(CLI_USAGE, "out of memory");
    int done = 0;
    for (int i = 1; i < argc; i++) {
        int rc = parse_word(argc, argv, &i, allowed, positional, o, &done);
        if (rc != CLI_OK)
            return rc;
    }
    if (o->every && !o->checkpoint)
        return cli_fail(CLI_USAGE, "%s: --every needs --checkpoint PATH", o->command);
    if (positional == POS_REQUIRED && !o->file && !o->help)
        return cli_fail(CLI_USAGE, "%s: which config file? (usage: augur %s FILE ...)",
                        o->command, o->command);
    return CLI_OK;
}

void free_options(cli_options *o)
{
    free(o->sets);
    o->sets = NULL;
}

int apply_seed_and_map(const cli_options *o, augur_job *job)
{
    if (o->has_seed && augur_job_set_seed(job, o->seed) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "--seed: %s", augur_job_errmsg(job));
    if (o->map && !is_mpi_map(o->map) && augur_job_set_map(job, o->map) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "--map %s: %s", o->map, augur_job_errmsg(job));
    if (o->has_timeout && augur_job_set_timeout(job, o->timeout) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "--timeout: %s", augur_job_errmsg(job));
    if (o->checkpoint && augur_job_set_checkpoint(job, o->checkpoint, o->every) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "--checkpoint: %s", augur_job_errmsg(job));
    if (o->output && augur_job_set_results_path(job, o->output) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "out of memory");
    return CLI_OK;
}

int is_mpi_map(const char *map)
{
    return map && strncmp(map, "mpi", 3) == 0 && (map[3] == '\0' || map[3] == ':');
}

int job_wants_mpi(const cli_options *o, const augur_job *job)
{
    return o->map ? is_mpi_map(o->map) : augur_job_wants_mpi(job);
}

int load_job(const cli_options *o, augur_job **out)
{
    char err[1024] = "";
    *out = NULL;
    /* read once: an "mpi" map is left for later (job_wants_mpi) */
    int loaded = augur_job_load_ex(o->file, o->sets, AUGUR_JOB_DEFER_MPI, out, err,
                                   sizeof err);
    if (loaded != AUGUR_OK) {
        /* The library's message already starts with the file and line. */
        fprintf(stderr, "%s\n", err[0] ? err : "cannot load the file");
        augur_job_destroy(*out);
        *out = NULL;
        return CLI_USAGE;
    }
    int rc = apply_seed_and_map(o, *out);
    if (rc != CLI_OK) {
        augur_job_destroy(*out);
        *out = NULL;
    }
    return rc;
}

int check_output(augur_job *job, const char *path)
{
    if (augur_job_check_output(job, path) != AUGUR_OK)
        return cli_fail(CLI_USAGE, "cannot write the results: %s", augur_job_errmsg(job));
    return check_writable(path);
}

int check_writable(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return cli_fail(CLI_IO, "out of memory");
    const char *dir = dirname(copy);
    int ok = access(dir, W_OK | X_OK) == 0;
    int saved = errno;
    int rc = ok ? CLI_OK
                : cli_fail(CLI_IO, "cannot write the results to %s: %s: %s", path, dir,
                           strerror(saved));
    free(copy);
    return rc;
}
