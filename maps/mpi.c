/* mpi.c - the MPI backend's map type: rank 0's side of the "mpi" map.
 *
 * SPMD: every rank runs the same program; the workers (ranks 1..size-1)
 * serve inside augur_mpi_init (mpi_world.c, mpi_serve.c) while rank 0
 * creates maps and runs jobs. Code crosses by name, records as bytes.
 *
 * A job is dealt in chunks of consecutive tasks, up to two in flight per
 * worker so that its next chunk is already there when it finishes one.
 * Dynamic schedule: pyina's "carddealer" - every worker gets chunks, and
 * whichever returns a result (MPI_ANY_SOURCE) gets the next one.
 * Static: pyina's "equalportion" - each participant owns the contiguous
 * portion augur_group_portion gives it, sent a chunk at a time (one chunk
 * per portion unless a chunk size is set). A worker gets the job's header
 * before its first chunk. Outputs are stored by task index, and seeds come
 * from (job seed, index) in augur__map_exec, so bytes equal the serial
 * map's. After a task fails, only chunks below the failing index are still
 * dealt (dynamic deals in order, so that is none), every chunk in flight is
 * collected, and the lowest failing index's status and message win - the
 * serial map's answer. With "onall", rank 0 runs chunks itself whenever no
 * result is waiting.
 *
 * Broadcast bytes go to every worker at once; the workers hold one copy, so
 * a job of another map first re-sends its own.
 *
 * Failures: every MPI call's code is checked and becomes AUGUR_EIO with
 * MPI's message. After such an error the workers' state is unknown, so the
 * backend refuses further jobs with that message. A rank that crashes is
 * not an error we see: mpirun ends every rank of the job (OpenMPI's
 * default), so rank 0 never waits for a dead worker.
 *
 * Threads: rank 0's MPI work holds one lock (a job may run on the submit
 * thread; MPI_THREAD_SERIALIZED allows that); a job started from a task or
 * SPMD function on rank 0 is refused, as the workers are busy with the
 * outer one. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/map_mpi.h"
#include "mpi_int.h"

static atomic_uint_fast64_t last_id;  /* maps get ids 1, 2, ... */
static uint64_t installed;        /* the map whose broadcast bytes workers hold */
#define INSTALLED_UNKNOWN UINT64_MAX

/* Chunks in flight per worker. A worker's next chunk should be waiting when
 * it sends a result, so that it does not idle while the dealer sleeps or
 * waits for a core: on a busy node the scheduler can keep a waking dealer
 * off the CPU for a slice (~1-3 ms on Linux). So a worker holds enough
 * chunks for QUEUED_SECONDS of work beyond the one it runs (at least two,
 * measured as the job goes), but no more than that: chunks handed out
 * early are no longer dealt to whoever is free, which is the point of the
 * dynamic schedule. */
enum { DEPTH_MAX = 8 };
#define QUEUED_SECONDS 2e-3
#define RING_BYTES ((size_t)64 << 20)   /* per worker, for deep queues */

/* What rank 0 keeps about one worker during a job. */
typedef struct lane {
    size_t pos, end;              /* static: the portion still to deal */
    int told;                     /* has this job's header */
    int head, queued;             /* chunks in flight: a ring of the job's depth */
    double last;                  /* when its last result came */
    int timing;                   /* it went straight on to a queued chunk */
    mpi_buf buf[DEPTH_MAX];       /* each chunk's message until it is sent */
    MPI_Request req[DEPTH_MAX];
} lane;

typedef struct mpi_state {
    uint64_t id;
    int onall;
    double spin;                  /* how long waiting for results spins */
    double task_seconds;          /* a task's time on a worker, 0: unknown */
    mpi_buf tx, header, rx;
    lane *lanes;                  /* per rank (rank 0's: its own portion) */
    int *statuses;                /* per rank: SPMD results */
} mpi_state;

static int enter(augur_map *m)
{
    return augur__mpi_enter(m->errmsg, sizeof m->errmsg);
}

static void leave(void)
{
    augur__mpi_leave();
}

/* An MPI failure in the middle of the protocol: no later job can trust
 * what the workers are doing. */
static int breaks(augur_map *m, int rc)
{
    return augur__mpi_break(rc, m->errmsg);
}

