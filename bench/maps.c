/* maps.c - bench_maps: what augur's map backends cost and gain, in one run.
 *
 *     bench_maps [--quick]                          serial, threads, fork
 *     mpirun -np 3 --allow-run-as-root --oversubscribe bench_maps --mpi
 *                                                   serial, mpi
 *     mpirun -np 2 --bind-to none --allow-run-as-root bench_maps --mpi
 *                                                   serial, mpi onall
 *
 * Four tables, every figure the median of 5 measurements of about 0.5 s,
 * each measurement on a fresh map, the repetitions taking turns across the
 * backends so that a burst of load from a neighbour on this shared machine
 * lands on all of them alike:
 *
 *   1. batches of 32 and 64 busy tasks of 10 us, 100 us, 1 ms and 10 ms of
 *      CPU (maps_work.c), with the backend's default chunking: wall time
 *      per batch, per-task overhead (wall per batch / tasks - cost /
 *      workers: the wall time each task adds beyond perfect sharing) and
 *      the speedup over the serial map (the median of the repetitions'
 *      ratios, each pair measured back to back);
 *   2. per-task overhead with a trivial task (8 bytes in, the same 8 out)
 *      over jobs of many tasks, one task per message (chunk 1) and 64;
 *   3. Buckshot(32) of Nelder-Mead on a 2-D Rosenbrock costing 1 ms of CPU
 *      per evaluation, each inner run limited to 60 evaluations: wall time
 *      and speedup over serial, and whether the answer is serial's;
 *   4. de2, population 50, on a 5-D Rosenbrock costing 1 ms of CPU per
 *      evaluation, 10 generations: the same, for jobs of 50 tasks, which
 *      do not split evenly into the map's chunks.
 *
 * Every table has a control row, "bare": no map, just as many plain threads
 * spinning equal halves of the same work - what the machine's neighbours
 * left at that moment, so a map's speedup can be told from the machine's.
 * Then the targets (issues 4 and 5), met or missed with their numbers. The
 * workers are 2 - the machine's cores. Fork and MPI never share a process
 * (MPI libraries do not survive fork), so the MPI rows come from a second
 * run under mpirun, with its own serial reference: with 3 ranks rank 0
 * deals and 2 ranks compute; with 2 ranks the map is "onall" (rank 0
 * computes between dealing; start those with --bind-to none, or mpirun
 * pins rank 0, and with it the control's threads, to one core). The load
 * average is printed before and after: on a shared machine the ratios are
 * the figures to read. Benchmarks are not tests: nothing here asserts a
 * time. docs/BENCHMARKS.md has the results and what they mean. */
#define _DEFAULT_SOURCE 1             /* getloadavg is a BSD call, not POSIX */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <augur.h>
#ifdef AUGUR_HAVE_MPI
#include <augur/map_mpi.h>
#include <mpi.h>                      /* only for the library's version */
#endif

#include "bench_util.h"
#include "maps_work.h"

#ifdef __VERSION__
#define COMPILER __VERSION__          /* GCC's and Clang's version string */
#else
#define COMPILER "unknown"
#endif

#define WORKERS 2
#define REPS 5
#define QUICK_REPS 1
#define CELL_SECONDS 0.5              /* each measurement, about */
#define QUICK_SECONDS 0.1
#define MAX_BACKENDS 4                /* the maps and the control */
#define BUCKSHOT_NPTS 32
#define BUCKSHOT_EVALS 60
#define DE2_NPOP 50
#define DE2_N 5
#define DE2_GENERATIONS 10
/* The targets of issue 4 (map backends) and issue 5 (nested solvers). */
#define TARGET_SPEEDUP 1.9
#define TARGET_ONE_US 5.0             /* one task at a time, threads and fork */
#define TARGET_ONE_MPI_US 10.0        /* ... mpi */
#define TARGET_CHUNK_US 0.2           /* with chunking */

static const double costs[] = {10e-6, 100e-6, 1e-3, 10e-3};
static const char *const cost_labels[] = {"10 us", "100 us", "1 ms", "10 ms"};
#define NCOSTS (sizeof costs / sizeof costs[0])
#define TARGET_COST 2                 /* costs[2]: 1 ms */
static const size_t batches[] = {32, 64};
#define NBATCHES (sizeof batches / sizeof batches[0])
static const size_t chunks[] = {1, 64};
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

typedef struct options {
    int mpi, quick;
    int reps;
    double seconds;
} options;

/* One solve per backend: seconds, speedup over serial, evaluations, best f. */
typedef struct solve_table {
    double t[MAX_BACKENDS];
    double speedup[MAX_BACKENDS];
    size_t evals[MAX_BACKENDS];
    double best[MAX_BACKENDS];
} solve_table;

