/* solvers.c - bench_solvers: augur's solvers against NLopt's, GSL's and
 * (when built with it) pagmo2's on the same test problems, budgets, seeds
 * and success test, in one run.
 *
 *     bench_solvers [--quick] [--seeds N] [--cases a,b] [--solvers x,y]
 *                   [--csv FILE] [--overhead-only]
 *
 * For every case (a model from augur's registry at a dimension, optionally
 * shifted off the centre of its box) and every solver it runs each seed
 * with a budget of 10,000 n evaluations and prints, per solver: successes
 * (f - fmin < 1e-6 within the budget), the median evaluations to success,
 * the median best f, the mean restarts and the mean wall time per run. Then
 * a summary (best of ours against the best other library per case), then
 * the overhead and start-up tables (overhead.c).
 *
 * The rules that make the comparison fair (docs/BENCHMARKS.md says more):
 * every solver is told to stop at fmin + 1e-7 and gets the whole budget;
 * whenever a run ends by its own convergence test before the budget is
 * spent and without success, the bench restarts it from a new random point
 * (a new random population for population methods) with what is left of
 * the budget, and keeps the best. Each method keeps its own default
 * convergence test; evaluations are counted and success is judged by the
 * bench's tracker (bench_util.c), not by any library. Benchmarks are not
 * tests: nothing here asserts a time or a result. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <augur.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <nlopt.h>

#include "bench_pagmo.h"
#include "bench_util.h"
#include "overhead.h"

#define BUDGET_PER_DIM 10000          /* the budget: 10,000 n evaluations */
#define DEFAULT_SEEDS 20
#define QUICK_SEEDS 3
#define SHIFT 1.123                   /* the shifted cases' offset per coordinate */

/* --- Cases ---------------------------------------------------------------- */

typedef struct bench_case {
    const char *label;
    const char *model;
    size_t n;
    double shift;
    int quick;                        /* part of --quick */
} bench_case;

