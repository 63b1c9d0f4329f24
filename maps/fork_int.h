/* fork_int.h - private to the fork backend, whose four files share it:
 * fork.c (the backend and its jobs), fork_workers.c (starting, stopping and
 * reaping worker processes), fork_spmd.c (SPMD jobs, rank 0's side) and
 * fork_wire.c (the socket I/O and the worker's side of the conversation).
 *
 * Both ends of a socket are the same program image (a fork), so a message
 * is a fixed header struct sent as raw bytes followed by up to two
 * payloads; no encoding is needed. */
#ifndef AUGUR_FORK_INT_H
#define AUGUR_FORK_INT_H

#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include "map_int.h"

enum wire_kind {
    /* caller -> worker */
    WIRE_JOB = 1,   /* a new job: seed, in_len, out_len, status = 1 when tasks are
                       timed; task name (len1), context (len2) */
    WIRE_CHUNK,     /* run tasks [begin, end): their input records (len1) */
    WIRE_SHARED,    /* the map's new broadcast bytes (len1) */
    WIRE_SPMD,      /* run an SPMD function as rank `begin` of `end`:
                       name (len1), argument (len2) */
    WIRE_ABORT,     /* the SPMD job is over on rank 0: fail any pending collective */
    /* either way */
    WIRE_COLL,      /* one collective's records (len1): count (in_len),
                       record length (out_len) */
    /* worker -> caller */
    WIRE_REPLY,     /* a chunk's answer: status; [begin, end) and its out records (len1),
                       or on failure end = the failing task and its message (len1) */
    WIRE_DONE,      /* an SPMD function's status, begin = 1 if it failed because rank 0
                       aborted the job; a message (len1) */
};

typedef struct wire_head {
    uint32_t kind;
    int32_t status;
    uint64_t begin, end;
    uint64_t seed;
    uint64_t in_len, out_len;
    uint64_t len1, len2;
} wire_head;

/* A socket with a read buffer: one read() usually brings several messages.
 * before_wait, if set, runs before every read() that may block: a worker
 * sends its held-back answers there. */
typedef struct wire_reader {
    int fd;
    size_t lo, hi;
    void (*before_wait)(void *ctx);
    void *ctx;
    char buf[8192];
} wire_reader;

/* What a worker runs now, in memory shared with the caller (an anonymous
 * shared mapping made before the fork): the caller needs it to name the
 * task that crashed or timed out inside a chunk of many, to time each task
 * rather than each chunk, and to learn how long tasks take, which sets how
 * many chunks it keeps queued at a worker. */
typedef struct wire_progress {
    atomic_ullong task;           /* index + 1 of the running task; 0 between chunks */
    atomic_ullong started;        /* when it started: monotonic ns (timed jobs only) */
    atomic_ullong done;           /* tasks run in this job ... */
    atomic_ullong busy;           /* ... and the ns they took (the caller zeroes both) */
} wire_progress;

/* Send iov[0..n) in full: EINTR and partial writes are retried, and
 * MSG_NOSIGNAL makes a dead peer an EPIPE error instead of a SIGPIPE that
 * would kill the sender. 0 or -1. iov is used up. */
int augur__wire_sendv(int fd, struct iovec *iov, int n);
/* The same for a header and two payloads (either may be empty). */
int augur__wire_send(int fd, const wire_head *h, const void *p1, size_t n1,
                     const void *p2, size_t n2);
/* Read exactly n bytes (0), or -1 on end of file or error. */
int augur__wire_read(wire_reader *r, void *dst, size_t n);
/* Read and drop n bytes (a payload nobody wants): 0 or -1. */
int augur__wire_skip(wire_reader *r, uint64_t n);
void augur__wire_reader_init(wire_reader *r, int fd);
static inline int augur__wire_buffered(const wire_reader *r)
{
    return r->hi > r->lo;
}

/* Monotonic nanoseconds, the clock the progress slot is stamped with. */
uint64_t augur__wire_now_ns(void);

/* --- The caller's side ------------------------------------------------------ */

enum { FORK_DEPTH_MAX = 32 };     /* chunks in flight per worker, at most */

typedef struct fork_range {
    size_t begin, end;
} fork_range;

/* One worker: the process, our end of its socket, and its share of a job. */
typedef struct fork_slot {
    pid_t pid;                    /* 0: no worker */
    int fresh;                    /* started during this job, no answer yet */
    uint64_t job;                 /* the last job it was told about */
    fork_range work[FORK_DEPTH_MAX]; /* oldest first: [0, nsent) in flight, the
                                     rest to send (new, or again after a crash) */
    size_t nsent, nwork;
    size_t cursor, limit;         /* static schedule: its portion not yet sent */
    wire_reader rd;               /* rd.fd: our end of its socket, -1 if none */
} fork_slot;

typedef struct fork_state {
    int n;
    fork_slot *slots;
    struct pollfd *pfd;           /* room to poll every worker */
    int *who;
    wire_progress *progress;      /* n of them, in memory the workers share */
    int stale;                    /* reset: replace the workers at the next job */
    uint64_t jobs;                /* jobs run, so a worker is told each one once */
    size_t pipeline_bytes;        /* what may be in flight each way on a socket */
} fork_state;

/* fork_workers.c */
/* Start a worker in slot s (it sees memory as it is now). */
int augur__fork_spawn(augur_map *m, fork_state *st, int s);
/* End slot s's worker now: SIGKILL unless it has ended already, then reap
 * it. Its wait status, or -1 when there is none to be had. */
int augur__fork_end(fork_state *st, int s);
/* "worker killed by signal 11 (Segmentation fault)" and the like. */
void augur__fork_describe(int status, char *buf, size_t cap);
/* Stop every worker (a short grace, then SIGKILL) and reap them all. */
void augur__fork_stop(fork_state *st);
/* Replace stale workers (after augur_map_reset) before a job. */
void augur__fork_refresh(fork_state *st);

/* fork_spmd.c: the type's spmd hook. */
int augur__fork_spmd(augur_map *m, void *state, const char *name, augur_spmd_fn fn,
                     const void *arg, size_t arg_len);

/* --- The worker's side -------------------------------------------------------- */

/* The worker process: serve the caller's messages on fd as worker `slot`
 * until the caller closes its end (or is gone), then _exit. m is the worker's
 * copy of the map (its broadcast bytes as of the fork). */
_Noreturn void augur__fork_worker(const augur_map *m, int fd, int slot,
                                  wire_progress *progress);

#endif
