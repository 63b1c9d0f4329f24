/* fork_wire.c - the fork backend's wire: moving messages over a socket in
 * full, and the worker process that answers them.
 *
 * A worker is a fork of the caller. It waits for a message, does what it
 * says - take a new job's task name and context, run a chunk of tasks, take
 * new broadcast bytes, run an SPMD function as one rank - and answers. The
 * task and SPMD function are looked up by name in the worker, so only what
 * was registered before the fork exists there. Before each task it stamps
 * its progress slot, so the caller can time tasks and name the one that
 * crashed. The worker never returns into the caller's code: it leaves with
 * _exit, so the caller's atexit handlers (a test runner's, a sanitizer's)
 * never run twice and its stdio buffers are not flushed again here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "fork_int.h"

/* --- Moving bytes ---------------------------------------------------------- */

int augur__wire_sendv(int fd, struct iovec *iov, int n)
{
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    while (msg.msg_iovlen > 0) {
        ssize_t sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        /* a partial write: step over what went */
        size_t done = (size_t)sent;
        while (msg.msg_iovlen > 0 && done >= msg.msg_iov->iov_len) {
            done -= msg.msg_iov->iov_len;
            msg.msg_iov++;
            msg.msg_iovlen--;
        }
        if (msg.msg_iovlen > 0) {
            msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + done;
            msg.msg_iov->iov_len -= done;
        }
    }
    return 0;
}

int augur__wire_send(int fd, const wire_head *h, const void *p1, size_t n1,
                     const void *p2, size_t n2)
{
    struct iovec iov[3] = {
        {.iov_base = (void *)h, .iov_len = sizeof *h},
        {.iov_base = (void *)p1, .iov_len = n1},
        {.iov_base = (void *)p2, .iov_len = n2},
    };
    return augur__wire_sendv(fd, iov, 3);
}

void augur__wire_reader_init(wire_reader *r, int fd)
{
    r->fd = fd;
    r->lo = r->hi = 0;
    r->before_wait = NULL;
    r->ctx = NULL;
}