static int send_to(augur_map *m, int rank, const void *buf, size_t len)
{
    int rc = MPI_Send(buf, (int)len, MPI_BYTE, rank, TAG_CMD, augur__mpi.comm);
    if (rc != MPI_SUCCESS)
        return breaks(m, augur__mpi_error(rc, m->errmsg, sizeof m->errmsg,
                                          "MPI_Send"));
    return AUGUR_OK;
}

/* --- Broadcast bytes -------------------------------------------------------- */

/* Workers hold one copy of broadcast bytes, the last map's to send some. */
static int send_shared(augur_map *m, mpi_state *st, const void *buf, size_t len)
{
    wire_shared w = {.kind = CMD_SHARED, .len = len};
    installed = INSTALLED_UNKNOWN;
    for (int r = 1; r < augur__mpi.size; r++) {
        int rc = send_to(m, r, &w, sizeof w);
        if (rc != AUGUR_OK)
            return rc;
    }
    int worst = 0, where = -1, rc = MPI_SUCCESS;
    if (augur__mpi.size > 1)
        rc = augur__mpi_agree(0, &worst, &where);
    if (rc == MPI_SUCCESS && worst)
        return augur__map_fail(m, AUGUR_ENOMEM, "map 'mpi': rank %d has no memory "
                               "for %zu broadcast bytes", where, len);
    if (rc == MPI_SUCCESS && augur__mpi.size > 1)
        rc = augur__mpi_bcast((void *)buf, len);
    if (rc != MPI_SUCCESS)
        return breaks(m, augur__mpi_error(rc, m->errmsg, sizeof m->errmsg,
                                          "broadcast"));
    installed = st->id;
    return AUGUR_OK;
}

/* Before a job: the workers must hold this map's bytes (another map may
 * have broadcast since). */
static int sync_shared(augur_map *m, mpi_state *st)
{
    if (installed == st->id || (installed == 0 && m->shared_len == 0))
        return AUGUR_OK;
    return send_shared(m, st, m->shared, m->shared_len);
}

static int mpi_broadcast(augur_map *m, void *state, const void *buf, size_t len)
{
    int rc = enter(m);
    if (rc != AUGUR_OK)
        return rc;
    rc = send_shared(m, state, buf, len);
    leave();
    return rc;
}

/* --- Dealing a job ------------------------------------------------------------ */

typedef struct deal {
    augur_map *m;
    mpi_state *st;
    const augur_map_job *job;
    augur_task_fn fn;
    size_t chunk;                 /* tasks per message */
    int most_depth;               /* chunks in flight per worker, at most */
    int dynamic;
    size_t next;                  /* dynamic: the next task to hand out */
    int in_flight;                /* chunks sent and not answered */
    size_t fail_index;            /* lowest failing task so far, or SIZE_MAX */
    int fail_rc;
    char fail_msg[AUGUR_ERRMSG_CAP];
} deal;

/* The next chunk for `rank`, if it has one: nothing at or past a known
 * failure is dealt, since only a lower failure could still change the
 * answer. */
static int take(deal *d, int rank, size_t *first, size_t *count, int peek)
{
    size_t *pos = d->dynamic ? &d->next : &d->st->lanes[rank].pos;
    size_t end = d->dynamic ? d->job->ntasks : d->st->lanes[rank].end;
    if (*pos >= end || *pos >= d->fail_index)
        return 0;
    *first = *pos;
    *count = end - *pos < d->chunk ? end - *pos : d->chunk;
    if (!peek)
        *pos += *count;
    return 1;
}

static void note_failure(deal *d, size_t index, int rc, const char *msg, size_t len)
{
    if (index >= d->fail_index)
        return;
    d->fail_index = index;
    d->fail_rc = rc < 0 ? rc : AUGUR_EFAILED;
    if (len >= sizeof d->fail_msg)
        len = sizeof d->fail_msg - 1;
    memcpy(d->fail_msg, msg, len);
    d->fail_msg[len] = '\0';
}

