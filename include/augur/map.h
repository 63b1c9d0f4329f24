/* augur/map.h - the map layer: run a named task over N fixed-size input
 * records and fill N output records, on a backend the caller never has to
 * know about: "serial", "threads", "fork" or "mpi".
 *
 * Population solvers evaluate their batches through a map, and ensemble
 * solvers run their nested solvers through one. Everything that crosses a
 * map is bytes of known length - never pointers - so the fork backend
 * (pipes) and the MPI backend (messages) can ship it; code crosses by name:
 * tasks, SPMD jobs and costs are registered by name, and every process
 * (every MPI rank: SPMD) registers the same names.
 *
 * Determinism: a task's random numbers come from call->seed, derived from
 * (job seed, task index) and never from which worker ran it, and outputs
 * land in task order, so a job gives the same bytes on every backend with
 * any number of workers.
 *
 * Threads: a map is driven by one thread at a time. Tasks run concurrently
 * on the threads backend and must then be thread-safe. */
#ifndef AUGUR_MAP_H
#define AUGUR_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_map augur_map;

/* --- Tasks ------------------------------------------------------------- */

/* What a task is told about the call it serves. */
typedef struct augur_task_call {
    size_t index;                 /* task index within the job, 0-based */
    uint64_t seed;                /* the task's own seed: mix(job seed, index) */
    const void *context;          /* the job's context bytes (sent once per job) */
    size_t context_len;
    const void *shared;           /* the map's broadcast bytes (augur_map_broadcast) */
    size_t shared_len;
    int worker;                   /* who runs it (diagnostics only: never use it
                                     for anything that changes a result) */
    char *errmsg;                 /* a task that fails may write why here */
    size_t errcap;
} augur_task_call;

/* Fill out (out_len bytes) from in (in_len bytes); 0 on success, else a
 * negative status (with a message in call->errmsg). */
typedef int (*augur_task_fn)(const augur_task_call *call, const void *in,
                             size_t in_len, void *out, size_t out_len);

/* Register a task under a name (AUGUR_EINVAL if taken by another function;
 * registering the same pair again is fine). Thread-safe. */
AUGUR_EXTERN int augur_task_register(const char *name, augur_task_fn fn);
AUGUR_EXTERN augur_task_fn augur_task_find(const char *name);

/* --- Costs by name ----------------------------------------------------- */

/* A cost function (and its data) under a name, so a process that did not
 * set it up - an MPI rank - can find its own copy. Models from the model
 * registry are found by their names without registering. */
typedef double (*augur_cost_fn)(const double *x, size_t n, void *data);
AUGUR_EXTERN int augur_cost_register(const char *name, augur_cost_fn cost,
                                     void *data);
/* Look up by name (registered costs first, then models); 0 or AUGUR_ENOTFOUND. */
AUGUR_EXTERN int augur_cost_find(const char *name, augur_cost_fn *cost,
                                 void **data);
/* The name a (cost, data) pair was registered under, or NULL. */
AUGUR_EXTERN const char *augur_cost_name(augur_cost_fn cost, const void *data);

/* --- Maps -------------------------------------------------------------- */

typedef enum augur_schedule {
    AUGUR_SCHEDULE_DYNAMIC,       /* a free worker takes the next chunk ("carddealer") */
    AUGUR_SCHEDULE_STATIC         /* contiguous, near-equal portions ("equalportion") */
} augur_schedule;

/* One job: run `task` over ntasks records. */
typedef struct augur_map_job {
    const char *task;
    size_t ntasks;
    const void *in;               /* ntasks records of in_len bytes */
    size_t in_len;
    void *out;                    /* ntasks records of out_len bytes */
    size_t out_len;
    const void *context;          /* optional bytes every task sees */
    size_t context_len;
    uint64_t seed;                /* per-task seeds derive from it */
} augur_map_job;

/* The most workers a map may be asked for (docs/CONFIG.md): each is a
 * thread or a process, and more than this passes any one machine's cores
 * and the usual per-user process limits. */
#define AUGUR_MAX_WORKERS 1024

/* "serial", "threads", "fork" or "mpi" (only in builds with MPI, after
 * augur_mpi_init). workers <= 0: one per online CPU (threads, fork);
 * above AUGUR_MAX_WORKERS: AUGUR_ERANGE;
 * the MPI size comes from mpirun. NULL for an unknown type or bad input;
 * augur_map_new says why. */