/* The medians every table and verdict reads. */
typedef struct results {
    work_backend b[MAX_BACKENDS];     /* [0] is serial, the reference */
    int nb;
    double batch[NCOSTS][NBATCHES][MAX_BACKENDS];    /* seconds per batch */
    double speedup[NCOSTS][NBATCHES][MAX_BACKENDS];  /* over serial */
    double trivial[NCHUNKS][MAX_BACKENDS];           /* seconds per task */
    solve_table nested;               /* Buckshot of Nelder-Mead */
    solve_table de2;                  /* one population solver */
} results;

/* The control goes last: plain threads, as many as the maps' workers
 * (maps_work.h), to read the maps' speedups against. */
static void add_control(results *r)
{
    r->b[r->nb++] = (work_backend){.label = "bare", .type = WORK_BARE,
                                   .workers = r->b[1].workers};
}

static int is_control(const results *r, int b)
{
    return !strcmp(r->b[b].type, WORK_BARE);
}

/* --- The machine -------------------------------------------------------- */

static void print_load(const char *when)
{
    double l[3];
    if (getloadavg(l, 3) == 3)
        printf("load average %s: %.2f %.2f %.2f (1, 5, 15 min)\n", when, l[0], l[1],
               l[2]);
}

/* The "model name" line of /proc/cpuinfo, or "unknown". */
static void cpu_model(char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            const char *v = strchr(line, ':') + 1;
            snprintf(out, cap, "%.*s", (int)strcspn(v + (*v == ' '), "\n"),
                     v + (*v == ' '));
            break;
        }
    if (f)
        fclose(f);
}

static void print_machine(const options *o)
{
    char cpu[128];
    struct utsname u;
    cpu_model(cpu, sizeof cpu);
    if (uname(&u) != 0)
        snprintf(u.release, sizeof u.release, "unknown");
    printf("bench_maps: augur %s; CPU %s, %ld online; kernel %s; compiler %s\n",
           AUGUR_VERSION_STRING, cpu, sysconf(_SC_NPROCESSORS_ONLN), u.release,
           COMPILER);
#ifdef AUGUR_HAVE_MPI
    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    if (o->mpi && MPI_Get_library_version(lib, &len) == MPI_SUCCESS)
        printf("MPI: %.*s\n", (int)strcspn(lib, ",\n"), lib);
#endif
    printf("%d repetitions of about %.1f s per cell, median reported; tasks spin "
           "on their thread's CPU time: a read %.0f ns, spin excess %.0f ns "
           "(corrected)\n", o->reps, o->seconds, work_clock_read_ns(),
           work_spin_excess_ns());
}

/* --- Medians --------------------------------------------------------------- */

/* A speedup is the median over the repetitions of serial's time over the
 * backend's, each pair measured one right after the other: load from a
 * neighbour that comes and goes then lands on both sides of a ratio. */
static double paired_speedup(const double *serial, const double *t, int reps)
{
    double ratio[REPS];
    for (int k = 0; k < reps; k++)
        ratio[k] = serial[k] / t[k];
    return bench_median(ratio, (size_t)reps);
}

/* Medians of the times and of the speedups of reps repetitions. */
static void summarise(double t[][REPS], int nb, int reps, double *median,
                      double *speedup)
{
    for (int b = 0; b < nb; b++)
        speedup[b] = paired_speedup(t[0], t[b], reps);
    for (int b = 0; b < nb; b++)     /* sorts t[b]: after the pairs are used */
        median[b] = bench_median(t[b], (size_t)reps);
}

/* --- Table 1: batches of busy tasks --------------------------------------- */

static void print_batch_header(const results *r)
{
    printf("\n== Batches of busy tasks: %d workers, default chunks; ms per batch, "
           "per-task overhead in us (wall / tasks - cost / workers), speedup over "
           "serial\n%-14s", WORKERS, "");
    for (int b = 0; b < r->nb; b++)
        printf(" | %*s", b ? 26 : 17, r->b[b].label);
    printf("\n%-7s %6s", "cost", "tasks");
    for (int b = 0; b < r->nb; b++)
        printf(b ? " | %8s %8s %8s" : " | %8s %8s", "ms", "ovh us", "speedup");
    printf("\n(bare: no map - %d plain threads spinning equal halves of each batch, "
           "the most the machine gave at that moment)\n", r->b[r->nb - 1].workers);
}

