/* verbose.c - the verbose monitor: prints progress lines to a FILE* the
 * caller owns, in the style of mystic's VerboseMonitor.
 *
 * Each printed record is one line:
 *
 *     [id: 2] Generation 30 has f: 0.0125 at [1, 0.5]
 *
 * "f" is the label unless the owner names what the cost is (a fit's
 * chi-square prints as mystic's "ChiSquare"): a label that claimed
 * chi-square for every cost would mislead.
 * "Generation" for generation records, "Evaluation" for evaluation records
 * (the number is the record's index); the "[id: k] " prefix only when the
 * record's solver id is nonzero; " at [...]" only when show_x is set. The
 * point stays on the same line so every printed record is exactly one line
 * that grep and line-oriented tools can use. Numbers are the shortest
 * decimal text that reads back as the same double: short for people, exact
 * for scripts.
 *
 * Records are counted from the first one this monitor sees (continuations
 * keep counting); record k is printed when k % every == 0, so the first is
 * always printed. Each line is flushed, so progress shows up live even when
 * fp is a file or a pipe; a failed write is an AUGUR_EIO. */
#include <errno.h>
#include <string.h>
#include "monitor_int.h"

typedef struct verbose_state {
    FILE *fp;          /* borrowed */
    size_t every;
    int show_x;
    size_t seen;
    char label[32];
} verbose_state;

static int put_number(FILE *fp, double v)
{
    char buf[AUGUR__MONITOR_NUM_CAP];
    augur__format_double(buf, sizeof buf, v);
    return fputs(buf, fp);
}

static int put_point(FILE *fp, const double *x, size_t n)
{
    int rc = fputs(" at [", fp);
    for (size_t j = 0; j < n && rc >= 0; j++) {
        if (j > 0)
            rc = fputs(", ", fp);
        if (rc >= 0)
            rc = put_number(fp, x[j]);
    }
    return rc < 0 ? rc : fputs("]", fp);
}

/* One line for r; negative on a write error. */
static int put_line(const verbose_state *s, const augur_record *r)
{
    const char *what =
        r->kind == AUGUR_RECORD_EVALUATION ? "Evaluation" : "Generation";
    int rc = 0;
    if (r->id != 0)
        rc = fprintf(s->fp, "[id: %d] ", r->id);
    if (rc >= 0)
        rc = fprintf(s->fp, "%s %zu has %s: ", what, r->index, s->label);
    if (rc >= 0)
        rc = put_number(s->fp, r->f);
    if (rc >= 0 && s->show_x)
        rc = put_point(s->fp, r->x, r->n);
    if (rc >= 0)
        rc = fputc('\n', s->fp);
    if (rc >= 0)
        rc = fflush(s->fp);
    return rc < 0 ? -1 : 0;
}

static int verbose_update(augur_monitor *m, void *state, const augur_record *r)
{
    verbose_state *s = state;
    size_t k = s->seen++;
    if (k % s->every != 0)
        return AUGUR_OK;
    errno = 0;
    if (put_line(s, r) < 0)
        return augur__monitor_fail(m, AUGUR_EIO,
                                   "verbose monitor: cannot write: %s",
                                   errno ? strerror(errno) : "stream error");
    return AUGUR_OK;
}

static const augur_monitor_type verbose_type = {
    .name = "verbose",
    .doc = "Prints \"Generation <g> has f: <f>\" every `every` records.",
    .state_size = sizeof(verbose_state),
    .update = verbose_update,
};

augur_monitor *augur_monitor_verbose(FILE *fp, size_t every, int show_x)
{
    if (!fp || every == 0)
        return NULL;
    augur_monitor *m = augur_monitor_create(&verbose_type);
    if (!m)
        return NULL;
    verbose_state *s = augur_monitor_state(m);
    s->fp = fp;
    s->every = every;
    s->show_x = show_x != 0;
    strcpy(s->label, "f");
    return m;
}

int augur_monitor_verbose_set_label(augur_monitor *m, const char *label)
{
    if (!m || !label || !label[0] || augur_monitor_get_type(m) != &verbose_type)
        return AUGUR_EINVAL;
    verbose_state *s = augur_monitor_state(m);
    if (strlen(label) >= sizeof s->label)
        return AUGUR_EINVAL;
    strcpy(s->label, label);
    return AUGUR_OK;
}
