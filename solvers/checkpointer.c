/* checkpointer.c - checkpoints written by a thread of their own
 * (augur_checkpointer_*, solver.h; docs/CHECKPOINTS.md).
 *
 * A synchronous save spends about a millisecond on formatting the text,
 * the checksum, the file calls and two fsyncs, while a generation of a
 * cheap cost takes microseconds: saving every generation would slow such
 * a run a hundredfold. Here the caller only captures (checkpoint_int.h: a
 * tape of the state's raw numbers) and the writer thread does the rest.
 *
 * Three tapes change hands, so neither side ever waits for the other's
 * work: the caller captures into `capture`; a save swaps it with `pending`
 * under the mutex (two pointers) and wakes the writer only when it sleeps;
 * the writer swaps `pending` with `writing` and writes that without the
 * lock. A capture that arrives while `pending` is still unwritten replaces
 * it: latest wins, so the writer never falls behind by more than the write
 * it is doing, and the file on disk is always whole (core/replace.c) and
 * the checkpoint of some capture. Each capture has a number; flush waits
 * until the written number reaches the last captured one, and while it
 * waits, a write with a newer capture behind it is given up before its
 * syncs (superseded), so the end of a run waits for one write, not two.
 *
 * Fork: a fork copies only the calling thread, so a child's copy of the
 * mutex may be held by a writer that does not exist there. A child must
 * therefore never use its parent's checkpointer; every call checks the
 * process id first and refuses in another process, without touching the
 * lock. The fork map's workers run tasks and _exit, never the generation
 * monitors that save (docs/CHECKPOINTS.md). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkpoint_int.h"
#include "internal.h"

struct augur_checkpointer {
    char *path;
    pid_t owner;                  /* the process that opened it */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;          /* to the writer: pending or closing */
    pthread_cond_t written;       /* to flush: a write has finished */
    augur__tape tapes[3];
    augur__tape *capture;         /* the caller's */
    augur__tape *pending;         /* under mu: the newest capture not yet taken */
    augur__tape *writing;         /* the writer's */
    augur_strbuf body;            /* the writer's text, reused */
    augur__spec_cache spec;       /* the caller's */
    /* under mu */
    size_t captures;              /* the number of the newest capture */
    size_t pending_seq;           /* pending's number, 0 when none */
    size_t written_seq;           /* the newest capture written (or failed) */
    size_t writes;                /* files written */
    int writer_idle;              /* waiting on wake */
    int flushing;                 /* callers waiting in flush */
    int closing;
    int write_rc;                 /* a failed write not yet reported */
    char write_err[AUGUR_ERRMSG_CAP];
    /* the caller's */
    char errmsg[AUGUR_ERRMSG_CAP];
};

/* Take the pending tape, or wait for one; 0 once closing and none is left. */
static size_t take_pending(augur_checkpointer *ck)
{
    while (!ck->pending_seq && !ck->closing) {
        ck->writer_idle = 1;
        pthread_cond_wait(&ck->wake, &ck->mu);
        ck->writer_idle = 0;
    }
    size_t seq = ck->pending_seq;
    if (seq) {
        augur__tape *t = ck->writing;
        ck->writing = ck->pending;
        ck->pending = t;
        ck->pending_seq = 0;
    }
    return seq;
}

/* While a flush waits, a write whose capture has a newer one behind it is
 * given up before its syncs: the flush then waits for one write, not two.
 * (Never while the caller runs on: a capture every few microseconds would
 * give up every write.) */
static int superseded(void *arg)
{
    augur_checkpointer *ck = arg;
    pthread_mutex_lock(&ck->mu);
    int newer = ck->flushing && ck->pending_seq;
    pthread_mutex_unlock(&ck->mu);
    return newer;
}

static void *writer(void *arg)
{
    augur_checkpointer *ck = arg;
    const augur__ckpt_superseded newer = {.check = superseded, .arg = ck};
    char err[AUGUR_ERRMSG_CAP];
    pthread_mutex_lock(&ck->mu);
    size_t seq;
    while ((seq = take_pending(ck)) != 0) {
        pthread_mutex_unlock(&ck->mu);
        int rc = augur__ckpt_write_tape(ck->writing, &ck->body, ck->path, &newer, err,
                                        sizeof err);
        pthread_mutex_lock(&ck->mu);
        if (rc == AUGUR_STOPPED && ck->pending_seq)
            continue;   /* given up: the newer capture is pending */
        if (rc != AUGUR_OK) {
            ck->write_rc = rc;
            memcpy(ck->write_err, err, sizeof err);
        } else {
            ck->writes++;
        }
        ck->written_seq = seq;
        pthread_cond_broadcast(&ck->written);
    }
    pthread_mutex_unlock(&ck->mu);
    return NULL;
}

static void free_buffers(augur_checkpointer *ck)
{
    for (int k = 0; k < 3; k++)
        free(ck->tapes[k].bytes);
    free(ck->body.text);
    free(ck->spec.text);
    free(ck->path);
    free(ck);
}