static const bench_case cases[] = {
    {"rosen-2", "rosen", 2, 0, 1},
    {"rosen-5", "rosen", 5, 0, 0},
    {"rosen-10", "rosen", 10, 0, 1},
    {"rastrigin-10", "rastrigin", 10, 0, 0},
    {"rastrigin-10-shifted", "rastrigin", 10, SHIFT, 1},
    {"griewangk-10", "griewangk", 10, 0, 0},
    {"griewangk-10-shifted", "griewangk", 10, SHIFT, 0},
    {"ackley-10", "ackley", 10, 0, 0},
    {"ackley-10-shifted", "ackley", 10, SHIFT, 0},
    {"schwefel-5", "schwefel", 5, 0, 0},
    {"zimmermann-2", "zimmermann", 2, 0, 1},
    {"corana-4", "corana", 4, 0, 0},
    {"michalewicz-5", "michalewicz", 5, 0, 0},
    {"michalewicz-10", "michalewicz", 10, 0, 0},
    /* BBOB's landscapes (models/bbob.c): ill-conditioned, rotated and
     * weakly structured, what CMA-ES is for */
    {"ill-ellipsoid-10", "ill-ellipsoid", 10, 0, 0},
    {"rot-ellipsoid-10", "rot-ellipsoid", 10, 0, 0},
    {"discus-10", "discus", 10, 0, 0},
    {"bent-cigar-10", "bent-cigar", 10, 0, 0},
    {"sharp-ridge-10", "sharp-ridge", 10, 0, 0},
    {"diff-powers-10", "diff-powers", 10, 0, 0},
    {"rot-rastrigin-5", "rot-rastrigin", 5, 0, 0},
    {"weierstrass-5", "weierstrass", 5, 0, 0},
    {"schaffer-f7-10", "schaffer-f7", 10, 0, 0},
    {"katsuura-5", "katsuura", 5, 0, 0},
    {"lunacek-5", "lunacek", 5, 0, 0},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* --- Solvers -------------------------------------------------------------- */

/* DE's default condition is VTRChangeOverGeneration, whose VTR part stops
 * at |f| <= 0.005: a "good enough" target looser than the success test
 * that would end (and restart) a population about to succeed, so DE keeps
 * only its stagnation half, ChangeOverGeneration(1e-6, 30). */
static bench_contestant contestants[] = {
    {.name = "nelder-mead", .lib = LIB_AUGUR, .local = 1, .type = "nelder-mead",
     .overhead = 1},
    {.name = "nelder-mead-adaptive", .lib = LIB_AUGUR, .local = 1,
     .type = "nelder-mead", .param = "adaptive", .value = "1"},
    {.name = "powell", .lib = LIB_AUGUR, .local = 1, .type = "powell"},
    {.name = "de", .lib = LIB_AUGUR, .type = "de", .stagnation = 1, .overhead = 1},
    {.name = "de-jde", .lib = LIB_AUGUR, .type = "de", .param = "adaptation",
     .value = "jde", .stagnation = 1},
    {.name = "de-shade", .lib = LIB_AUGUR, .type = "de", .param = "adaptation",
     .value = "shade", .stagnation = 1},
    {.name = "de2", .lib = LIB_AUGUR, .type = "de2", .stagnation = 1, .overhead = 1},
    {.name = "pso", .lib = LIB_AUGUR, .type = "pso", .overhead = 1},
    {.name = "cmaes", .lib = LIB_AUGUR, .type = "cmaes", .overhead = 1},
    /* classic CMA-ES (no negative weights), beside the default, active */
    {.name = "cmaes-classic", .lib = LIB_AUGUR, .type = "cmaes", .param = "active",
     .value = "0", .overhead = 1},
    {.name = "ipop-cmaes", .lib = LIB_AUGUR, .type = "ipop", .nested = "cmaes"},
    /* another developer's default solver; skipped (and named) until it is
     * registered */
    {.name = "auto", .lib = LIB_AUGUR, .type = "auto"},
    {.name = "LN_NELDERMEAD", .lib = LIB_NLOPT, .local = 1,
     .alg = NLOPT_LN_NELDERMEAD, .overhead = 1},
    {.name = "LN_SBPLX", .lib = LIB_NLOPT, .local = 1, .alg = NLOPT_LN_SBPLX},
    {.name = "LN_PRAXIS", .lib = LIB_NLOPT, .local = 1, .alg = NLOPT_LN_PRAXIS},
    {.name = "LN_BOBYQA", .lib = LIB_NLOPT, .local = 1, .alg = NLOPT_LN_BOBYQA},
    {.name = "GN_CRS2_LM", .lib = LIB_NLOPT, .alg = NLOPT_GN_CRS2_LM, .overhead = 1},
    {.name = "GN_ISRES", .lib = LIB_NLOPT, .alg = NLOPT_GN_ISRES},
    {.name = "GN_ESCH", .lib = LIB_NLOPT, .alg = NLOPT_GN_ESCH, .overhead = 1},
    {.name = "GN_MLSL_LDS", .lib = LIB_NLOPT, .alg = NLOPT_GN_MLSL_LDS},
    {.name = "nmsimplex2", .lib = LIB_GSL, .local = 1, .overhead = 1},
    {.name = "pagmo-cmaes-ipop", .lib = LIB_PAGMO, .pagmo = BENCH_PAGMO_CMAES_IPOP,
     .overhead = 1},
    {.name = "pagmo-sade", .lib = LIB_PAGMO, .pagmo = BENCH_PAGMO_SADE},
    {.name = "pagmo-de1220", .lib = LIB_PAGMO, .pagmo = BENCH_PAGMO_DE1220},
    {.name = "pagmo-xnes", .lib = LIB_PAGMO, .pagmo = BENCH_PAGMO_XNES},
    {.name = "pagmo-pso", .lib = LIB_PAGMO, .pagmo = BENCH_PAGMO_PSO},
};
#define NCONT (sizeof contestants / sizeof contestants[0])

/* --- One seed: the restart loop --------------------------------------------- */

typedef struct run_result {
    int solved;
    size_t evals_to_success;
    size_t evals;                     /* used, capped at the budget */
    unsigned restarts;                /* runs after the first */
    double best;
    double wall;                      /* seconds */
} run_result;

/* Runs until success or the budget is spent: each run starts from a fresh
 * random point (or population) with the evaluations left. The starting
 * points are the bench's, from the seed, so every local method starts from
 * the same sequence of points. A run that evaluates nothing ends the loop,
 * which could otherwise spin. */
static int run_seed(const bench_contestant *c, bench_problem *p, uint64_t seed,
                    size_t budget, run_result *out, char *err, size_t cap)
{
    bench_rng rng;
    bench_rng_seed(&rng, bench_mix(seed, 0x5EED));
    bench_problem_reset(p, budget);
    unsigned runs = 0;
    int rc = 0;
    double t0 = bench_now();
    while (rc == 0 && bench_problem_remaining(p) > 0 && !bench_problem_solved(p)) {
        double x0[BENCH_MAXN];
        bench_draw_point(&rng, p->n, p->lb, p->ub, x0);
        size_t before = p->evals;
        rc = bench_run_once(c, p, bench_mix(seed, runs), x0, err, cap);
        runs++;
        if (p->evals == before)
            break;
    }
    out->wall = bench_now() - t0;
    out->solved = bench_problem_solved(p);
    out->evals_to_success = p->evals_to_success;
    out->evals = p->evals < budget ? p->evals : budget;
    out->restarts = runs ? runs - 1 : 0;
    out->best = p->best;
    return rc;
}

/* --- Tables --------------------------------------------------------------- */

typedef struct cell {
    int ran;
    size_t ok, seeds;
    double med_evals, med_best, mean_restarts, mean_ms;
} cell;

static cell cells[NCASES][NCONT];

static void summarise(cell *out, const run_result *r, size_t seeds)
{
    double evals[1024], best[1024], restarts = 0, wall = 0;
    size_t ok = 0;
    for (size_t s = 0; s < seeds; s++) {
        if (r[s].solved)
            evals[ok++] = (double)r[s].evals_to_success;
        best[s] = r[s].best;
        restarts += r[s].restarts;
        wall += r[s].wall;
    }
    out->ran = 1;
    out->ok = ok;
    out->seeds = seeds;
    out->med_evals = bench_median(evals, ok);
    out->med_best = bench_median(best, seeds);
    out->mean_restarts = restarts / (double)seeds;
    out->mean_ms = 1e3 * wall / (double)seeds;
}

static void print_case_header(const bench_case *k, const bench_problem *p,
                              size_t budget, size_t seeds)
{
    printf("\n== %s: %s n=%zu", k->label, k->model, k->n);
    if (k->shift != 0)
        printf(", cost(x - %.3f)", k->shift);
    printf(", box [%g, %g]^n, fmin %.10g, budget %zu, %zu seeds\n", p->lb[0],
           p->ub[0], p->fmin, budget, seeds);
    printf("%-22s %-6s %7s %10s %14s %9s %10s\n", "solver", "lib", "ok",
           "med evals", "med best f", "restarts", "ms/run");
}

/* "ok/seeds" and the median evaluations to success ("-" without one). */
static void format_cell(const cell *x, char *ok, size_t okcap, char *evals,
                        size_t evcap)
{
    snprintf(ok, okcap, "%zu/%zu", x->ok, x->seeds);
    if (x->ok)
        snprintf(evals, evcap, "%.0f", x->med_evals);
    else
        snprintf(evals, evcap, "-");
}

static void print_row(const bench_contestant *c, const cell *x)
{
    char ok[16], evals[24];
    format_cell(x, ok, sizeof ok, evals, sizeof evals);
    printf("%-22s %-6s %7s %10s %14.8g %9.1f %10.2f\n", c->name,
           bench_lib_names[c->lib], ok, evals, x->med_best, x->mean_restarts,
           x->mean_ms);
    fflush(stdout);
}

static void csv_run(FILE *csv, const bench_case *k, const bench_contestant *c,
                    unsigned seed, const run_result *r)
{
    if (!csv)
        return;
    fprintf(csv, "run,%s,%zu,%s,%s,%u,%d,%zu,%.17g,%zu,%u,%.6f,\n", k->label,
            k->n, c->name, bench_lib_names[c->lib], seed, r->solved,
            r->evals_to_success, r->best, r->evals, r->restarts, r->wall);
}

/* Better: more successes, then fewer median evaluations, then lower f. */
static int cell_better(const cell *a, const cell *b)
{
    if (!b->ran)
        return a->ran;
    if (!a->ran)
        return 0;
    if (a->ok != b->ok)
        return a->ok > b->ok;
    if (a->ok && a->med_evals != b->med_evals)
        return a->med_evals < b->med_evals;
    return a->med_best < b->med_best;
}

/* Which libraries a summary column takes its best from. */
enum { COL_AUGUR, COL_C, COL_PAGMO };

static int in_column(bench_lib lib, int col)
{
    return col == COL_AUGUR ? lib == LIB_AUGUR
         : col == COL_PAGMO ? lib == LIB_PAGMO
                            : lib == LIB_NLOPT || lib == LIB_GSL;
}

static void print_best(size_t ci, int col)
{
    size_t best = NCONT;
    for (size_t j = 0; j < NCONT; j++)
        if (in_column(contestants[j].lib, col) && cells[ci][j].ran &&
            (best == NCONT || cell_better(&cells[ci][j], &cells[ci][best])))
            best = j;
    if (best == NCONT) {
        printf(" %-22s %7s %10s", "-", "", "");
        return;
    }
    const cell *x = &cells[ci][best];
    char ok[16], evals[24];
    format_cell(x, ok, sizeof ok, evals, sizeof evals);
    printf(" %-22s %7s %10s", contestants[best].name, ok, evals);
}

static void print_summary(int pagmo)
{
    printf("\n== Summary: best of augur against the best of NLopt and GSL%s "
           "(successes, median evaluations to success)\n",
           pagmo ? " and the best of pagmo2" : "");
    printf("%-22s %-22s %7s %10s %-22s %7s %10s", "case", "augur", "ok",
           "med evals", "nlopt/gsl", "ok", "med evals");
    if (pagmo)
        printf(" %-22s %7s %10s", "pagmo", "ok", "med evals");
    printf("\n");
    for (size_t i = 0; i < NCASES; i++) {
        int any = 0;
        for (size_t j = 0; j < NCONT; j++)
            any |= cells[i][j].ran;
        if (!any)
            continue;
        printf("%-22s", cases[i].label);
        print_best(i, COL_AUGUR);
        print_best(i, COL_C);
        if (pagmo)
            print_best(i, COL_PAGMO);
        printf("\n");
    }
}

/* --- The cases ------------------------------------------------------------ */

typedef struct options {
    int quick;
    int overhead_only;                /* skip the cases: re-measure the ratios */
    size_t seeds;
    const char *cases, *solvers, *csv;
} options;

static int wanted_solver(const bench_contestant *c, const options *o)
{
    return bench_list_has(o->solvers, c->name) ||
           bench_list_has(o->solvers, bench_lib_names[c->lib]);
}

static int wanted_case(const bench_case *k, const options *o)
{
    if (o->overhead_only)
        return 0;
    if (o->cases)
        return bench_list_has(o->cases, k->label);
    return !o->quick || k->quick;
}

/* Every seed of one solver on one case; a failure is reported once. */
static void run_cell(size_t ci, size_t j, bench_problem *p, size_t budget,
                     const options *o, FILE *csv)
{
    run_result r[1024];
    char err[256] = "";
    for (size_t s = 0; s < o->seeds; s++) {
        if (run_seed(&contestants[j], p, s + 1, budget, &r[s], err, sizeof err) < 0)
            fprintf(stderr, "%s on %s, seed %zu: %s\n", contestants[j].name,
                    cases[ci].label, s + 1, err);
        csv_run(csv, &cases[ci], &contestants[j], (unsigned)(s + 1), &r[s]);
    }
    summarise(&cells[ci][j], r, o->seeds);
    print_row(&contestants[j], &cells[ci][j]);
}

static void run_case(size_t ci, const options *o, FILE *csv)
{
    const bench_case *k = &cases[ci];
    bench_problem p;
    if (bench_problem_init(&p, k->model, k->n, k->shift) != AUGUR_OK) {
        printf("\n== %s: model \"%s\" at n=%zu is not available; skipped\n",
               k->label, k->model, k->n);
        return;
    }
    size_t budget = BUDGET_PER_DIM * k->n;
    print_case_header(k, &p, budget, o->seeds);
    for (size_t j = 0; j < NCONT; j++)
        if (contestants[j].available && wanted_solver(&contestants[j], o))
            run_cell(ci, j, &p, budget, o, csv);
}

/* The first call into each library pays for lazy symbol binding and cold
 * caches; one short untimed run of every solver keeps that out of the
 * first case's wall times. */
static void warm_up(const options *o)
{
    bench_problem p;
    if (bench_problem_init(&p, "rosen", 2, 0) != AUGUR_OK)
        return;
    double x0[2] = {p.lb[0] / 2, p.ub[1] / 2};
    char err[256];
    for (size_t j = 0; j < NCONT; j++)
        if (contestants[j].available && wanted_solver(&contestants[j], o)) {
            bench_problem_reset(&p, 200);
            bench_run_once(&contestants[j], &p, 1, x0, err, sizeof err);
        }
}

/* --- main ----------------------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to, "usage: bench_solvers [--quick] [--seeds N] [--cases a,b] "
                "[--solvers x,y] [--csv FILE] [--overhead-only]\n"
                "  --solvers takes solver names or augur, nlopt, gsl, pagmo\n"
                "cases:");
    for (size_t i = 0; i < NCASES; i++)
        fprintf(to, " %s", cases[i].label);
    fprintf(to, "\nsolvers:");
    for (size_t j = 0; j < NCONT; j++)
        fprintf(to, " %s", contestants[j].name);
    fprintf(to, "\n");
}

/* 1 when the item (len bytes) names a case, or with solvers a solver or a
 * library. */
static int item_known(const char *item, size_t len, int solvers)
{
    char name[64];
    if (len >= sizeof name)
        return 0;
    memcpy(name, item, len);
    name[len] = '\0';
    if (!solvers) {
        for (size_t i = 0; i < NCASES; i++)
            if (bench_list_has(cases[i].label, name))
                return 1;
        return 0;
    }
    for (size_t j = 0; j < NCONT; j++)
        if (bench_list_has(contestants[j].name, name) ||
            bench_list_has(bench_lib_names[contestants[j].lib], name))
            return 1;
    return 0;
}

/* A misspelt name would silently select nothing: name it and refuse. */
static int list_known(const char *list, int solvers)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (!item_known(p, len, solvers)) {
            fprintf(stderr, "bench_solvers: unknown %s \"%.*s\"\n",
                    solvers ? "solver" : "case", (int)len, p);
            return 0;
        }
        p += len + (p[len] == ',');
    }
    return 1;
}

