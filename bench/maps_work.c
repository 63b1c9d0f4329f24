/* maps_work.c - the workload of the map benchmark (bench/maps.c): a busy
 * task that spins for a calibrated amount of its thread's CPU time, a
 * trivial task that copies 8 bytes, the Rosenbrock cost with a 1 ms spin
 * for the nested-solver case, and the three timed measurements - batches
 * of busy tasks, long jobs of trivial tasks, one Buckshot solve - that the
 * tables are made of.
 *
 * The spin reads CLOCK_THREAD_CPUTIME_ID until the target has passed: the
 * clock, never a loop count, so the cost does not depend on the compiler,
 * the CPU's frequency or which core runs it; CPU time, not wall time, so a
 * worker that loses its core for a while still does all of its task's work
 * (maps_work.h says why that matters). Reading that clock is a system call
 * (about half a microsecond here), so a spin overshoots its target by a
 * read or two; calibration measures the overshoot once per process and
 * every spin aims that much short. The tasks and the cost carry their durations
 * in their inputs or as constants, so a fork worker or an MPI rank needs
 * nothing from the caller but the registered names. */
#include "maps_work.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef AUGUR_HAVE_MPI
#include <augur/map_mpi.h>
#endif

#include "bench_util.h"

#define CAL_READS 20000               /* clock reads timed for the read cost */
#define CAL_SPINS 1000                /* spins per calibration round */
#define CAL_TARGET 10e-6              /* each calibration spin's target */
#define CAL_ROUNDS 5                  /* rounds; the median excess is kept */
#define TRIVIAL_TRIAL 2000            /* tasks of the sizing job */
#define TRIVIAL_MIN_JOB 10000         /* "many tasks": never a shorter job */
#define TRIVIAL_MAX_JOB 200000        /* longer runs repeat jobs of this size */
#define BUCKSHOT_SEED 2024
#define DE2_SEED 2024

static double read_ns;                /* one read of the CPU clock */
static double excess;                 /* seconds a spin takes beyond its target */

/* --- The spin ------------------------------------------------------------- */

double work_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double work_spin(double seconds)
{
    double start = work_cpu_now(), end = start + seconds - excess, t;
    do
        t = work_cpu_now();
    while (t < end);
    return t - start;
}

/* The CPU time of CAL_SPINS spins of CAL_TARGET, less their targets, per
 * spin: what a spin costs beyond what it was asked for. */
static double excess_round(void)
{
    double t0 = work_cpu_now();
    for (int k = 0; k < CAL_SPINS; k++)
        work_spin(CAL_TARGET);
    return (work_cpu_now() - t0) / CAL_SPINS - CAL_TARGET;
}

void work_calibrate(void)
{
    double t0 = work_cpu_now();
    for (int k = 0; k < CAL_READS; k++)
        work_cpu_now();
    read_ns = 1e9 * (work_cpu_now() - t0) / CAL_READS;
    /* Rounds measured without correction; the median shrugs off a round
     * that an interrupt or a page fault made longer. */
    double rounds[CAL_ROUNDS];
    excess = 0;
    for (int r = 0; r < CAL_ROUNDS; r++)
        rounds[r] = excess_round();
    excess = bench_median(rounds, CAL_ROUNDS);
}

double work_clock_read_ns(void)
{
    return read_ns;
}

double work_spin_excess_ns(void)
{
    return 1e9 * excess;
}

void work_print_spin_check(FILE *to)
{
    static const double target[] = {10e-6, 1e-3, 10e-3};
    static const int count[] = {2000, 100, 10};
    fprintf(to, "spin check (mean CPU per task):");
    for (int k = 0; k < 3; k++) {
        double t0 = work_cpu_now();
        for (int i = 0; i < count[k]; i++)
            work_spin(target[k]);
        fprintf(to, " %.4g us for %.4g us", 1e6 * (work_cpu_now() - t0) / count[k],
                1e6 * target[k]);
    }
    fprintf(to, "\n");
}

/* --- Tasks and the cost ----------------------------------------------------- */

static int spin_task(const augur_task_call *call, const void *in, size_t in_len,
                     void *out, size_t out_len)
{
    (void)call;
    double seconds;
    if (in_len != sizeof seconds || out_len != sizeof seconds)
        return AUGUR_EINVAL;
    memcpy(&seconds, in, sizeof seconds);
    work_spin(seconds);
    memcpy(out, &seconds, sizeof seconds);
    return AUGUR_OK;
}

