/* compare.c - `augur compare FILE --solvers a,b,c --seeds N`: one problem
 * under several solver types and seeds, summed up as a table.
 *
 *     solver        success     f q1   median f       f q3  evals  to target  seconds
 *     nelder-mead   5/5 100%  1.2e-12  2.3133e-11  4.1e-11    412        380    0.002
 *     pso           3/5  60%  1.1e-08  4.1002e-07  2.2e-03   6000       2450    0.031
 *
 * Each (type, seed) pair is a fresh job: the file loaded for that type
 * (rewrite.c keeps the solver settings that apply), seeded 1..N. A run
 * succeeds when f - fmin < tol, with fmin the problem's known minimum when
 * it is a registry model (peek.c), else the best f of any run of any type,
 * so a table always says which solvers found what the best of them found;
 * or f <= F for `--target F`. Each run's best f after each generation is
 * kept, so "to target" is the evaluations a run had made when it first
 * succeeded (the median over the runs that did), as docs/BENCHMARKS.md
 * counts them. Medians and quartiles are robust to the one run that
 * wandered off. Time is wall-clock
 * around the whole job (a fit's polish included). Ctrl-C stops the current
 * run and prints the table of the runs so far. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "compare_int.h"
#include "plot.h"


/* --plot PATH: where the convergence picture goes (NULL: none). Taken out
 * of argv before the shared options are parsed. */
static const char *plot_path;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int compare_by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v (sorted in place); NaN for none. */
static double median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, compare_by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Split "a,b,c" into rows (types checked here, so a typo costs no runs). */
static int make_rows(const cli_options *o, row **rows, size_t *count)
{
    size_t n = 1;
    for (const char *p = o->solvers; *p; p++)
        n += *p == ',';
    *rows = calloc(n, sizeof **rows);
    *count = 0;
    if (!*rows)
        return cli_fail(CLI_USAGE, "out of memory");
    for (const char *p = o->solvers; *p;) {
        size_t len = strcspn(p, ",");
        row *r = &(*rows)[*count];
        snprintf(r->type, sizeof r->type, "%.*s", (int)len, p);
        if (len && !augur_solver_type_find(r->type))
            return cli_fail(CLI_USAGE, "compare: no solver '%s' (see: augur list solvers)",
                            r->type);
        if (len)
            (*count)++;
        p += len + (p[len] == ',');
    }
    if (*count == 0)
        return cli_fail(CLI_USAGE, "compare: --solvers names no solver");
    return CLI_OK;
}

static int alloc_runs(row *r, size_t seeds)
{
    r->f = malloc(seeds * sizeof *r->f);
    r->evals = malloc(seeds * sizeof *r->evals);
    r->seconds = malloc(seeds * sizeof *r->seconds);
    r->traj = calloc(seeds, sizeof *r->traj);
    return r->f && r->evals && r->seconds && r->traj ? CLI_OK
                                                      : cli_fail(CLI_USAGE, "out of memory");
}

static void free_rows(row *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++) {
        free(rows[i].f);
        free(rows[i].evals);
        free(rows[i].seconds);
        for (size_t k = 0; rows[i].traj && k < rows[i].runs; k++) {
            free(rows[i].traj[k].evals);
            free(rows[i].traj[k].f);
        }
        free(rows[i].traj);
    }
    free(rows);
}

/* A generation monitor: the record into the run's trajectory (a record
 * that finds no room is dropped: "to target" may then come late). */
static int keep_record(const augur_record *rec, void *data)
{
    trajectory *t = data;
    if (t->len == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        double *e = realloc(t->evals, cap * sizeof *e);
        if (e)
            t->evals = e;
        double *f = e ? realloc(t->f, cap * sizeof *f) : NULL;
        if (f)
            t->f = f;
        if (!e || !f)
            return 0;
        t->cap = cap;
    }
    t->evals[t->len] = (double)rec->evaluations;
    t->f[t->len++] = rec->f;
    return 0;
}

/* One (type, seed) run, recorded in r. Returns CLI_OK, CLI_USAGE (the file
 * does not load for this type) or CLI_STOPPED. */