static void print_batch_row(const results *r, size_t ci, size_t bi)
{
    size_t n = batches[bi];
    printf("%-7s %6zu", cost_labels[ci], n);
    for (int b = 0; b < r->nb; b++) {
        double t = r->batch[ci][bi][b];
        double ovh = 1e6 * (t / (double)n - costs[ci] / r->b[b].workers);
        printf(" | %8.3f %8.2f", 1e3 * t, ovh);
        if (b)
            printf(" %8.3f", r->speedup[ci][bi][b]);
    }
    printf("\n");
    fflush(stdout);
}

static void run_batches(results *r, const options *o)
{
    print_batch_header(r);
    for (size_t ci = 0; ci < NCOSTS; ci++)
        for (size_t bi = 0; bi < NBATCHES; bi++) {
            double t[MAX_BACKENDS][REPS];
            for (int k = 0; k < o->reps; k++)
                for (int b = 0; b < r->nb; b++)
                    t[b][k] = work_time_batches(&r->b[b], batches[bi], costs[ci],
                                                o->seconds);
            summarise(t, r->nb, o->reps, r->batch[ci][bi],
                      r->speedup[ci][bi]);
            print_batch_row(r, ci, bi);
        }
}

/* --- Table 2: trivial tasks ------------------------------------------------ */

static void run_trivial(results *r, const options *o)
{
    for (size_t c = 0; c < NCHUNKS; c++) {
        double t[MAX_BACKENDS][REPS];
        for (int k = 0; k < o->reps; k++)
            for (int b = 0; b < r->nb; b++)
                t[b][k] = work_time_trivial(&r->b[b], chunks[c], o->seconds);
        for (int b = 0; b < r->nb; b++)
            r->trivial[c][b] = bench_median(t[b], (size_t)o->reps);
    }
    printf("\n== Per-task overhead, trivial task (8 bytes in and out, jobs of "
           "10,000 to 200,000 tasks): us per task, %d workers\n", WORKERS);
    printf("%-10s %16s %16s\n", "backend", "chunk 1", "chunk 64");
    for (int b = 0; b < r->nb; b++)
        if (!is_control(r, b))
            printf("%-10s %16.3f %16.4f\n", r->b[b].label, 1e6 * r->trivial[0][b],
                   1e6 * r->trivial[1][b]);
    fflush(stdout);
}

/* --- Tables 3 and 4: solves ------------------------------------------------- */

/* A solve table's rows under its heading; the control's row has no best f. */
static void print_solves(const results *r, const solve_table *st)
{
    printf("%-10s %10s %8s %8s %14s %s\n", "backend", "wall s", "evals", "speedup",
           "best f", "same as serial");
    for (int b = 0; b < r->nb; b++) {
        int same = st->evals[b] == st->evals[0] && st->best[b] == st->best[0];
        if (is_control(r, b)) {   /* the same work, no solver */
            printf("%-10s %10.3f %8zu %8.3f %14s %s\n", r->b[b].label, st->t[b],
                   st->evals[b], st->speedup[b], "-", "-");
            continue;
        }
        printf("%-10s %10.3f %8zu %8.3f %14.6g %s\n", r->b[b].label, st->t[b],
               st->evals[b], st->speedup[b], st->best[b],
               b == 0 ? "-" : same ? "yes" : "NO");
    }
    fflush(stdout);
}

static void run_nested(results *r, const options *o)
{
    double t[MAX_BACKENDS][REPS];
    solve_table *st = &r->nested;
    for (int k = 0; k < o->reps; k++)
        for (int b = 0; b < r->nb; b++)
            t[b][k] = work_time_buckshot(&r->b[b], BUCKSHOT_NPTS, BUCKSHOT_EVALS,
                                         &st->evals[b], &st->best[b]);
    summarise(t, r->nb, o->reps, st->t, st->speedup);
    printf("\n== Nested: Buckshot(%d) of Nelder-Mead, 2-D Rosenbrock + %.0f ms CPU "
           "per evaluation, <= %d evaluations per inner run, %d workers\n",
           BUCKSHOT_NPTS, 1e3 * WORK_EVAL_SPIN, BUCKSHOT_EVALS, WORKERS);
    printf("(bare: no solver - %d plain threads spinning halves of %d runs x %d "
           "evaluations)\n", r->b[r->nb - 1].workers, BUCKSHOT_NPTS, BUCKSHOT_EVALS);
    print_solves(r, st);
}

/* A population solver's generations as the map's jobs: 50 tasks do not
 * split into equal chunks for 2 workers, so this is where the map's chunk
 * sizes show (issue 12's map-balance number). */
