/* history.c - the history monitor: keeps x, f and the index of every record
 * in memory, for reading back after (or during) a run.
 *
 * With cap == 0 it keeps everything, growing its arrays by doubling; with
 * cap > 0 it is a ring of the newest cap records, so a long run watched by
 * an evaluation monitor cannot exhaust memory. The dimension is fixed by
 * start(n) or, when start was not called, by the first record; a record of
 * another dimension is refused (EINVAL) rather than stored half-read. The
 * accessors check the monitor's type, so handing them any other monitor
 * gives NULL / NAN / 0 instead of misreading its state. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "monitor_int.h"

typedef struct history_state {
    size_t cap;        /* ring size; 0 = unbounded */
    size_t n;          /* dimension, valid when have_n */
    int have_n;
    size_t slots;      /* slots allocated in xs / fs / idx */
    size_t len;        /* records kept */
    size_t head;       /* slot of the oldest kept record (ring only) */
    size_t total;      /* records seen */
    double *xs;        /* slots * n */
    double *fs;
    size_t *idx;
} history_state;

static const augur_monitor_type history_type;

static const history_state *get_state(const augur_monitor *m)
{
    return augur__monitor_state_of(m, &history_type);
}

static int fix_dimension(augur_monitor *m, history_state *s, size_t n)
{
    if (!s->have_n || (s->len == 0 && s->n != n)) {
        /* Nothing is stored yet, so the slots can be re-laid for this n. */
        if (s->have_n && s->n != n) {
            free(s->xs);
            s->xs = NULL;
            s->slots = 0;
        }
        s->n = n;
        s->have_n = 1;
        return AUGUR_OK;
    }
    if (s->n != n)
        return augur__monitor_fail(m, AUGUR_EINVAL,
                                   "history monitor: dimension %zu, but the "
                                   "records kept have dimension %zu", n, s->n);
    return AUGUR_OK;
}

static int history_start(augur_monitor *m, void *state, size_t n)
{
    return fix_dimension(m, state, n);
}

/* Resize the three arrays to `slots`. A failure part-way leaves the arrays
 * that did grow bigger than s->slots says, which is harmless. */
static int reserve(augur_monitor *m, history_state *s, size_t slots)
{
    size_t width = s->n > 0 ? s->n : 1;
    if (slots > SIZE_MAX / sizeof(double) / width)
        return augur__monitor_fail(m, AUGUR_ENOMEM,
                                   "history monitor: %zu records of dimension "
                                   "%zu do not fit in memory", slots, s->n);
    double *fs = realloc(s->fs, slots * sizeof *fs);
    if (fs)
        s->fs = fs;
    size_t *idx = realloc(s->idx, slots * sizeof *idx);
    if (idx)
        s->idx = idx;
    double *xs = s->n > 0 ? realloc(s->xs, slots * s->n * sizeof *xs) : NULL;
    if (xs)
        s->xs = xs;
    if (!fs || !idx || (s->n > 0 && !xs))
        return augur__monitor_fail(m, AUGUR_ENOMEM,
                                   "history monitor: out of memory keeping "
                                   "%zu records", slots);
    s->slots = slots;
    return AUGUR_OK;
}

/* The slot the next record goes to, making room when needed. */
static int next_slot(augur_monitor *m, history_state *s, size_t *slot)
{
    if (s->cap > 0 && s->len == s->cap) {
        /* Full ring: overwrite the oldest, which makes the next one oldest. */
        *slot = s->head;
        s->head = (s->head + 1) % s->cap;
        return AUGUR_OK;
    }
    if (s->len == s->slots) {
        /* Doubling keeps appends amortised O(1); reserve() refuses a
         * count whose byte size would overflow. */
        size_t want = s->cap > 0 ? s->cap : (s->slots ? 2 * s->slots : 16);
        int rc = reserve(m, s, want);
        if (rc)
            return rc;
    }
    *slot = (s->head + s->len) % s->slots;
    s->len++;
    return AUGUR_OK;
}

static int history_update(augur_monitor *m, void *state, const augur_record *r)
{
    history_state *s = state;
    int rc = fix_dimension(m, s, r->n);
    size_t slot = 0;
    if (rc == AUGUR_OK)
        rc = next_slot(m, s, &slot);
    if (rc)
        return rc;
    if (s->n > 0)
        memcpy(s->xs + slot * s->n, r->x, s->n * sizeof *s->xs);
    s->fs[slot] = r->f;
    s->idx[slot] = r->index;
    s->total++;
    return AUGUR_OK;
}

static void history_free(void *state)
{
    history_state *s = state;
    free(s->xs);
    free(s->fs);
    free(s->idx);
}

static const augur_monitor_type history_type = {
    .name = "history",
    .doc = "Keeps x and f of every record in memory (or of the newest cap).",
    .state_size = sizeof(history_state),
    .start = history_start,
    .update = history_update,
    .free = history_free,
};

augur_monitor *augur_monitor_history(size_t cap)
{
    augur_monitor *m = augur_monitor_create(&history_type);
    if (m)
        ((history_state *)augur_monitor_state(m))->cap = cap;
    return m;
}

size_t augur_history_length(const augur_monitor *m)
{
    const history_state *s = get_state(m);
    return s ? s->len : 0;
}

size_t augur_history_total(const augur_monitor *m)
{
    const history_state *s = get_state(m);
    return s ? s->total : 0;
}

size_t augur_history_dimension(const augur_monitor *m)
{
    const history_state *s = get_state(m);
    return s ? s->n : 0;
}

/* Slot of kept record i (oldest first), or SIZE_MAX when out of range. */
static size_t slot_of(const history_state *s, size_t i)
{
    if (!s || i >= s->len)
        return SIZE_MAX;
    return (s->head + i) % s->slots;
}

const double *augur_history_x(const augur_monitor *m, size_t i)
{
    const history_state *s = get_state(m);
    size_t slot = slot_of(s, i);
    if (slot == SIZE_MAX || s->n == 0)
        return NULL;
    return s->xs + slot * s->n;
}

double augur_history_f(const augur_monitor *m, size_t i)
{
    const history_state *s = get_state(m);
    size_t slot = slot_of(s, i);
    return slot == SIZE_MAX ? NAN : s->fs[slot];
}

size_t augur_history_index(const augur_monitor *m, size_t i)
{
    const history_state *s = get_state(m);
    size_t slot = slot_of(s, i);
    return slot == SIZE_MAX ? 0 : s->idx[slot];
}
