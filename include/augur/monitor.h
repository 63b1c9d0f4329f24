/* augur/monitor.h - monitors: observers a solver feeds with one record per
 * generation (generation monitors) or per cost evaluation (evaluation
 * monitors).
 *
 * A monitor only observes. Its hooks return 0, AUGUR_STOPPED to ask the
 * solver to stop (the callback monitor does this, and the stop is reported
 * as the termination reason), or a negative status when its own I/O fails.
 *
 * Ownership: monitors are reference counted. augur_monitor_* constructors
 * return one reference; augur_solver_add_*_monitor() takes over the
 * caller's reference (also when it fails), and augur_monitor_destroy() drops
 * one. To keep reading a monitor after the solver is destroyed, or to
 * attach one monitor twice, take another reference with augur_monitor_ref().
 * A tee owns its two members the same way. */
#ifndef AUGUR_MONITOR_H
#define AUGUR_MONITOR_H

#include <stddef.h>
#include <stdio.h>
#include "augur/export.h"
#include "augur/info.h"
#include "augur/param.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_monitor augur_monitor;

typedef struct augur_monitor_type {
    const char *name;             /* "history", "verbose", ... */
    const char *doc;
    size_t state_size;            /* the base callocs this much state */
    /* Called when a solver starts or continues a run; optional. */
    int (*start)(augur_monitor *m, void *state, size_t n);
    /* One record. 0, AUGUR_STOPPED, or a negative status. */
    int (*update)(augur_monitor *m, void *state, const augur_record *r);
    /* Called when a run ends; optional. */
    int (*finish)(augur_monitor *m, void *state);
    /* Releases what the state holds; must cope with zeroed state. */
    void (*free)(void *state);
} augur_monitor_type;

/* A monitor of a user-defined type (the base callocs type->state_size). */
AUGUR_EXTERN augur_monitor *augur_monitor_create(const augur_monitor_type *type);
AUGUR_EXTERN void *augur_monitor_state(augur_monitor *m);
AUGUR_EXTERN const augur_monitor_type *augur_monitor_get_type(const augur_monitor *m);
/* Adds a reference; returns m. */
AUGUR_EXTERN augur_monitor *augur_monitor_ref(augur_monitor *m);
/* Drops a reference, freeing the monitor with the last one. NULL is a no-op. */
AUGUR_EXTERN void augur_monitor_destroy(augur_monitor *m);
/* Feed a record by hand (solvers do this for you). */
AUGUR_EXTERN int augur_monitor_start(augur_monitor *m, size_t n);
AUGUR_EXTERN int augur_monitor_update(augur_monitor *m, const augur_record *r);
AUGUR_EXTERN int augur_monitor_finish(augur_monitor *m);
/* The message of the last failed hook, or "". */
AUGUR_EXTERN const char *augur_monitor_errmsg(const augur_monitor *m);

/* --- Built-in monitors ------------------------------------------------- */

/* Records nothing. */
AUGUR_EXTERN augur_monitor *augur_monitor_null(void);

/* Keeps x and f of every record in memory. cap > 0 keeps only the newest
 * cap records (a ring); 0 keeps all. */
AUGUR_EXTERN augur_monitor *augur_monitor_history(size_t cap);
/* Records kept (<= cap) and records seen (all). */
AUGUR_EXTERN size_t augur_history_length(const augur_monitor *m);
AUGUR_EXTERN size_t augur_history_total(const augur_monitor *m);
/* Record i of those kept, oldest first; NULL / NAN when out of range or m is
 * not a history monitor. */
AUGUR_EXTERN const double *augur_history_x(const augur_monitor *m, size_t i);
AUGUR_EXTERN double augur_history_f(const augur_monitor *m, size_t i);
AUGUR_EXTERN size_t augur_history_index(const augur_monitor *m, size_t i);
AUGUR_EXTERN size_t augur_history_dimension(const augur_monitor *m);

/* Writes "Generation <g> has f: <f>" every `every` records (the first
 * always), and the point too when show_x is set. fp is borrowed. */
AUGUR_EXTERN augur_monitor *augur_monitor_verbose(FILE *fp, size_t every,
                                                  int show_x);
/* What the verbose monitor calls f ("ChiSquare" for a chi-square fit, as
 * mystic prints it): 1 to 31 characters; AUGUR_EINVAL for another monitor. */
AUGUR_EXTERN int augur_monitor_verbose_set_label(augur_monitor *m, const char *label);

/* CSV log: "generation,evaluations,f,x0,...,x(n-1)", one line every `every`
 * records; the file is opened (truncated) when the run starts, once, and
 * flushed after each line. Failing to open or write is an AUGUR_EIO from
 * the solve that fed it. */
AUGUR_EXTERN augur_monitor *augur_monitor_logging(const char *path, size_t every);

/* Calls fn for each record; fn returns nonzero to ask the solver to stop. */
typedef int (*augur_monitor_fn)(const augur_record *r, void *data);
AUGUR_EXTERN augur_monitor *augur_monitor_callback(augur_monitor_fn fn, void *data);

/* Feeds both members (owned, also on failure; NULL member gives NULL). */
AUGUR_EXTERN augur_monitor *augur_monitor_tee(augur_monitor *a, augur_monitor *b);

#ifdef __cplusplus
}
#endif
#endif
