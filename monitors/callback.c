/* callback.c - the callback monitor: calls a user function for each record.
 *
 * This is how a program watches a run live or stops it early from its own
 * logic: the function returns nonzero to ask the solver to stop, which the
 * monitor turns into AUGUR_STOPPED (reported as the termination reason, not
 * as an error). The user's data pointer is borrowed, never freed. */
#include "monitor_int.h"

typedef struct callback_state {
    augur_monitor_fn fn;
    void *data;
} callback_state;

static int callback_update(augur_monitor *m, void *state, const augur_record *r)
{
    (void)m;
    callback_state *s = state;
    return s->fn(r, s->data) != 0 ? AUGUR_STOPPED : AUGUR_OK;
}

static const augur_monitor_type callback_type = {
    .name = "callback",
    .doc = "Calls a function for each record; nonzero asks the solver to stop.",
    .state_size = sizeof(callback_state),
    .update = callback_update,
};

augur_monitor *augur_monitor_callback(augur_monitor_fn fn, void *data)
{
    if (!fn)
        return NULL;
    augur_monitor *m = augur_monitor_create(&callback_type);
    if (!m)
        return NULL;
    callback_state *s = augur_monitor_state(m);
    s->fn = fn;
    s->data = data;
    return m;
}
