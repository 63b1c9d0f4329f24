/* augur/status.h - status codes shared by every augur call.
 *
 * A call that can fail returns an int: AUGUR_OK (0) on success, a negative
 * AUGUR_E* code on failure, and AUGUR_STOPPED (1) when a run ended because
 * somebody asked it to stop (a callback monitor or augur_solver_request_stop).
 * The object the call was made on keeps a message saying what was wrong.
 * One X-macro generates the enum, augur_strerror() and augur_status_name(),
 * so the three can never drift apart. */
#ifndef AUGUR_STATUS_H
#define AUGUR_STATUS_H

#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AUGUR_STATUS_MAP(XX)                                                   \
    XX(OK,        0,   "success")                                              \
    XX(STOPPED,   1,   "stopped on request")                                   \
    XX(EINVAL,   -1,   "invalid argument")                                     \
    XX(ENOMEM,   -2,   "out of memory")                                        \
    XX(ENOTFOUND,-3,   "no such name")                                         \
    XX(ERANGE,   -4,   "value out of range")                                   \
    XX(EBOUNDS,  -5,   "point outside the bounds")                             \
    XX(ESTATE,   -6,   "call not valid in the object's current state")         \
    XX(EUNSUP,   -7,   "not supported")                                        \
    XX(EIO,      -8,   "input/output error")                                   \
    XX(EFAILED,  -9,   "operation failed")

typedef enum augur_status {
#define AUGUR__STATUS_ENUM(name, code, text) AUGUR_##name = (code),
    AUGUR_STATUS_MAP(AUGUR__STATUS_ENUM)
#undef AUGUR__STATUS_ENUM
} augur_status;

/* One line of text for a status code ("invalid argument"). Never NULL. */
AUGUR_EXTERN const char *augur_strerror(int status);
/* The code's name without prefix ("EINVAL"); "UNKNOWN" for other values. */
AUGUR_EXTERN const char *augur_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
