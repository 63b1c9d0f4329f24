/* fork_spmd.c - SPMD jobs on the fork backend: the caller is rank 0 and
 * worker k rank k + 1, and rank 0 relays every collective (broadcast: it
 * sends to each worker; scatter: each its equalportion slice; gather: it
 * reads each worker's records in rank order).
 *
 * Nothing may hang: a rank that dies shows as an end of file (or a failed
 * send) on rank 0, whose collective then fails; when rank 0's function
 * returns, every worker still inside a collective is sent ABORT, which
 * fails that collective, so every rank's function returns and answers.
 * The job's status is the first rank's that failed on its own, not because
 * another rank died or gave up first. A rank that stays alive but never
 * reaches a collective does hold rank 0 up: the map's timeout is for
 * tasks, and an SPMD function may rightly run for a long time. */
#include <stdlib.h>
#include <string.h>
#include "fork_int.h"

/* How a worker rank's part of an SPMD job ended. */
typedef struct rank_end {
    int over;                     /* its answer is in (or it died) */
    int status;
    int aborted;                  /* it failed because rank 0 ended the job */
    char msg[AUGUR_ERRMSG_CAP];
} rank_end;

typedef struct spmd_run {
    augur_map *m;
    fork_state *st;
    rank_end *ends;               /* by rank; [0] unused */
    int peer_failed;              /* a collective of rank 0 failed because of a peer */
} spmd_run;

static int rank_lost(spmd_run *sp, int rank)
{
    rank_end *e = &sp->ends[rank];
    augur__fork_describe(augur__fork_end(sp->st, rank - 1), e->msg, sizeof e->msg);
    e->over = 1;
    e->status = AUGUR_EFAILED;
    sp->peer_failed = 1;
    return AUGUR_EFAILED;
}

/* Read rank's answer (status and message); anything before it - records
 * of a collective rank 0 left early - is dropped. */
static void take_done(spmd_run *sp, int rank, const wire_head *first)
{
    fork_slot *sl = &sp->st->slots[rank - 1];
    rank_end *e = &sp->ends[rank];
    wire_head h;
    if (first)
        h = *first;
    else if (augur__wire_read(&sl->rd, &h, sizeof h) != 0) {
        rank_lost(sp, rank);
        return;
    }
    while (h.kind != WIRE_DONE)
        if (augur__wire_skip(&sl->rd, h.len1 + h.len2) != 0 ||
            augur__wire_read(&sl->rd, &h, sizeof h) != 0) {
            rank_lost(sp, rank);
            return;
        }
    size_t keep = h.len1 < sizeof e->msg ? (size_t)h.len1 : sizeof e->msg - 1;
    if (augur__wire_read(&sl->rd, e->msg, keep) != 0 ||
        augur__wire_skip(&sl->rd, h.len1 - keep) != 0) {
        rank_lost(sp, rank);
        return;
    }
    e->msg[keep] = '\0';
    e->over = 1;
    e->status = h.status;
    e->aborted = h.begin != 0;
}

/* Rank 0 sends count records to rank. */
static int root_send(spmd_run *sp, int rank, const void *p, size_t count,
                     size_t rec_len)
{
    fork_slot *sl = &sp->st->slots[rank - 1];
    if (sp->ends[rank].over || !sl->pid) {
        sp->peer_failed = 1;
        return AUGUR_EFAILED;
    }
    wire_head h = {.kind = WIRE_COLL, .in_len = count, .out_len = rec_len,
                   .len1 = (uint64_t)count * rec_len};
    if (augur__wire_send(sl->rd.fd, &h, p, count * rec_len, NULL, 0) != 0)
        return rank_lost(sp, rank);
    return AUGUR_OK;
}

static int root_broadcast(augur_group *g, void *buf, size_t len)
{
    for (int rank = 1; rank < g->size; rank++) {
        int rc = root_send(g->impl, rank, buf, len, 1);
        if (rc != AUGUR_OK)
            return rc;
    }
    return AUGUR_OK;
}

static int root_scatter(augur_group *g, const void *send, size_t count,
                        size_t rec_len, void *recv, size_t *mine)
{
    size_t b, e;
    for (int rank = 1; rank < g->size; rank++) {
        augur_group_portion(count, g->size, rank, &b, &e);
        int rc = root_send(g->impl, rank, (const char *)send + b * rec_len, e - b,
                           rec_len);
        if (rc != AUGUR_OK)
            return rc;
    }
    augur_group_portion(count, g->size, 0, &b, &e);
    if (e > b && rec_len) {
        if (!recv)
            return AUGUR_EINVAL;
        memmove(recv, send, (e - b) * rec_len);
    }
    *mine = e - b;
    return AUGUR_OK;
}