static int copy_task(const augur_task_call *call, const void *in, size_t in_len,
                     void *out, size_t out_len)
{
    (void)call;
    if (in_len != out_len)
        return AUGUR_EINVAL;
    memcpy(out, in, in_len);
    return AUGUR_OK;
}

/* The nested case's cost: Rosenbrock, made as dear as a real model. */
static double rosen_spin(const double *x, size_t n, void *data)
{
    (void)data;
    work_spin(WORK_EVAL_SPIN);
    return augur_model_rosen(x, n, NULL);
}

int work_register(void)
{
    int rc = augur_task_register(WORK_SPIN_TASK, spin_task);
    if (rc == AUGUR_OK)
        rc = augur_task_register(WORK_COPY_TASK, copy_task);
    if (rc == AUGUR_OK)
        rc = augur_cost_register(WORK_COST, rosen_spin, NULL);
    return rc;
}

/* --- Maps ------------------------------------------------------------------- */

/* A short job, untimed, so that the workers are up (fork forks them and
 * the MPI workers learn the map at its first job) before any timing. */
static int warm_up(augur_map *m)
{
    double in[64] = {0}, out[64];
    augur_map_job job = {.task = WORK_COPY_TASK, .ntasks = 64, .in = in,
                         .in_len = sizeof in[0], .out = out,
                         .out_len = sizeof out[0], .seed = 1};
    return augur_map_run(m, &job);
}

augur_map *work_open_map(const work_backend *b, char *err, size_t cap)
{
    err[0] = '\0';
    augur_map *m = NULL;
    if (augur_map_new(&m, b->type, b->workers, err, cap) != AUGUR_OK)
        return NULL;
    int rc = AUGUR_OK;
#ifdef AUGUR_HAVE_MPI
    if (b->onall)
        rc = augur_map_mpi_set_onall(m, 1);
#endif
    if (rc == AUGUR_OK)
        rc = warm_up(m);
    if (rc != AUGUR_OK) {
        snprintf(err, cap, "%s", augur_map_errmsg(m));
        augur_map_destroy(m);
        return NULL;
    }
    return m;
}

static double map_failed(augur_map *m, const char *what)
{
    fprintf(stderr, "bench_maps: %s on %s: %s\n", what, augur_map_type_name(m),
            augur_map_errmsg(m));
    return NAN;
}

static double time_batches(augur_map *m, size_t ntasks, double cost, double seconds)
{
    double *in = malloc(ntasks * sizeof *in), *out = malloc(ntasks * sizeof *out);
    if (!in || !out) {
        free(in);
        free(out);
        return NAN;
    }
    for (size_t k = 0; k < ntasks; k++)
        in[k] = cost;
    augur_map_job job = {.task = WORK_SPIN_TASK, .ntasks = ntasks, .in = in,
                         .in_len = sizeof *in, .out = out, .out_len = sizeof *out,
                         .seed = 1};
    /* Sized by the ideal time, so every backend runs about `seconds`. */
    double ideal = (double)ntasks * cost / augur_map_workers(m);
    size_t batches = ideal >= seconds ? 1 : (size_t)(seconds / ideal + 0.5);
    double t = NAN, t0 = bench_now();
    size_t b = 0;
    while (b < batches && augur_map_run(m, &job) == AUGUR_OK)
        b++;
    if (b == batches)
        t = (bench_now() - t0) / (double)batches;
    else
        map_failed(m, "a batch of busy tasks");
    free(in);
    free(out);
    return t;
}

/* `jobs` jobs of ntasks trivial tasks; AUGUR_OK or the map's status. */
static int run_copies(augur_map *m, const double *in, double *out, size_t ntasks,
                      size_t jobs)
{
    augur_map_job job = {.task = WORK_COPY_TASK, .ntasks = ntasks, .in = in,
                         .in_len = sizeof *in, .out = out, .out_len = sizeof *out,
                         .seed = 1};
    int rc = AUGUR_OK;
    for (size_t j = 0; j < jobs && rc == AUGUR_OK; j++)
        rc = augur_map_run(m, &job);
    return rc;
}

/* How many trivial tasks take about `seconds` on m, from one small job
 * (which also serves as the chunk setting's warm-up); 0 on a failure. */
static size_t size_trivial(augur_map *m, const double *in, double *out, double seconds)
{
    double t0 = bench_now();
    if (run_copies(m, in, out, TRIVIAL_TRIAL, 1) != AUGUR_OK)
        return 0;
    double per = (bench_now() - t0) / TRIVIAL_TRIAL;
    size_t total = (size_t)(seconds / (per > 0 ? per : 1e-9));
    return total < TRIVIAL_MIN_JOB ? TRIVIAL_MIN_JOB : total;
}

