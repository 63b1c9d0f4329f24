/* tee.c - the tee monitor: feeds every start, record and finish to two
 * member monitors.
 *
 * A solver has one generation and one evaluation monitor slot; a tee (of
 * tees) lets any number of monitors share a slot. The tee owns one
 * reference to each member, also when construction fails, so callers can
 * write augur_monitor_tee(augur_monitor_history(0), augur_monitor_verbose(...))
 * without leaking when one constructor returns NULL.
 *
 * Both members are always fed, even when the first fails or asks to stop,
 * so neither misses a record. The status returned is the first error if
 * either member failed (an I/O failure must not hide behind a stop request),
 * else the first stop request, else 0; a member's failure message is copied
 * onto the tee so the solver can report it. */
#include "monitor_int.h"

typedef struct tee_state {
    augur_monitor *a, *b;
} tee_state;

/* Combine the two members' results (see the rule above) and carry the
 * failing member's message up to the tee. */
static int combine(augur_monitor *m, const tee_state *s, int ra, int rb)
{
    if (ra < 0)
        return augur__monitor_fail(m, ra, "%s", augur_monitor_errmsg(s->a));
    if (rb < 0)
        return augur__monitor_fail(m, rb, "%s", augur_monitor_errmsg(s->b));
    return ra != 0 ? ra : rb;
}

static int tee_start(augur_monitor *m, void *state, size_t n)
{
    tee_state *s = state;
    int ra = augur_monitor_start(s->a, n);
    int rb = augur_monitor_start(s->b, n);
    return combine(m, s, ra, rb);
}

static int tee_update(augur_monitor *m, void *state, const augur_record *r)
{
    tee_state *s = state;
    int ra = augur_monitor_update(s->a, r);
    int rb = augur_monitor_update(s->b, r);
    return combine(m, s, ra, rb);
}

static int tee_finish(augur_monitor *m, void *state)
{
    tee_state *s = state;
    int ra = augur_monitor_finish(s->a);
    int rb = augur_monitor_finish(s->b);
    return combine(m, s, ra, rb);
}

static void tee_free(void *state)
{
    tee_state *s = state;
    augur_monitor_destroy(s->a);
    augur_monitor_destroy(s->b);
}

static const augur_monitor_type tee_type = {
    .name = "tee",
    .doc = "Feeds every record to two member monitors.",
    .state_size = sizeof(tee_state),
    .start = tee_start,
    .update = tee_update,
    .finish = tee_finish,
    .free = tee_free,
};

augur_monitor *augur_monitor_tee(augur_monitor *a, augur_monitor *b)
{
    augur_monitor *m = a && b ? augur_monitor_create(&tee_type) : NULL;
    if (!m) {
        augur_monitor_destroy(a);
        augur_monitor_destroy(b);
        return NULL;
    }
    tee_state *s = augur_monitor_state(m);
    s->a = a;
    s->b = b;
    return m;
}
