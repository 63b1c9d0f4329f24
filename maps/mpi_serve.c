/* mpi_serve.c - the MPI backend's worker side, and what every rank runs
 * the same way: the serve loop of ranks 1..size-1, SPMD jobs and their
 * collectives.
 *
 * A worker spends its whole life in augur__mpi_serve, called from
 * augur_mpi_init: it waits for rank 0's commands and answers them. A job
 * arrives as a header (task name, context, record sizes, seed), then
 * chunks of input records; the worker runs each task through
 * augur__map_exec - the same call and seed as every other backend - and
 * returns the outputs, or the first failing task's status and message.
 * Records land at their task index in arrays as long as the whole job, so
 * index arithmetic is the caller's; the pages a worker never receives are
 * never touched, so they cost address space, not memory.
 *
 * Whatever a worker cannot do for a job (a task not registered on this
 * rank, no memory) is answered chunk by chunk as a task failure, so rank 0
 * always gets a reply and never waits for one that will not come. Only a
 * broken protocol or a failed MPI call ends the loop; the process then
 * leaves without MPI_Finalize and mpirun ends the whole job.
 *
 * The group collectives are MPI collectives on the private communicator;
 * every rank derives the same counts (equalportion) from values it got in
 * the same collective, so no rank can take a path the others do not. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "mpi_int.h"

typedef struct server {
    mpi_buf rx, tx;
    augur_map_job job;            /* in/out span the whole job */
    augur_task_fn fn;
    char *name;
    int job_rc;                   /* why this rank cannot run the job */
    char job_err[AUGUR_ERRMSG_CAP];
    void *shared;
    size_t shared_len;
    double spin;                  /* how long waiting for commands spins */
    char err[AUGUR_ERRMSG_CAP];
} server;

static int protocol_error(char *err, size_t cap, const char *what)
{
    return augur__fail_msg(err, cap, AUGUR_EIO, "mpi: rank %d got a malformed "
                           "%s from rank 0", augur__mpi.rank, what);
}

static void drop_job(server *sv)
{
    free(sv->name);
    free((void *)sv->job.context);
    free((void *)sv->job.in);
    free(sv->job.out);
    sv->name = NULL;
    sv->job = (augur_map_job){0};
    sv->fn = NULL;
}

/* Room for n records of len bytes (NULL is fine for no bytes). */
static int alloc_records(void **p, uint64_t n, uint64_t len)
{
    *p = NULL;
    if (!n || !len)
        return 1;
    if (len > SIZE_MAX / n)
        return 0;
    *p = malloc((size_t)(n * len));
    return *p != NULL;
}

static int on_job(server *sv, const char *msg, size_t len, char *err, size_t cap)
{
    wire_job w;
    if (len < sizeof w)
        return protocol_error(err, cap, "job header");
    memcpy(&w, msg, sizeof w);
    if (w.name_len > len - sizeof w || w.context_len != len - sizeof w - w.name_len)
        return protocol_error(err, cap, "job header");
    drop_job(sv);
    sv->job_rc = AUGUR_OK;
    void *in = NULL, *out = NULL, *context = NULL;
    sv->name = malloc(w.name_len + 1);
    int ok = sv->name && alloc_records(&context, 1, w.context_len) &&
             alloc_records(&in, w.ntasks, w.in_len) &&
             alloc_records(&out, w.ntasks, w.out_len);
    sv->job = (augur_map_job){
        .task = sv->name, .ntasks = w.ntasks, .in = in, .in_len = w.in_len,
        .out = out, .out_len = w.out_len, .context = context,
        .context_len = w.context_len, .seed = w.seed,
    };
    if (!ok) {
        sv->job_rc = augur__fail_msg(sv->job_err, sizeof sv->job_err, AUGUR_ENOMEM,
                                     "mpi: rank %d has no memory for a job of "
                                     "%llu tasks", augur__mpi.rank,
                                     (unsigned long long)w.ntasks);
        return AUGUR_OK;
    }
    memcpy(sv->name, msg + sizeof w, w.name_len);
    sv->name[w.name_len] = '\0';
    if (w.context_len)
        memcpy(context, msg + sizeof w + w.name_len, w.context_len);
    sv->fn = augur_task_find(sv->name);
    if (!sv->fn)
        sv->job_rc = augur__fail_msg(sv->job_err, sizeof sv->job_err, AUGUR_ENOTFOUND,
                                     "mpi: rank %d has no task named '%s' (every "
                                     "rank registers it before augur_mpi_init)",
                                     augur__mpi.rank, sv->name);
    return AUGUR_OK;
}