static void run_de2(results *r, const options *o)
{
    double t[MAX_BACKENDS][REPS];
    solve_table *st = &r->de2;
    for (int k = 0; k < o->reps; k++)
        for (int b = 0; b < r->nb; b++)
            t[b][k] = work_time_de2(&r->b[b], DE2_NPOP, DE2_N, DE2_GENERATIONS,
                                    &st->evals[b], &st->best[b]);
    summarise(t, r->nb, o->reps, st->t, st->speedup);
    printf("\n== Population: de2, population %d, %d-D Rosenbrock + %.0f ms CPU per "
           "evaluation, %d generations, default chunks, %d workers\n", DE2_NPOP,
           DE2_N, 1e3 * WORK_EVAL_SPIN, DE2_GENERATIONS, WORKERS);
    printf("(bare: no solver - %d plain threads spinning equal halves of each "
           "generation's %d evaluations)\n", r->b[r->nb - 1].workers, DE2_NPOP);
    print_solves(r, st);
}

/* --- Targets ---------------------------------------------------------------- */

/* One target's line; `bare` is the control's figure for a speedup (NaN
 * otherwise): what the machine allowed at that moment. */
static void verdict(const char *what, const char *who, double value, double limit,
                    int at_least, double bare)
{
    int met = at_least ? value >= limit : value <= limit;
    printf("  %-30s %-10s %8.3f %s %-5g %-8s", what, who, value,
           at_least ? ">=" : "<=", limit,
           isnan(value) ? "not run" : met ? "met" : "MISSED");
    if (!isnan(bare))
        printf(" (bare threads %.3f: %.0f%% of it)", bare, 100 * value / bare);
    printf("\n");
}

static void print_targets(const results *r)
{
    int c = r->nb - 1;                /* the control */
    printf("\n== Targets (%d workers)\n", WORKERS);
    for (int b = 1; b < c; b++) {
        int mpi = !strcmp(r->b[b].type, "mpi");
        char what[64];
        for (size_t bi = 0; bi < NBATCHES; bi++) {
            snprintf(what, sizeof what, "speedup, 1 ms x %zu", batches[bi]);
            verdict(what, r->b[b].label, r->speedup[TARGET_COST][bi][b],
                    TARGET_SPEEDUP, 1, r->speedup[TARGET_COST][bi][c]);
        }
        verdict("us per task, one at a time", r->b[b].label, 1e6 * r->trivial[0][b],
                mpi ? TARGET_ONE_MPI_US : TARGET_ONE_US, 0, NAN);
        verdict("us per task, chunk 64", r->b[b].label, 1e6 * r->trivial[1][b],
                TARGET_CHUNK_US, 0, NAN);
        verdict("speedup, Buckshot(32)", r->b[b].label, r->nested.speedup[b],
                TARGET_SPEEDUP, 1, r->nested.speedup[c]);
        verdict("speedup, de2 population 50", r->b[b].label, r->de2.speedup[b],
                TARGET_SPEEDUP, 1, r->de2.speedup[c]);
    }
}

/* --- Backends ------------------------------------------------------------------ */

static void local_backends(results *r)
{
    r->b[0] = (work_backend){.label = "serial", .type = "serial", .workers = 1};
    r->b[1] = (work_backend){.label = "threads", .type = "threads", .workers = WORKERS};
    r->b[2] = (work_backend){.label = "fork", .type = "fork", .workers = WORKERS};
    r->nb = 3;
    add_control(r);
}

/* serial and mpi: rank 0 only deals when that leaves 2 or more computing
 * ranks, and is "onall" when the ranks are 2 (or 1), so that two of them
 * compute either way. 0, or -1 when no MPI map can be made. */
static int mpi_backends(results *r)
{
    char err[256];
    work_backend probe = {.label = "mpi", .type = "mpi", .onall = 1};
    augur_map *m = work_open_map(&probe, err, sizeof err);
    if (!m) {
        fprintf(stderr, "bench_maps: mpi: %s\n", err);
        return -1;
    }
    int ranks = augur_map_workers(m);   /* onall: every rank computes */
    augur_map_destroy(m);
    r->b[0] = (work_backend){.label = "serial", .type = "serial", .workers = 1};
    if (ranks > WORKERS)
        r->b[1] = (work_backend){.label = "mpi", .type = "mpi", .workers = ranks - 1};
    else
        r->b[1] = (work_backend){.label = "mpi-onall", .type = "mpi", .onall = 1,
                                 .workers = ranks};
    r->nb = 2;
    add_control(r);
    printf("MPI: %d ranks; %s; %d ranks run tasks\n", ranks,
           r->b[1].onall ? "onall: rank 0 deals and computes" : "rank 0 deals",
           r->b[1].workers);
    if (r->b[1].workers != WORKERS)
        printf("note: %d computing ranks, not %d: speedups are against %d\n",
               r->b[1].workers, WORKERS, r->b[1].workers);
    return 0;
}

