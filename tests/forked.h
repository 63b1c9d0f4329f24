/* forked.h - run a piece of a test in a child process of its own, so that
 * an abort (GSL's default error handler, an assert) is a failure the test
 * reports, not the end of the suite. The child runs fn(in, out), sends the
 * out bytes back through a pipe and leaves with _exit (Criterion's atexit
 * handlers stay the parent's); fn must not use cr_assert. GSL's handler is
 * left as it is: the point is to see whether the library reaches it.
 *
 * forked() returns 1 when the child finished and out holds its answer, or
 * 0 with why ("killed by signal 6 (Aborted)", ...) written. Static and
 * marked unused, since not every suite uses it. */
#ifndef AUGUR_TESTS_FORKED_H
#define AUGUR_TESTS_FORKED_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*forked_fn)(const void *in, void *out);

static int forked_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static size_t forked_read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    return got;
}

static __attribute__((unused)) int forked(forked_fn fn, const void *in, void *out,
                                          size_t size, char *why, size_t cap)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(why, cap, "pipe failed");
        return 0;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == -1) {
        snprintf(why, cap, "fork failed");
        close(fds[0]);
        close(fds[1]);
        return 0;
    }
    if (pid == 0) {
        close(fds[0]);
        fn(in, out);
        _exit(forked_write_all(fds[1], out, size) == 0 ? 0 : 3);
    }
    close(fds[1]);
    size_t got = forked_read_all(fds[0], out, size);
    close(fds[0]);
    int w;
    if (waitpid(pid, &w, 0) != pid) {
        snprintf(why, cap, "waitpid failed");
        return 0;
    }
    if (WIFSIGNALED(w)) {
        snprintf(why, cap, "killed by signal %d (%s)", WTERMSIG(w),
                 strsignal(WTERMSIG(w)));
        return 0;
    }
    if (!WIFEXITED(w) || WEXITSTATUS(w) != 0 || got != size) {
        snprintf(why, cap, "the child exited with status %d after %zu of %zu bytes",
                 WIFEXITED(w) ? WEXITSTATUS(w) : -1, got, size);
        return 0;
    }
    return 1;
}

#endif
