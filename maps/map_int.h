/* map_int.h - private to augur's maps area: the backend type table, the map
 * object's fields, the SPMD group's operations, and the helpers every
 * backend shares (running one task, planning chunks). */
#ifndef AUGUR_MAP_INT_H
#define AUGUR_MAP_INT_H

#include <pthread.h>
#include <stddef.h>
#include "augur/map.h"
#include "internal.h"

typedef struct augur_map_type {
    const char *name;
    size_t state_size;            /* the base callocs this much state */
    /* Set up (workers may start lazily at the first job). */
    int (*init)(augur_map *m, void *state, int workers);
    /* Run the whole job (fn is the task, found by name on the caller; a
     * process-crossing backend finds it again by job->task in the worker),
     * filling job->out in task order. */
    int (*run)(augur_map *m, void *state, const augur_map_job *job,
               augur_task_fn fn);
    /* Run fn (registered as `name`) on every participant. */
    int (*spmd)(augur_map *m, void *state, const char *name, augur_spmd_fn fn,
                const void *arg, size_t arg_len);
    /* Make the broadcast bytes reach the workers. NULL: workers share the
     * caller's memory and read m->shared directly. */
    int (*broadcast)(augur_map *m, void *state, const void *buf, size_t len);
    /* Forget workers' copies of the program state (optional). */
    void (*reset)(augur_map *m, void *state);
    /* Stop the workers and release everything; copes with zeroed state. */
    void (*free)(augur_map *m, void *state);
    /* 1 when workers do not share the caller's address space image (MPI
     * ranks), so function and data pointers mean nothing there. */
    int crosses_images;
} augur_map_type;

struct augur_map {
    const augur_map_type *type;
    void *state;
    int workers;
    size_t chunk;
    augur_schedule schedule;
    double timeout;
    int retries;
    void *shared;                 /* the caller's copy of the broadcast bytes */
    size_t shared_len;
    /* submit/wait: the job runs on a helper thread */
    pthread_t submitter;
    int submitted;
    augur_map_job pending;
    int pending_rc;
    char errmsg[AUGUR_ERRMSG_CAP];
};

/* SPMD groups: each backend supplies the collectives' transport. */
typedef struct augur_group_ops {
    int (*broadcast)(augur_group *g, void *buf, size_t len);
    int (*scatter)(augur_group *g, const void *send, size_t count,
                   size_t rec_len, void *recv, size_t *mine);
    int (*gather)(augur_group *g, const void *send, size_t mine,
                  size_t rec_len, void *recv, size_t *total);
} augur_group_ops;

struct augur_group {
    int rank, size;
    const augur_group_ops *ops;
    void *impl;                   /* the backend's */
};

/* Run task `index` of job on this process: builds the call (seed from
 * (job seed, index), context, shared bytes) and calls fn on record index.
 * A failure's message names the task and index. */
AUGUR__SHARED int augur__map_exec(const augur_map_job *job, augur_task_fn fn, size_t index,
                    int worker, const void *shared, size_t shared_len,
                    char *err, size_t cap);
/* The same with the records given directly (a worker holding one chunk):
 * job supplies the task's name, seed, context and record lengths. */
int augur__map_exec_at(const augur_map_job *job, augur_task_fn fn, size_t index,
                       int worker, const void *shared, size_t shared_len,
                       const void *in, void *out, char *err, size_t cap);
/* Tasks per message for this job (resolves chunk 0 as map.h says). */
AUGUR__SHARED size_t augur__map_chunk(const augur_map *m, size_t ntasks, int workers);
/* The end of the chunk that starts at task begin: under the dynamic
 * schedule with no chunk set, guided chunks (half a worker's share of what
 * is left, at most augur__map_chunk()); otherwise begin +
 * augur__map_chunk(), capped at ntasks. */
AUGUR__SHARED size_t augur__map_chunk_end(const augur_map *m, size_t begin, size_t ntasks,
                                          int workers);
/* Record a failure on the map. */
AUGUR__SHARED int augur__map_fail(augur_map *m, int code, const char *fmt, ...)
    AUGUR__PRINTF(3, 4);

/* A backend by name, or NULL. */
const augur_map_type *augur__map_type_find(const char *name);
/* Add a backend that lives outside libaugur (the MPI one, in libaugur_mpi,
 * registers itself at load time), so it is found by name and listed by
 * augur_map_types. Registering the same type again is harmless; fails when
 * another type has the name or the table is full. */
AUGUR__SHARED int augur__map_backend_register(const augur_map_type *type);
/* The SPMD function registered as name, or NULL. */
AUGUR__SHARED augur_spmd_fn augur__spmd_find(const char *name);


extern const augur_map_type augur__map_serial;
extern const augur_map_type augur__map_threads;
extern const augur_map_type augur__map_fork;

#endif
