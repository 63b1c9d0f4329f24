/* mpi_int.h - private to the MPI backend (mpi.c, mpi_world.c, mpi_serve.c):
 * the process's MPI state, the messages rank 0 and the workers exchange,
 * and the few MPI helpers both sides use.
 *
 * Every message is bytes: a fixed header of 64-bit fields (so ranks agree
 * on it whatever their compiler's padding) followed by payload. Commands
 * travel from rank 0 on TAG_CMD, results come back on TAG_RESULT; which
 * chunk a result belongs to is in its header, not in the tag, because MPI
 * only promises tags up to 32767 and a job may have more chunks. */
#ifndef AUGUR_MPI_INT_H
#define AUGUR_MPI_INT_H

#include <mpi.h>
#include <stdint.h>
#include "map_int.h"

/* The backend's type table (mpi.c); libaugur_mpi registers it with the
 * core library's backends at load time (mpi_world.c). */
extern const augur_map_type augur__map_mpi;

enum { TAG_CMD = 1, TAG_RESULT = 2 };

enum {
    CMD_JOB = 1,                  /* wire_job, the task's name, the context */
    CMD_CHUNK,                    /* wire_chunk, count input records */
    CMD_SHARED,                   /* wire_shared; then an agreement and a bcast */
    CMD_SPMD,                     /* wire_spmd, the function's name, the argument */
    CMD_STOP                      /* wire kind only: leave the serve loop */
};

typedef struct wire_job {
    uint64_t kind, ntasks, in_len, out_len, context_len, name_len, seed;
} wire_job;

typedef struct wire_chunk {
    uint64_t kind, first, count;
} wire_chunk;

typedef struct wire_shared {
    uint64_t kind, len;
} wire_shared;

typedef struct wire_spmd {
    uint64_t kind, name_len, arg_len;
} wire_spmd;

/* A worker's answer to a chunk: then count output records when status is
 * AUGUR_OK, else msg_len bytes of message for the task at fail_index. */
typedef struct wire_result {
    int64_t status;
    uint64_t first, count, fail_index, msg_len;
} wire_result;

/* Largest message we build: MPI counts are ints, and bigger jobs are cut
 * into more chunks rather than refused. */
#define MPI_MSG_MAX ((size_t)1 << 30)

enum { WORLD_NEW, WORLD_UP, WORLD_DONE };

typedef struct mpi_world {
    int state;                    /* WORLD_* */
    MPI_Comm comm;                /* our duplicate of MPI_COMM_WORLD */
    int rank, size;
    int provided;                 /* the thread level MPI gave us */
    int owns_mpi;                 /* we called MPI_Init_thread, so we finalize */
} mpi_world;

extern mpi_world augur__mpi;

/* A growable byte buffer. */
typedef struct mpi_buf {
    char *data;
    size_t cap;
} mpi_buf;

int augur__mpi_reserve(mpi_buf *b, size_t len);
void augur__mpi_buf_free(mpi_buf *b);

/* An MPI return code as AUGUR_EIO with MPI's own words and what we did. */
int augur__mpi_error(int mpi_rc, char *err, size_t cap, const char *what);

/* Wait until a message (src, tag) is there; returns an MPI code. *spin is
 * the caller's spin time (seconds), adapted to its traffic: start it at
 * MPI_SPIN_START. */
#define MPI_SPIN_START 50e-6
int augur__mpi_wait(int src, int tag, MPI_Status *st, double *spin);
/* Receive the message st announced into b; *len its size. */
int augur__mpi_take(const MPI_Status *st, mpi_buf *b, size_t *len,
                    char *err, size_t cap);
/* MPI_Bcast from rank 0 of any number of bytes; returns an MPI code. */
int augur__mpi_bcast(void *buf, size_t len);
/* Every rank states a problem (0: none, else one of PROBLEM_*); every rank
 * learns the worst one and the lowest rank that has it, so all can take
 * the same path. Returns an MPI code. */
enum { PROBLEM_NO_MEMORY = 1, PROBLEM_NO_FUNCTION = 2 };
int augur__mpi_agree(int mine, int *worst, int *where);

/* Every rank: agree that all have fn (and memory), run it as one group,
 * gather the statuses on rank 0 (statuses: size ints there, NULL
 * elsewhere). *problem and *where as augur__mpi_agree says; fn did not run
 * if *problem. Returns an MPI code. */
int augur__mpi_spmd_all(augur_spmd_fn fn, const void *arg, size_t arg_len,
                        int *statuses, int *problem, int *where);

/* Rank 0: take the lock that serialises MPI work (refusing nested jobs,
 * the wrong thread, a finalized or broken MPI) or say why not in err. */
int augur__mpi_enter(char *err, size_t cap);
void augur__mpi_leave(void);
/* Record that an MPI failure (rc, why) left the workers' state unknown;
 * returns rc. */
int augur__mpi_break(int rc, const char *why);

/* A worker's life: serve rank 0's commands until CMD_STOP. */
int augur__mpi_serve(char *err, size_t cap);

#endif