augur_checkpointer *augur_checkpointer_open(const char *path, char *err, size_t cap)
{
    if (!path || augur__output_path_check(path, err, cap) != AUGUR_OK) {
        if (!path)
            augur__fail_msg(err, cap, AUGUR_EINVAL, "no checkpoint file named");
        return NULL;
    }
    augur_checkpointer *ck = calloc(1, sizeof *ck);
    if (!ck || !(ck->path = strdup(path))) {
        free(ck);
        augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        return NULL;
    }
    ck->owner = getpid();
    ck->capture = &ck->tapes[0];
    ck->pending = &ck->tapes[1];
    ck->writing = &ck->tapes[2];
    pthread_mutex_init(&ck->mu, NULL);
    pthread_cond_init(&ck->wake, NULL);
    pthread_cond_init(&ck->written, NULL);
    if (pthread_create(&ck->thread, NULL, writer, ck) != 0) {
        augur__fail_msg(err, cap, AUGUR_ENOMEM, "%s: cannot start the checkpoint "
                        "writer's thread", path);
        pthread_cond_destroy(&ck->written);
        pthread_cond_destroy(&ck->wake);
        pthread_mutex_destroy(&ck->mu);
        free_buffers(ck);
        return NULL;
    }
    return ck;
}

/* The first call of the day: the message cleared; another process (a
 * fork of the owner) refused before it can touch the lock. */
static int enter(augur_checkpointer *ck)
{
    ck->errmsg[0] = '\0';
    if (getpid() != ck->owner)
        return augur__fail_msg(ck->errmsg, sizeof ck->errmsg, AUGUR_ESTATE,
                               "%s: a checkpointer cannot be used in a forked process",
                               ck->path);
    return AUGUR_OK;
}

/* Under mu: a failed write not yet reported, now reported. */
static int report_write(augur_checkpointer *ck)
{
    int rc = ck->write_rc;
    if (rc != AUGUR_OK) {
        memcpy(ck->errmsg, ck->write_err, sizeof ck->errmsg);
        ck->write_rc = AUGUR_OK;
    }
    return rc;
}

int augur_checkpointer_save(augur_checkpointer *ck, const augur_solver *s,
                            const char *job)
{
    if (!ck || !s)
        return AUGUR_EINVAL;
    int rc = enter(ck);
    if (rc == AUGUR_OK)
        rc = augur__ckpt_capture(ck->capture, s, job, &ck->spec, ck->errmsg,
                                 sizeof ck->errmsg);
    if (rc != AUGUR_OK)
        return rc;
    pthread_mutex_lock(&ck->mu);
    augur__tape *t = ck->pending;
    ck->pending = ck->capture;
    ck->capture = t;
    ck->pending_seq = ++ck->captures;
    if (ck->writer_idle)
        pthread_cond_signal(&ck->wake);
    rc = report_write(ck);
    pthread_mutex_unlock(&ck->mu);
    return rc;
}

int augur_checkpointer_flush(augur_checkpointer *ck)
{
    if (!ck)
        return AUGUR_EINVAL;
    int rc = enter(ck);
    if (rc != AUGUR_OK)
        return rc;
    pthread_mutex_lock(&ck->mu);
    ck->flushing++;
    while (ck->written_seq < ck->captures)
        pthread_cond_wait(&ck->written, &ck->mu);
    ck->flushing--;
    rc = report_write(ck);
    pthread_mutex_unlock(&ck->mu);
    return rc;
}

int augur_checkpointer_close(augur_checkpointer *ck, char *err, size_t cap)
{
    if (!ck)
        return AUGUR_OK;
    int rc = augur_checkpointer_flush(ck);
    if (rc != AUGUR_OK && err && cap)
        snprintf(err, cap, "%s", ck->errmsg);
    if (rc == AUGUR_ESTATE && getpid() != ck->owner)
        return rc;   /* not ours to stop: the thread lives in the parent */
    pthread_mutex_lock(&ck->mu);
    ck->closing = 1;
    pthread_cond_signal(&ck->wake);
    pthread_mutex_unlock(&ck->mu);
    pthread_join(ck->thread, NULL);
    pthread_cond_destroy(&ck->written);
    pthread_cond_destroy(&ck->wake);
    pthread_mutex_destroy(&ck->mu);
    free_buffers(ck);
    return rc;
}

const char *augur_checkpointer_errmsg(const augur_checkpointer *ck)
{
    return ck ? ck->errmsg : "no checkpointer";
}

void augur_checkpointer_counts(const augur_checkpointer *ck, size_t *captures,
                               size_t *writes)
{
    augur_checkpointer *w = (augur_checkpointer *)ck;   /* the lock only */
    size_t c = 0, n = 0;
    if (w && getpid() == w->owner) {
        pthread_mutex_lock(&w->mu);
        c = w->captures;
        n = w->writes;
        pthread_mutex_unlock(&w->mu);
    }
    if (captures)
        *captures = c;
    if (writes)
        *writes = n;
}
