/* ab.c - bench_ab: builds of libaugur timed against each other in one
 * process, for changes too small to see through a shared machine's noise.
 *
 *     bench_ab startup CHUNKS LIB...     the start-up run of bench_startup
 *                                         (create, solve, destroy a 2-D
 *                                         nelder-mead), 2,000 per chunk;
 *                                         LIB "nlopt" is bench_startup's
 *                                         NLopt run, LN_NELDERMEAD with
 *                                         xtol_abs 1e-4
 *     bench_ab overhead TYPE N REPS LIB...
 *                                         a solver type (nelder-mead, de,
 *                                         pso ...) with its defaults on
 *                                         bench_solvers' overhead case
 *                                         (f = sum x_i on [-1, 1]^N, no
 *                                         stopping test), 50,000
 *                                         evaluations per repetition
 *
 * Each LIB, the path of a libaugur.so, is loaded into a namespace of its
 * own (dlmopen), so that two builds exporting the same symbols live side
 * by side. The chunks go round the libraries in turn, so that a burst of
 * load from elsewhere lands on all of them alike, and each is timed by
 * the thread's CPU clock. Prints, per library, the median and the first
 * quartile: us per run (startup) or ns per evaluation (overhead). */
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <nlopt.h>
#include "augur.h"

#define MAX_LIBS 8      /* glibc has 16 namespaces, each build takes one */
#define MAX_N 64
#define STARTUP_RUNS 2000
#define OVERHEAD_EVALS 50000

/* The calls the two measurements make, from one build (none for NLopt,
 * linked as usual). */
typedef struct build {
    const char *path;
    int nlopt;
    augur_solver *(*create)(const char *, size_t);
    int (*set_initial_point)(augur_solver *, const double *);
    int (*set_bounds)(augur_solver *, const double *, const double *);
    int (*set_seed)(augur_solver *, uint64_t);
    int (*set_random_initial_points)(augur_solver *, const double *, const double *);
    int (*set_evaluation_limits)(augur_solver *, size_t, size_t);
    int (*solve)(augur_solver *, augur_cost, void *, augur_termination *);
    void (*destroy)(augur_solver *);
    augur_termination *(*stopval)(double);
} build;

static void *symbol(void *h, const char *path, const char *name)
{
    void *p = dlsym(h, name);
    if (!p) {
        fprintf(stderr, "bench_ab: %s has no %s\n", path, name);
        exit(1);
    }
    return p;
}

/* dlsym gives an object pointer; POSIX guarantees it converts to the
 * function's type, which memcpy says without a cast C11 does not define. */
#define BIND(b, h, field, name)                                       \
    do {                                                              \
        void *p_ = symbol(h, (b)->path, name);                        \
        memcpy(&(b)->field, &p_, sizeof p_);                          \
    } while (0)

static void load(build *b, const char *path)
{
    b->path = path;
    b->nlopt = !strcmp(path, "nlopt");
    if (b->nlopt)
        return;
    void *h = dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "bench_ab: %s\n", dlerror());
        exit(1);
    }
    BIND(b, h, create, "augur_solver_create");
    BIND(b, h, set_initial_point, "augur_solver_set_initial_point");
    BIND(b, h, set_bounds, "augur_solver_set_bounds");
    BIND(b, h, set_seed, "augur_solver_set_seed");
    BIND(b, h, set_random_initial_points, "augur_solver_set_random_initial_points");
    BIND(b, h, set_evaluation_limits, "augur_solver_set_evaluation_limits");
    BIND(b, h, solve, "augur_solve");
    BIND(b, h, destroy, "augur_solver_destroy");
    BIND(b, h, stopval, "augur_term_stopval");
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double sphere2(const double *x, size_t n, void *data)
{
    (void)n;
    ++*(size_t *)data;
    return x[0] * x[0] + x[1] * x[1];
}

static double sum(const double *x, size_t n, void *data)
{
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += x[i];
    ++*(size_t *)data;
    return f;
}

static double sphere2_nlopt(unsigned n, const double *x, double *g, void *data)
{
    (void)g;
    return sphere2(x, n, data);
}

