/* checkpoint_int.h - private to solvers/: a checkpoint in two halves, so
 * that the expensive one can run on another thread (checkpointer.c).
 *
 * capture records the solver's whole state on a binary tape
 * (checkpoint_tape.c): memcpy's only, on the solver's thread, at a generation
 * boundary. write_tape turns a tape into the checkpoint's text - the bytes
 * augur_solver_save writes for that state - and replaces path with it
 * atomically and durably (core/replace.c). A tape is plain bytes: it
 * points at nothing of the solver, so it can be written while the solver
 * runs on. */
#ifndef AUGUR_CHECKPOINT_INT_H
#define AUGUR_CHECKPOINT_INT_H

#include <libconfig.h>
#include "augur/plugin.h"
#include "augur/solver.h"
#include "strbuf.h"

/* A tape: plain bytes, grown by doubling and reused from capture to
 * capture, so a steady run allocates nothing. */
typedef struct augur__tape {
    unsigned char *bytes;
    size_t len, cap;
    int failed;                   /* out of memory: reported by capture */
} augur__tape;

/* The spec text of the solver a checkpointer saves, kept while the
 * solver's settings stamp stays where it was written (every setter moves
 * it, so does the making of the default condition): a spec is written
 * with the shortest exact decimals, some 30 microseconds, many times a
 * generation of a cheap cost, while the settings rarely change. A setting
 * a monitor changes in the middle of a run reaches the next capture. */

typedef struct augur__spec_cache {
    const augur_solver *solver;
    unsigned long settings;       /* the solver's settings stamp it was written at */
    char *text;
} augur__spec_cache;

/* The calls' state: writing records on a tape, reading walks a parsed file. */
struct augur_ckpt {
    augur__tape *tape;            /* writing: the capture (checkpoint_tape.c) */
    augur__spec_cache *spec;      /* writing: the top solver's spec, or NULL */
    const config_setting_t *group; /* reading: the group being read */
    int defer_mpi;                /* reading: leave the top solver's "mpi" map out */
    int wants_mpi;                /* ... and it had one */
    int rc;
    char err[AUGUR_ERRMSG_CAP];
};

/* checkpoint_tape.c: the records the public put_* calls do not cover, and
 * the body's text made from a tape. */
void augur__ckpt_put_string(augur_ckpt *c, const char *name, const char *text);
void augur__ckpt_open_group(augur_ckpt *c, const char *name);
void augur__ckpt_close_group(augur_ckpt *c);
void augur__ckpt_replay(augur_strbuf *b, const augur__tape *tape);

/* Clears tape (keeping its room) and records s, with job (may be NULL)
 * carried along; spec (may be NULL) the cache for s's spec. On failure the
 * message is in err. */
int augur__ckpt_capture(augur__tape *tape, const augur_solver *s, const char *job,
                        augur__spec_cache *spec, char *err, size_t cap);
/* Asked once the file's bytes are written and before they are synced and
 * renamed in place: nonzero gives the write up (its temporary file
 * removed, the old file left) because a newer state is waiting and someone
 * waits for it to be on disk. */
typedef struct augur__ckpt_superseded {
    int (*check)(void *arg);
    void *arg;
} augur__ckpt_superseded;

/* body is scratch room, reused from write to write; newer may be NULL.
 * AUGUR_STOPPED when newer gave the write up. */
int augur__ckpt_write_tape(const augur__tape *tape, augur_strbuf *body,
                           const char *path, const augur__ckpt_superseded *newer,
                           char *err, size_t cap);

#endif