/* Run tasks [first, first + count) and write the reply into sv->tx. */
static size_t run_chunk(server *sv, uint64_t first, uint64_t count)
{
    wire_result r = {.status = sv->job_rc, .first = first, .count = count,
                     .fail_index = first};
    const char *why = sv->job_err;
    for (uint64_t k = first; r.status == AUGUR_OK && k < first + count; k++) {
        r.status = augur__map_exec(&sv->job, sv->fn, k, augur__mpi.rank,
                                   sv->shared, sv->shared_len, sv->err,
                                   sizeof sv->err);
        r.fail_index = k;
        why = sv->err;
    }
    size_t body = r.status == AUGUR_OK ? count * sv->job.out_len : strlen(why);
    r.msg_len = r.status == AUGUR_OK ? 0 : body;
    memcpy(sv->tx.data, &r, sizeof r);
    if (r.status == AUGUR_OK)
        memcpy(sv->tx.data + sizeof r,
               (char *)sv->job.out + first * sv->job.out_len, body);
    else
        memcpy(sv->tx.data + sizeof r, why, body);
    return sizeof r + body;
}

static int on_chunk(server *sv, const char *msg, size_t len, char *err, size_t cap)
{
    wire_chunk w;
    if (len < sizeof w)
        return protocol_error(err, cap, "chunk");
    memcpy(&w, msg, sizeof w);
    size_t in_len = sv->job.in_len;
    if (w.first > sv->job.ntasks || w.count > sv->job.ntasks - w.first ||
        len - sizeof w != w.count * in_len)
        return protocol_error(err, cap, "chunk");
    if (sv->job_rc == AUGUR_OK && w.count && in_len)
        memcpy((char *)sv->job.in + w.first * in_len, msg + sizeof w,
               w.count * in_len);
    size_t most = sizeof(wire_result) + w.count * sv->job.out_len + AUGUR_ERRMSG_CAP;
    if (augur__mpi_reserve(&sv->tx, most) != AUGUR_OK) {
        /* Say so instead of the outputs: rank 0 is waiting for an answer. */
        sv->job_rc = augur__fail_msg(sv->job_err, sizeof sv->job_err, AUGUR_ENOMEM,
                                     "mpi: rank %d has no memory for a reply of "
                                     "%llu tasks", augur__mpi.rank,
                                     (unsigned long long)w.count);
        if (augur__mpi_reserve(&sv->tx, sizeof(wire_result) + AUGUR_ERRMSG_CAP))
            return augur__fail_msg(err, cap, AUGUR_ENOMEM, "mpi: rank %d is out "
                                   "of memory", augur__mpi.rank);
    }
    size_t n = run_chunk(sv, w.first, w.count);
    int rc = MPI_Send(sv->tx.data, (int)n, MPI_BYTE, 0, TAG_RESULT, augur__mpi.comm);
    return rc == MPI_SUCCESS ? AUGUR_OK : augur__mpi_error(rc, err, cap, "MPI_Send");
}

/* New broadcast bytes: all ranks first agree that everyone has the room,
 * so a rank short of memory cannot leave the others in a half-done bcast;
 * if one has not, everyone keeps the old bytes and rank 0 says why. */
static int on_shared(server *sv, const char *msg, size_t len, char *err, size_t cap)
{
    wire_shared w;
    if (len != sizeof w)
        return protocol_error(err, cap, "broadcast");
    memcpy(&w, msg, sizeof w);
    void *copy = NULL;
    int ok = alloc_records(&copy, 1, w.len), worst, where;
    int rc = augur__mpi_agree(ok ? 0 : PROBLEM_NO_MEMORY, &worst, &where);
    if (rc == MPI_SUCCESS && !worst)
        rc = augur__mpi_bcast(copy, (size_t)w.len);
    if (rc != MPI_SUCCESS || worst) {
        free(copy);
        return rc == MPI_SUCCESS ? AUGUR_OK
                                 : augur__mpi_error(rc, err, cap, "broadcast");
    }
    free(sv->shared);
    sv->shared = copy;
    sv->shared_len = (size_t)w.len;
    return AUGUR_OK;
}

static int on_spmd(const char *msg, size_t len, char *err, size_t cap)
{
    wire_spmd w;
    if (len < sizeof w)
        return protocol_error(err, cap, "SPMD command");
    memcpy(&w, msg, sizeof w);
    if (w.name_len > len - sizeof w || w.arg_len != len - sizeof w - w.name_len ||
        w.name_len >= 64)
        return protocol_error(err, cap, "SPMD command");
    char name[64];
    memcpy(name, msg + sizeof w, w.name_len);
    name[w.name_len] = '\0';
    int problem, where;
    int rc = augur__mpi_spmd_all(augur__spmd_find(name), msg + sizeof w + w.name_len,
                                 (size_t)w.arg_len, NULL, &problem, &where);
    return rc == MPI_SUCCESS ? AUGUR_OK : augur__mpi_error(rc, err, cap, "SPMD job");
}

