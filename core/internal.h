/* internal.h - private to augur: the ground floor every area shares
 * (core/). Status messages, name matching, parameter tables, exact number
 * text, seeds, the clock, the libmatheval lock. It includes nothing of the
 * project above core/ (public headers in include/ only), so any area may
 * include it and it depends on none. Nothing here is installed or part of
 * the API. Internal non-static names carry the augur__ prefix. */
#ifndef AUGUR_INTERNAL_H
#define AUGUR_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "augur/param.h"
#include "augur/status.h"

#define AUGUR_ERRMSG_CAP 256
#define AUGUR_REASON_CAP 1024

#if defined(__GNUC__)
#define AUGUR__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AUGUR__PRINTF(a, b)
#endif

#define AUGUR__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Our own pi: the library builds as strict C11 + POSIX, where <math.h> need
 * not define M_PI. */
#define AUGUR__PI 3.14159265358979323846

/* A function run when the library is loaded, before main: how an upper
 * area fills a hook that a lower one owns (a built-in map task), so the
 * lower area never names the upper. */
#if defined(__GNUC__)
#define AUGUR__AT_LOAD(fn) static void fn(void) __attribute__((constructor)); \
    static void fn(void)
#else
#error "augur needs a compiler with __attribute__((constructor)) (GCC, Clang)"
#endif

/* An internal name that augur's own MPI library (libaugur_mpi, maps/mpi*.c)
 * calls across the shared-library boundary: exported from libaugur.so like
 * the API, but still private (augur__ prefix, no public header). */
#if defined(__GNUC__)
#define AUGUR__SHARED __attribute__((visibility("default")))
#else
#define AUGUR__SHARED
#endif

/* Format into buf (always terminated, truncated if need be) and return code:
 * the one way every area records a failure. */
AUGUR__SHARED int augur__fail_msg(char *buf, size_t cap, int code, const char *fmt, ...)
    AUGUR__PRINTF(4, 5);
int augur__vfail_msg(char *buf, size_t cap, int code, const char *fmt,
                     va_list ap);

/* Names match ignoring case, with '_' and '-' equal. */
int augur__name_eq(const char *a, const char *b);

/* Copy text to buf + *used (buf holds cap bytes), truncating, always
 * terminated; *used becomes the length written so far. Reasons and
 * descriptions are made of such pieces, which printf cost more to join
 * than to copy. */
void augur__append(char *buf, size_t cap, size_t *used, const char *text);

/* --- Parameter tables (param.c) --------------------------------------- */
/* Write every default into state. */
void augur__params_defaults(const augur_param *table, void *state);
/* Validate and store one value; on failure writes a message naming the
 * parameter, its range and the owner (e.g. "nelder-mead"). */
int augur__params_set(const augur_param *table, void *state, const char *owner,
                      const char *name, double value, char *err, size_t cap);
/* The same from text: a number, "true"/"false", or a choice's name. */
int augur__params_set_string(const augur_param *table, void *state,
                             const char *owner, const char *name,
                             const char *value, char *err, size_t cap);
int augur__params_get(const augur_param *table, const void *state,
                      const char *owner, const char *name, double *value,
                      char *err, size_t cap);
/* The shortest text that reads back as exactly v. */
void augur__format_double(char *buf, size_t cap, double v);
/* "name=value, name=value" (shortest exact text for reals, names for choices). */
void augur__params_format(const augur_param *table, const void *state,
                          char *buf, size_t cap);
static inline double *augur__param_slot(void *state, const augur_param *p)
{
    return (double *)((char *)state + p->offset);
}
static inline double augur__param_value(const void *state, const augur_param *p)
{
    return *(const double *)((const char *)state + p->offset);
}

/* libmatheval's parser keeps global state: every evaluator_create in the
 * library runs under this one lock (util.c). */
void augur__matheval_lock(void);
void augur__matheval_unlock(void);

/* --- Reading expressions before libmatheval does (expression.c) ------- */

/* One relation being read: its text (trimmed, not terminated), its
 * 1-based number, the problem's dimension and where errors go. The
 * variables are x0..x(n-1), or names[0..n-1] when names is not NULL (a
 * fit formula's parameters and x columns). */
typedef struct augur__relation {
    const char *text;
    size_t len;
    size_t number;
    size_t n;
    char *err;
    size_t cap;
    const char *const *names;
} augur__relation;

/* 'relation 2 "x0 + * x1 <= 5", column 6: <why>' into r->err; returns code.
 * col is 0-based in the trimmed text. */
int augur__relation_fail(const augur__relation *r, size_t col, int code,
                         const char *fmt, ...) AUGUR__PRINTF(4, 5);
/* Check text[start, end) of r as one whole expression (side: "left" or
 * "right", for messages). *lone (if not NULL) is the variable when the
 * side is exactly one variable, else SIZE_MAX; *uses (if not NULL) says
 * whether the side mentions variable `watch`. */
int augur__expression_check(const augur__relation *r, size_t start, size_t end,
                            const char *side, size_t watch, size_t *lone, int *uses);
/* k for "xk" with k < n written without leading zeros, else SIZE_MAX. */
size_t augur__variable_index(const char *s, size_t len, size_t n);
/* 1 when s[0, len) is one of libmatheval's function or constant names
 * (which a variable may not be called). */
int augur__expression_reserved(const char *s, size_t len);

/* --- Random streams and time (util.c) --------------------------------- */
/* A well-mixed 64-bit value from (seed, index): the seed of stream `index`
 * of a run seeded with `seed` (SplitMix64 finaliser). */