static int run_one(const cli_options *o, row *r, uint64_t seed)
{
    augur_job *job = NULL;
    int rc = load_for_type(o, r->type, &job, seed == 1 ? stderr : NULL);
    if (rc == CLI_OK && augur_job_set_seed(job, seed) != AUGUR_OK)
        rc = cli_fail(CLI_USAGE, "%s: %s", r->type, augur_job_errmsg(job));
    if (rc != CLI_OK)
        return rc;
    char label[64];
    snprintf(label, sizeof label, "%.32s seed %llu/%zu", r->type, (unsigned long long)seed,
             o->seeds);
    trajectory *t = &r->traj[r->runs];
    *t = (trajectory){0};
    augur_solver_add_generation_monitor(augur_job_solver(job),
                                        augur_monitor_callback(keep_record, t));
    progress p;
    progress_begin(&p, job, progress_wanted(0), label, NULL);
    interrupt_begin(job);
    double t0 = now();
    int solved = augur_job_run(job);
    double seconds = now() - t0;
    interrupt_end();
    progress_end(&p, job);
    const double *x;
    size_t n;
    double f;
    if (solved < 0 || augur_job_answer(job, &x, &n, &f) != AUGUR_OK) {
        if (r->failed++ == 0)   /* the same reason for every seed, as a rule */
            fprintf(stderr, "augur: compare: %s seed %llu: the run failed: %s\n", r->type,
                    (unsigned long long)seed, augur_job_errmsg(job));
    } else if (!interrupted()) {
        r->f[r->runs] = f;
        r->evals[r->runs] = (double)augur_solver_evaluations(augur_job_solver(job));
        r->seconds[r->runs++] = seconds;
    } else {
        free(t->evals);
        free(t->f);
        *t = (trajectory){0};
    }
    augur_job_destroy(job);
    return interrupted() ? CLI_STOPPED : CLI_OK;
}

/* fmin for the success test: the known minimum, else the best f seen. */
static double reference(const cli_options *o, const row *rows, size_t count, int *known)
{
    augur_job *job = NULL;
    double fmin = INFINITY;
    *known = load_job(o, &job) == CLI_OK && known_minimum(o, job, &fmin);
    augur_job_destroy(job);
    if (*known)
        return fmin;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < rows[i].runs; k++)
            if (rows[i].f[k] < fmin)
                fmin = rows[i].f[k];
    return fmin;
}

/* --- Statistics --------------------------------------------------------------- */

typedef struct goal {
    int has_target;
    double target, fmin, tol;
} goal;

static int succeeded(const goal *g, double f)
{
    return g->has_target ? f <= g->target : f - g->fmin < g->tol;
}

double compare_quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, compare_by_value);
    double at = q * (double)(n - 1);
    size_t k = (size_t)at;
    return k + 1 < n ? v[k] + (at - (double)k) * (v[k + 1] - v[k]) : v[k];
}

/* Evaluations when the run first succeeded; NaN if it never did. */
static double evals_to_target(const goal *g, const trajectory *t)
{
    for (size_t k = 0; k < t->len; k++)
        if (succeeded(g, t->f[k]))
            return t->evals[k];
    return NAN;
}

/* The median evaluations to target over the runs that reached it. */
static double median_to_target(const goal *g, const row *r)
{
    double *v = malloc((r->runs ? r->runs : 1) * sizeof *v);
    size_t m = 0;
    for (size_t k = 0; v && k < r->runs; k++) {
        double e = evals_to_target(g, &r->traj[k]);
        if (!isnan(e))
            v[m++] = e;
    }
    double med = v ? median(v, m) : NAN;
    free(v);
    return med;
}

static void print_row(row *r, const goal *g)
{
    size_t ok = 0, tried = r->runs + r->failed;
    for (size_t k = 0; k < r->runs; k++)
        ok += succeeded(g, r->f[k]);
    char rate[48] = "-";
    if (tried)
        snprintf(rate, sizeof rate, "%zu/%zu %3.0f%%", ok, tried,
                 100.0 * (double)ok / (double)tried);
    if (r->unusable || r->runs == 0) {
        printf("%-24s %12s  %10s  %12s  %10s  %10s  %10s  %9s%s\n", r->type, rate, "-",
               "-", "-", "-", "-", "-",
               r->unusable ? "   (the file does not load for it)" : "");
        return;
    }
    double to = median_to_target(g, r);
    char tobuf[32] = "-";
    if (!isnan(to))
        snprintf(tobuf, sizeof tobuf, "%.0f", to);
    double q1 = compare_quantile(r->f, r->runs, 0.25), q3 = compare_quantile(r->f, r->runs, 0.75);
    printf("%-24s %12s  %10.4g  %12.6g  %10.4g  %10.0f  %10s  %9.3g\n", r->type, rate, q1,
           median(r->f, r->runs), q3, median(r->evals, r->runs), tobuf,
           median(r->seconds, r->runs));
}

