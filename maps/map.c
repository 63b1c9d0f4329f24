/* map.c - the map base: creating a backend by name, settings, job
 * validation, running one task, chunk planning, submit/wait and broadcast.
 *
 * What is the same for every backend lives here once: a job is checked
 * before any worker sees it (the task exists, the arrays are there), a task
 * gets its seed from (job seed, task index) through augur__map_exec, and a
 * failure is reported with the task's name and index. submit/wait runs the
 * backend's blocking run on a helper thread, so every backend has the
 * non-blocking form without writing it again; one job at a time per map. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "map_hooks.h"
#include "map_int.h"

int augur__map_fail(augur_map *m, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(m->errmsg, sizeof m->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

int augur__map_crosses_images(const augur_map *m)
{
    return m && m->type->crosses_images;
}

static int default_workers(int workers)
{
    if (workers > 0)
        return workers;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int augur_map_new(augur_map **out, const char *type_name, int workers,
                  char *err, size_t cap)
{
    if (!out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "map: NULL result pointer");
    *out = NULL;
    const augur_map_type *type = augur__map_type_find(type_name);
    if (!type) {
        if (augur__name_eq(type_name, "mpi"))
            return augur__fail_msg(err, cap, AUGUR_EUNSUP,
                                   "map: this build has no MPI backend "
                                   "(configure with AUGUR_WITH_MPI=ON)");
        return augur__fail_msg(err, cap, AUGUR_ENOTFOUND,
                               "map: no backend named '%s' (serial, threads, "
                               "fork%s)", type_name ? type_name : "(null)",
#ifdef AUGUR_HAVE_MPI
                               ", mpi"
#else
                               ""
#endif
        );
    }
    if (workers > AUGUR_MAX_WORKERS)
        return augur__fail_msg(err, cap, AUGUR_ERANGE,
                               "map: %d workers is more than the %d allowed", workers,
                               AUGUR_MAX_WORKERS);
    augur_map *m = calloc(1, sizeof *m);
    if (!m || !(m->state = calloc(1, type->state_size ? type->state_size : 1))) {
        free(m);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "map: out of memory");
    }
    m->type = type;
    m->schedule = AUGUR_SCHEDULE_DYNAMIC;
    m->workers = default_workers(workers);
    int rc = type->init ? type->init(m, m->state, m->workers) : AUGUR_OK;
    if (rc != AUGUR_OK) {
        augur__fail_msg(err, cap, rc, "%s", m->errmsg[0] ? m->errmsg : augur_strerror(rc));
        augur_map_destroy(m);
        return rc;
    }
    *out = m;
    return AUGUR_OK;
}

augur_map *augur_map_create(const char *type, int workers)
{
    augur_map *m = NULL;
    augur_map_new(&m, type, workers, NULL, 0);
    return m;
}

void augur_map_destroy(augur_map *m)
{
    if (!m)
        return;
    if (m->submitted)
        augur_map_wait(m);
    if (m->type->free)
        m->type->free(m, m->state);
    free(m->state);
    free(m->shared);
    free(m);
}

/* --- Settings ------------------------------------------------------------ */

int augur_map_set_chunk(augur_map *m, size_t chunk)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* the running job reads these */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    m->chunk = chunk;
    return AUGUR_OK;
}

int augur_map_set_schedule(augur_map *m, augur_schedule schedule)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* the running job reads these */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    if (schedule != AUGUR_SCHEDULE_DYNAMIC && schedule != AUGUR_SCHEDULE_STATIC)
        return augur__map_fail(m, AUGUR_EINVAL, "map: unknown schedule %d",
                               (int)schedule);
    m->schedule = schedule;
    return AUGUR_OK;
}

int augur_map_set_timeout(augur_map *m, double seconds)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* the running job reads these */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    if (!(seconds >= 0 && seconds <= 1e9))
        return augur__map_fail(m, AUGUR_EINVAL, "map: the timeout must be 0 (none) "
                               "to 1e9 seconds, not %g", seconds);
    m->timeout = seconds;
    return AUGUR_OK;
}