/* us per run of bench_startup's NLopt loop */
static double startup_chunk_nlopt(void)
{
    size_t evals = 0;
    double t0 = cpu_now();
    for (int r = 0; r < STARTUP_RUNS; r++) {
        double x[2] = {1, 1}, f;
        nlopt_opt o = nlopt_create(NLOPT_LN_NELDERMEAD, 2);
        nlopt_set_min_objective(o, sphere2_nlopt, &evals);
        nlopt_set_xtol_abs1(o, 1e-4);
        nlopt_optimize(o, x, &f);
        nlopt_destroy(o);
    }
    return 1e6 * (cpu_now() - t0) / STARTUP_RUNS;
}

/* us per run of bench_startup's loop */
static double startup_chunk(const build *b)
{
    if (b->nlopt)
        return startup_chunk_nlopt();
    static const double x0[2] = {1, 1};
    size_t evals = 0;
    double t0 = cpu_now();
    for (int r = 0; r < STARTUP_RUNS; r++) {
        augur_solver *s = b->create("nelder-mead", 2);
        b->set_initial_point(s, x0);
        b->solve(s, sphere2, &evals, NULL);
        b->destroy(s);
    }
    return 1e6 * (cpu_now() - t0) / STARTUP_RUNS;
}

/* ns per evaluation of bench_solvers' overhead case (runs from random
 * points in the box until the evaluations are spent) */
static double overhead_chunk(const build *b, const char *type, size_t n)
{
    if (b->nlopt)
        return NAN;   /* bench_solvers times NLopt's overhead case */
    double lb[MAX_N], ub[MAX_N];
    for (size_t i = 0; i < n; i++) {
        lb[i] = -1;
        ub[i] = 1;
    }
    size_t done = 0;
    double t0 = cpu_now();
    for (uint64_t run = 1; done < OVERHEAD_EVALS; run++) {
        size_t before = done;
        augur_solver *s = b->create(type, n);
        if (!s)
            return NAN;
        b->set_bounds(s, lb, ub);
        b->set_seed(s, run);
        b->set_random_initial_points(s, lb, ub);
        b->set_evaluation_limits(s, AUGUR_UNLIMITED, OVERHEAD_EVALS - done);
        b->solve(s, sum, &done, b->stopval(-INFINITY));
        b->destroy(s);
        if (done == before)
            return NAN;   /* a build that evaluates nothing would spin */
    }
    return 1e9 * (cpu_now() - t0) / (double)done;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_ab startup CHUNKS LIB...\n"
                    "       bench_ab overhead TYPE N REPS LIB...\n");
    return 2;
}

int main(int argc, char **argv)
{
    int overhead = argc > 1 && !strcmp(argv[1], "overhead");
    if (argc < 2 || (!overhead && strcmp(argv[1], "startup")))
        return usage();
    int first = overhead ? 5 : 3, nlibs = argc - first;
    const char *type = overhead && argc > 2 ? argv[2] : "nelder-mead";
    long n = overhead && argc > 3 ? strtol(argv[3], NULL, 10) : 2;
    long chunks = argc > first - 1 ? strtol(argv[first - 1], NULL, 10) : 0;
    if (nlibs < 1 || nlibs > MAX_LIBS || chunks < 1 || chunks > 100000 ||
        n < 1 || n > MAX_N)
        return usage();
    build libs[MAX_LIBS];
    double *t[MAX_LIBS];
    for (int k = 0; k < nlibs; k++) {
        load(&libs[k], argv[first + k]);
        t[k] = calloc((size_t)chunks, sizeof *t[k]);
        if (!t[k])
            return 1;
    }
    for (long c = 0; c < chunks; c++)
        for (int k = 0; k < nlibs; k++)
            t[k][c] = overhead ? overhead_chunk(&libs[k], type, (size_t)n)
                               : startup_chunk(&libs[k]);
    for (int k = 0; k < nlibs; k++) {
        qsort(t[k], (size_t)chunks, sizeof *t[k], by_value);
        printf("%-50s median %9.3f  first quartile %9.3f %s\n", libs[k].path,
               t[k][chunks / 2], t[k][chunks / 4],
               overhead ? "ns per evaluation" : "us per run");
        free(t[k]);
    }
    return 0;
}