/* --- main ---------------------------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to, "usage: bench_maps [--quick] [--mpi]\n"
                "  without --mpi: serial, threads and fork maps\n"
                "  --mpi, under mpirun: serial and mpi maps, e.g.\n"
                "    mpirun -np 3 --allow-run-as-root --oversubscribe bench_maps --mpi\n"
                "  --quick: one short repetition per cell (a smoke run)\n");
}

/* 0 on success, 1 for --help, -1 on a bad argument. */
static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.reps = REPS, .seconds = CELL_SECONDS};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mpi"))
            o->mpi = 1;
        else if (!strcmp(argv[i], "--quick"))
            o->quick = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
        else {
            fprintf(stderr, "bench_maps: unknown option %s\n", argv[i]);
            return -1;
        }
    }
    if (o->quick) {
        o->reps = QUICK_REPS;
        o->seconds = QUICK_SECONDS;
    }
    return 0;
}

/* Every rank: MPI up, the names registered before. 1 on rank 0, 0 on a
 * worker that has served its time, -1 on a failure. */
static int start_mpi(int *argc, char ***argv)
{
#ifdef AUGUR_HAVE_MPI
    int is_root = 0;
    if (augur_mpi_init(argc, argv, &is_root) != AUGUR_OK) {
        fprintf(stderr, "bench_maps: %s\n", augur_mpi_errmsg());
        return -1;
    }
    return is_root;
#else
    (void)argc, (void)argv;
    fprintf(stderr, "bench_maps: this build has no MPI backend "
                    "(configure with AUGUR_WITH_MPI=ON and OpenMPI installed)\n");
    return -1;
#endif
}

static int stop_mpi(void)
{
#ifdef AUGUR_HAVE_MPI
    if (augur_mpi_finalize() != AUGUR_OK) {
        fprintf(stderr, "bench_maps: %s\n", augur_mpi_errmsg());
        return 1;
    }
#endif
    return 0;
}

static void print_mpi_note(void)
{
    const char *const *types = augur_map_types();
    int have = 0;
    for (size_t k = 0; types[k]; k++)
        have |= !strcmp(types[k], "mpi");
    if (!have) {
        printf("\nno MPI rows: this build has no mpi map\n");
        return;
    }
    printf("\nthe MPI rows come from a run under mpirun (fork and MPI never share "
           "a process):\n  mpirun -np 3 --allow-run-as-root --oversubscribe "
           "build/release/bench/bench_maps --mpi   (rank 0 deals, 2 compute)\n"
           "  mpirun -np 2 --bind-to none --allow-run-as-root "
           "build/release/bench/bench_maps --mpi   (onall: both compute)\n"
           "(with 2 ranks mpirun binds each to a core unless told not to, and the "
           "bare control on rank 0 would get one core)\n");
}

/* Started by mpirun without --mpi, every rank would run the whole bench. */
static int under_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE");
}

static int bench(const options *o)
{
    static results r;
    if (!o->mpi)
        local_backends(&r);
    else if (mpi_backends(&r) != 0)
        return 1;
    double t0 = bench_now();
    run_batches(&r, o);
    run_trivial(&r, o);
    run_nested(&r, o);
    run_de2(&r, o);
    print_targets(&r);
    printf("\n");
    print_load("after");
    printf("total wall time %.1f s\n", bench_now() - t0);
    if (!o->mpi)
        print_mpi_note();
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    int prc = parse_options(argc, argv, &o);
    if (prc != 0) {
        usage(prc > 0 ? stdout : stderr);
        return prc > 0 ? 0 : 2;
    }
    if (!o.mpi && under_mpirun()) {
        fprintf(stderr, "bench_maps: under mpirun, pass --mpi\n");
        return 2;
    }
    /* Before any worker exists: fork workers and MPI ranks find these. */
    if (work_register() != AUGUR_OK) {
        fprintf(stderr, "bench_maps: cannot register the tasks\n");
        return 1;
    }
    work_calibrate();
    if (o.mpi) {
        int root = start_mpi(&argc, &argv);
        if (root <= 0)
            return root < 0 ? 1 : 0;  /* a worker returns once rank 0 is done */
    }
    print_machine(&o);
    print_load("before");
    work_print_spin_check(stdout);
    fflush(stdout);
    int rc = bench(&o);
    if (o.mpi)
        rc |= stop_mpi();
    return rc;
}
