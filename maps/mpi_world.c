/* mpi_world.c - MPI itself for augur's MPI backend: starting and stopping
 * it (augur/map_mpi.h), the private communicator, the lock that serialises
 * rank 0's MPI traffic, and the message helpers both sides use.
 *
 * augur_mpi_init is where a worker spends its life (the serve loop of
 * mpi_serve.c); rank 0 returns from it at once and drives maps (mpi.c).
 * The communicator is a duplicate of MPI_COMM_WORLD, so the program's own
 * MPI traffic cannot match ours, and it returns errors instead of aborting,
 * so every failure becomes a status and a message. Waiting for a message
 * spins briefly and then sleeps between probes, because OpenMPI's blocking
 * calls busy-poll: a rank that only waits - the dealer, an idle worker -
 * should leave its core to the ranks that compute. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "augur/map_mpi.h"
#include "mpi_int.h"

mpi_world augur__mpi = {.state = WORLD_NEW};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int inside;  /* this thread holds the lock */
static char broken[AUGUR_ERRMSG_CAP];     /* set when MPI failed mid-protocol */
static char world_err[AUGUR_ERRMSG_CAP];  /* augur_mpi_errmsg */

/* --- Messages ---------------------------------------------------------------- */

int augur__mpi_reserve(mpi_buf *b, size_t len)
{
    if (len <= b->cap)
        return AUGUR_OK;
    char *p = realloc(b->data, len);
    if (!p)
        return AUGUR_ENOMEM;
    b->data = p;
    b->cap = len;
    return AUGUR_OK;
}

void augur__mpi_buf_free(mpi_buf *b)
{
    free(b->data);
    *b = (mpi_buf){0};
}

int augur__mpi_error(int mpi_rc, char *err, size_t cap, const char *what)
{
    char text[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    if (MPI_Error_string(mpi_rc, text, &len) != MPI_SUCCESS)
        snprintf(text, sizeof text, "MPI error %d", mpi_rc);
    return augur__fail_msg(err, cap, AUGUR_EIO, "mpi: %s failed on rank %d: %s",
                           what, augur__mpi.rank, text);
}

/* Waiting: spin on MPI_Iprobe for up to *spin seconds, then sleep between
 * probes, the sleeps doubling from 50 us (Linux makes any shorter one about
 * that long) up to a cap; every wake-up takes a core from a worker for a
 * moment, so a long wait should wake rarely. The spin adapts to the
 * caller's traffic: when messages come within it (cheap tasks) it grows
 * back to SPIN_MAX for the lowest latency; when they come only after
 * sleeping (long tasks) it shrinks, so a dealer waiting for long tasks does
 * not spin away a core the workers need - which matters when ranks share
 * cores. (OpenMPI's own blocking calls would busy-poll all the while.) */
#define SPIN_MAX 50e-6
#define SPIN_MIN 10e-6
#define PAUSE_MIN_NS 50000L
#define PAUSE_MAX_NS 100000L

int augur__mpi_wait(int src, int tag, MPI_Status *st, double *spin)
{
    double start = augur__now();
    long pause = PAUSE_MIN_NS;
    int slept = 0;
    for (;;) {
        int ready = 0;
        int rc = MPI_Iprobe(src, tag, augur__mpi.comm, &ready, st);
        if (rc != MPI_SUCCESS)
            return rc;
        if (ready) {
            *spin = slept ? *spin / 4 : *spin * 2;
            *spin = *spin < SPIN_MIN ? SPIN_MIN : *spin > SPIN_MAX ? SPIN_MAX : *spin;
            return MPI_SUCCESS;
        }
        if (!slept && augur__now() - start < *spin)
            continue;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = pause};
        nanosleep(&ts, NULL);
        slept = 1;
        if (pause < PAUSE_MAX_NS)
            pause *= 2;
    }
}

int augur__mpi_take(const MPI_Status *st, mpi_buf *b, size_t *len, char *err,
                    size_t cap)
{
    int n = 0;
    int rc = MPI_Get_count(st, MPI_BYTE, &n);
    if (rc != MPI_SUCCESS)
        return augur__mpi_error(rc, err, cap, "MPI_Get_count");
    if (augur__mpi_reserve(b, n > 0 ? (size_t)n : 1) != AUGUR_OK)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "mpi: rank %d has no memory "
                               "for a message of %d bytes", augur__mpi.rank, n);
    rc = MPI_Recv(b->data, n, MPI_BYTE, st->MPI_SOURCE, st->MPI_TAG,
                  augur__mpi.comm, MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS)
        return augur__mpi_error(rc, err, cap, "MPI_Recv");
    *len = (size_t)n;
    return AUGUR_OK;
}