uint64_t augur__mix_seed(uint64_t seed, uint64_t index);
/* A seed from the operating system: the next of a stream the OS seeds once
 * per process (getrandom, falling back to time and pid). */
uint64_t augur__os_seed(void);
/* Monotonic seconds. */
AUGUR__SHARED double augur__now(void);

/* --- Numbers as text, whatever the locale (util.c) ---------------------- */
/* Every number augur writes for itself to read again (specs, checkpoints,
 * results, logs, relations) and every one it reads is in the "C" locale's
 * form, "0.5": a program that calls setlocale(LC_ALL, "") in a locale
 * with a decimal comma must not get "0,5" in its files. Between
 * augur__numeric_begin and augur__numeric_end the calling thread formats
 * and parses in the "C" locale; begin returns what end restores (NULL
 * when the "C" locale could not be made: then nothing changes). */
AUGUR__SHARED void *augur__numeric_begin(void);
AUGUR__SHARED void augur__numeric_end(void *previous);
/* strtod in the "C" locale. */
AUGUR__SHARED double augur__strtod(const char *s, char **end);
/* dir/path for a relative path (malloc'd), path itself when absolute. */
char *augur__path_join(const char *dir, const char *path);

/* --- Files (util.c) ---------------------------------------------------- */
/* Whether path may be written as an output (results, a CSV log, any file
 * the library or the command writes): a regular file (not a link to one)
 * or a name that does not exist yet. A FIFO, a device, a directory, a
 * socket or a symbolic link is refused with AUGUR_EINVAL and a message
 * naming the path and what it is; so is an empty name. Every writer calls
 * this before it opens or renames anything. */
int augur__output_path_check(const char *path, char *err, size_t cap);

/* Replacing path atomically (replace.c): begin checks path and makes a
 * temporary file beside it (permissions mode); write appends to it (0, or
 * -1 with errno); commit syncs it, renames it over path and syncs the
 * directory (on failure the temporary is removed and path untouched);
 * abort removes it. A library that writes by name (HDF5) is given r.tmp
 * after release_fd. */
typedef struct augur__replacement {
    const char *path;
    char *tmp;
    int fd;
} augur__replacement;
int augur__replace_begin(augur__replacement *r, const char *path, unsigned mode,
                         char *err, size_t cap);
int augur__replace_write(augur__replacement *r, const void *data, size_t len);
void augur__replace_release_fd(augur__replacement *r);
int augur__replace_commit(augur__replacement *r, char *err, size_t cap);
void augur__replace_abort(augur__replacement *r);

/* Open path for reading when it is a regular file (after symbolic links)
 * of at most max_bytes: a FIFO, a device (/dev/zero), a directory or a
 * socket is refused with AUGUR_EINVAL, a larger file with AUGUR_ERANGE,
 * each with a message naming the path; NULL then, with the status in *rc
 * (AUGUR_ENOTFOUND or AUGUR_EIO when it cannot be opened). `what` names the file
 * in the message ("config file", "data file"). */
FILE *augur__input_open(const char *path, size_t max_bytes, const char *what, int *rc,
                        char *err, size_t cap);
/* The size caps on input files (augur_set_file_limits, config.h): config
 * files (and --set text) and data files, in bytes. */
size_t augur__max_config_bytes(void);
size_t augur__max_data_bytes(void);
void augur__set_max_bytes(size_t config_bytes, size_t data_bytes);

/* --- Sizes (util.c) ----------------------------------------------------- */
/* *out = a * b: 0, or -1 (and *out untouched) when the product does not fit
 * a size_t. Every allocation whose size is a product of numbers a user
 * gave (dimension, population, points, rows) goes through this, directly
 * or through the allocators below. */
static inline int augur__mul_size(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b)
        return -1;
    *out = a * b;
    return 0;
}
/* a * b, or SIZE_MAX when it overflows: a count of elements to hand to
 * the allocators below, which then fail as they would for any size too
 * large (SIZE_MAX elements of more than one byte always overflow). */
static inline size_t augur__mul_sat(size_t a, size_t b)
{
    size_t out;
    return augur__mul_size(a, b, &out) == 0 ? out : SIZE_MAX;
}
/* a * b * c, checked the same way. */
int augur__mul3_size(size_t a, size_t b, size_t c, size_t *out);
/* malloc, calloc and realloc of count elements of size bytes: NULL when
 * count * size overflows, as when memory runs out. */
void *augur__malloc_array(size_t count, size_t size);
void *augur__calloc_array(size_t count, size_t size);
void *augur__realloc_array(void *p, size_t count, size_t size);

/* --- Short vectors -------------------------------------------------------- */
/* n doubles from src to dst, which do not overlap: the points copied at
 * every evaluation and generation. Up to AUGUR__SHORT_COPY doubles by a
 * loop, since there the call through the PLT costs more than the copy,
 * and memcpy's 16-byte loads of values just stored one at a time stall
 * store forwarding (a short run's copies were an eighth of its time);
 * longer vectors by memcpy, whose wide moves win there (with the loop at
 * every size, Nelder-Mead's overhead per evaluation at n = 20 was a fifth
 * higher). The loop is not restrict: GCC would turn it back into a call. */
#define AUGUR__SHORT_COPY 8
static inline void augur__copy_doubles(double *dst, const double *src, size_t n)
{
    if (n > AUGUR__SHORT_COPY) {
        memcpy(dst, src, n * sizeof *dst);
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
}

#endif
