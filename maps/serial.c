/* serial.c - the serial backend: every task runs in the caller, in order.
 *
 * It is the reference the other backends must agree with bit for bit, and
 * the same-API fallback: code written for a map runs unchanged on one
 * process. An SPMD job here is the caller alone (a group of one), so the
 * collectives are copies. */
#include <string.h>
#include "map_int.h"

static int serial_run(augur_map *m, void *state, const augur_map_job *job,
                      augur_task_fn fn)
{
    (void)state;
    for (size_t k = 0; k < job->ntasks; k++) {
        int rc = augur__map_exec(job, fn, k, 0, m->shared, m->shared_len,
                                 m->errmsg, sizeof m->errmsg);
        if (rc != AUGUR_OK)
            return rc;
    }
    return AUGUR_OK;
}

static int solo_broadcast(augur_group *g, void *buf, size_t len)
{
    (void)g, (void)buf, (void)len;
    return AUGUR_OK;
}

static int solo_scatter(augur_group *g, const void *send, size_t count,
                        size_t rec_len, void *recv, size_t *mine)
{
    (void)g;
    if (count && rec_len) {
        if (!recv)
            return AUGUR_EINVAL;
        memmove(recv, send, count * rec_len);
    }
    *mine = count;
    return AUGUR_OK;
}

static int solo_gather(augur_group *g, const void *send, size_t mine,
                       size_t rec_len, void *recv, size_t *total)
{
    (void)g;
    if (mine && rec_len) {
        if (!recv)
            return AUGUR_EINVAL;
        memmove(recv, send, mine * rec_len);
    }
    if (total)
        *total = mine;
    return AUGUR_OK;
}

static const augur_group_ops solo_ops = {
    .broadcast = solo_broadcast,
    .scatter = solo_scatter,
    .gather = solo_gather,
};

static int serial_spmd(augur_map *m, void *state, const char *name,
                       augur_spmd_fn fn, const void *arg, size_t arg_len)
{
    (void)state;
    augur_group g = {.rank = 0, .size = 1, .ops = &solo_ops};
    int rc = fn(&g, arg, arg_len);
    if (rc != AUGUR_OK)
        return augur__map_fail(m, rc < 0 ? rc : AUGUR_EFAILED,
                               "SPMD job '%s' failed on rank 0 (status %d)", name, rc);
    return AUGUR_OK;
}

static int serial_init(augur_map *m, void *state, int workers)
{
    (void)state, (void)workers;
    m->workers = 1;
    return AUGUR_OK;
}

const augur_map_type augur__map_serial = {
    .name = "serial",
    .state_size = 0,
    .init = serial_init,
    .run = serial_run,
    .spmd = serial_spmd,
    .broadcast = NULL,
    .reset = NULL,
    .free = NULL,
    .crosses_images = 0,
};