/* Chunk size, the static portions, and the job header, once per job. */
static int plan(deal *d)
{
    augur_map *m = d->m;
    mpi_state *st = d->st;
    const augur_map_job *job = d->job;
    int parts = st->onall ? augur__mpi.size : augur__mpi.size - 1;
    size_t rec = job->in_len > job->out_len ? job->in_len : job->out_len;
    size_t most = (MPI_MSG_MAX - sizeof(wire_result)) / (rec ? rec : 1);
    size_t name_len = strlen(job->task);
    if (!most || job->context_len > MPI_MSG_MAX - sizeof(wire_job) - name_len)
        return augur__map_fail(m, AUGUR_ERANGE, "map 'mpi': job '%s' has records "
                               "or a context too large for one MPI message (%zu "
                               "bytes)", job->task, MPI_MSG_MAX);
    d->chunk = augur__map_chunk(m, job->ntasks, parts);
    if (d->chunk > most)
        d->chunk = most;
    /* More than one chunk in flight only helps a worker that gets more. */
    size_t chunks = (job->ntasks + d->chunk - 1) / d->chunk;
    size_t per_part = (chunks + (size_t)parts - 1) / (size_t)parts;
    size_t ring = RING_BYTES / (d->chunk * job->in_len + 1);
    d->most_depth = per_part < DEPTH_MAX ? (int)per_part : DEPTH_MAX;
    if (d->most_depth > 2 && ring < (size_t)d->most_depth)
        d->most_depth = ring > 2 ? (int)ring : 2;
    for (int r = 0; r < augur__mpi.size; r++) {
        lane *ln = &st->lanes[r];
        int p = st->onall ? r : r - 1;
        ln->pos = ln->end = 0;
        ln->told = ln->head = ln->queued = ln->timing = 0;
        if (!d->dynamic && p >= 0)
            augur_group_portion(job->ntasks, parts, p, &ln->pos, &ln->end);
        /* Buffers for the largest chunks now, so nothing can fail for
         * memory while chunks are in flight. */
        for (int k = 0; r > 0 && k < d->most_depth; k++)
            if (augur__mpi_reserve(&ln->buf[k], sizeof(wire_chunk) +
                                   d->chunk * job->in_len))
                return augur__map_fail(m, AUGUR_ENOMEM, "map 'mpi': out of memory");
    }
    size_t reply = d->chunk * job->out_len;
    if (augur__mpi_reserve(&st->rx, sizeof(wire_result) +
                           (reply > AUGUR_ERRMSG_CAP ? reply : AUGUR_ERRMSG_CAP)))
        return augur__map_fail(m, AUGUR_ENOMEM, "map 'mpi': out of memory");
    wire_job w = {.kind = CMD_JOB, .ntasks = job->ntasks, .in_len = job->in_len,
                  .out_len = job->out_len, .context_len = job->context_len,
                  .name_len = name_len, .seed = job->seed};
    if (augur__mpi_reserve(&st->header, sizeof w + name_len + job->context_len))
        return augur__map_fail(m, AUGUR_ENOMEM, "map 'mpi': out of memory");
    memcpy(st->header.data, &w, sizeof w);
    memcpy(st->header.data + sizeof w, job->task, name_len);
    if (job->context_len)
        memcpy(st->header.data + sizeof w + name_len, job->context, job->context_len);
    return AUGUR_OK;
}

/* Send a chunk without waiting: a blocking send of a large chunk could
 * wait for a worker that is itself waiting to hand us a result. Its
 * buffer stays untouched until the worker's answer shows it arrived. */
static int post_chunk(deal *d, int rank, size_t first, size_t count)
{
    lane *ln = &d->st->lanes[rank];
    int slot = (ln->head + ln->queued) % d->most_depth;
    size_t bytes = count * d->job->in_len;
    wire_chunk w = {.kind = CMD_CHUNK, .first = first, .count = count};
    memcpy(ln->buf[slot].data, &w, sizeof w);
    if (bytes)
        memcpy(ln->buf[slot].data + sizeof w,
               (const char *)d->job->in + first * d->job->in_len, bytes);
    int rc = MPI_Isend(ln->buf[slot].data, (int)(sizeof w + bytes), MPI_BYTE, rank,
                       TAG_CMD, augur__mpi.comm, &ln->req[slot]);
    if (rc != MPI_SUCCESS)
        return breaks(d->m, augur__mpi_error(rc, d->m->errmsg, sizeof d->m->errmsg,
                                             "MPI_Isend"));
    ln->queued++;
    d->in_flight++;
    return AUGUR_OK;
}