static double time_trivial(augur_map *m, size_t chunk, double seconds)
{
    double *in = calloc(TRIVIAL_MAX_JOB, sizeof *in);
    double *out = malloc(TRIVIAL_MAX_JOB * sizeof *out);
    double t = NAN;
    size_t total = 0;
    if (in && out && augur_map_set_chunk(m, chunk) == AUGUR_OK)
        total = size_trivial(m, in, out, seconds);
    if (total) {
        size_t ntasks = total < TRIVIAL_MAX_JOB ? total : TRIVIAL_MAX_JOB;
        size_t jobs = (total + ntasks - 1) / ntasks;
        double t0 = bench_now();
        if (run_copies(m, in, out, ntasks, jobs) == AUGUR_OK)
            t = (bench_now() - t0) / (double)(ntasks * jobs);
    }
    if (isnan(t) && in && out)
        map_failed(m, "a job of trivial tasks");
    augur_map_set_chunk(m, 0);
    free(in);
    free(out);
    return t;
}

/* Buckshot(npts) of Nelder-Mead over the Rosenbrock box, each inner run
 * limited to max_evals evaluations, evaluating through m. */
static augur_solver *make_buckshot(augur_map *m, size_t npts, size_t max_evals)
{
    double lb[2], ub[2];
    if (augur_model_box(augur_model_find("rosen"), 2, lb, ub) != AUGUR_OK)
        return NULL;
    augur_solver *s = augur_solver_create("buckshot", 2);
    if (!s)
        return NULL;
    /* The inner solver's limit bounds each run; one on the ensemble would
     * be a cap on the sum of them. */
    augur_solver *inner = augur_solver_create("nelder-mead", 2);
    int rc = inner ? augur_solver_set_evaluation_limits(inner, 0, max_evals) : AUGUR_ENOMEM;
    if (rc == AUGUR_OK)
        rc = augur_solver_set_seed(s, BUCKSHOT_SEED);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_param(s, "npts", (double)npts);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_nested(s, inner);
    else
        augur_solver_destroy(inner);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_bounds(s, lb, ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_map(s, m);
    if (rc != AUGUR_OK) {
        fprintf(stderr, "bench_maps: buckshot: %s\n", augur_solver_errmsg(s));
        augur_solver_destroy(s);
        return NULL;
    }
    return s;
}

/* de2 with population npop on the n-D Rosenbrock box for `generations`
 * generations, evaluating through m: one batch of npop tasks a generation,
 * which the map cuts into chunks itself (no chunk is set). */
static augur_solver *make_de2(augur_map *m, size_t npop, size_t n, size_t generations)
{
    double lb[WORK_DE2_MAX_N], ub[WORK_DE2_MAX_N];
    if (n > WORK_DE2_MAX_N ||
        augur_model_box(augur_model_find("rosen"), n, lb, ub) != AUGUR_OK)
        return NULL;
    augur_solver *s = augur_solver_create("de2", n);
    if (!s)
        return NULL;
    int rc = augur_solver_set_seed(s, DE2_SEED);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_param(s, "population-size", (double)npop);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_bounds(s, lb, ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_evaluation_limits(s, generations, AUGUR_UNLIMITED);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_map(s, m);
    if (rc != AUGUR_OK) {
        fprintf(stderr, "bench_maps: de2: %s\n", augur_solver_errmsg(s));
        augur_solver_destroy(s);
        return NULL;
    }
    return s;
}

/* Wall seconds of one solve of s (destroyed here) on the registered
 * Rosenbrock with its spin; sets the evaluations done and the best f. */
static double time_solve(augur_solver *s, size_t *evals, double *best)
{
    /* The registered pair: an MPI map sends the cost by its name. */
    augur_cost_fn cost;
    void *data;
    *evals = 0;
    *best = NAN;
    if (!s || augur_cost_find(WORK_COST, &cost, &data) != AUGUR_OK) {
        augur_solver_destroy(s);
        return NAN;
    }
    double t0 = bench_now();
    int rc = augur_solve(s, cost, data, NULL);
    double t = bench_now() - t0;
    if (rc < 0) {
        fprintf(stderr, "bench_maps: %s: %s\n", augur_solver_type_name(s),
                augur_solver_errmsg(s));
        t = NAN;
    } else {
        *evals = augur_solver_evaluations(s);
        *best = augur_solver_best_energy(s);
    }
    augur_solver_destroy(s);
    return t;
}

/* --- The control: plain threads, no map ---------------------------------------- */

typedef struct bare_thread {
    pthread_barrier_t *bar;
    size_t mine;                  /* tasks of each batch this thread spins */
    size_t batches;
    double cost;
} bare_thread;

static void *bare_main(void *arg)
{
    const bare_thread *b = arg;
    for (size_t k = 0; k < b->batches; k++) {
        for (size_t i = 0; i < b->mine; i++)
            work_spin(b->cost);
        pthread_barrier_wait(b->bar);   /* a batch ends when both halves do */
    }
    return NULL;
}

/* Seconds per batch on `workers` threads (at most 8), each spinning its
 * equal portion of every batch; the threads are started once, before the
 * clock, as a map's are. */
static double time_bare(int workers, size_t ntasks, double cost, double seconds)
{
    enum { MOST = 8 };
    pthread_t th[MOST];
    bare_thread bt[MOST];
    pthread_barrier_t bar;
    if (workers < 1 || workers > MOST ||
        pthread_barrier_init(&bar, NULL, (unsigned)workers) != 0)
        return NAN;
    double ideal = (double)ntasks * cost / workers;
    size_t batches = ideal >= seconds ? 1 : (size_t)(seconds / ideal + 0.5);
    int started = 0;
    double t0 = bench_now();
    for (int w = 0; w < workers; w++) {
        size_t begin, end;
        augur_group_portion(ntasks, workers, w, &begin, &end);
        bt[w] = (bare_thread){.bar = &bar, .mine = end - begin, .batches = batches,
                              .cost = cost};
        if (pthread_create(&th[w], NULL, bare_main, &bt[w]) != 0)
            break;
        started++;
    }
    for (int w = 0; w < started; w++)
        pthread_join(th[w], NULL);
    double t = started == workers ? (bench_now() - t0) / (double)batches : NAN;
    pthread_barrier_destroy(&bar);
    return t;
}

/* --- One measurement on a fresh map ------------------------------------------ */
/* Each measurement gets its own map, so no measurement inherits another's
 * state (fork workers, an MPI map's learned timing), and so that no
 * threads map is alive while the fork map forks. */

static augur_map *open_or_say(const work_backend *b)
{
    char err[256];
    augur_map *m = work_open_map(b, err, sizeof err);
    if (!m)
        fprintf(stderr, "bench_maps: %s: %s\n", b->label, err);
    return m;
}

static int is_bare(const work_backend *b)
{
    return !strcmp(b->type, WORK_BARE);
}

double work_time_batches(const work_backend *b, size_t ntasks, double cost,
                         double seconds)
{
    if (is_bare(b))
        return time_bare(b->workers, ntasks, cost, seconds);
    augur_map *m = open_or_say(b);
    double t = m ? time_batches(m, ntasks, cost, seconds) : NAN;
    augur_map_destroy(m);
    return t;
}

double work_time_trivial(const work_backend *b, size_t chunk, double seconds)
{
    if (is_bare(b))
        return NAN;
    augur_map *m = open_or_say(b);
    double t = m ? time_trivial(m, chunk, seconds) : NAN;
    augur_map_destroy(m);
    return t;
}

double work_time_buckshot(const work_backend *b, size_t npts, size_t max_evals,
                          size_t *evals, double *best)
{
    if (is_bare(b)) {             /* one batch: every run spins all its budget */
        *evals = npts * max_evals;
        *best = NAN;
        return time_bare(b->workers, npts, (double)max_evals * WORK_EVAL_SPIN, 0);
    }
    augur_map *m = open_or_say(b);
    double t = NAN;
    if (m)
        t = time_solve(make_buckshot(m, npts, max_evals), evals, best);
    augur_map_destroy(m);
    return t;
}

double work_time_de2(const work_backend *b, size_t npop, size_t n, size_t generations,
                     size_t *evals, double *best)
{
    if (is_bare(b)) {             /* a batch of npop evaluations a generation */
        *evals = npop * (generations + 1);
        *best = NAN;
        double batches = (double)(generations + 1);
        return batches * time_bare(b->workers, npop, WORK_EVAL_SPIN,
                                   batches * (double)npop * WORK_EVAL_SPIN / b->workers);
    }
    augur_map *m = open_or_say(b);
    double t = NAN;
    if (m)
        t = time_solve(make_de2(m, npop, n, generations), evals, best);
    augur_map_destroy(m);
    return t;
}
