/* util.c - small helpers every area shares: message formatting, name
 * matching, seed mixing, the clock and joining paths. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getrandom */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

int augur__vfail_msg(char *buf, size_t cap, int code, const char *fmt,
                     va_list ap)
{
    if (buf && cap > 0)
        vsnprintf(buf, cap, fmt, ap);
    return code;
}

int augur__fail_msg(char *buf, size_t cap, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(buf, cap, code, fmt, ap);
    va_end(ap);
    return code;
}

void augur__append(char *buf, size_t cap, size_t *used, const char *text)
{
    if (*used >= cap)
        return;
    size_t len = strlen(text), room = cap - 1 - *used;
    if (len > room)
        len = room;
    memcpy(buf + *used, text, len);
    *used += len;
    buf[*used] = '\0';
}

static int fold(int c)
{
    return c == '_' ? '-' : tolower((unsigned char)c);
}

int augur__name_eq(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    for (; *a && *b; a++, b++)
        if (*a != *b && fold(*a) != fold(*b))   /* folding only where they differ */
            return 0;
    return *a == *b;
}

uint64_t augur__mix_seed(uint64_t seed, uint64_t index)
{
    /* SplitMix64: consecutive indices give unrelated, well-spread seeds, so
     * stream k of a run never depends on how many streams came before. */
    uint64_t z = seed + (index + 1) * UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* --- Seeds from the operating system ------------------------------------ */
/* getrandom is a system call, and an ensemble starts thousands of short
 * unseeded runs. So the OS is asked once per process (and once more in a
 * forked child, which would otherwise repeat its parent's seeds), and each
 * run takes the next value of a SplitMix64 stream from that: seeds stay
 * unpredictable from one process to the next and distinct within one. */
static pthread_once_t os_seed_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t os_seed_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t os_seed_base, os_seed_count;
static int os_seed_ready;

static uint64_t ask_the_os(void)
{
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, 0) == (ssize_t)sizeof s)
        return s;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return augur__mix_seed((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
                           (uint64_t)getpid());
}

/* fork copies the lock as it is: hold it across the fork, so that no
 * other thread is halfway through a draw, and let the child ask anew. */
static void os_seed_prepare(void)
{
    pthread_mutex_lock(&os_seed_lock);
}

static void os_seed_parent(void)
{
    pthread_mutex_unlock(&os_seed_lock);
}

static void os_seed_child(void)
{
    os_seed_ready = 0;
    pthread_mutex_unlock(&os_seed_lock);
}

static void os_seed_watch_forks(void)
{
    pthread_atfork(os_seed_prepare, os_seed_parent, os_seed_child);
}

uint64_t augur__os_seed(void)
{
    pthread_once(&os_seed_once, os_seed_watch_forks);
    pthread_mutex_lock(&os_seed_lock);
    if (!os_seed_ready) {
        os_seed_base = ask_the_os();
        os_seed_count = 0;
        os_seed_ready = 1;
    }
    uint64_t seed = augur__mix_seed(os_seed_base, os_seed_count++);
    pthread_mutex_unlock(&os_seed_lock);
    return seed;
}

/* --- Numbers in the "C" locale ------------------------------------------ */
/* uselocale switches the calling thread only, and costs a few
 * instructions; the "C" locale object is made once and lives as long as
 * the process. */
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

void *augur__numeric_begin(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale ? (void *)uselocale(c_locale) : NULL;
}

void augur__numeric_end(void *previous)
{
    if (previous)
        uselocale((locale_t)previous);
}

double augur__strtod(const char *s, char **end)
{
    void *previous = augur__numeric_begin();
    double v = strtod(s, end);
    augur__numeric_end(previous);
    return v;
}

double augur__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static pthread_mutex_t matheval_lock = PTHREAD_MUTEX_INITIALIZER;
static void *matheval_locale;   /* the holder's, to restore */

/* libmatheval's scanner reads "0.5" in the current locale: its calls run
 * in the "C" one. */
void augur__matheval_lock(void)
{
    pthread_mutex_lock(&matheval_lock);
    matheval_locale = augur__numeric_begin();
}

