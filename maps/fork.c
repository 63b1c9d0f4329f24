/* fork.c - the fork backend: tasks run in persistent worker processes,
 * forks of the caller, each talking to it over its own Unix socket.
 *
 * Processes, not threads, so that a task that crashes, leaks or hangs costs
 * one worker and not the caller: a worker that dies (a signal, an exit) or
 * runs one task past the map's timeout (it is then killed with SIGKILL) is
 * reaped, the task it was running is named in the map's message, or, with
 * retries, run again on a fresh worker; the job's other tasks are never
 * lost, and the next job works. A task that returns an error fails the job
 * with the error of the lowest failing task index, as serial would report.
 * Results are the serial backend's bytes: each task's seed comes from
 * (job seed, task index), never from the worker, and outputs land in task
 * order, with either schedule (dynamic: a free worker takes the next chunk;
 * static: each worker its equalportion).
 *
 * What a worker sees: workers start lazily, at the first job after create
 * or after augur_map_reset - which marks them stale, so the next job stops
 * them and forks fresh ones. A fork copies the caller's memory as it is at
 * that moment, so the cost function and its data are the ones of the time
 * of the call (solvers reset their map at every solve start, and send the
 * cost as pointers, which are valid in a fork). By the same token tasks,
 * SPMD functions and costs must be registered before the workers start:
 * a worker looks them up by name in its own copy of the registry. The
 * job's records, context and broadcast bytes always travel by message.
 *
 * Leaving: a worker ends with _exit, never exit: the caller's atexit
 * handlers (a test runner's report, a sanitizer's leak check) must not run
 * again in a copy of it, and its stdio buffers must not be written twice
 * (the caller flushes stdout and stderr before each fork, so the worker
 * starts with empty ones and flushes only what its tasks printed). Never
 * fork workers in an MPI program: MPI libraries do not support fork (a
 * child must not call MPI, and with RDMA networks the memory the parent
 * registered is not even mapped in it), so the fork and mpi backends never
 * share a process.
 *
 * The backend lives in four files (fork_int.h says which does what); this
 * one runs jobs and holds the type. */
/* MAP_ANONYMOUS is POSIX.1-2024; glibc shows it to 2008 code only with this */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fork_int.h"

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "progress slots are shared between "
               "processes, so their atomics must be lock-free");

#define LIVENESS_SECONDS 1.0      /* how often busy workers are checked without news */

/* --- Running a job ------------------------------------------------------------ */

typedef struct run_ctx {
    augur_map *m;
    fork_state *st;
    const augur_map_job *job;
    size_t chunk;
    size_t depth, max_depth;      /* ranges in flight per worker: now, and at most */
    size_t next;                  /* dynamic: the next task to hand out */
    size_t fail_at;               /* the lowest failed task (SIZE_MAX: none) */
    int fail_rc;
    char fail_msg[AUGUR_ERRMSG_CAP];
    int *tries;                   /* per task: workers lost on it (made at the first) */
} run_ctx;

static void fail_task(run_ctx *r, size_t index, int rc, const char *msg)
{
    if (index >= r->fail_at)
        return;
    r->fail_at = index;
    r->fail_rc = rc;
    snprintf(r->fail_msg, sizeof r->fail_msg, "%s", msg);
}

/* The next range for slot s from its schedule; 0 when there is none. */
static int next_range(run_ctx *r, fork_slot *sl, fork_range *out)
{
    size_t *at = r->m->schedule == AUGUR_SCHEDULE_STATIC ? &sl->cursor : &r->next;
    size_t limit = r->m->schedule == AUGUR_SCHEDULE_STATIC ? sl->limit : r->job->ntasks;
    if (*at >= limit || *at >= r->fail_at)
        return 0;
    out->begin = *at;
    if (r->m->schedule == AUGUR_SCHEDULE_STATIC)
        out->end = limit - *at > r->chunk ? *at + r->chunk : limit;
    else
        out->end = augur__map_chunk_end(r->m, *at, limit, r->st->n);
    *at = out->end;
    return 1;
}

