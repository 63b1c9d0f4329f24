/* compare.c - `augur compare FILE --solvers a,b,c --seeds N`: one problem
 * under several solver types and seeds, summed up as a table.
 *
 *     solver         success      median f  median evals  median s
 *     nelder-mead   100% (5/5)  2.3133e-11           412     0.002
 *     pso            60% (3/5)  4.1002e-07          6000     0.031
 *
 * Each (type, seed) pair is a fresh job: the file loaded for that type
 * (rewrite.c keeps the solver settings that apply), seeded 1..N. A run
 * succeeds when f - fmin < tol, with fmin the problem's known minimum when
 * it is a registry model (peek.c), else the best f of any run of any type,
 * so a table always says which solvers found what the best of them found.
 * Medians are robust to the one run that wandered off. Time is wall-clock
 * around the whole job (a fit's polish included). Ctrl-C stops the current
 * run and prints the table of the runs so far. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "plot.h"

/* One run's best f against evaluations, for --plot. */
typedef struct trace {
    double *evals, *f;
    size_t n, cap;
} trace;

typedef struct row {
    char type[128];
    double *f, *evals, *seconds;  /* one per finished run */
    size_t runs;                  /* finished runs */
    size_t failed;                /* runs whose solve failed */
    int unusable;                 /* the file did not load for this type */
    trace *traces;                /* --plot: one per seed */
} row;

/* --plot PATH: where the convergence picture goes (NULL: none). Taken out
 * of argv before the shared options are parsed. */
static const char *plot_path;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v (sorted in place); NaN for none. */
static double median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, by_value);
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
    r->traces = plot_path ? calloc(seeds, sizeof *r->traces) : NULL;
    return r->f && r->evals && r->seconds && (r->traces || !plot_path)
               ? CLI_OK : cli_fail(CLI_USAGE, "out of memory");
}

static size_t seeds_allocated;

static void free_rows(row *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++) {
        free(rows[i].f);
        free(rows[i].evals);
        free(rows[i].seconds);
        for (size_t k = 0; rows[i].traces && k < seeds_allocated; k++) {
            free(rows[i].traces[k].evals);
            free(rows[i].traces[k].f);
        }
        free(rows[i].traces);
    }
    free(rows);
}

/* A generation record: best f so far at these evaluations. */
static int on_generation(const augur_record *rec, void *data)
{
    trace *t = data;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 128;
        double *e = realloc(t->evals, cap * sizeof *e);
        if (e)
            t->evals = e;
        double *f = e ? realloc(t->f, cap * sizeof *f) : NULL;
        if (!f)
            return 0;   /* the picture misses the rest; the run goes on */
        t->f = f;
        t->cap = cap;
    }
    t->evals[t->n] = (double)rec->evaluations;
    t->f[t->n++] = rec->f;
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
    if (rc == CLI_OK && r->traces &&
        augur_solver_add_generation_monitor(augur_job_solver(job),
            augur_monitor_callback(on_generation, &r->traces[seed - 1])) != AUGUR_OK)
        rc = cli_fail(CLI_USAGE, "%s: %s", r->type, augur_job_errmsg(job));
    if (rc != CLI_OK) {
        augur_job_destroy(job);
        return rc;
    }
    char label[64];
    snprintf(label, sizeof label, "%.32s seed %llu/%zu", r->type, (unsigned long long)seed,
             o->seeds);
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

static void print_row(row *r, double fmin, double tol)
{
    size_t ok = 0, tried = r->runs + r->failed;
    for (size_t k = 0; k < r->runs; k++)
        ok += r->f[k] - fmin < tol;
    char rate[48] = "-";
    if (tried)
        snprintf(rate, sizeof rate, "%3.0f%% (%zu/%zu)", 100.0 * (double)ok / (double)tried,
                 ok, tried);
    if (r->unusable || r->runs == 0) {
        printf("%-24s %12s  %12s  %12s  %9s%s\n", r->type, rate, "-", "-", "-",
               r->unusable ? "   (the file does not load for it)" : "");
        return;
    }
    printf("%-24s %12s  %12.6g  %12.0f  %9.3g\n", r->type, rate, median(r->f, r->runs),
           median(r->evals, r->runs), median(r->seconds, r->runs));
}