int augur_map_set_retries(augur_map *m, int retries)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* the running job reads these */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    if (retries < 0)
        return augur__map_fail(m, AUGUR_EINVAL, "map: retries must be >= 0");
    m->retries = retries;
    return AUGUR_OK;
}

int augur_map_reset(augur_map *m)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* the running job reads these */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    if (m->type->reset)
        m->type->reset(m, m->state);
    return AUGUR_OK;
}

const char *augur_map_errmsg(const augur_map *m)
{
    return m ? m->errmsg : "NULL map";
}

const char *augur_map_type_name(const augur_map *m)
{
    return m ? m->type->name : NULL;
}

int augur_map_workers(const augur_map *m)
{
    return m ? m->workers : 0;
}

double augur_map_timeout(const augur_map *m)
{
    return m ? m->timeout : 0;
}

/* --- Running ------------------------------------------------------------- */

size_t augur__map_chunk(const augur_map *m, size_t ntasks, int workers)
{
    if (m->chunk)
        return m->chunk;
    size_t w = workers > 0 ? (size_t)workers : 1;
    if (m->schedule == AUGUR_SCHEDULE_STATIC)
        return (ntasks + w - 1) / w;
    /* About four chunks per worker: small enough to balance unequal tasks,
     * large enough to keep the per-message cost off cheap ones. The
     * largest of augur__map_chunk_end's chunks. */
    size_t c = (ntasks + 4 * w - 1) / (4 * w);
    return c ? c : 1;
}

size_t augur__map_chunk_end(const augur_map *m, size_t begin, size_t ntasks, int workers)
{
    if (begin >= ntasks)
        return ntasks;
    size_t w = workers > 0 ? (size_t)workers : 1;
    if (m->chunk || m->schedule == AUGUR_SCHEDULE_STATIC) {
        size_t c = augur__map_chunk(m, ntasks, workers);
        return ntasks - begin > c ? begin + c : ntasks;
    }
    /* Guided, capped: a chunk takes half a worker's share of what is left,
     * ceil((ntasks - begin) / (2 w)), at most augur__map_chunk() (about a
     * quarter of a worker's share of the job), at least one task. Chunks of
     * one size left a short last chunk: 50 tasks on 2 workers made
     * 7 x 7 + 1, and equal tasks ran 28 on one worker and 22 on the other
     * (1.79x at best). Here the tail shrinks to single tasks (7, 7, 7, 7,
     * 6, 4, 3, 3, 2, 1, 1, 1, 1), so equal tasks end with the workers a
     * task or two apart, whichever order they take the chunks in. The size
     * depends only on begin, so every backend cuts a job the same way. */
    size_t cap = augur__map_chunk(m, ntasks, workers);
    size_t left = ntasks - begin, c = (left + 2 * w - 1) / (2 * w);
    if (c > cap)
        c = cap;
    return begin + (c ? c : 1);
}

int augur__map_exec_at(const augur_map_job *job, augur_task_fn fn, size_t index,
                       int worker, const void *shared, size_t shared_len,
                       const void *in, void *out, char *err, size_t cap)
{
    char why[AUGUR_ERRMSG_CAP] = "";
    augur_task_call call = {
        .index = index,
        .seed = augur__mix_seed(job->seed, index),
        .context = job->context_len ? job->context : NULL,
        .context_len = job->context_len,
        .shared = shared,
        .shared_len = shared_len,
        .worker = worker,
        .errmsg = why,
        .errcap = sizeof why,
    };
    int rc = fn(&call, in, job->in_len, out, job->out_len);
    if (rc == AUGUR_OK)
        return AUGUR_OK;
    if (rc > 0)
        rc = AUGUR_EFAILED;
    return augur__fail_msg(err, cap, rc, "task '%s' #%zu failed: %s", job->task,
                           index, why[0] ? why : augur_strerror(rc));
}

int augur__map_exec(const augur_map_job *job, augur_task_fn fn, size_t index,
                    int worker, const void *shared, size_t shared_len,
                    char *err, size_t cap)
{
    const char *in = (const char *)job->in + index * job->in_len;
    char *out = (char *)job->out + index * job->out_len;
    return augur__map_exec_at(job, fn, index, worker, shared, shared_len, in, out,
                              err, cap);
}