static void print_table(const cli_options *o, row *rows, size_t count)
{
    int known = 0;
    goal g = {.has_target = o->has_target, .target = o->target, .tol = o->tol};
    if (!o->has_target)
        g.fmin = reference(o, rows, count, &known);
    printf("%-24s %12s  %10s  %12s  %10s  %10s  %10s  %9s\n", "solver", "success",
           "f q1", "median f", "f q3", "evals", "to target", "median s");
    for (size_t i = 0; i < count; i++)
        print_row(&rows[i], &g);
    if (o->has_target)
        printf("\nsuccess: f <= %.10g (--target); ", o->target);
    else
        printf("\nsuccess: f - fmin < %g, fmin = %.10g (%s); ", o->tol, g.fmin,
               known ? "the model's known minimum" : "the best f of any run");
    printf("evals: median evaluations; to target: median evaluations when first "
           "successful, over the runs that were; seeds 1..%zu\n", o->seeds);
}

/* Every type, every seed; stops early on Ctrl-C. */
static int run_all(const cli_options *o, row *rows, size_t count)
{
    int status = CLI_OK;
    for (size_t i = 0; i < count && status != CLI_STOPPED; i++) {
        int rc = alloc_runs(&rows[i], o->seeds);
        for (uint64_t seed = 1; rc == CLI_OK && seed <= o->seeds; seed++)
            rc = run_one(o, &rows[i], seed);
        if (rc == CLI_USAGE)
            rows[i].unusable = 1;
        if (rc == CLI_OK && rows[i].failed && status == CLI_OK)
            status = CLI_FAILED;
        if (rc != CLI_OK && status != CLI_STOPPED)
            status = rc;
    }
    return status;
}

static int compare(const cli_options *o)
{
    if (!o->solvers)
        return cli_fail(CLI_USAGE, "compare: which solvers? (--solvers a,b,c)");
    if (wants_mpi(o))
        return cli_fail(CLI_USAGE, "compare: runs many jobs in one process and so "
                                   "not under MPI; use --map threads:N or fork:N");
    augur_job *job = NULL;
    int rc = load_job(o, &job);   /* a bad file is reported once, as written */
    augur_job_destroy(job);
    row *rows = NULL;
    size_t count = 0;
    if (rc == CLI_OK)
        rc = make_rows(o, &rows, &count);
    if (rc == CLI_OK) {
        rc = run_all(o, rows, count);
        print_table(o, rows, count);
        if (plot_path && (rc == CLI_OK || rc == CLI_FAILED)) {
            int drawn = compare_draw(plot_path, o->file, o->seeds, rows, count);
            rc = drawn != CLI_OK ? drawn : rc;
            if (drawn == CLI_OK)
                printf("plot: %s\n", plot_path);
        }
        if (rc == CLI_STOPPED)
            cli_fail(rc, "compare: stopped by Ctrl-C; the table has the runs so far");
    }
    free_rows(rows, count);
    return rc;
}

/* Take `--plot PATH` out of argv (the shared options do not know it). */
static int take_plot(int *argc, char **argv)
{
    plot_path = NULL;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--plot") != 0)
            continue;
        if (i + 1 >= *argc)
            return cli_fail(CLI_USAGE, "compare: --plot needs a file (OUT.svg, .png, .pdf)");
        plot_path = argv[i + 1];
        memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof *argv);
        *argc -= 2;
        argv[*argc] = NULL;
        int rc = plot_ready();
        return rc == CLI_OK ? plot_output_ok(plot_path) : rc;
    }
    return CLI_OK;
}

int cmd_compare(int argc, char **argv)
{
    cli_options o;
    int taken = take_plot(&argc, argv);
    if (taken != CLI_OK)
        return taken;
    int rc = parse_options(argc, argv, OPT_SET | OPT_MAP | OPT_COMPARE, POS_REQUIRED, &o);
    if (rc == CLI_OK && o.help)
        print_command_help("compare", stdout);
    else if (rc == CLI_OK)
        rc = compare(&o);
    free_options(&o);
    return rc;
}