static void print_table(const cli_options *o, row *rows, size_t count)
{
    int known;
    double fmin = reference(o, rows, count, &known);
    printf("%-24s %12s  %12s  %12s  %9s\n", "solver", "success", "median f",
           "median evals", "median s");
    for (size_t i = 0; i < count; i++)
        print_row(&rows[i], fmin, o->tol);
    printf("\nsuccess: f - fmin < %g, fmin = %.10g (%s); seeds 1..%zu\n", o->tol, fmin,
           known ? "the model's known minimum" : "the best f of any run", o->seeds);
}

/* Best f of trace t at e evaluations (NaN before its first record). */
static double best_at(const trace *t, double e)
{
    double f = NAN;
    for (size_t i = 0; i < t->n && t->evals[i] <= e; i++)
        f = t->f[i];
    return f;
}

/* The q-quantile of v[0..n) sorted, by linear interpolation. */
static double quantile(const double *v, size_t n, double q)
{
    double at = q * (double)(n - 1);
    size_t i = (size_t)at;
    return i + 1 < n ? v[i] + (at - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

/* Median and quartiles over seeds on a common grid of evaluations. */
static int draw_plot(const cli_options *o, row *rows, size_t count)
{
    enum { GRID = 120 };
    plot_band *b = calloc(count, sizeof *b);
    double *v = malloc(o->seeds * sizeof *v);
    int rc = b && v ? CLI_OK : cli_fail(CLI_USAGE, "out of memory");
    size_t nb = 0;
    for (size_t i = 0; rc == CLI_OK && i < count; i++) {
        const row *r = &rows[i];
        double top = 0;
        for (size_t k = 0; r->traces && k < o->seeds; k++)
            if (r->traces[k].n)
                top = fmax(top, r->traces[k].evals[r->traces[k].n - 1]);
        if (!(top > 0))
            continue;
        plot_band *s = &b[nb];
        snprintf(s->label, sizeof s->label, "%.90s", r->type);
        s->evals = malloc(GRID * sizeof(double));
        s->q1 = malloc(GRID * sizeof(double));
        s->median = malloc(GRID * sizeof(double));
        s->q3 = malloc(GRID * sizeof(double));
        nb++;
        if (!s->evals || !s->q1 || !s->median || !s->q3) {
            rc = cli_fail(CLI_USAGE, "out of memory");
            break;
        }
        for (size_t g = 0; g < GRID; g++) {
            double e = top * (double)(g + 1) / GRID;
            size_t m = 0;
            for (size_t k = 0; k < o->seeds; k++) {
                double f = best_at(&r->traces[k], e);
                if (isfinite(f))
                    v[m++] = f;
            }
            if (m == 0)
                continue;
            qsort(v, m, sizeof *v, by_value);
            s->evals[s->n] = e;
            s->q1[s->n] = quantile(v, m, 0.25);
            s->median[s->n] = quantile(v, m, 0.5);
            s->q3[s->n++] = quantile(v, m, 0.75);
        }
    }
    if (rc == CLI_OK && nb == 0)
        rc = cli_fail(CLI_FAILED, "compare: --plot: no run to draw");
    if (rc == CLI_OK) {
        char title[200];
        snprintf(title, sizeof title, "Solvers compared on %.60s, seeds 1..%zu", o->file,
                 o->seeds);
        rc = draw_bands(plot_path, title, b, nb);
    }
    for (size_t i = 0; b && i < nb; i++) {
        free(b[i].evals);
        free(b[i].q1);
        free(b[i].median);
        free(b[i].q3);
    }
    free(b);
    free(v);
    return rc;
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
        seeds_allocated = o->seeds;
        rc = run_all(o, rows, count);
        print_table(o, rows, count);
        if (plot_path && (rc == CLI_OK || rc == CLI_FAILED)) {
            int drawn = draw_plot(o, rows, count);
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