/* 0 on success, 1 for --help, -1 on a bad argument. */
static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.seeds = 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--quick")) {
            o->quick = 1;
            continue;  /* flags take no value */
        }
        if (!strcmp(a, "--overhead-only")) {
            o->overhead_only = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return 1;
        if (!v)
            return -1;
        if (!strcmp(a, "--seeds")) {
            char *end;
            errno = 0;
            unsigned long s = strtoul(v, &end, 10);
            if (errno || *end || s == 0 || s > 1000)
                return -1;
            o->seeds = s;
        } else if (!strcmp(a, "--cases"))
            o->cases = v;
        else if (!strcmp(a, "--solvers"))
            o->solvers = v;
        else if (!strcmp(a, "--csv"))
            o->csv = v;
        else
            return -1;
        i++;
    }
    if (!o->seeds)
        o->seeds = o->quick ? QUICK_SEEDS : DEFAULT_SEEDS;
    return list_known(o->cases, 0) && list_known(o->solvers, 1) ? 0 : -1;
}

static void print_preamble(const options *o)
{
    int major, minor, bugfix;
    nlopt_version(&major, &minor, &bugfix);
    printf("bench_solvers: augur %s, NLopt %d.%d.%d, GSL %s; %zu seeds, budget "
           "%d n evaluations, success f - fmin < %g, stopval fmin + %g\n",
           AUGUR_VERSION_STRING, major, minor, bugfix, gsl_version, o->seeds,
           BUDGET_PER_DIM, BENCH_SUCCESS_TOL, BENCH_STOPVAL_TOL);
    char why[128];
    if (bench_pagmo_available(why, sizeof why))
        printf("pagmo2 %s: single-threaded, through the same tracker\n",
               bench_pagmo_version());
    else
        printf("pagmo2: not built, its rows are skipped: %s\n", why);
    for (size_t j = 0; j < NCONT; j++)
        if (!contestants[j].available && contestants[j].lib != LIB_PAGMO)
            printf("skipped: %s %s (%s)\n", bench_lib_names[contestants[j].lib],
                   contestants[j].name, contestants[j].why);
}

