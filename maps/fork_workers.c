/* fork_workers.c - the fork backend's worker processes: starting one,
 * ending one, stopping them all, and saying how one died.
 *
 * Every worker is reaped, whatever happens - a clean stop, a crash, a kill
 * after a timeout - so a map never leaves zombies behind; stopping is
 * polite first (closing our end of the socket tells a worker to leave) and
 * forceful after a short grace.
 *
 * Nor does a worker outlive its caller, however the caller ends - a second
 * Ctrl-C, a crash, SIGKILL - even while it is stuck in a cost and never
 * reads its socket's end of file: on Linux it asks the kernel for SIGKILL
 * when its parent dies (PR_SET_PDEATHSIG), then checks that the parent it
 * was forked from is still its parent, since one that died between the
 * fork and the request would never be reported. (The signal follows the
 * thread that forked: a fork map must be made and used on a thread that
 * outlives it, as every map is.) Elsewhere the end of file is the only
 * notice, which a worker reads when its task returns. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include "fork_int.h"

#define GRACE_SECONDS 0.2         /* how long stopping workers may take before SIGKILL */

/* Every caller-side socket of every fork map of this process. A new worker
 * closes them all: a worker holding another's socket would hide that
 * worker's death (or the caller's) behind an end of file that never comes.
 * The lock spans socketpair..fork..close, so no other map's new worker
 * inherits this worker's end either. */
static pthread_mutex_t fds_lock = PTHREAD_MUTEX_INITIALIZER;
static int *fds;
static size_t nfds, fds_cap;

static int fds_reserve(void)
{
    if (nfds < fds_cap)
        return 0;
    size_t cap = fds_cap ? 2 * fds_cap : 16;
    int *p = realloc(fds, cap * sizeof *p);
    if (!p)
        return -1;
    fds = p;
    fds_cap = cap;
    return 0;
}

/* Close our end of a worker's socket (the worker reads end of file and
 * leaves) and forget it. */
static void close_socket(fork_slot *sl)
{
    if (sl->rd.fd < 0)
        return;
    pthread_mutex_lock(&fds_lock);
    for (size_t k = 0; k < nfds; k++)
        if (fds[k] == sl->rd.fd) {
            fds[k] = fds[--nfds];
            break;
        }
    pthread_mutex_unlock(&fds_lock);
    close(sl->rd.fd);
    augur__wire_reader_init(&sl->rd, -1);
}

/* The first moments of a worker: drop every socket but its own (which its
 * own workers, if a task makes a fork map, must drop in turn), then serve. */
_Noreturn static void become_worker(const augur_map *m, fork_state *st, int s, int fd,
                                    pid_t parent)
{
#ifdef __linux__
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127);
#else
    (void)parent;
#endif
    for (size_t k = 0; k < nfds; k++)
        close(fds[k]);
    nfds = 0;
    fds[nfds++] = fd;
    pthread_mutex_unlock(&fds_lock);
    augur__fork_worker(m, fd, s, &st->progress[s]);
}

/* The caller flushes its stdio first, so that a worker starts with empty
 * buffers and never writes the caller's pending output a second time. */
int augur__fork_spawn(augur_map *m, fork_state *st, int s)
{
    fork_slot *sl = &st->slots[s];
    int sv[2];
    fflush(stdout);
    fflush(stderr);
    pthread_mutex_lock(&fds_lock);
    if (fds_reserve() != 0) {
        pthread_mutex_unlock(&fds_lock);
        return augur__map_fail(m, AUGUR_ENOMEM, "fork map: out of memory");
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        int e = errno;
        pthread_mutex_unlock(&fds_lock);
        return augur__map_fail(m, AUGUR_EFAILED, "fork map: socketpair: %s", strerror(e));
    }
    /* a program the caller or a task runs (system, popen) must not keep a
     * worker's socket open either */
    fcntl(sv[0], F_SETFD, FD_CLOEXEC);
    fcntl(sv[1], F_SETFD, FD_CLOEXEC);
    atomic_store(&st->progress[s].task, 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        become_worker(m, st, s, sv[1], parent);
    }
    int e = errno;
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        pthread_mutex_unlock(&fds_lock);
        return augur__map_fail(m, AUGUR_EFAILED, "fork map: fork: %s", strerror(e));
    }
    fds[nfds++] = sv[0];
    pthread_mutex_unlock(&fds_lock);
    sl->pid = pid;
    sl->fresh = 1;
    sl->job = 0;
    augur__wire_reader_init(&sl->rd, sv[0]);
    return AUGUR_OK;
}

/* Wait for a child: its status; -2 if it still runs (WNOHANG); -1 when it
 * is not ours to wait for (somebody reaped it, or SIGCHLD is ignored). */
static int reap(pid_t pid, int options)
{
    int status;
    pid_t got;
    while ((got = waitpid(pid, &status, options)) < 0 && errno == EINTR)
        ;
    return got == pid ? status : got == 0 ? -2 : -1;
}

/* A worker whose socket failed has usually ended already, and its own
 * death is then what the status says; SIGKILL is for one that has not. */
int augur__fork_end(fork_state *st, int s)
{
    fork_slot *sl = &st->slots[s];
    close_socket(sl);
    if (!sl->pid)
        return -1;
    int status = reap(sl->pid, WNOHANG);
    if (status == -2) {
        kill(sl->pid, SIGKILL);
        status = reap(sl->pid, 0);
    }
    sl->pid = 0;
    return status;
}

void augur__fork_describe(int status, char *buf, size_t cap)
{
    if (status != -1 && WIFSIGNALED(status)) {
        const char *name = strsignal(WTERMSIG(status));
        snprintf(buf, cap, "worker killed by signal %d (%s)", WTERMSIG(status),
                 name ? name : "?");
    } else if (status != -1 && WIFEXITED(status))
        snprintf(buf, cap, "worker exited with status %d", WEXITSTATUS(status));
    else
        snprintf(buf, cap, "worker died");
}

/* Closing our ends tells the workers to leave; those that have not within
 * the grace are killed. */
void augur__fork_stop(fork_state *st)
{
    for (int s = 0; s < st->n; s++) {
        close_socket(&st->slots[s]);
        st->slots[s].nsent = st->slots[s].nwork = 0;
    }
    double until = augur__now() + GRACE_SECONDS;
    for (;;) {
        int left = 0;
        for (int s = 0; s < st->n; s++)
            if (st->slots[s].pid && reap(st->slots[s].pid, WNOHANG) != -2)
                st->slots[s].pid = 0;
            else if (st->slots[s].pid)
                left++;
        if (!left || augur__now() > until)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    for (int s = 0; s < st->n; s++)
        augur__fork_end(st, s);
}

void augur__fork_refresh(fork_state *st)
{
    if (st->stale)
        augur__fork_stop(st);
    st->stale = 0;
}