/* How many chunks a worker should hold: QUEUED_SECONDS of work beyond the
 * running one, by the task time measured so far. */
static int depth(const deal *d)
{
    int want = 2;
    double chunk_seconds = d->st->task_seconds * (double)d->chunk;
    if (chunk_seconds > 0 && QUEUED_SECONDS / chunk_seconds < DEPTH_MAX)
        want = 2 + (int)(QUEUED_SECONDS / chunk_seconds);
    else if (chunk_seconds > 0)
        want = DEPTH_MAX;
    return want < d->most_depth ? want : d->most_depth;
}

/* A worker that went straight from one chunk to the next shows, by the
 * time between its results, how long its chunks take. */
static void time_worker(deal *d, lane *ln, uint64_t count)
{
    double now = augur__now();
    if (ln->timing && count) {
        double task = (now - ln->last) / (double)count, *est = &d->st->task_seconds;
        *est = *est > 0 ? 0.75 * *est + 0.25 * task : task;
    }
    ln->last = now;
    ln->timing = ln->queued > 0;
}

/* Give worker `rank` one more chunk if it has room and there is one, with
 * the job's header the first time (a blocking send is safe then: the
 * worker has nothing of this job to send back yet). */
static int deal_to(deal *d, int rank)
{
    lane *ln = &d->st->lanes[rank];
    size_t first, count;
    if (ln->queued >= depth(d) || !take(d, rank, &first, &count, 0))
        return AUGUR_OK;
    if (!ln->told) {
        size_t len = sizeof(wire_job) + strlen(d->job->task) + d->job->context_len;
        int rc = send_to(d->m, rank, d->st->header.data, len);
        if (rc != AUGUR_OK)
            return rc;
        ln->told = 1;
    }
    return post_chunk(d, rank, first, count);
}

/* Rank 0's own share ("onall"): the same call as every worker makes. */
static void run_here(deal *d, size_t first, size_t count)
{
    char msg[AUGUR_ERRMSG_CAP];
    for (size_t k = first; k < first + count; k++) {
        int rc = augur__map_exec(d->job, d->fn, k, 0, d->m->shared,
                                 d->m->shared_len, msg, sizeof msg);
        if (rc != AUGUR_OK) {
            note_failure(d, k, rc, msg, strlen(msg));
            return;
        }
    }
}

static int malformed(deal *d, int rank)
{
    return breaks(d->m, augur__map_fail(d->m, AUGUR_EIO, "map 'mpi': a malformed "
                                        "result from rank %d", rank));
}

/* Store one worker's answer. */
static int collect(deal *d, const MPI_Status *status)
{
    augur_map *m = d->m;
    mpi_state *st = d->st;
    size_t len, n = d->job->ntasks, out_len = d->job->out_len;
    int rc = augur__mpi_take(status, &st->rx, &len, m->errmsg, sizeof m->errmsg);
    if (rc != AUGUR_OK)
        return breaks(m, rc);
    wire_result r;
    if (len < sizeof r)
        return malformed(d, status->MPI_SOURCE);
    memcpy(&r, st->rx.data, sizeof r);
    size_t body = len - sizeof r;
    lane *ln = &st->lanes[status->MPI_SOURCE];
    if (r.first > n || r.count > n - r.first || !ln->queued ||
        (r.status == AUGUR_OK ? body != r.count * out_len : body != r.msg_len))
        return malformed(d, status->MPI_SOURCE);
    /* A worker answers its chunks in order: the oldest one arrived. */
    rc = MPI_Wait(&ln->req[ln->head], MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS)
        return breaks(m, augur__mpi_error(rc, m->errmsg, sizeof m->errmsg, "MPI_Wait"));
    ln->head = (ln->head + 1) % d->most_depth;
    ln->queued--;
    d->in_flight--;
    time_worker(d, ln, r.count);
    if (r.status != AUGUR_OK)
        note_failure(d, r.fail_index, (int)r.status, st->rx.data + sizeof r, body);
    else if (body)
        memcpy((char *)d->job->out + r.first * out_len, st->rx.data + sizeof r, body);
    return AUGUR_OK;
}