/* One read() into dst; 0 bytes is end of file. */
static ssize_t read_some(int fd, void *dst, size_t n)
{
    for (;;) {
        ssize_t got = read(fd, dst, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

int augur__wire_read(wire_reader *r, void *dst, size_t n)
{
    char *d = dst;
    while (n > 0) {
        if (r->hi > r->lo) {
            size_t k = r->hi - r->lo < n ? r->hi - r->lo : n;
            memcpy(d, r->buf + r->lo, k);
            r->lo += k;
            d += k;
            n -= k;
            continue;
        }
        if (r->before_wait)
            r->before_wait(r->ctx);
        /* large payloads go straight to their place, small ones through the
         * buffer, which often brings the next message along */
        ssize_t got = n >= sizeof r->buf ? read_some(r->fd, d, n)
                                         : read_some(r->fd, r->buf, sizeof r->buf);
        if (got <= 0)
            return -1;
        if (n >= sizeof r->buf) {
            d += got;
            n -= (size_t)got;
        } else {
            r->lo = 0;
            r->hi = (size_t)got;
        }
    }
    return 0;
}

int augur__wire_skip(wire_reader *r, uint64_t n)
{
    char sink[4096];
    while (n > 0) {
        size_t k = n < sizeof sink ? (size_t)n : sizeof sink;
        if (augur__wire_read(r, sink, k) != 0)
            return -1;
        n -= k;
    }
    return 0;
}

uint64_t augur__wire_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* --- The worker ------------------------------------------------------------ */

typedef struct worker {
    wire_reader rd;
    int slot;
    wire_progress *progress;
    const void *shared;           /* the broadcast bytes tasks see */
    size_t shared_len;
    char *shared_own;             /* ... when they came by message */
    size_t shared_cap;
    /* the current job */
    char *task;
    size_t task_cap;
    augur_task_fn fn;
    int job_nomem;                /* its name or context did not fit in memory */
    uint64_t seed;
    size_t in_len, out_len;
    char *context;
    size_t context_cap, context_len;
    char *in, *out;               /* one chunk's records */
    size_t in_cap, out_cap;
    int timed;                    /* stamp each task's start (the job has a timeout) */
    /* the current SPMD job */
    int aborted;                  /* rank 0 ended it, or the stream went out of step */
    /* answers held back until the worker would wait for input, so that a run
     * of short chunks costs the worker one write and the caller one read */
    char *held;
    size_t held_len, held_cap;
    uint64_t held_since;          /* when the oldest was held back (ns) */
    int broken;                   /* a send failed: the caller is gone */
} worker;

/* Answers are not held back longer than this: the caller may be waiting
 * for them to hand out more work. */
#define HOLD_NS 100000u
#define HELD_CAP 65536u

/* Room for n bytes at *buf: 0, or -1 when memory is short. */
static int reserve(char **buf, size_t *cap, uint64_t n)
{
    if (n <= *cap)
        return 0;
    if (n > SIZE_MAX)
        return -1;
    char *p = realloc(*buf, (size_t)n);
    if (!p)
        return -1;
    *buf = p;
    *cap = (size_t)n;
    return 0;
}

/* Read an n-byte payload into *buf: 0; 1 when memory is short (the payload
 * is skipped, so the stream stays in step); -1 when the caller is gone. */
static int take(worker *w, char **buf, size_t *cap, uint64_t n)
{
    if (reserve(buf, cap, n) != 0)
        return augur__wire_skip(&w->rd, n) == 0 ? 1 : -1;
    return augur__wire_read(&w->rd, *buf, (size_t)n);
}

/* The same for a name: n bytes, then a terminating NUL. */
static int take_name(worker *w, char **buf, size_t *cap, uint64_t n)
{
    if (reserve(buf, cap, n + 1) != 0)
        return augur__wire_skip(&w->rd, n) == 0 ? 1 : -1;
    (*buf)[n] = '\0';
    return augur__wire_read(&w->rd, *buf, (size_t)n);
}

static void send_held(void *ctx)
{
    worker *w = ctx;
    struct iovec iov = {.iov_base = w->held, .iov_len = w->held_len};
    if (w->held_len && augur__wire_sendv(w->rd.fd, &iov, 1) != 0)
        w->broken = 1;
    w->held_len = 0;
}

/* Send a message, held back with the others if it fits: 0, or -1 when
 * the caller is gone. */
static int post(worker *w, const wire_head *h, const void *p, size_t n)
{
    size_t need = sizeof *h + n;
    if (w->held_len + need > w->held_cap)
        send_held(w);
    if (need > w->held_cap) {
        if (augur__wire_send(w->rd.fd, h, p, n, NULL, 0) != 0)
            w->broken = 1;
        return w->broken ? -1 : 0;
    }
    if (!w->held_len)
        w->held_since = augur__wire_now_ns();
    memcpy(w->held + w->held_len, h, sizeof *h);
    if (n)
        memcpy(w->held + w->held_len + sizeof *h, p, n);
    w->held_len += need;
    return w->broken ? -1 : 0;
}

/* Send a message now, after those held back. */
static int post_now(worker *w, const wire_head *h, const void *p, size_t n)
{
    int rc = post(w, h, p, n);
    send_held(w);
    return rc == 0 && !w->broken ? 0 : -1;
}

static int reply(worker *w, int status, uint64_t begin, uint64_t end,
                 const void *p, size_t n)
{
    wire_head h = {.kind = WIRE_REPLY, .status = status, .begin = begin,
                   .end = end, .len1 = n};
    return post(w, &h, p, n);
}

static int take_job(worker *w, const wire_head *h)
{
    int a = take_name(w, &w->task, &w->task_cap, h->len1);
    if (a < 0)
        return -1;
    int b = take(w, &w->context, &w->context_cap, h->len2);
    if (b < 0)
        return -1;
    w->job_nomem = a || b;
    w->fn = w->job_nomem ? NULL : augur_task_find(w->task);
    w->seed = h->seed;
    w->in_len = (size_t)h->in_len;
    w->out_len = (size_t)h->out_len;
    w->context_len = (size_t)h->len2;
    w->timed = h->status == 1;
    return 0;
}

/* Run one task on this worker's copy of its record: the call
 * augur__map_exec builds on the caller (same seed rule, same message),
 * which cannot be reused here because it indexes the whole job's arrays
 * and a worker holds one chunk. */
static int run_task(worker *w, size_t index, const char *in, char *out,
                    char *err, size_t cap)
{
    augur_map_job job = {
        .task = w->task,
        .context = w->context,
        .context_len = w->context_len,
        .in_len = w->in_len,
        .out_len = w->out_len,
        .seed = w->seed,
    };
    return augur__map_exec_at(&job, w->fn, index, w->slot, w->shared, w->shared_len,
                              in, out, err, cap);
}

/* Report that a chunk's first task could not be run on this worker. */
static int refuse(worker *w, const wire_head *h, int status, const char *why)
{
    char msg[AUGUR_ERRMSG_CAP];
    int n = snprintf(msg, sizeof msg, "task '%s' #%llu failed on worker %d: %s",
                     w->job_nomem ? "?" : w->task, (unsigned long long)h->begin,
                     w->slot, why);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
    return reply(w, status, h->begin, h->begin, msg, len);
}

static int run_chunk(worker *w, const wire_head *h)
{
    size_t n = (size_t)(h->end - h->begin);
    int got = !w->job_nomem ? take(w, &w->in, &w->in_cap, h->len1)
              : augur__wire_skip(&w->rd, h->len1) == 0 ? 1 : -1;
    if (got < 0)
        return -1;
    if (got > 0 || reserve(&w->out, &w->out_cap, (uint64_t)n * w->out_len) != 0)
        return refuse(w, h, AUGUR_ENOMEM, "out of memory");
    if (!w->fn)
        return refuse(w, h, AUGUR_ENOTFOUND,
                      "no such task in the worker (register tasks before the "
                      "workers start: augur_map_reset starts fresh ones)");
    wire_progress *p = w->progress;
    uint64_t t0 = augur__wire_now_ns();
    if (w->held_len && t0 - w->held_since > HOLD_NS)
        send_held(w);
    char msg[AUGUR_ERRMSG_CAP];
    int rc = AUGUR_OK;
    size_t k = 0;
    for (; k < n && rc == AUGUR_OK; k++) {
        if (w->timed)
            atomic_store_explicit(&p->started, k ? augur__wire_now_ns() : t0,
                                  memory_order_relaxed);
        atomic_store_explicit(&p->task, h->begin + k + 1, memory_order_release);
        rc = run_task(w, (size_t)h->begin + k, w->in + k * w->in_len,
                      w->out + k * w->out_len, msg, sizeof msg);
    }
    atomic_store_explicit(&p->task, 0, memory_order_release);
    uint64_t t1 = augur__wire_now_ns();
    /* plain adds: only this worker writes them while a job runs */
    atomic_store_explicit(&p->done, atomic_load(&p->done) + k, memory_order_relaxed);
    atomic_store_explicit(&p->busy, atomic_load(&p->busy) + (t1 - t0),
                          memory_order_relaxed);
    int sent = rc != AUGUR_OK
                   ? reply(w, rc, h->begin, h->begin + k - 1, msg, strlen(msg))
                   : reply(w, AUGUR_OK, h->begin, h->end, w->out, n * w->out_len);
    if (t1 - t0 > HOLD_NS)
        send_held(w);
    return sent == 0 && !w->broken ? 0 : -1;
}

static int take_shared(worker *w, const wire_head *h)
{
    int got = take(w, &w->shared_own, &w->shared_cap, h->len1);
    if (got < 0)
        return -1;
    /* without memory for them the tasks would see stale bytes: better to
     * leave, and be replaced by a fresh worker that inherits them */
    if (got > 0)
        return -1;
    w->shared = h->len1 ? w->shared_own : NULL;
    w->shared_len = (size_t)h->len1;
    return 0;
}

/* --- The worker as an SPMD rank ---------------------------------------------- */

/* The next collective message from rank 0; ABORT (rank 0 has finished) or
 * anything out of step fails this and every later collective of the job. */
static int coll_recv(worker *w, wire_head *h)
{
    if (w->aborted)
        return AUGUR_EFAILED;
    if (augur__wire_read(&w->rd, h, sizeof *h) != 0) {
        w->aborted = 1;
        return AUGUR_EIO;
    }
    if (h->kind == WIRE_COLL)
        return AUGUR_OK;
    w->aborted = 1;
    if (h->kind != WIRE_ABORT)
        augur__wire_skip(&w->rd, h->len1 + h->len2);
    return AUGUR_EFAILED;
}

/* Read a collective's payload into dst (want bytes expected). */
static int coll_take(worker *w, const wire_head *h, void *dst, uint64_t want)
{
    if (h->len1 != want || (want && !dst)) {
        w->aborted = 1;
        augur__wire_skip(&w->rd, h->len1);
        return AUGUR_EINVAL;
    }
    if (want && augur__wire_read(&w->rd, dst, (size_t)want) != 0) {
        w->aborted = 1;
        return AUGUR_EIO;
    }
    return AUGUR_OK;
}

static int worker_broadcast(augur_group *g, void *buf, size_t len)
{
    worker *w = g->impl;
    wire_head h;
    int rc = coll_recv(w, &h);
    return rc != AUGUR_OK ? rc : coll_take(w, &h, buf, len);
}

static int worker_scatter(augur_group *g, const void *send, size_t count,
                          size_t rec_len, void *recv, size_t *mine)
{
    (void)send, (void)count;      /* only rank 0's records are scattered */
    worker *w = g->impl;
    wire_head h;
    int rc = coll_recv(w, &h);
    if (rc != AUGUR_OK)
        return rc;
    if (h.out_len != rec_len) {
        w->aborted = 1;
        augur__wire_skip(&w->rd, h.len1);
        return AUGUR_EINVAL;
    }
    rc = coll_take(w, &h, recv, h.in_len * rec_len);
    if (rc == AUGUR_OK)
        *mine = (size_t)h.in_len;
    return rc;
}

static int worker_gather(augur_group *g, const void *send, size_t mine,
                         size_t rec_len, void *recv, size_t *total)
{
    (void)recv, (void)total;      /* the records are joined on rank 0 */
    worker *w = g->impl;
    if (w->aborted)
        return AUGUR_EFAILED;
    wire_head h = {.kind = WIRE_COLL, .in_len = mine, .out_len = rec_len,
                   .len1 = (uint64_t)mine * rec_len};
    if (post_now(w, &h, send, mine * rec_len) != 0) {
        w->aborted = 1;
        return AUGUR_EIO;
    }
    return AUGUR_OK;
}

static const augur_group_ops worker_ops = {
    .broadcast = worker_broadcast,
    .scatter = worker_scatter,
    .gather = worker_gather,
};

/* Run the named SPMD function as one rank and answer with its status. */
static int run_spmd(worker *w, const wire_head *h)
{
    char *name = NULL, *arg = NULL;
    size_t name_cap = 0, arg_cap = 0;
    int a = take_name(w, &name, &name_cap, h->len1);
    int b = a < 0 ? -1 : take(w, &arg, &arg_cap, h->len2);
    char msg[AUGUR_ERRMSG_CAP] = "";
    int rc = AUGUR_ENOMEM;
    augur_spmd_fn fn = a == 0 && b == 0 ? augur__spmd_find(name) : NULL;
    if (a > 0 || b > 0)
        augur__fail_msg(msg, sizeof msg, rc, "out of memory");
    else if (a == 0 && b == 0 && !fn)
        rc = augur__fail_msg(msg, sizeof msg, AUGUR_ENOTFOUND,
                             "no SPMD function '%s' in the worker (register it "
                             "before the workers start)", name);
    else if (fn) {
        augur_group g = {.rank = (int)h->begin, .size = (int)h->end,
                         .ops = &worker_ops, .impl = w};
        w->aborted = 0;
        rc = fn(&g, arg, (size_t)h->len2);
    }
    free(name);
    free(arg);
    if (a < 0 || b < 0)
        return -1;
    wire_head done = {.kind = WIRE_DONE, .status = rc,
                      .begin = (uint64_t)(rc != AUGUR_OK && w->aborted),
                      .len1 = strlen(msg)};
    return post_now(w, &done, msg, done.len1);
}

/* --- The loop ----------------------------------------------------------------- */

static void serve(worker *w)
{
    for (;;) {
        wire_head h;
        if (augur__wire_read(&w->rd, &h, sizeof h) != 0)
            return;               /* the caller is gone */
        int rc;
        switch (h.kind) {
        case WIRE_JOB:
            rc = take_job(w, &h);
            break;
        case WIRE_CHUNK:
            rc = run_chunk(w, &h);
            break;
        case WIRE_SHARED:
            rc = take_shared(w, &h);
            break;
        case WIRE_SPMD:
            rc = run_spmd(w, &h);
            break;
        default:                  /* ABORT or COLL left over from an SPMD job */
            rc = augur__wire_skip(&w->rd, h.len1 + h.len2);
            break;
        }
        if (rc != 0)
            return;
    }
}

_Noreturn void augur__fork_worker(const augur_map *m, int fd, int slot,
                                  wire_progress *progress)
{
    worker *w = calloc(1, sizeof *w);
    if (w) {
        augur__wire_reader_init(&w->rd, fd);
        w->rd.before_wait = send_held;
        w->rd.ctx = w;
        w->held = malloc(HELD_CAP);
        w->held_cap = w->held ? HELD_CAP : 0;
        w->slot = slot;
        w->progress = progress;
        w->shared = m->shared;
        w->shared_len = m->shared_len;
        serve(w);
    }
    /* What tasks printed to stdout is written out; the caller flushed its
     * own buffers before the fork, so nothing here is written twice. */
    fflush(stdout);
    _exit(w ? 0 : 127);
}