static void drop_work(fork_slot *sl, size_t k)
{
    memmove(&sl->work[k], &sl->work[k + 1], (sl->nwork - k - 1) * sizeof sl->work[0]);
    sl->nwork--;
}

/* Worker s is gone (its socket failed, or we killed it): reap it, name the
 * task it was running, count a try against that task, and leave its
 * ranges to be sent again - to a fresh worker in the same slot. */
static void lost(run_ctx *r, int s, int timed_out)
{
    fork_slot *sl = &r->st->slots[s];
    unsigned long long running = atomic_load(&r->st->progress[s].task);
    int status = augur__fork_end(r->st, s);
    size_t nsent = sl->nsent;
    sl->nsent = 0;
    if (nsent == 0)
        return;                   /* nothing ran there: just start another */
    size_t index = sl->work[0].begin;
    for (size_t k = 0; running && k < nsent; k++)
        if (running - 1 >= sl->work[k].begin && running - 1 < sl->work[k].end)
            index = (size_t)running - 1;
    if (!r->tries)
        r->tries = calloc(r->job->ntasks, sizeof *r->tries);
    int tries = r->tries ? ++r->tries[index] : INT_MAX;
    if (tries <= r->m->retries)
        return;
    char why[128], msg[AUGUR_ERRMSG_CAP];
    if (timed_out)
        snprintf(why, sizeof why, "worker timed out after %g s (killed)", r->m->timeout);
    else
        augur__fork_describe(status, why, sizeof why);
    snprintf(msg, sizeof msg, "task '%s' #%zu: %s", r->job->task, index, why);
    if (r->m->retries > 0)
        snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (%d tries)", tries);
    fail_task(r, index, AUGUR_EFAILED, msg);
}

/* Send work[nsent, upto) to slot s in one write, starting its worker and
 * telling it the job first if need be. 1 when the worker was lost instead,
 * else a status. */
static int send_ranges(run_ctx *r, int s, size_t upto)
{
    fork_slot *sl = &r->st->slots[s];
    const augur_map_job *job = r->job;
    if (!sl->pid) {
        int rc = augur__fork_spawn(r->m, r->st, s);
        if (rc != AUGUR_OK)
            return rc;
    }
    wire_head heads[FORK_DEPTH_MAX + 1];
    struct iovec iov[2 * FORK_DEPTH_MAX + 3];
    int nh = 0, n = 0;
    if (sl->job != r->st->jobs) {
        size_t name_len = strlen(job->task);
        heads[nh] = (wire_head){.kind = WIRE_JOB, .status = r->m->timeout > 0,
                                .seed = job->seed, .in_len = job->in_len,
                                .out_len = job->out_len, .len1 = name_len,
                                .len2 = job->context_len};
        iov[n++] = (struct iovec){.iov_base = &heads[nh++], .iov_len = sizeof heads[0]};
        iov[n++] = (struct iovec){.iov_base = (void *)job->task, .iov_len = name_len};
        iov[n++] = (struct iovec){.iov_base = (void *)job->context,
                                  .iov_len = job->context_len};
    }
    for (size_t k = sl->nsent; k < upto; k++) {
        fork_range w = sl->work[k];
        size_t bytes = (w.end - w.begin) * job->in_len;
        heads[nh] = (wire_head){.kind = WIRE_CHUNK, .begin = w.begin, .end = w.end,
                                .len1 = bytes};
        iov[n++] = (struct iovec){.iov_base = &heads[nh++], .iov_len = sizeof heads[0]};
        iov[n++] = (struct iovec){
            .iov_base = bytes ? (char *)job->in + w.begin * job->in_len : NULL,
            .iov_len = bytes};
    }
    if (augur__wire_sendv(sl->rd.fd, iov, n) != 0)
        return 1;
    sl->job = r->st->jobs;
    return 0;
}

