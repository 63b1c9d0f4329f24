/* augur/map_mpi.h - starting and stopping MPI for augur's "mpi" map.
 *
 * Only in builds with MPI (AUGUR_HAVE_MPI is then defined for users of the
 * augur target); include it next to augur.h, which does not include it.
 * It needs no MPI headers itself, so code that never calls MPI directly
 * compiles without MPI's include path.
 *
 * The MPI map is SPMD: mpirun starts the same program on every rank, every
 * rank registers the same tasks, SPMD functions and costs by name BEFORE
 * augur_mpi_init, and then rank 0 drives while the other ranks serve inside
 * augur_mpi_init until rank 0 calls augur_mpi_finalize:
 *
 *     int main(int argc, char **argv)
 *     {
 *         augur_task_register("my.task", my_task);   // on every rank
 *         int is_root;
 *         if (augur_mpi_init(&argc, &argv, &is_root) != AUGUR_OK)
 *             return 1;
 *         if (!is_root)
 *             return 0;                              // served, MPI finalized
 *         augur_map *m = augur_map_create("mpi", 0);
 *         ...  augur_map_run / augur_solver_set_map(s, m) + augur_solve ...
 *         augur_map_destroy(m);
 *         return augur_mpi_finalize() == AUGUR_OK ? 0 : 1;
 *     }
 *
 *     mpirun -np 4 ./program            # rank 0 deals, ranks 1-3 compute
 *
 * Workers: the ranks other than 0 (the `workers` argument of
 * augur_map_create is ignored: the size comes from mpirun). With one rank,
 * rank 0 runs every task itself. augur_map_mpi_set_onall lets rank 0 take
 * tasks too when there are other ranks ("onall" in pyina).
 *
 * A rank that dies (a crash, exit() in a task) ends the whole MPI job:
 * mpirun stops every rank and reports which one failed, so rank 0 never
 * waits for an answer that cannot come. A task that hangs on a worker
 * hangs the job, as it would on the serial map (timeouts and retries are
 * the fork backend's). */
#ifndef AUGUR_MAP_MPI_H
#define AUGUR_MAP_MPI_H

#include "augur/export.h"
#include "augur/map.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Start MPI with MPI_Init_thread, asking for MPI_THREAD_SERIALIZED, and
 * give augur a private communicator, so the program's own MPI messages
 * never meet augur's. (If the program initialised MPI itself, augur uses
 * that, and the program calls MPI_Finalize: on rank 0 after
 * augur_mpi_finalize, elsewhere once augur_mpi_init has returned.)
 *
 * On rank 0 it returns at once with *is_root = 1. On every other rank it
 * serves rank 0's jobs and returns only after rank 0's augur_mpi_finalize,
 * with *is_root = 0 and MPI finalized (see above): the program then just
 * returns from main.
 *
 * augur_map_submit runs the job's MPI traffic on a helper thread; with
 * MPI_THREAD_SERIALIZED the program must then make no MPI calls of its own
 * until augur_map_wait returns (augur's own calls wait for each other).
 * If MPI runs at a level below MPI_THREAD_SERIALIZED (an MPI library that
 * cannot, or a program that initialised MPI with less), only the thread
 * that initialised MPI may run MPI jobs: augur_map_submit's job then fails
 * (augur_map_wait returns AUGUR_EUNSUP); augur_map_run works. OpenMPI
 * 4.1 as Debian builds it gives the level.
 *
 * On failure returns a negative status (augur_mpi_errmsg says why). A
 * worker whose serving failed returns with MPI still up: when the program
 * exits, mpirun ends the job. */
AUGUR_EXTERN int augur_mpi_init(int *argc, char ***argv, int *is_root);

/* Rank 0: stop the workers (they return from augur_mpi_init) and finalize
 * MPI. Destroy the MPI maps first. A no-op on a worker or after the first
 * call. If an MPI error left the workers in an unknown state, MPI is not
 * finalized (that could wait forever) and an error is returned: exit, and
 * mpirun ends the job. */
AUGUR_EXTERN int augur_mpi_finalize(void);

/* Why the last augur_mpi_init or augur_mpi_finalize failed ("" if not). */
AUGUR_EXTERN const char *augur_mpi_errmsg(void);

/* 1: rank 0 runs tasks too, between handing out chunks (it is then one
 * more worker: augur_map_workers counts it); 0 (the default when there are
 * other ranks): rank 0 only deals, so a worker per core plus rank 0 fits
 * `mpirun -np cores+1`. Results are the same bytes either way. onall suits
 * many short tasks; with long ones a worker may wait while rank 0 finishes
 * its own chunk. AUGUR_EINVAL for a map that is not "mpi", or onall 0 with a
 * single rank. */
AUGUR_EXTERN int augur_map_mpi_set_onall(augur_map *m, int onall);

#ifdef __cplusplus
}
#endif
#endif