int main(int argc, char **argv)
{
    options o;
    int prc = parse_options(argc, argv, &o);
    if (prc != 0) {
        usage(prc > 0 ? stdout : stderr);
        return prc > 0 ? 0 : 2;
    }
    /* A program may turn GSL's aborting handler off; the library may not. */
    gsl_set_error_handler_off();
    FILE *csv = NULL;
    if (o.csv && !(csv = fopen(o.csv, "w"))) {
        fprintf(stderr, "bench_solvers: cannot write %s\n", o.csv);
        return 1;
    }
    if (csv)
        fprintf(csv, "kind,case,n,solver,lib,seed,success,evals_to_success,"
                     "best_f,evals,restarts,wall_s,ns_per_eval\n");
    for (size_t j = 0; j < NCONT; j++)
        bench_check_available(&contestants[j]);
    print_preamble(&o);
    double t0 = bench_now();
    warm_up(&o);
    for (size_t i = 0; i < NCASES; i++)
        if (wanted_case(&cases[i], &o))
            run_case(i, &o, csv);
    if (!o.overhead_only)
        print_summary(bench_pagmo_available(NULL, 0));
    bench_overhead_table(contestants, NCONT, o.solvers, csv);
    bench_startup_table();
    printf("\ntotal wall time %.1f s\n", bench_now() - t0);
    if (csv)
        fclose(csv);
    return 0;
}
