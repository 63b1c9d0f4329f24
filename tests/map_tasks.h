/* map_tasks.h - the tasks and inputs of the map contract suite, shared by
 * test_maps.c (the in-process and forked backends, under Criterion) and
 * test_maps_mpi.c (the "mpi" backend, a plain program under mpiexec), so
 * both compare every backend with the serial map on the same computation.
 * Each program registers the tasks by name itself (test.noisy-square,
 * test.fail13, test.scale-portions). Plain C with no test framework: the MPI program has none.
 * Static, and marked unused so that a program may take only part of it. */
#ifndef AUGUR_TESTS_MAP_TASKS_H
#define AUGUR_TESTS_MAP_TASKS_H

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <string.h>
#include "augur.h"

#define MAP_TASKS_STATIC static __attribute__((unused))

/* --- Tasks ------------------------------------------------------------------ */

/* out = x^2 + offset (context) + scale (broadcast) * u, u from the task's seed */
MAP_TASKS_STATIC int noisy_square(const augur_task_call *call, const void *in,
                                   size_t in_len, void *out, size_t out_len)
{
    (void)in_len, (void)out_len;
    double x, offset = 0, scale = 0;
    memcpy(&x, in, sizeof x);
    if (call->context_len == sizeof offset)
        memcpy(&offset, call->context, sizeof offset);
    if (call->shared_len == sizeof scale)
        memcpy(&scale, call->shared, sizeof scale);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)(call->seed & 0xffffffffu));
    double y = x * x + offset + scale * gsl_rng_uniform(r);
    gsl_rng_free(r);
    memcpy(out, &y, sizeof y);
    return 0;
}

MAP_TASKS_STATIC int fail_at_13(const augur_task_call *call, const void *in,
                                 size_t in_len, void *out, size_t out_len)
{
    (void)in, (void)in_len;
    memset(out, 0, out_len);
    if (call->index == 13) {
        snprintf(call->errmsg, call->errcap, "thirteen is unlucky");
        return AUGUR_EINVAL;
    }
    return 0;
}

/* N inputs, x_k = k / 7 - 3. */
enum { N = 101 };

MAP_TASKS_STATIC void fill_inputs(double *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        x[k] = (double)k / 7.0 - 3.0;
}

/* --- SPMD ------------------------------------------------------------------- */

/* Each program's scale_portions: rank 0 broadcasts a factor (spmd_factor)
 * and scatters RECORDS records; every rank checks its portion (each
 * program in its own way) and scales it; rank 0 gathers them back into
 * `gathered` (spmd_scale_and_gather). */
enum { RECORDS = 103 };
MAP_TASKS_STATIC double gathered[RECORDS];
MAP_TASKS_STATIC size_t gathered_total;
MAP_TASKS_STATIC double broadcast_seen;

/* Rank 0's factor, from arg, broadcast to every rank. */
MAP_TASKS_STATIC int spmd_factor(augur_group *g, const void *arg, size_t arg_len,
                                 double *factor)
{
    *factor = 0;
    if (augur_group_rank(g) == 0)
        memcpy(factor, arg, arg_len);
    return augur_group_broadcast(g, factor, sizeof *factor);
}

/* This rank's count records scaled by factor, gathered on rank 0 (which
 * notes the factor it saw in broadcast_seen). */
MAP_TASKS_STATIC int spmd_scale_and_gather(augur_group *g, double factor, double *mine,
                                           size_t count)
{
    for (size_t k = 0; k < count; k++)
        mine[k] *= factor;
    if (augur_group_rank(g) == 0)
        broadcast_seen = factor;
    return augur_group_gather(g, mine, count, sizeof(double), gathered, &gathered_total);
}

#endif
