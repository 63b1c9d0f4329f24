/* checkpoint.c - what saving checkpoints costs (docs/BENCHMARKS.md):
 * de2 (population 40, seed 11) on a trivial 10-D cost (the sphere), 2000
 * generations, run with no checkpoint, with one every generation, and with
 * one every 10 seconds (from a generation monitor, as `augur run
 * --checkpoint --every` saves), each the median of 5 runs. The cost is
 * trivial on purpose: a generation is then as cheap as one can be, and the
 * save's share the largest it can be.
 *
 *     build/dev/bench/bench_checkpoint [generations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "augur.h"

typedef struct saver {
    augur_solver *s;
    const char *path;
    double every;          /* seconds; 0: every generation */
    double last;
    size_t saves;
    int rc;
} saver;

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
    sv->rc |= augur_solver_save(sv->s, sv->path);
    sv->saves++;
    sv->last = t;
    return 0;
}

/* Seconds for one run; every < 0: no checkpoint. */
static double one_run(size_t gens, double every, const char *path, size_t *saves)
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
    saver sv = {.s = s, .path = path, .every = every, .last = now()};
    if (every >= 0)
        augur_solver_add_generation_monitor(s, augur_monitor_callback(on_generation, &sv));
    double t0 = now();
    augur_solve(s, sphere, NULL, NULL);
    double t = now() - t0;
    if (sv.rc)
        fprintf(stderr, "bench_checkpoint: %s\n", augur_solver_errmsg(s));
    augur_solver_destroy(s);
    *saves = sv.saves;
    return t;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_run(size_t gens, double every, const char *path, size_t *saves)
{
    double t[5];
    for (int k = 0; k < 5; k++)
        t[k] = one_run(gens, every, path, saves);
    qsort(t, 5, sizeof t[0], by_value);
    return t[2];
}

int main(int argc, char **argv)
{
    size_t gens = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
    char path[] = "/tmp/augur-bench-ck-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    size_t s0, s1, s2;
    double none = median_run(gens, -1, path, &s0);
    double each = median_run(gens, 0, path, &s1);
    double ten = median_run(gens, 10, path, &s2);
    printf("de2, sphere 10-D, population 40, %zu generations, median of 5 runs\n", gens);
    printf("%-28s %10s %8s %8s\n", "checkpoint", "seconds", "saves", "ratio");
    printf("%-28s %10.4f %8zu %8.2f\n", "none", none, s0, 1.0);
    printf("%-28s %10.4f %8zu %8.2f\n", "every generation", each, s1, each / none);
    printf("%-28s %10.4f %8zu %8.2f\n", "every 10 s", ten, s2, ten / none);
    unlink(path);
    return 0;
}