AUGUR_EXTERN augur_map *augur_map_create(const char *type, int workers);
AUGUR_EXTERN int augur_map_new(augur_map **out, const char *type, int workers,
                               char *err, size_t cap);
/* Stops the workers (no zombies) and frees the map. NULL is a no-op. */
AUGUR_EXTERN void augur_map_destroy(augur_map *m);

/* Tasks per message (0: the backend's choice: 1 for dynamic, one portion
 * per worker for static). */
AUGUR_EXTERN int augur_map_set_chunk(augur_map *m, size_t chunk);
AUGUR_EXTERN int augur_map_set_schedule(augur_map *m, augur_schedule schedule);
/* Fork: seconds one task may run before its worker is killed (0: none). */
AUGUR_EXTERN int augur_map_set_timeout(augur_map *m, double seconds);
/* Fork: times a task whose worker died is retried on a fresh worker. */
AUGUR_EXTERN int augur_map_set_retries(augur_map *m, int retries);
/* Forget workers' copies of the program state: the fork backend starts
 * fresh workers at the next job, so they see memory as it is then. A
 * solver calls this at the start of every solve. */
AUGUR_EXTERN int augur_map_reset(augur_map *m);

/* Run a job to completion; outputs in task order. On a task failure the
 * status is the task's and the message names the task and index. */
AUGUR_EXTERN int augur_map_run(augur_map *m, const augur_map_job *job);
/* Start a job without waiting (one at a time per map); the job's arrays
 * must stay valid until augur_map_wait returns. While it runs, every other
 * call on the map but augur_map_wait returns AUGUR_ESTATE. */
AUGUR_EXTERN int augur_map_submit(augur_map *m, const augur_map_job *job);
AUGUR_EXTERN int augur_map_wait(augur_map *m);

/* From now on every task of this map sees a copy of buf as call->shared. */
AUGUR_EXTERN int augur_map_broadcast(augur_map *m, const void *buf, size_t len);

AUGUR_EXTERN const char *augur_map_errmsg(const augur_map *m);
AUGUR_EXTERN const char *augur_map_type_name(const augur_map *m);
/* Processes or threads that run tasks. */
AUGUR_EXTERN int augur_map_workers(const augur_map *m);
/* The timeout set with augur_map_set_timeout (0: none). */
AUGUR_EXTERN double augur_map_timeout(const augur_map *m);
/* The backends built into this library, NULL-terminated. */
AUGUR_EXTERN const char *const *augur_map_types(void);

/* --- SPMD jobs and collectives ------------------------------------------- */

/* An SPMD job runs one registered function on every participant of a map -
 * the caller (rank 0) and each worker - which cooperate through the group's
 * collectives, as MPI programs do. On serial the group is the caller alone:
 * the same code runs unchanged. */
typedef struct augur_group augur_group;
typedef int (*augur_spmd_fn)(augur_group *g, const void *arg, size_t arg_len);

AUGUR_EXTERN int augur_spmd_register(const char *name, augur_spmd_fn fn);
/* Run `name` on every participant with the same argument bytes; returns
 * the first failure of any participant. */
AUGUR_EXTERN int augur_map_spmd(augur_map *m, const char *name, const void *arg,
                                size_t arg_len);

AUGUR_EXTERN int augur_group_rank(const augur_group *g);
AUGUR_EXTERN int augur_group_size(const augur_group *g);
/* Collective: rank 0's len bytes at buf are copied into every rank's buf. */
AUGUR_EXTERN int augur_group_broadcast(augur_group *g, void *buf, size_t len);
/* Collective: rank 0's `count` records (rec_len bytes each) are split into
 * contiguous portions, earlier ranks taking the larger ones (pyina's
 * equalportion); each rank receives its portion in recv (room for
 * ceil(count/size) records) and its record count in *mine. */
AUGUR_EXTERN int augur_group_scatter(augur_group *g, const void *send, size_t count,
                                     size_t rec_len, void *recv, size_t *mine);
/* Collective: each rank's `mine` records are joined in rank order on rank 0
 * (recv, room for the total; ignored elsewhere); *total set on rank 0. */
AUGUR_EXTERN int augur_group_gather(augur_group *g, const void *send, size_t mine,
                                    size_t rec_len, void *recv, size_t *total);
/* The portion [begin, end) of `count` items that rank r gets from scatter. */
AUGUR_EXTERN void augur_group_portion(size_t count, int size, int rank,
                                      size_t *begin, size_t *end);

#ifdef __cplusplus
}
#endif
#endif