/* Deal until every chunk is done; rank 0 works ("onall") whenever no
 * result is waiting, and otherwise waits for one. */
static int deal_job(deal *d)
{
    for (int k = 0; k < depth(d); k++)    /* round by round, for balance */
        for (int r = 1; r < augur__mpi.size; r++) {
            int rc = deal_to(d, r);
            if (rc != AUGUR_OK)
                return rc;
        }
    for (;;) {
        size_t first, count;
        int mine = d->st->onall && take(d, 0, &first, &count, 1);
        if (!d->in_flight && !mine)
            return AUGUR_OK;
        MPI_Status status;
        int ready = 0, rc = MPI_SUCCESS;
        if (d->in_flight)
            rc = MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, augur__mpi.comm, &ready,
                            &status);
        if (rc == MPI_SUCCESS && !ready && mine) {
            take(d, 0, &first, &count, 0);
            run_here(d, first, count);
            continue;
        }
        if (rc == MPI_SUCCESS && !ready)
            rc = augur__mpi_wait(MPI_ANY_SOURCE, TAG_RESULT, &status, &d->st->spin);
        if (rc != MPI_SUCCESS)
            return breaks(d->m, augur__mpi_error(rc, d->m->errmsg,
                                                 sizeof d->m->errmsg, "MPI_Iprobe"));
        rc = collect(d, &status);
        /* Top the worker up (its depth may have grown with the timing). */
        while (rc == AUGUR_OK && d->st->lanes[status.MPI_SOURCE].queued < depth(d) &&
               take(d, status.MPI_SOURCE, &first, &count, 1))
            rc = deal_to(d, status.MPI_SOURCE);
        if (rc != AUGUR_OK)
            return rc;
    }
}

static int mpi_run(augur_map *m, void *state, const augur_map_job *job,
                   augur_task_fn fn)
{
    int rc = enter(m);
    if (rc != AUGUR_OK)
        return rc;
    deal d = {.m = m, .st = state, .job = job, .fn = fn,
              .dynamic = m->schedule == AUGUR_SCHEDULE_DYNAMIC,
              .fail_index = SIZE_MAX};
    rc = plan(&d);
    if (rc == AUGUR_OK)
        rc = sync_shared(m, state);
    if (rc == AUGUR_OK)
        rc = breaks(m, deal_job(&d));   /* chunks may be left in flight */
    leave();
    if (rc == AUGUR_OK && d.fail_index != SIZE_MAX)
        rc = augur__map_fail(m, d.fail_rc, "%s", d.fail_msg);
    return rc;
}

/* --- SPMD jobs ---------------------------------------------------------------- */

static int spmd_verdict(augur_map *m, const char *name, const int *statuses,
                        int problem, int where)
{
    if (problem == PROBLEM_NO_FUNCTION)
        return augur__map_fail(m, AUGUR_ENOTFOUND, "SPMD job '%s': rank %d has no "
                               "function of that name (every rank registers it "
                               "before augur_mpi_init)", name, where);
    if (problem)
        return augur__map_fail(m, AUGUR_ENOMEM, "SPMD job '%s': rank %d is out of "
                               "memory", name, where);
    for (int r = 0; r < augur__mpi.size; r++)
        if (statuses[r] != AUGUR_OK)
            return augur__map_fail(m, statuses[r] < 0 ? statuses[r] : AUGUR_EFAILED,
                                   "SPMD job '%s' failed on rank %d (status %d)",
                                   name, r, statuses[r]);
    return AUGUR_OK;
}

