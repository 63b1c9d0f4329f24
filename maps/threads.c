/* threads.c - the threads backend: a persistent pool of `workers` POSIX
 * threads running a job's tasks in the caller's address space.
 *
 * Hand-off: threads start at init and are joined at free, so a job creates
 * none. Under one mutex the caller bumps a generation and broadcasts
 * `start`; the last thread to finish signals `finish`. The caller only
 * waits (it takes no tasks): `workers` threads run tasks. No lock is taken
 * per task; dynamic chunks are claimed with one atomic compare-and-swap.
 *
 * Schedules: DYNAMIC deals the chunks of augur__map_chunk_end() (guided:
 * shrinking to single tasks at the end) in index order to whichever
 * thread is free. STATIC fixes the split up front: with
 * no chunk set, thread w takes the equalportion augur_group_portion(ntasks,
 * workers, w); with chunk c, chunk k goes to thread k mod workers (OpenMP's
 * schedule(static, c)). Seeds come from (job seed, index) in
 * augur__map_exec, so no result depends on which thread ran what.
 *
 * Failures: a thread stops at its first failing task and lowers an atomic
 * "lowest failure"; every thread skips tasks above it but still runs those
 * below, so the reported task - the lowest failing index, as on serial -
 * does not depend on timing. Each thread writes its message in its own
 * seat; the caller copies the chosen one into m->errmsg once all are done.
 *
 * SPMD: the caller is rank 0, pool thread w is rank w + 1. A collective is
 * shared memory between two barriers: each rank publishes (pointer, count,
 * record size) in its slot, the first barrier, readers copy, the second
 * barrier (no buffer is reused while read). The barrier counts the ranks
 * that have left the job (returned): once one has, a collective that
 * cannot gather every rank returns AUGUR_EFAILED instead of waiting. So the
 * one rule is that every rank calls the same collectives in the same
 * order; a rank may return early on an error and the others' next
 * collective fails rather than hangs. The job reports the lowest rank that
 * failed on its own (not because a collective broke under it). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "map_int.h"

/* One pool thread's identity and its record of the current job. */
typedef struct seat {
    struct pool *pool;
    int index;                    /* 0-based; SPMD rank index + 1 */
    size_t failed;                /* its first failing task, SIZE_MAX: none */
    int rc;
    char errmsg[AUGUR_ERRMSG_CAP]; /* written only by this thread */
} seat;

/* One SPMD rank's slot: its outcome and what it offers a collective. */
typedef struct rank_slot {
    int rc;
    int broken;                   /* a collective failed because a rank left */
    int op;                       /* the collective it is in */
    const void *part;
    size_t count, rec_len;
} rank_slot;

enum { OP_BROADCAST = 1, OP_SCATTER, OP_GATHER };

typedef struct pool {
    pthread_mutex_t lock;
    pthread_cond_t start;         /* caller -> threads: a new generation */
    pthread_cond_t finish;        /* threads -> caller: running reached 0 */
    pthread_cond_t turn;          /* SPMD barrier trips and departures */
    int ready;                    /* lock and conditions initialised */
    pthread_t *threads;
    seat *seats;
    int started;                  /* threads created (and to be joined) */
    /* hand-off, under lock */
    unsigned long generation;
    int running;                  /* threads still inside this generation */
    int quit;
    void (*body)(struct pool *p, seat *s);
    /* the current job, written before the hand-off and read-only during it */
    const augur_map_job *job;
    augur_task_fn fn;
    const void *shared;
    size_t shared_len;
    size_t chunk;
    const augur_map *map;         /* DYNAMIC: for the chunk boundaries */
    int scheduled;                /* STATIC */
    int portions;                 /* STATIC with no chunk set: equalportion */
    /* lock-free; padded so the hot words do not share cache lines */
    char pad0[64];
    atomic_size_t next;           /* DYNAMIC: first unclaimed task */
    char pad1[64];
    atomic_size_t lowest_fail;
    char pad2[64];
    /* SPMD, under lock except each rank's own slot between barriers */
    augur_spmd_fn spmd_fn;
    const void *arg;
    size_t arg_len;
    int size;                     /* ranks: workers + 1 */
    int arrived;                  /* at the current barrier */
    unsigned long trips;          /* barriers completed */
    int departed;                 /* ranks whose function has returned */
    rank_slot *ranks;
} pool;

/* --- Hand-off ------------------------------------------------------------ */

