/* checkpoint.c - what saving checkpoints costs (docs/BENCHMARKS.md):
 * de2 (population 40, seed 11) on a trivial 10-D cost (the sphere), 2000
 * generations, run with no checkpoint; with one every generation through
 * a checkpointer (the state captured on the solver's thread, the file
 * written by the checkpointer's own), as `augur run --checkpoint --every
 * 1` saves; the same every 10 seconds; and, for comparison, every
 * generation with the synchronous augur_solver_save. Each is the median of
 * 5 runs, the cases taking turns; a run's time ("seconds") includes
 * closing the checkpointer, which waits until the last capture is on disk
 * (the write in progress, then the newest: a fixed cost at the end of a
 * run), and "solve" is augur_solve alone (what saving costs per
 * generation: the captures, and the writer's share of the machine). The cost is trivial on purpose: a
 * generation is then as cheap as one can be, and the save's share the
 * largest it can be. "captures" are the saves asked for, "writes" the
 * files the writer finished (latest wins: it skips to the newest capture
 * when it falls behind).
 *
 *     build/release/bench/bench_checkpoint [generations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "augur.h"

typedef struct saver {
    augur_solver *s;
    augur_checkpointer *ck;       /* NULL: synchronous saves */
    const char *path;
    double every;                 /* seconds; 0: every generation */
    double last;
    size_t saves;
    int rc;
} saver;

typedef struct outcome {
    double seconds;               /* the whole run, closing included */
    double solve;                 /* augur_solve alone */
    size_t captures, writes;
} outcome;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double sphere(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += x[i] * x[i];
    return f;
}

static int on_generation(const augur_record *r, void *data)
{
    (void)r;
    saver *sv = data;
    double t = now();
    if (sv->every > 0 && t - sv->last < sv->every)
        return 0;
    sv->rc |= sv->ck ? augur_checkpointer_save(sv->ck, sv->s, NULL)
                     : augur_solver_save(sv->s, sv->path);
    sv->saves++;
    sv->last = t;
    return 0;
}

static augur_solver *de2(size_t gens)
{
    double lb[10], ub[10];
    for (int i = 0; i < 10; i++)
        lb[i] = -5, ub[i] = 5;
    augur_solver *s = augur_solver_create("de2", 10);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 11);
    augur_solver_set_param(s, "population-size", 40);
    augur_solver_set_evaluation_limits(s, gens, 0);
    augur_solver_set_termination(s, augur_term_vtr(0, -1));
    return s;
}

/* One run; every < 0: no checkpoint; async: through a checkpointer. */
static outcome one_run(size_t gens, double every, int async, const char *path)
{
    augur_solver *s = de2(gens);
    char err[256] = "";
    saver sv = {.s = s, .path = path, .every = every};
    outcome o = {0};
    double t0 = now();
    if (every >= 0 && async && !(sv.ck = augur_checkpointer_open(path, err, sizeof err))) {
        fprintf(stderr, "bench_checkpoint: %s\n", err);
        exit(1);
    }
    sv.last = now();
    if (every >= 0)
        augur_solver_add_generation_monitor(s, augur_monitor_callback(on_generation, &sv));
    double ts = now();   /* solve: augur_solve alone, without opening the checkpointer */
    augur_solve(s, sphere, NULL, NULL);
    o.solve = now() - ts;
    if (sv.ck) {
        sv.rc |= augur_checkpointer_flush(sv.ck);
        augur_checkpointer_counts(sv.ck, &o.captures, &o.writes);
    } else {
        o.captures = o.writes = sv.saves;
    }
    sv.rc |= augur_checkpointer_close(sv.ck, err, sizeof err);
    o.seconds = now() - t0;
    if (sv.rc)
        fprintf(stderr, "bench_checkpoint: %s%s\n", augur_solver_errmsg(s), err);
    augur_solver_destroy(s);
    return o;
}

static int by_seconds(const void *a, const void *b)
{
    double x = ((const outcome *)a)->seconds, y = ((const outcome *)b)->seconds;
    return (x > y) - (x < y);
}

static int by_solve(const void *a, const void *b)
{
    double x = ((const outcome *)a)->solve, y = ((const outcome *)b)->solve;
    return (x > y) - (x < y);
}

/* The median run by whole time, with the median solve time beside it. */
static outcome median(outcome *o, int m)
{
    qsort(o, (size_t)m, sizeof o[0], by_solve);
    double solve = o[m / 2].solve;
    qsort(o, (size_t)m, sizeof o[0], by_seconds);
    outcome med = o[m / 2];
    med.solve = solve;
    return med;
}

static void row(const char *what, outcome o, outcome none)
{
    printf("%-34s %9.4f %7.2f %9.4f %7.2f %8zu %7zu\n", what, o.seconds,
           o.seconds / none.seconds, o.solve, o.solve / none.solve, o.captures, o.writes);
}

int main(int argc, char **argv)
{
    size_t gens = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
    char path[] = "/tmp/augur-bench-ck-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    /* the four cases take turns, so that a machine whose load drifts
     * weighs on each alike */
    enum { CASES = 4, RUNS = 5 };
    static const double every[CASES] = {-1, 0, 10, 0};
    static const int async[CASES] = {0, 1, 1, 0};
    static const char *const what[CASES] = {
        "none", "every generation (checkpointer)", "every 10 s (checkpointer)",
        "every generation (synchronous)"};
    outcome o[CASES][RUNS];
    for (int r = 0; r < RUNS; r++)
        for (int c = 0; c < CASES; c++)
            o[c][r] = one_run(gens, every[c], async[c], path);
    printf("de2, sphere 10-D, population 40, %zu generations, median of %d runs\n", gens,
           RUNS);
    printf("%-34s %9s %7s %9s %7s %8s %7s\n", "checkpoint", "seconds", "ratio",
           "solve", "ratio", "captures", "writes");
    outcome none = median(o[0], RUNS);
    for (int c = 0; c < CASES; c++)
        row(what[c], median(o[c], RUNS), none);
    unlink(path);
    return 0;
}
