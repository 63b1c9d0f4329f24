/* monitor_int.h - private to augur's monitors area: never installed and not
 * part of the API. It lets the built-in monitors record a failure message on
 * the monitor they run on, and find their own state through a type check, so
 * accessors such as augur_history_x() can refuse a monitor of another type
 * instead of misreading its state. */
#ifndef AUGUR_MONITOR_INT_H
#define AUGUR_MONITOR_INT_H

#include "augur/monitor.h"
#include "internal.h"

/* Format a message into m's errmsg and return code (m may be NULL). */
int augur__monitor_fail(augur_monitor *m, int code, const char *fmt, ...)
    AUGUR__PRINTF(3, 4);

/* m's state when m is a monitor of exactly `type`, otherwise NULL. */
void *augur__monitor_state_of(const augur_monitor *m,
                              const augur_monitor_type *type);

/* Room for one number written by augur__format_double ("%.17g" of any
 * double fits in 25 characters with its terminator). */
#define AUGUR__MONITOR_NUM_CAP 32

#endif