static void *worker_main(void *arg)
{
    seat *s = arg;
    pool *p = s->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->generation == seen)
            pthread_cond_wait(&p->start, &p->lock);
        if (p->quit)
            break;
        seen = p->generation;
        void (*body)(pool *, seat *) = p->body;
        pthread_mutex_unlock(&p->lock);
        body(p, s);
        pthread_mutex_lock(&p->lock);
        if (--p->running == 0)
            pthread_cond_signal(&p->finish);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void run_rank(pool *p, int rank);

/* Run body on every pool thread (and rank 0 on the caller meanwhile when
 * spmd), then wait until every thread has left it. The lock carries what
 * the caller wrote before to the threads, and what they wrote back. */
static void on_pool(pool *p, void (*body)(pool *, seat *), int spmd)
{
    pthread_mutex_lock(&p->lock);
    p->body = body;
    p->running = p->started;
    p->generation++;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->lock);
    if (spmd)
        run_rank(p, 0);
    pthread_mutex_lock(&p->lock);
    while (p->running > 0)
        pthread_cond_wait(&p->finish, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

/* --- Tasks ------------------------------------------------------------- */

/* Lower the shared lowest failure to index if it is lower. */
static void note_failure(pool *p, size_t index)
{
    size_t seen = atomic_load(&p->lowest_fail);
    while (index < seen && !atomic_compare_exchange_weak(&p->lowest_fail, &seen, index))
        ;
}

/* Tasks [begin, end) in order; 0 once this thread must stop. A task above
 * a known failure is skipped: it cannot change the answer. */
static int run_range(pool *p, seat *s, size_t begin, size_t end)
{
    for (size_t k = begin; k < end; k++) {
        if (k > atomic_load_explicit(&p->lowest_fail, memory_order_relaxed))
            return 0;
        int rc = augur__map_exec(p->job, p->fn, k, s->index, p->shared,
                                 p->shared_len, s->errmsg, sizeof s->errmsg);
        if (rc != AUGUR_OK) {
            s->failed = k;
            s->rc = rc;
            note_failure(p, k);
            return 0;
        }
    }
    return 1;
}

static void run_body(pool *p, seat *s)
{
    size_t n = p->job->ntasks, c = p->chunk;
    if (p->portions) {
        size_t begin, end;
        augur_group_portion(n, p->started, s->index, &begin, &end);
        run_range(p, s, begin, end);
    } else if (p->scheduled) {
        size_t stride = c * (size_t)p->started;
        for (size_t b = c * (size_t)s->index; b < n; b += stride)
            if (!run_range(p, s, b, b + c < n ? b + c : n))
                break;
    } else {
        size_t b = atomic_load_explicit(&p->next, memory_order_relaxed);
        while (b < n) {
            size_t e = augur__map_chunk_end(p->map, b, n, p->started);
            if (!atomic_compare_exchange_weak_explicit(&p->next, &b, e,
                                                       memory_order_relaxed,
                                                       memory_order_relaxed))
                continue;         /* b now holds the current value */
            if (!run_range(p, s, b, e))
                break;
            b = atomic_load_explicit(&p->next, memory_order_relaxed);
        }
    }
}

static int threads_run(augur_map *m, void *state, const augur_map_job *job,
                       augur_task_fn fn)
{
    pool *p = state;
    p->job = job;
    p->fn = fn;
    p->shared = m->shared;
    p->shared_len = m->shared_len;
    p->scheduled = m->schedule == AUGUR_SCHEDULE_STATIC;
    p->portions = p->scheduled && m->chunk == 0;
    p->chunk = augur__map_chunk(m, job->ntasks, p->started);
    p->map = m;
    if (p->chunk > job->ntasks)   /* so chunk * workers cannot wrap */
        p->chunk = job->ntasks;
    atomic_store(&p->next, 0);
    atomic_store(&p->lowest_fail, SIZE_MAX);
    for (int w = 0; w < p->started; w++)
        p->seats[w].failed = SIZE_MAX;
    on_pool(p, run_body, 0);
    const seat *first = NULL;
    for (int w = 0; w < p->started; w++)
        if (p->seats[w].failed != SIZE_MAX &&
            (!first || p->seats[w].failed < first->failed))
            first = &p->seats[w];
    if (!first)
        return AUGUR_OK;
    memcpy(m->errmsg, first->errmsg, sizeof m->errmsg);
    return first->rc;
}

/* --- SPMD barrier and collectives ---------------------------------------- */

/* Wait for every rank; AUGUR_EFAILED once a rank has left the job, since
 * then not every rank can come. A barrier that tripped succeeds even if a
 * rank leaves right after it. */
static int barrier(pool *p, int rank)
{
    int rc = AUGUR_OK;
    pthread_mutex_lock(&p->lock);
    if (p->departed > 0) {
        rc = AUGUR_EFAILED;
    } else if (++p->arrived == p->size) {
        p->arrived = 0;
        p->trips++;
        pthread_cond_broadcast(&p->turn);
    } else {
        unsigned long trip = p->trips;
        while (p->trips == trip && p->departed == 0)
            pthread_cond_wait(&p->turn, &p->lock);
        if (p->trips == trip)
            rc = AUGUR_EFAILED;
    }
    if (rc != AUGUR_OK)
        p->ranks[rank].broken = 1;
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* Offer (part, count, rec_len) to a collective and wait for every rank.
 * Slots are written only outside [first barrier, second barrier), when no
 * other rank reads them. */
static int publish(augur_group *g, int op, const void *part, size_t count,
                   size_t rec_len)
{
    pool *p = g->impl;
    rank_slot *r = &p->ranks[g->rank];
    r->op = op;
    r->part = part;
    r->count = count;
    r->rec_len = rec_len;
    return barrier(p, g->rank);
}

/* The second barrier: the first one's error, else this one's. */
static int release(augur_group *g, int rc)
{
    int done = barrier(g->impl, g->rank);
    return rc != AUGUR_OK ? rc : done;
}

static int group_broadcast(augur_group *g, void *buf, size_t len)
{
    pool *p = g->impl;
    int rc = publish(g, OP_BROADCAST, buf, len, 1);
    if (rc != AUGUR_OK)
        return rc;
    const rank_slot *root = &p->ranks[0];
    if (g->rank != 0) {
        if (root->op != OP_BROADCAST || root->count != len)
            rc = AUGUR_EINVAL;
        else if (len)
            memcpy(buf, root->part, len);
    }
    return release(g, rc);
}

static int group_scatter(augur_group *g, const void *send, size_t count,
                         size_t rec_len, void *recv, size_t *mine)
{
    pool *p = g->impl;
    int rc = publish(g, OP_SCATTER, send, count, rec_len);
    if (rc != AUGUR_OK)
        return rc;
    const rank_slot *root = &p->ranks[0];
    size_t begin, end;
    augur_group_portion(root->count, g->size, g->rank, &begin, &end);
    size_t bytes = (end - begin) * rec_len;
    if (root->op != OP_SCATTER || root->rec_len != rec_len || (bytes && !recv))
        rc = AUGUR_EINVAL;
    else if (bytes && g->rank != 0)
        memcpy(recv, (const char *)root->part + begin * rec_len, bytes);
    rc = release(g, rc);
    /* rank 0 copies last: its recv may be its send, still read until now */
    if (rc == AUGUR_OK && bytes && g->rank == 0)
        memmove(recv, send, bytes);
    if (rc == AUGUR_OK)
        *mine = end - begin;
    return rc;
}

/* Rank 0's half of gather: every rank's records in rank order. */
static int join_parts(pool *p, size_t rec_len, void *recv, size_t *total)
{
    size_t sum = 0;
    for (int r = 0; r < p->size; r++) {
        if (p->ranks[r].op != OP_GATHER || p->ranks[r].rec_len != rec_len)
            return AUGUR_EINVAL;
        sum += p->ranks[r].count;
    }
    if (sum && rec_len && !recv)
        return AUGUR_EINVAL;
    char *at = recv;
    for (int r = 0; r < p->size && rec_len; r++) {
        size_t bytes = p->ranks[r].count * rec_len;
        if (bytes)
            memmove(at, p->ranks[r].part, bytes);
        at += bytes;
    }
    if (total)
        *total = sum;
    return AUGUR_OK;
}

static int group_gather(augur_group *g, const void *send, size_t mine,
                        size_t rec_len, void *recv, size_t *total)
{
    pool *p = g->impl;
    int rc = publish(g, OP_GATHER, send, mine, rec_len);
    if (rc != AUGUR_OK)
        return rc;
    if (g->rank == 0)
        rc = join_parts(p, rec_len, recv, total);
    return release(g, rc);
}

static const augur_group_ops shared_ops = {
    .broadcast = group_broadcast,
    .scatter = group_scatter,
    .gather = group_gather,
};

/* Run the function as one rank, then leave the job (waking any barrier
 * that can no longer complete). */
static void run_rank(pool *p, int rank)
{
    augur_group g = {.rank = rank, .size = p->size, .ops = &shared_ops, .impl = p};
    int rc = p->spmd_fn(&g, p->arg, p->arg_len);
    pthread_mutex_lock(&p->lock);
    p->ranks[rank].rc = rc;
    p->departed++;
    pthread_cond_broadcast(&p->turn);
    pthread_mutex_unlock(&p->lock);
}

static void spmd_body(pool *p, seat *s)
{
    run_rank(p, s->index + 1);
}

/* The lowest rank that failed on its own, else the lowest that failed. */
static int culprit(const pool *p)
{
    int any = -1;
    for (int r = 0; r < p->size; r++)
        if (p->ranks[r].rc != AUGUR_OK) {
            if (!p->ranks[r].broken)
                return r;
            if (any < 0)
                any = r;
        }
    return any;
}

static int threads_spmd(augur_map *m, void *state, const char *name,
                        augur_spmd_fn fn, const void *arg, size_t arg_len)
{
    pool *p = state;
    if (m->submitted)
        return augur__map_fail(m, AUGUR_ESTATE, "map: a submitted job is still "
                               "running (augur_map_wait first)");
    p->spmd_fn = fn;
    p->arg = arg;
    p->arg_len = arg_len;
    p->arrived = 0;
    p->departed = 0;
    memset(p->ranks, 0, (size_t)p->size * sizeof *p->ranks);
    on_pool(p, spmd_body, 1);
    int r = culprit(p);
    if (r < 0)
        return AUGUR_OK;
    int rc = p->ranks[r].rc;
    return augur__map_fail(m, rc < 0 ? rc : AUGUR_EFAILED,
                           "SPMD job '%s' failed on rank %d of %d (status %d)%s",
                           name, r, p->size, rc,
                           p->ranks[r].broken ? " after another rank left" : "");
}

/* --- Life cycle ---------------------------------------------------------- */

static int init_sync(pool *p)
{
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return -1;
    pthread_cond_t *conds[] = {&p->start, &p->finish, &p->turn};
    for (size_t k = 0; k < AUGUR__ARRAY_SIZE(conds); k++)
        if (pthread_cond_init(conds[k], NULL) != 0) {
            while (k-- > 0)
                pthread_cond_destroy(conds[k]);
            pthread_mutex_destroy(&p->lock);
            return -1;
        }
    p->ready = 1;
    return 0;
}

static int threads_init(augur_map *m, void *state, int workers)
{
    pool *p = state;
    size_t n = (size_t)workers;
    p->threads = calloc(n, sizeof *p->threads);
    p->seats = calloc(n, sizeof *p->seats);
    p->ranks = calloc(n + 1, sizeof *p->ranks);
    if (!p->threads || !p->seats || !p->ranks)
        return augur__map_fail(m, AUGUR_ENOMEM, "threads: out of memory for %d "
                               "workers", workers);
    if (init_sync(p) != 0)
        return augur__map_fail(m, AUGUR_EFAILED, "threads: cannot initialise "
                               "the pool's lock");
    p->size = workers + 1;
    atomic_init(&p->next, 0);
    atomic_init(&p->lowest_fail, SIZE_MAX);
    for (int w = 0; w < workers; w++) {
        p->seats[w] = (seat){.pool = p, .index = w, .failed = SIZE_MAX};
        int rc = pthread_create(&p->threads[w], NULL, worker_main, &p->seats[w]);
        if (rc != 0)   /* free() joins the ones already started */
            return augur__map_fail(m, AUGUR_EFAILED, "threads: cannot start "
                                   "worker %d of %d (error %d)", w + 1, workers, rc);
        p->started = w + 1;
    }
    return AUGUR_OK;
}

static void threads_free(augur_map *m, void *state)
{
    (void)m;
    pool *p = state;
    if (p->ready) {
        pthread_mutex_lock(&p->lock);
        p->quit = 1;
        pthread_cond_broadcast(&p->start);
        pthread_mutex_unlock(&p->lock);
        for (int w = 0; w < p->started; w++)
            pthread_join(p->threads[w], NULL);
        pthread_cond_destroy(&p->start);
        pthread_cond_destroy(&p->finish);
        pthread_cond_destroy(&p->turn);
        pthread_mutex_destroy(&p->lock);
    }
    free(p->threads);
    free(p->seats);
    free(p->ranks);
}

const augur_map_type augur__map_threads = {
    .name = "threads",
    .state_size = sizeof(pool),
    .init = threads_init,
    .run = threads_run,
    .spmd = threads_spmd,
    .broadcast = NULL,
    .reset = NULL,
    .free = threads_free,
    .crosses_images = 0,
};