/* One command; *stop set by CMD_STOP. */
static int serve_one(server *sv, int *stop, char *err, size_t cap)
{
    MPI_Status st;
    size_t len;
    int rc = augur__mpi_wait(0, TAG_CMD, &st, &sv->spin);
    if (rc != MPI_SUCCESS)
        return augur__mpi_error(rc, err, cap, "MPI_Iprobe");
    rc = augur__mpi_take(&st, &sv->rx, &len, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    uint64_t kind = 0;
    if (len >= sizeof kind)
        memcpy(&kind, sv->rx.data, sizeof kind);
    switch (kind) {
    case CMD_JOB:
        return on_job(sv, sv->rx.data, len, err, cap);
    case CMD_CHUNK:
        return on_chunk(sv, sv->rx.data, len, err, cap);
    case CMD_SHARED:
        return on_shared(sv, sv->rx.data, len, err, cap);
    case CMD_SPMD:
        return on_spmd(sv->rx.data, len, err, cap);
    case CMD_STOP:
        *stop = 1;
        return AUGUR_OK;
    default:
        return protocol_error(err, cap, "command");
    }
}

int augur__mpi_serve(char *err, size_t cap)
{
    server sv = {.job_rc = AUGUR_OK, .spin = MPI_SPIN_START};
    int stop = 0, rc = AUGUR_OK;
    while (!stop && rc == AUGUR_OK)
        rc = serve_one(&sv, &stop, err, cap);
    drop_job(&sv);
    free(sv.shared);
    augur__mpi_buf_free(&sv.rx);
    augur__mpi_buf_free(&sv.tx);
    return rc;
}


/* --- SPMD jobs and their collectives ------------------------------------- */

/* Per-rank arrays the collectives need, allocated before the SPMD function
 * starts (and agreed on), so no collective can fail half-way for memory. */
typedef struct group_mem {
    int *counts, *displs;
    uint64_t *each;
} group_mem;

/* MPI counts are ints: records travel as one derived type of rec_len bytes,
 * so the limit is on records, not bytes. */
static int record_type(size_t rec_len, MPI_Datatype *t)
{
    if (rec_len > INT_MAX)
        return AUGUR_ERANGE;
    if (MPI_Type_contiguous((int)rec_len, MPI_BYTE, t) != MPI_SUCCESS ||
        MPI_Type_commit(t) != MPI_SUCCESS)
        return AUGUR_EIO;
    return AUGUR_OK;
}

/* Where a rank receives when the caller gave no buffer: a scratch one, so
 * the rank still takes part (the others would wait for it) and then fails. */
static void *landing(void *buf, size_t bytes, void **scratch)
{
    *scratch = NULL;
    if (buf || !bytes)
        return buf;
    return *scratch = malloc(bytes);
}

static int mpi_group_broadcast(augur_group *g, void *buf, size_t len)
{
    (void)g;
    return augur__mpi_bcast(buf, len) == MPI_SUCCESS ? AUGUR_OK : AUGUR_EIO;
}

static int scatter_records(augur_group *g, const void *send, size_t count,
                           size_t rec_len, void *recv, size_t mine)
{
    group_mem *gm = g->impl;
    MPI_Datatype rec;
    int rc = record_type(rec_len, &rec);
    if (rc != AUGUR_OK)
        return rc;
    for (int r = 0; r < g->size; r++) {
        size_t b, e;
        augur_group_portion(count, g->size, r, &b, &e);
        gm->counts[r] = (int)(e - b);
        gm->displs[r] = (int)b;
    }
    void *scratch, *dst = landing(recv, mine * rec_len, &scratch);
    if (mine && !dst)
        rc = AUGUR_ENOMEM;        /* cannot take part: nothing else to do */
    else if (g->rank == 0)
        rc = MPI_Scatterv(send, gm->counts, gm->displs, rec, MPI_IN_PLACE, 0, rec,
                          0, augur__mpi.comm);
    else
        rc = MPI_Scatterv(NULL, NULL, NULL, rec, dst, (int)mine, rec, 0,
                          augur__mpi.comm);
    if (rc != AUGUR_ENOMEM)
        rc = rc == MPI_SUCCESS ? AUGUR_OK : AUGUR_EIO;
    if (rc == AUGUR_OK && g->rank == 0 && mine)
        memmove(dst, send, mine * rec_len);   /* rank 0's portion comes first */
    free(scratch);
    MPI_Type_free(&rec);
    return rc == AUGUR_OK && !recv && mine ? AUGUR_EINVAL : rc;
}

static int mpi_group_scatter(augur_group *g, const void *send, size_t count,
                             size_t rec_len, void *recv, size_t *mine)
{
    /* Only rank 0's count means anything: everyone learns it first. */
    uint64_t n = count;
    if (MPI_Bcast(&n, 1, MPI_UINT64_T, 0, augur__mpi.comm) != MPI_SUCCESS)
        return AUGUR_EIO;
    size_t b, e;
    augur_group_portion((size_t)n, g->size, g->rank, &b, &e);
    *mine = e - b;
    if (n == 0 || rec_len == 0)
        return AUGUR_OK;
    if (n > INT_MAX)
        return AUGUR_ERANGE;      /* every rank sees the same n: all stop here */
    return scatter_records(g, send, (size_t)n, rec_len, recv, *mine);
}

static int gather_records(augur_group *g, const void *send, size_t mine,
                          size_t rec_len, void *recv, size_t total)
{
    group_mem *gm = g->impl;
    MPI_Datatype rec;
    int rc = record_type(rec_len, &rec);
    if (rc != AUGUR_OK)
        return rc;
    for (int r = 0; r < g->size; r++) {
        gm->counts[r] = (int)gm->each[r];
        gm->displs[r] = r ? gm->displs[r - 1] + gm->counts[r - 1] : 0;
    }
    void *scratch = NULL;
    void *dst = g->rank == 0 ? landing(recv, total * rec_len, &scratch) : NULL;
    if (g->rank == 0 && !dst)
        rc = AUGUR_ENOMEM;
    else if (g->rank == 0) {
        if (mine)
            memmove(dst, send, mine * rec_len);   /* in place: rank 0 first */
        rc = MPI_Gatherv(MPI_IN_PLACE, 0, rec, dst, gm->counts, gm->displs, rec, 0,
                         augur__mpi.comm);
    } else
        rc = MPI_Gatherv(send, (int)mine, rec, NULL, NULL, NULL, rec, 0,
                         augur__mpi.comm);
    if (rc != AUGUR_ENOMEM)
        rc = rc == MPI_SUCCESS ? AUGUR_OK : AUGUR_EIO;
    free(scratch);
    MPI_Type_free(&rec);
    return rc == AUGUR_OK && g->rank == 0 && !recv ? AUGUR_EINVAL : rc;
}

static int mpi_group_gather(augur_group *g, const void *send, size_t mine,
                            size_t rec_len, void *recv, size_t *total)
{
    /* Everyone learns every count, so all ranks take the same decisions. */
    group_mem *gm = g->impl;
    uint64_t my = mine, sum = 0;
    if (MPI_Allgather(&my, 1, MPI_UINT64_T, gm->each, 1, MPI_UINT64_T,
                      augur__mpi.comm) != MPI_SUCCESS)
        return AUGUR_EIO;
    for (int r = 0; r < g->size; r++)
        sum += gm->each[r];
    if (total)
        *total = (size_t)sum;
    if (sum > INT_MAX)
        return AUGUR_ERANGE;
    if (!sum || !rec_len)
        return AUGUR_OK;
    return gather_records(g, send, mine, rec_len, recv, (size_t)sum);
}

static const augur_group_ops mpi_group_ops = {
    .broadcast = mpi_group_broadcast,
    .scatter = mpi_group_scatter,
    .gather = mpi_group_gather,
};

int augur__mpi_spmd_all(augur_spmd_fn fn, const void *arg, size_t arg_len,
                        int *statuses, int *problem, int *where)
{
    size_t size = (size_t)augur__mpi.size;
    group_mem gm = {.counts = malloc(size * sizeof *gm.counts),
                    .displs = malloc(size * sizeof *gm.displs),
                    .each = malloc(size * sizeof *gm.each)};
    int mine = !fn ? PROBLEM_NO_FUNCTION
             : !gm.counts || !gm.displs || !gm.each ? PROBLEM_NO_MEMORY : 0;
    int rc = augur__mpi_agree(mine, problem, where);
    int status = AUGUR_EFAILED;
    if (rc == MPI_SUCCESS && !*problem) {
        augur_group g = {.rank = augur__mpi.rank, .size = augur__mpi.size,
                         .ops = &mpi_group_ops, .impl = &gm};
        status = fn(&g, arg, arg_len);
    }
    if (rc == MPI_SUCCESS)
        rc = MPI_Gather(&status, 1, MPI_INT, statuses, 1, MPI_INT, 0,
                        augur__mpi.comm);
    free(gm.counts);
    free(gm.displs);
    free(gm.each);
    return rc;
}