/* Keep slot s's worker fed: up to depth ranges in flight, sent together. */
static int dispatch(run_ctx *r, int s)
{
    fork_slot *sl = &r->st->slots[s];
    for (;;) {
        while (sl->nwork < r->depth && next_range(r, sl, &sl->work[sl->nwork]))
            sl->nwork++;
        for (size_t k = sl->nsent; k < sl->nwork;) {
            if (sl->work[k].end > r->fail_at)   /* nothing past a failure is needed */
                sl->work[k].end = r->fail_at;
            if (sl->work[k].begin >= sl->work[k].end)
                drop_work(sl, k);
            else
                k++;
        }
        size_t upto = sl->nwork < r->depth ? sl->nwork : r->depth;
        if (upto <= sl->nsent)
            return AUGUR_OK;
        int rc = send_ranges(r, s, upto);
        if (rc == 0) {
            sl->nsent = upto;
            return AUGUR_OK;
        }
        if (rc < 0)
            return rc;
        /* an old worker may have died idle; a new one must not */
        if (sl->nsent == 0 && sl->fresh)
            return augur__map_fail(r->m, AUGUR_EFAILED, "fork map: a new worker "
                                   "died before its first task");
        lost(r, s, 0);
    }
}

/* Read slot s's answer to its oldest range. */
static int take_reply(run_ctx *r, int s)
{
    fork_slot *sl = &r->st->slots[s];
    fork_range w = sl->work[0];
    wire_head h;
    if (augur__wire_read(&sl->rd, &h, sizeof h) != 0) {
        lost(r, s, 0);
        return AUGUR_OK;
    }
    int ok = h.status == AUGUR_OK;
    if (h.kind != WIRE_REPLY || h.begin != w.begin ||
        (ok ? h.end != w.end : h.end < w.begin || h.end >= w.end))
        return augur__map_fail(r->m, AUGUR_EFAILED, "fork map: worker %d is out "
                               "of step with the caller", s);
    char msg[AUGUR_ERRMSG_CAP] = "";
    size_t keep = ok ? 0 : h.len1 < sizeof msg ? (size_t)h.len1 : sizeof msg - 1;
    char *dst = ok ? (char *)r->job->out + w.begin * r->job->out_len : msg;
    if ((ok && h.len1 != (w.end - w.begin) * r->job->out_len) ||
        augur__wire_read(&sl->rd, dst, ok ? (size_t)h.len1 : keep) != 0 ||
        augur__wire_skip(&sl->rd, ok ? 0 : h.len1 - keep) != 0) {
        lost(r, s, 0);
        return AUGUR_OK;
    }
    if (!ok)
        fail_task(r, (size_t)h.end, h.status < 0 ? h.status : AUGUR_EFAILED, msg);
    sl->fresh = 0;
    sl->nsent--;
    drop_work(sl, 0);
    return AUGUR_OK;
}

/* Kill the workers whose running task is past the timeout. */
static void check_timeouts(run_ctx *r)
{
    if (!(r->m->timeout > 0))
        return;
    uint64_t now = augur__wire_now_ns(), limit = (uint64_t)(r->m->timeout * 1e9);
    for (int s = 0; s < r->st->n; s++) {
        fork_slot *sl = &r->st->slots[s];
        wire_progress *p = &r->st->progress[s];
        if (!sl->nsent || !atomic_load_explicit(&p->task, memory_order_acquire))
            continue;
        uint64_t started = atomic_load_explicit(&p->started, memory_order_relaxed);
        if (now > started && now - started > limit) {
            kill(sl->pid, SIGKILL);
            lost(r, s, 1);
        }
    }
}

/* A worker can die without its socket saying so, if another process holds
 * its end (a fork the caller made outside this map): look now and then. */