int augur__mpi_bcast(void *buf, size_t len)
{
    int rc = MPI_SUCCESS;
    for (size_t done = 0; done < len && rc == MPI_SUCCESS; done += MPI_MSG_MAX) {
        size_t piece = len - done < MPI_MSG_MAX ? len - done : MPI_MSG_MAX;
        rc = MPI_Bcast((char *)buf + done, (int)piece, MPI_BYTE, 0, augur__mpi.comm);
    }
    return rc;
}

int augur__mpi_agree(int mine, int *worst, int *where)
{
    /* MINLOC of -problem: the worst problem, and the lowest rank with it. */
    struct { int value, rank; } in = {-mine, augur__mpi.rank}, out;
    int rc = MPI_Allreduce(&in, &out, 1, MPI_2INT, MPI_MINLOC, augur__mpi.comm);
    *worst = rc == MPI_SUCCESS ? -out.value : PROBLEM_NO_MEMORY;
    *where = rc == MPI_SUCCESS && out.value ? out.rank : -1;
    return rc;
}

/* --- Rank 0's lock ------------------------------------------------------------ */

void augur__mpi_leave(void)
{
    inside = 0;
    pthread_mutex_unlock(&lock);
}

int augur__mpi_enter(char *err, size_t cap)
{
    if (inside)
        return augur__fail_msg(err, cap, AUGUR_ESTATE, "map 'mpi': no MPI job can "
                               "start inside a task or SPMD job running on rank 0 "
                               "(the workers are busy with the outer one)");
    int main_thread = 1;
    if (augur__mpi.provided < MPI_THREAD_SERIALIZED)
        MPI_Is_thread_main(&main_thread);
    if (!main_thread)
        return augur__fail_msg(err, cap, AUGUR_EUNSUP, "map 'mpi': MPI runs at a "
                               "thread level below MPI_THREAD_SERIALIZED, so only "
                               "the thread that initialised MPI may run jobs (use "
                               "augur_map_run, not augur_map_submit)");
    pthread_mutex_lock(&lock);
    inside = 1;
    int rc = AUGUR_OK;
    if (augur__mpi.state != WORLD_UP)
        rc = augur__fail_msg(err, cap, AUGUR_ESTATE, "map 'mpi': MPI was finalized "
                             "(augur_mpi_finalize)");
    else if (broken[0])
        rc = augur__fail_msg(err, cap, AUGUR_EIO, "map 'mpi': an earlier MPI error "
                             "left the workers in an unknown state: %s", broken);
    if (rc != AUGUR_OK)
        augur__mpi_leave();
    return rc;
}

int augur__mpi_break(int rc, const char *why)
{
    if (rc != AUGUR_OK && !broken[0])
        snprintf(broken, sizeof broken, "%s", why);
    return rc;
}

/* --- Starting and stopping MPI ---------------------------------------------- */

static int world_fail(int code, const char *what, int mpi_rc)
{
    if (mpi_rc != MPI_SUCCESS)
        return augur__mpi_error(mpi_rc, world_err, sizeof world_err, what);
    return augur__fail_msg(world_err, sizeof world_err, code, "%s", what);
}

/* Our communicator: a duplicate of MPI_COMM_WORLD, so the program's own MPI
 * traffic cannot match ours, returning errors instead of aborting. The
 * duplication itself runs with errors returned too. */
static int open_comm(void)
{
    MPI_Errhandler old;
    int rc = MPI_Comm_get_errhandler(MPI_COMM_WORLD, &old);
    if (rc == MPI_SUCCESS) {
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
        rc = MPI_Comm_dup(MPI_COMM_WORLD, &augur__mpi.comm);
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, old);
        MPI_Errhandler_free(&old);
    }
    if (rc == MPI_SUCCESS)
        rc = MPI_Comm_set_errhandler(augur__mpi.comm, MPI_ERRORS_RETURN);
    if (rc == MPI_SUCCESS)
        rc = MPI_Comm_rank(augur__mpi.comm, &augur__mpi.rank);
    if (rc == MPI_SUCCESS)
        rc = MPI_Comm_size(augur__mpi.comm, &augur__mpi.size);
    return rc == MPI_SUCCESS ? AUGUR_OK : world_fail(AUGUR_EIO, "MPI_Comm_dup", rc);
}