/* Rank 0 receives rank's records at recv; their count in *count. */
static int root_recv(spmd_run *sp, int rank, size_t rec_len, char *recv,
                     size_t *count)
{
    fork_slot *sl = &sp->st->slots[rank - 1];
    wire_head h;
    if (sp->ends[rank].over || !sl->pid) {
        sp->peer_failed = 1;
        return AUGUR_EFAILED;
    }
    if (augur__wire_read(&sl->rd, &h, sizeof h) != 0)
        return rank_lost(sp, rank);
    if (h.kind == WIRE_DONE) {    /* it finished without gathering */
        take_done(sp, rank, &h);
        sp->peer_failed = 1;
        return AUGUR_EFAILED;
    }
    if (h.kind != WIRE_COLL || h.out_len != rec_len || (h.len1 && !recv)) {
        if (augur__wire_skip(&sl->rd, h.len1 + h.len2) != 0)
            return rank_lost(sp, rank);
        return AUGUR_EINVAL;
    }
    if (h.len1 && augur__wire_read(&sl->rd, recv, (size_t)h.len1) != 0)
        return rank_lost(sp, rank);
    *count = (size_t)h.in_len;
    return AUGUR_OK;
}

static int root_gather(augur_group *g, const void *send, size_t mine,
                       size_t rec_len, void *recv, size_t *total)
{
    size_t t = mine;
    if (mine && rec_len) {
        if (!recv)
            return AUGUR_EINVAL;
        memmove(recv, send, mine * rec_len);
    }
    for (int rank = 1; rank < g->size; rank++) {
        size_t count = 0;
        int rc = root_recv(g->impl, rank, rec_len,
                           recv ? (char *)recv + t * rec_len : NULL, &count);
        if (rc != AUGUR_OK)
            return rc;
        t += count;
    }
    if (total)
        *total = t;
    return AUGUR_OK;
}

static const augur_group_ops root_ops = {
    .broadcast = root_broadcast,
    .scatter = root_scatter,
    .gather = root_gather,
};

/* The job's status: the first rank that failed on its own (not because a
 * peer died or rank 0 gave up), else the first that failed at all. */
static int spmd_verdict(spmd_run *sp, const char *name, int rc0)
{
    int size = sp->st->n + 1;
    for (int pass = 0; pass < 2; pass++) {
        if (rc0 != AUGUR_OK && (pass || !sp->peer_failed))
            return augur__map_fail(sp->m, rc0 < 0 ? rc0 : AUGUR_EFAILED,
                                   "SPMD job '%s' failed on rank 0 (status %d)",
                                   name, rc0);
        for (int rank = 1; rank < size; rank++) {
            rank_end *e = &sp->ends[rank];
            if (e->status == AUGUR_OK || (!pass && e->aborted))
                continue;
            int rc = e->status < 0 ? e->status : AUGUR_EFAILED;
            if (e->msg[0])
                return augur__map_fail(sp->m, rc, "SPMD job '%s' failed on rank "
                                       "%d: %s", name, rank, e->msg);
            return augur__map_fail(sp->m, rc, "SPMD job '%s' failed on rank %d "
                                   "(status %d)", name, rank, e->status);
        }
    }
    return AUGUR_OK;
}

int augur__fork_spmd(augur_map *m, void *state, const char *name, augur_spmd_fn fn,
                     const void *arg, size_t arg_len)
{
    fork_state *st = state;
    augur__fork_refresh(st);
    spmd_run sp = {.m = m, .st = st, .ends = calloc((size_t)st->n + 1, sizeof *sp.ends)};
    if (!sp.ends)
        return augur__map_fail(m, AUGUR_ENOMEM, "fork map: out of memory");
    size_t name_len = strlen(name);
    for (int s = 0; s < st->n; s++) {
        int rc = st->slots[s].pid ? AUGUR_OK : augur__fork_spawn(m, st, s);
        if (rc != AUGUR_OK) {
            free(sp.ends);
            augur__fork_stop(st);
            return rc;
        }
        wire_head h = {.kind = WIRE_SPMD, .begin = (uint64_t)s + 1,
                       .end = (uint64_t)st->n + 1, .len1 = name_len, .len2 = arg_len};
        if (augur__wire_send(st->slots[s].rd.fd, &h, name, name_len, arg, arg_len) != 0)
            rank_lost(&sp, s + 1);
    }
    sp.peer_failed = 0;           /* a rank lost at the start is its own failure */
    augur_group g = {.rank = 0, .size = st->n + 1, .ops = &root_ops, .impl = &sp};
    int rc0 = fn(&g, arg, arg_len);
    /* Rank 0 is done: a rank still waiting for one of its collectives
     * (rank 0 failed, or the ranks disagree) gets ABORT instead of hanging;
     * one that has moved on drops the message. */
    wire_head bye = {.kind = WIRE_ABORT};
    for (int rank = 1; rank <= st->n; rank++)
        if (!sp.ends[rank].over &&
            augur__wire_send(st->slots[rank - 1].rd.fd, &bye, NULL, 0, NULL, 0) != 0)
            rank_lost(&sp, rank);
    for (int rank = 1; rank <= st->n; rank++)
        if (!sp.ends[rank].over)
            take_done(&sp, rank, NULL);
    int rc = spmd_verdict(&sp, name, rc0);
    free(sp.ends);
    return rc;
}
