/* maps_work.h - what the map benchmark (maps.c) measures with: the busy
 * task of a calibrated CPU cost, the trivial task, the Rosenbrock cost with
 * a spin per evaluation, the backends under test, and one timed
 * measurement of each kind (a run of batches, a run of trivial tasks, one
 * Buckshot solve) on one backend.
 *
 * A task's cost is CPU time of the thread that runs it, not wall time:
 * a task that spins on the wall clock finishes on time even when its
 * worker was descheduled for part of it - by the dealer, by another
 * worker, by a neighbour on this shared machine - and would hide exactly
 * the contention a map benchmark is meant to show. A real cost function
 * needs its CPU time, and so does this one. */
#ifndef AUGUR_BENCH_MAPS_WORK_H
#define AUGUR_BENCH_MAPS_WORK_H

#include <stddef.h>
#include <stdio.h>
#include <augur.h>

#define WORK_SPIN_TASK "bench.spin"   /* in: the seconds to spin; out: echoed */
#define WORK_COPY_TASK "bench.copy"   /* in: 8 bytes; out: the same 8 bytes */
#define WORK_COST "bench.rosen_spin"  /* Rosenbrock + WORK_EVAL_SPIN of CPU */
#define WORK_EVAL_SPIN 1e-3           /* seconds of CPU per evaluation */

/* Register the tasks and the cost by name. Every process that may run them
 * calls it first: before the fork workers start, and on every MPI rank
 * before augur_mpi_init. AUGUR_OK or a status. */
int work_register(void);

/* Measure once what a spin costs beyond its target (the clock reads that
 * start and end it, the call), so that spins come out at their targets.
 * Every process calls it (fork workers inherit the figure). */
void work_calibrate(void);
/* What calibration found: ns per read of the CPU clock, ns of excess. */
double work_clock_read_ns(void);
double work_spin_excess_ns(void);
/* Spin for `seconds` of this thread's CPU time (corrected by the
 * calibration); returns the CPU seconds it measured. */
double work_spin(double seconds);
/* This thread's CPU time in seconds. */
double work_cpu_now(void);
/* One line on `to`: how close spins of 10 us, 1 ms and 10 ms come to
 * their targets on this process. */
void work_print_spin_check(FILE *to);

/* One backend under test, or the control: type WORK_BARE, no map at all
 * but `workers` plain threads that share each batch in equal halves with
 * a barrier between batches - the most parallelism the machine gives at
 * that moment, against which a map's speedup is read. */
#define WORK_BARE "bare"
typedef struct work_backend {
    const char *label;                /* table heading: "threads", "mpi-onall" */
    const char *type;                 /* map type, or WORK_BARE */
    int workers;                      /* asked for (mpi: mpirun decides) */
    int onall;                        /* mpi: rank 0 computes too */
} work_backend;

/* A map of the backend that has done one short untimed job (so its workers
 * are up), or NULL with a message in err. */
augur_map *work_open_map(const work_backend *b, char *err, size_t cap);

/* The measurements, each on a fresh map of backend b that has done one
 * short untimed job; NaN (with a message on stderr) on a failure. */

/* Seconds per batch of ntasks busy tasks of `cost` seconds each, over
 * enough batches to take about `seconds`. */
double work_time_batches(const work_backend *b, size_t ntasks, double cost,
                         double seconds);

/* Seconds per task of the trivial task with `chunk` tasks per message,
 * over jobs of many tasks taking about `seconds` in all (NaN, silently,
 * for the control). */
double work_time_trivial(const work_backend *b, size_t chunk, double seconds);

/* Wall seconds of one Buckshot(npts) of Nelder-Mead on the 2-D Rosenbrock
 * with WORK_EVAL_SPIN per evaluation and at most max_evals per inner run,
 * from a fixed seed; sets the evaluations done and the best f. The control
 * instead spins npts tasks of max_evals evaluations' cost (best f NaN). */
double work_time_buckshot(const work_backend *b, size_t npts, size_t max_evals,
                          size_t *evals, double *best);

/* Wall seconds of one de2 run (population npop, the n-D Rosenbrock with
 * WORK_EVAL_SPIN per evaluation, n <= WORK_DE2_MAX_N) of `generations`
 * generations from a fixed seed: one batch of npop evaluations a
 * generation, the map choosing the chunks; sets the evaluations and best
 * f. The control spins the same batches in equal halves (best f NaN). */
#define WORK_DE2_MAX_N 16
double work_time_de2(const work_backend *b, size_t npop, size_t n, size_t generations,
                     size_t *evals, double *best);

#endif