static int start_mpi(int *argc, char ***argv)
{
    int done = 0, up = 0;
    MPI_Finalized(&done);
    if (done)
        return world_fail(AUGUR_ESTATE, "augur_mpi_init: MPI was already finalized",
                          MPI_SUCCESS);
    MPI_Initialized(&up);
    int rc;
    if (up)
        rc = MPI_Query_thread(&augur__mpi.provided);
    else
        rc = MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &augur__mpi.provided);
    if (rc != MPI_SUCCESS)
        return world_fail(AUGUR_EIO, "MPI_Init_thread", rc);
    augur__mpi.owns_mpi = !up;
    return open_comm();
}

static int stop_mpi(void)
{
    int rc = MPI_Comm_free(&augur__mpi.comm);
    if (rc == MPI_SUCCESS && augur__mpi.owns_mpi)
        rc = MPI_Finalize();
    augur__mpi.state = WORLD_DONE;
    return rc == MPI_SUCCESS ? AUGUR_OK : world_fail(AUGUR_EIO, "MPI_Finalize", rc);
}

/* libaugur itself knows only serial, threads and fork: this library adds
 * "mpi" to its backends when it is loaded. The registration sits here,
 * beside augur_mpi_init, because a static program that can use the map
 * must call augur_mpi_init, so this file (and mpi.c, which it names
 * through the table) is always linked in with it. */
AUGUR__AT_LOAD(register_backend_mpi)
{
    augur__map_backend_register(&augur__map_mpi);
}

int augur_mpi_init(int *argc, char ***argv, int *is_root)
{
    world_err[0] = '\0';
    if (!is_root)
        return world_fail(AUGUR_EINVAL, "augur_mpi_init: NULL is_root", MPI_SUCCESS);
    *is_root = 0;
    if (augur__mpi.state != WORLD_NEW)
        return world_fail(AUGUR_ESTATE, "augur_mpi_init: called twice", MPI_SUCCESS);
    int rc = start_mpi(argc, argv);
    if (rc != AUGUR_OK)
        return rc;
    augur__mpi.state = WORLD_UP;
    if (augur__mpi.rank == 0) {
        *is_root = 1;
        return AUGUR_OK;
    }
    rc = augur__mpi_serve(world_err, sizeof world_err);
    if (rc != AUGUR_OK) {
        /* MPI stays up: finalizing could wait for rank 0 forever; when this
         * process exits, mpirun ends the job. */
        augur__mpi.state = WORLD_DONE;
        return rc;
    }
    return stop_mpi();
}

int augur_mpi_finalize(void)
{
    world_err[0] = '\0';
    if (augur__mpi.state == WORLD_DONE)
        return AUGUR_OK;
    if (augur__mpi.state == WORLD_NEW)
        return world_fail(AUGUR_ESTATE, "augur_mpi_finalize: augur_mpi_init was not "
                          "called", MPI_SUCCESS);
    if (inside || augur__mpi.rank != 0)
        return world_fail(AUGUR_ESTATE, "augur_mpi_finalize: called from inside an "
                          "MPI job", MPI_SUCCESS);
    pthread_mutex_lock(&lock);
    int rc = AUGUR_OK;
    if (broken[0])
        rc = augur__fail_msg(world_err, sizeof world_err, AUGUR_EIO, "augur_mpi_"
                             "finalize: MPI is left up after an earlier error (%s); "
                             "exit, and mpirun ends the job", broken);
    uint64_t stop = CMD_STOP;
    for (int r = 1; r < augur__mpi.size && rc == AUGUR_OK; r++) {
        int mpi_rc = MPI_Send(&stop, sizeof stop, MPI_BYTE, r, TAG_CMD, augur__mpi.comm);
        if (mpi_rc != MPI_SUCCESS)
            rc = world_fail(AUGUR_EIO, "MPI_Send", mpi_rc);
    }
    if (rc == AUGUR_OK)
        rc = stop_mpi();
    pthread_mutex_unlock(&lock);
    return rc;
}

const char *augur_mpi_errmsg(void)
{
    return world_err;
}