static void check_alive(run_ctx *r)
{
    for (int s = 0; s < r->st->n; s++) {
        fork_slot *sl = &r->st->slots[s];
        siginfo_t info = {.si_pid = 0};
        if (sl->nsent && waitid(P_PID, (id_t)sl->pid, &info,
                                WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == sl->pid)
            lost(r, s, 0);
    }
}

/* Milliseconds to wait for news: until the next timeout could strike. */
static int wait_ms(run_ctx *r)
{
    double wait = LIVENESS_SECONDS, now = (double)augur__wire_now_ns() * 1e-9;
    for (int s = 0; r->m->timeout > 0 && s < r->st->n; s++) {
        wire_progress *p = &r->st->progress[s];
        if (!r->st->slots[s].nsent)
            continue;
        double left = r->m->timeout;
        if (atomic_load_explicit(&p->task, memory_order_acquire))
            left -= now - (double)atomic_load_explicit(&p->started,
                                                       memory_order_relaxed) * 1e-9;
        wait = left < wait ? left : wait;
    }
    return wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

/* Keep about this much work queued at each worker: enough that it never
 * waits for its next chunk while we read its answers, little enough that
 * the last chunks of a dynamic job still spread over every worker. */
#define QUEUE_NS 200000.0
/* What the kernel adds to a message in a socket buffer, about. */
#define MESSAGE_OVERHEAD 1024

/* Set the depth from how long this job's tasks take so far. */
static void adapt_depth(run_ctx *r)
{
    unsigned long long done = 0, busy = 0;
    for (int s = 0; s < r->st->n; s++) {
        done += atomic_load_explicit(&r->st->progress[s].done, memory_order_relaxed);
        busy += atomic_load_explicit(&r->st->progress[s].busy, memory_order_relaxed);
    }
    if (done < 16 || r->max_depth <= 2)
        return;
    double d = 1 + QUEUE_NS / ((double)busy / (double)done * (double)r->chunk + 1);
    r->depth = d >= (double)r->max_depth ? r->max_depth : d < 2 ? 2 : (size_t)d;
}

/* Wait for answers (or trouble) and take them. */
static int collect(run_ctx *r)
{
    fork_state *st = r->st;
    nfds_t count = 0;
    for (int s = 0; s < st->n; s++)
        if (st->slots[s].nsent) {
            st->pfd[count] = (struct pollfd){.fd = st->slots[s].rd.fd, .events = POLLIN};
            st->who[count++] = s;
        }
    int ready = 0;
    for (nfds_t k = 0; k < count; k++)
        ready |= augur__wire_buffered(&st->slots[st->who[k]].rd);
    int got = ready ? 0 : poll(st->pfd, count, wait_ms(r));
    if (got < 0 && errno != EINTR)
        return augur__map_fail(r->m, AUGUR_EFAILED, "fork map: poll: %s",
                               strerror(errno));
    for (nfds_t k = 0; k < count; k++) {
        fork_slot *sl = &st->slots[st->who[k]];
        if (!augur__wire_buffered(&sl->rd) && !(got > 0 && st->pfd[k].revents))
            continue;
        /* everything already here, without waiting again */
        do {
            int rc = take_reply(r, st->who[k]);
            if (rc != AUGUR_OK)
                return rc;
        } while (sl->nsent && augur__wire_buffered(&sl->rd));
    }
    if (got == 0 && !ready)
        check_alive(r);
    check_timeouts(r);
    adapt_depth(r);
    return AUGUR_OK;
}

static void plan(run_ctx *r)
{
    fork_state *st = r->st;
    const augur_map_job *job = r->job;
    r->chunk = augur__map_chunk(r->m, job->ntasks, st->n);
    /* Chunks in flight must fit in the socket buffers, their answers too:
     * then neither side ever blocks on a write while the other does. */
    size_t in = r->chunk * job->in_len, out = r->chunk * job->out_len + AUGUR_ERRMSG_CAP;
    size_t per = (in > out ? in : out) + sizeof(wire_head) + MESSAGE_OVERHEAD;
    r->max_depth = st->pipeline_bytes / per;
    if (r->max_depth > FORK_DEPTH_MAX)
        r->max_depth = FORK_DEPTH_MAX;
    r->depth = r->max_depth >= 2 ? 2 : 1;
    for (int s = 0; s < st->n; s++) {
        fork_slot *sl = &st->slots[s];
        sl->nsent = sl->nwork = 0;
        sl->fresh = 0;
        augur_group_portion(job->ntasks, st->n, s, &sl->cursor, &sl->limit);
        /* the workers are idle between jobs: nobody else writes these now */
        atomic_store(&st->progress[s].done, 0);
        atomic_store(&st->progress[s].busy, 0);
    }
}

static int fork_run(augur_map *m, void *state, const augur_map_job *job,
                    augur_task_fn fn)
{
    (void)fn;                     /* each worker finds the task by name */
    fork_state *st = state;
    augur__fork_refresh(st);
    st->jobs++;
    run_ctx r = {.m = m, .st = st, .job = job, .fail_at = SIZE_MAX};
    plan(&r);
    int rc = AUGUR_OK, busy = 1;
    while (rc == AUGUR_OK && busy) {
        busy = 0;
        for (int s = 0; s < st->n && rc == AUGUR_OK; s++) {
            rc = dispatch(&r, s);
            busy |= st->slots[s].nsent > 0;
        }
        if (rc == AUGUR_OK && busy)
            rc = collect(&r);
    }
    free(r.tries);
    if (rc != AUGUR_OK) {
        augur__fork_stop(st);         /* in an unknown state: start afresh next time */
        return rc;
    }
    if (r.fail_at != SIZE_MAX)
        return augur__map_fail(m, r.fail_rc, "%s", r.fail_msg);
    return AUGUR_OK;
}

/* --- The type ---------------------------------------------------------------- */

/* Live workers get the bytes now; workers started later inherit them. */
static int fork_broadcast(augur_map *m, void *state, const void *buf, size_t len)
{
    (void)m;
    fork_state *st = state;
    if (st->stale)
        return AUGUR_OK;
    wire_head h = {.kind = WIRE_SHARED, .len1 = len};
    for (int s = 0; s < st->n; s++)
        if (st->slots[s].pid &&
            augur__wire_send(st->slots[s].rd.fd, &h, buf, len, NULL, 0) != 0)
            augur__fork_end(st, s);    /* its replacement will inherit them */
    return AUGUR_OK;
}

static void fork_reset(augur_map *m, void *state)
{
    (void)m;
    ((fork_state *)state)->stale = 1;
}

static void fork_free(augur_map *m, void *state)
{
    (void)m;
    fork_state *st = state;
    if (st->slots)
        augur__fork_stop(st);
    if (st->progress)
        munmap(st->progress, (size_t)st->n * sizeof *st->progress);
    free(st->slots);
    free(st->pfd);
    free(st->who);
}

/* A quarter of a socket's send buffer: what may be in flight each way. */
static size_t pipeline_bytes(void)
{
    int sv[2], sndbuf = 0;
    socklen_t len = sizeof sndbuf;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 0;
    if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) != 0 || sndbuf < 0)
        sndbuf = 0;
    close(sv[0]);
    close(sv[1]);
    return (size_t)sndbuf / 4;
}

static int fork_init(augur_map *m, void *state, int workers)
{
    fork_state *st = state;
    size_t n = (size_t)workers;
    st->slots = calloc(n, sizeof *st->slots);
    st->pfd = calloc(n, sizeof *st->pfd);
    st->who = calloc(n, sizeof *st->who);
    void *shared = mmap(NULL, n * sizeof *st->progress, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    st->progress = shared == MAP_FAILED ? NULL : shared;
    if (!st->slots || !st->pfd || !st->who || !st->progress)
        return augur__map_fail(m, AUGUR_ENOMEM, "fork map: out of memory for "
                               "%d workers", workers);
    st->n = workers;
    for (int s = 0; s < workers; s++)
        augur__wire_reader_init(&st->slots[s].rd, -1);
    st->pipeline_bytes = pipeline_bytes();
    return AUGUR_OK;
}

const augur_map_type augur__map_fork = {
    .name = "fork",
    .state_size = sizeof(fork_state),
    .init = fork_init,
    .run = fork_run,
    .spmd = augur__fork_spmd,
    .broadcast = fork_broadcast,
    .reset = fork_reset,
    .free = fork_free,
    .crosses_images = 0,
};