static int mpi_spmd(augur_map *m, void *state, const char *name, augur_spmd_fn fn,
                    const void *arg, size_t arg_len)
{
    mpi_state *st = state;
    wire_spmd w = {.kind = CMD_SPMD, .name_len = strlen(name), .arg_len = arg_len};
    if (arg_len > MPI_MSG_MAX - sizeof w - w.name_len)
        return augur__map_fail(m, AUGUR_ERANGE, "SPMD job '%s': an argument of %zu "
                               "bytes is too large for one MPI message", name, arg_len);
    int rc = enter(m);
    if (rc != AUGUR_OK)
        return rc;
    size_t len = sizeof w + w.name_len + arg_len;
    if (augur__mpi_reserve(&st->tx, len) != AUGUR_OK) {
        leave();
        return augur__map_fail(m, AUGUR_ENOMEM, "map 'mpi': out of memory");
    }
    memcpy(st->tx.data, &w, sizeof w);
    memcpy(st->tx.data + sizeof w, name, w.name_len);
    if (arg_len)
        memcpy(st->tx.data + sizeof w + w.name_len, arg, arg_len);
    for (int r = 1; r < augur__mpi.size && rc == AUGUR_OK; r++)
        rc = send_to(m, r, st->tx.data, len);
    int problem = 0, where = -1;
    if (rc == AUGUR_OK) {
        int mpi_rc = augur__mpi_spmd_all(fn, arg, arg_len, st->statuses, &problem,
                                         &where);
        if (mpi_rc != MPI_SUCCESS)
            rc = breaks(m, augur__mpi_error(mpi_rc, m->errmsg, sizeof m->errmsg,
                                            "SPMD job"));
    }
    leave();
    return rc != AUGUR_OK ? rc : spmd_verdict(m, name, st->statuses, problem, where);
}

/* --- The map type ------------------------------------------------------------- */

static void mpi_free(augur_map *m, void *state)
{
    (void)m;
    mpi_state *st = state;
    augur__mpi_buf_free(&st->tx);
    augur__mpi_buf_free(&st->header);
    augur__mpi_buf_free(&st->rx);
    for (int r = 0; st->lanes && r < augur__mpi.size; r++)
        for (int k = 0; k < DEPTH_MAX; k++)
            augur__mpi_buf_free(&st->lanes[r].buf[k]);
    free(st->lanes);
    free(st->statuses);
}

static void set_onall(augur_map *m, mpi_state *st, int onall)
{
    st->onall = onall;
    m->workers = onall ? augur__mpi.size : augur__mpi.size - 1;
}

static int mpi_init(augur_map *m, void *state, int workers)
{
    (void)workers;                /* the size comes from mpirun */
    mpi_state *st = state;
    if (augur__mpi.state == WORLD_NEW)
        return augur__map_fail(m, AUGUR_ESTATE, "map 'mpi': call augur_mpi_init on "
                               "every rank first (augur/map_mpi.h)");
    if (augur__mpi.state == WORLD_DONE)
        return augur__map_fail(m, AUGUR_ESTATE, "map 'mpi': MPI was finalized "
                               "(augur_mpi_finalize)");
    if (augur__mpi.rank != 0)
        return augur__map_fail(m, AUGUR_ESTATE, "map 'mpi': only rank 0 creates MPI "
                               "maps (rank %d serves inside augur_mpi_init)",
                               augur__mpi.rank);
    size_t size = (size_t)augur__mpi.size;
    st->lanes = calloc(size, sizeof *st->lanes);
    st->statuses = calloc(size, sizeof *st->statuses);
    if (!st->lanes || !st->statuses)
        return augur__map_fail(m, AUGUR_ENOMEM, "map 'mpi': out of memory");
    st->id = atomic_fetch_add(&last_id, 1) + 1;
    st->spin = MPI_SPIN_START;
    set_onall(m, st, size == 1);
    return AUGUR_OK;
}

const augur_map_type augur__map_mpi = {
    .name = "mpi",
    .state_size = sizeof(mpi_state),
    .init = mpi_init,
    .run = mpi_run,
    .spmd = mpi_spmd,
    .broadcast = mpi_broadcast,
    .reset = NULL,                /* ranks never copy rank 0's memory */
    .free = mpi_free,
    .crosses_images = 1,
};

int augur_map_mpi_set_onall(augur_map *m, int onall)
{
    if (!m)
        return AUGUR_EINVAL;
    m->errmsg[0] = '\0';
    if (m->type != &augur__map_mpi)
        return augur__map_fail(m, AUGUR_EINVAL, "augur_map_mpi_set_onall: map '%s' "
                               "is not an MPI map", m->type->name);
    if (!onall && augur__mpi.size == 1)
        return augur__map_fail(m, AUGUR_EINVAL, "map 'mpi': with a single rank, "
                               "rank 0 must run the tasks itself");
    set_onall(m, m->state, onall != 0);
    return AUGUR_OK;
}
