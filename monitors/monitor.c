/* monitor.c - the monitor base: creation from a type table, reference
 * counting, and forwarding start/update/finish to the type's hooks.
 *
 * Every monitor, built-in or user-defined, is a type table plus a block of
 * state the base allocates, so solvers only ever talk to this file. The base
 * also checks the arguments every hook would otherwise have to check (a
 * NULL monitor or record, a record without a point) and makes sure a failed
 * hook always leaves a message, even when the hook did not write one. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "monitor_int.h"

struct augur_monitor {
    const augur_monitor_type *type;
    void *state;
    atomic_size_t refs; /* atomic: nested runs may share a monitor across threads */
    char errmsg[AUGUR_ERRMSG_CAP];
};

augur_monitor *augur_monitor_create(const augur_monitor_type *type)
{
    if (!type)
        return NULL;
    augur_monitor *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    /* A stateless type (the null monitor) gets a NULL state rather than a
     * zero-byte allocation, whose result is implementation-defined. */
    if (type->state_size > 0) {
        m->state = calloc(1, type->state_size);
        if (!m->state) {
            free(m);
            return NULL;
        }
    }
    m->type = type;
    atomic_init(&m->refs, 1);
    return m;
}

void *augur_monitor_state(augur_monitor *m)
{
    return m ? m->state : NULL;
}

const augur_monitor_type *augur_monitor_get_type(const augur_monitor *m)
{
    return m ? m->type : NULL;
}

void *augur__monitor_state_of(const augur_monitor *m,
                              const augur_monitor_type *type)
{
    return m && m->type == type ? m->state : NULL;
}

augur_monitor *augur_monitor_ref(augur_monitor *m)
{
    if (m)
        atomic_fetch_add(&m->refs, 1);
    return m;
}

void augur_monitor_destroy(augur_monitor *m)
{
    if (!m || atomic_fetch_sub(&m->refs, 1) > 1)
        return;
    if (m->type->free)
        m->type->free(m->state);
    free(m->state);
    free(m);
}

int augur__monitor_fail(augur_monitor *m, int code, const char *fmt, ...)
{
    if (!m)
        return code;
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(m->errmsg, sizeof m->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Run a hook's result through the message rule: the message belongs to the
 * last failed hook, so it is cleared (first byte only, saved in `kept`)
 * before the hook and restored when the hook succeeds without writing one.
 * A hook that fails silently - a user type cannot reach
 * augur__monitor_fail - still leaves a message naming the type and hook. */
static int settle(augur_monitor *m, const char *hook, char kept, int rc)
{
    if (rc < 0 && m->errmsg[0] == '\0')
        return augur__monitor_fail(m, rc, "%s monitor: %s failed: %s",
                                   m->type->name ? m->type->name : "unnamed",
                                   hook, augur_strerror(rc));
    if (rc >= 0 && m->errmsg[0] == '\0')
        m->errmsg[0] = kept;
    return rc;
}

static char clear_msg(augur_monitor *m)
{
    char kept = m->errmsg[0];
    m->errmsg[0] = '\0';
    return kept;
}

int augur_monitor_start(augur_monitor *m, size_t n)
{
    if (!m)
        return AUGUR_EINVAL;
    if (!m->type->start)
        return AUGUR_OK;
    char kept = clear_msg(m);
    return settle(m, "start", kept, m->type->start(m, m->state, n));
}

int augur_monitor_update(augur_monitor *m, const augur_record *r)
{
    if (!m)
        return AUGUR_EINVAL;
    if (!r)
        return augur__monitor_fail(m, AUGUR_EINVAL,
                                   "augur_monitor_update: NULL record");
    if (r->n > 0 && !r->x)
        return augur__monitor_fail(m, AUGUR_EINVAL,
                                   "augur_monitor_update: record of dimension "
                                   "%zu has no point", r->n);
    if (!m->type->update)
        return AUGUR_OK;
    char kept = clear_msg(m);
    return settle(m, "update", kept, m->type->update(m, m->state, r));
}

int augur_monitor_finish(augur_monitor *m)
{
    if (!m)
        return AUGUR_EINVAL;
    if (!m->type->finish)
        return AUGUR_OK;
    char kept = clear_msg(m);
    return settle(m, "finish", kept, m->type->finish(m, m->state));
}

const char *augur_monitor_errmsg(const augur_monitor *m)
{
    return m ? m->errmsg : "";
}