static int check_job(augur_map *m, const augur_map_job *job, augur_task_fn *fn)
{
    if (!job || !job->task)
        return augur__map_fail(m, AUGUR_EINVAL, "map: NULL job or task name");
    *fn = augur_task_find(job->task);
    if (!*fn)
        return augur__map_fail(m, AUGUR_ENOTFOUND, "map: no task named '%s' "
                               "(augur_task_register)", job->task);
    if (job->ntasks && ((!job->in && job->in_len) || (!job->out && job->out_len)))
        return augur__map_fail(m, AUGUR_EINVAL, "map: job '%s' has NULL records",
                               job->task);
    if (job->context_len && !job->context)
        return augur__map_fail(m, AUGUR_EINVAL, "map: job '%s' has a NULL context",
                               job->task);
    return AUGUR_OK;
}

int augur_map_run(augur_map *m, const augur_map_job *job)
{
    if (!m)
        return AUGUR_EINVAL;
    /* While a submitted job runs its thread owns errmsg: no message here. */
    if (m->submitted)
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    augur_task_fn fn = NULL;
    int rc = check_job(m, job, &fn);
    if (rc != AUGUR_OK || job->ntasks == 0)
        return rc;
    return m->type->run(m, m->state, job, fn);
}

static void *submitted_job(void *arg)
{
    augur_map *m = arg;
    augur_task_fn fn = augur_task_find(m->pending.task);
    m->pending_rc = m->pending.ntasks ? m->type->run(m, m->state, &m->pending, fn)
                                      : AUGUR_OK;
    return NULL;
}

int augur_map_submit(augur_map *m, const augur_map_job *job)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* one at a time; its thread owns errmsg */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    augur_task_fn fn = NULL;
    int rc = check_job(m, job, &fn);
    if (rc != AUGUR_OK)
        return rc;
    m->pending = *job;
    m->pending_rc = AUGUR_OK;
    if (pthread_create(&m->submitter, NULL, submitted_job, m) != 0)
        return augur__map_fail(m, AUGUR_EFAILED, "map: cannot start a thread "
                               "for the submitted job");
    m->submitted = 1;
    return AUGUR_OK;
}

int augur_map_wait(augur_map *m)
{
    if (!m)
        return AUGUR_EINVAL;
    if (!m->submitted)
        return augur__map_fail(m, AUGUR_ESTATE, "map: nothing was submitted");
    pthread_join(m->submitter, NULL);
    m->submitted = 0;
    return m->pending_rc;
}

int augur_map_broadcast(augur_map *m, const void *buf, size_t len)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* the running job reads these */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    if (len && !buf)
        return augur__map_fail(m, AUGUR_EINVAL, "map: NULL broadcast buffer");
    void *copy = len ? malloc(len) : NULL;
    if (len && !copy)
        return augur__map_fail(m, AUGUR_ENOMEM, "map: out of memory");
    if (len)
        memcpy(copy, buf, len);
    if (m->type->broadcast) {
        int rc = m->type->broadcast(m, m->state, copy, len);
        if (rc != AUGUR_OK) {
            free(copy);
            return rc;
        }
    }
    free(m->shared);
    m->shared = copy;
    m->shared_len = len;
    return AUGUR_OK;
}

int augur_map_spmd(augur_map *m, const char *name, const void *arg, size_t arg_len)
{
    if (!m)
        return AUGUR_EINVAL;
    if (m->submitted)   /* checked before touching errmsg: the job may write it */
        return AUGUR_ESTATE;
    m->errmsg[0] = '\0';
    augur_spmd_fn fn = augur__spmd_find(name);
    if (!fn)
        return augur__map_fail(m, AUGUR_ENOTFOUND, "map: no SPMD function named "
                               "'%s' (augur_spmd_register)", name ? name : "(null)");
    if (arg_len && !arg)
        return augur__map_fail(m, AUGUR_EINVAL, "map: NULL SPMD argument");
    return m->type->spmd(m, m->state, name, fn, arg, arg_len);
}