void augur__matheval_unlock(void)
{
    augur__numeric_end(matheval_locale);
    pthread_mutex_unlock(&matheval_lock);
}

char *augur__path_join(const char *dir, const char *path)
{
    if (!path)
        return NULL;
    if (path[0] == '/' || !dir || strcmp(dir, ".") == 0)
        return strdup(path);
    size_t ld = strlen(dir), lp = strlen(path);
    char *full = malloc(ld + lp + 2);
    if (full)
        snprintf(full, ld + lp + 2, "%s/%s", dir, path);
    return full;
}

/* --- Files ------------------------------------------------------------------ */

static const char *file_kind(mode_t mode)
{
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

int augur__output_path_check(const char *path, char *err, size_t cap)
{
    if (!path || !*path)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "an empty output file name");
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return AUGUR_OK;   /* a new name */
        return augur__fail_msg(err, cap, AUGUR_EIO, "%s: %s", path, strerror(errno));
    }
    if (S_ISREG(st.st_mode))
        return AUGUR_OK;
    return augur__fail_msg(err, cap, AUGUR_EINVAL,
                           "%s is %s: an output must be a regular file or a new name",
                           path, file_kind(st.st_mode));
}

/* Defaults of augur_set_file_limits (docs/CONFIG.md). */
static _Atomic size_t max_config = (size_t)16 << 20;
static _Atomic size_t max_data = (size_t)1 << 30;

size_t augur__max_config_bytes(void)
{
    return max_config;
}

size_t augur__max_data_bytes(void)
{
    return max_data;
}

void augur__set_max_bytes(size_t config_bytes, size_t data_bytes)
{
    if (config_bytes)
        max_config = config_bytes;
    if (data_bytes)
        max_data = data_bytes;
}

FILE *augur__input_open(const char *path, size_t max_bytes, const char *what, int *rc,
                        char *err, size_t cap)
{
    /* non-blocking, so a FIFO with no writer cannot hang the open; fstat of
     * what was opened, so nothing can swap the file in between */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        *rc = augur__fail_msg(err, cap, e == ENOENT ? AUGUR_ENOTFOUND : AUGUR_EIO,
                              "%s: cannot open: %s", path, strerror(e));
        return NULL;
    }
    struct stat st;
    int code = AUGUR_OK;
    if (fstat(fd, &st) != 0)
        code = augur__fail_msg(err, cap, AUGUR_EIO, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        code = augur__fail_msg(err, cap, AUGUR_EINVAL, "%s is %s: a %s must be a regular "
                               "file", path, file_kind(st.st_mode), what);
    else if ((uintmax_t)st.st_size > (uintmax_t)max_bytes)
        code = augur__fail_msg(err, cap, AUGUR_ERANGE,
                               "%s: %jd bytes is more than the %zu a %s may have "
                               "(augur_set_file_limits, --max-file-size)",
                               path, (intmax_t)st.st_size, max_bytes, what);
    int flags = fcntl(fd, F_GETFL);
    FILE *fp = code == AUGUR_OK && flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0
                   ? fdopen(fd, "rb") : NULL;
    if (!fp) {
        if (code == AUGUR_OK)
            code = augur__fail_msg(err, cap, AUGUR_EIO, "%s: cannot open: %s", path,
                                   strerror(errno));
        close(fd);
    }
    *rc = code;
    return fp;
}

/* --- Sizes ----------------------------------------------------------------- */

int augur__mul3_size(size_t a, size_t b, size_t c, size_t *out)
{
    size_t ab;
    if (augur__mul_size(a, b, &ab) != 0)
        return -1;
    return augur__mul_size(ab, c, out);
}

void *augur__malloc_array(size_t count, size_t size)
{
    size_t bytes;
    if (augur__mul_size(count, size, &bytes) != 0)
        return NULL;
    return malloc(bytes ? bytes : 1);
}

void *augur__calloc_array(size_t count, size_t size)
{
    size_t bytes;
    if (augur__mul_size(count, size, &bytes) != 0)
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *augur__realloc_array(void *p, size_t count, size_t size)
{
    size_t bytes;
    if (augur__mul_size(count, size, &bytes) != 0)
        return NULL;
    return realloc(p, bytes ? bytes : 1);
}
