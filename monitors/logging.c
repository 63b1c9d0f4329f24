/* logging.c - the logging monitor: writes records as CSV to a file it opens
 * itself, so a run can be plotted or analysed afterwards.
 *
 * The file starts with the header "generation,evaluations,f,x0,...,x<n-1>"
 * and has one row per logged record with the same columns: for a generation
 * record, the generation and the evaluations so far; for an evaluation
 * record, the generation in progress and the evaluation count including
 * this one. Reals are written with %.17g so they read back as exactly the
 * same doubles.
 *
 * The file is opened (truncated) once per monitor: at the first start(), or
 * at the first record when nobody called start(). It then stays open until
 * the monitor is freed, so a continued run (a second start) appends to the
 * same log instead of wiping it. Each line is flushed, so the log is
 * complete up to the last record even if the program dies. Records are
 * counted from the first one seen and record k is logged when
 * k % every == 0; the last record of a run is logged too, at finish(),
 * when every skipped it, so the log always ends with the answer. Failing to open or write is an AUGUR_EIO naming the path
 * and the system's reason. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "monitor_int.h"

typedef struct logging_state {
    char *path;        /* owned copy */
    FILE *fp;          /* NULL until opened */
    size_t every;
    size_t seen;
    size_t n;          /* columns of x, fixed when the file is opened */
    /* The latest record when every skipped it (x in last_x): finish()
     * writes it. */
    int skipped;
    augur_record last;
    double *last_x;
} logging_state;

static int io_fail(augur_monitor *m, const logging_state *s, const char *what,
                   int err)
{
    return augur__monitor_fail(m, AUGUR_EIO,
                               "logging monitor: cannot %s '%s': %s", what,
                               s->path, err ? strerror(err) : "stream error");
}

/* End a line: flush so the file is always complete up to here. */
static int end_line(FILE *fp, int rc)
{
    if (rc >= 0)
        rc = fputc('\n', fp);
    if (rc >= 0)
        rc = fflush(fp);
    return rc < 0 ? -1 : 0;
}

static int write_header(FILE *fp, size_t n)
{
    int rc = fputs("generation,evaluations,f", fp);
    for (size_t j = 0; j < n && rc >= 0; j++)
        rc = fprintf(fp, ",x%zu", j);
    return end_line(fp, rc);
}

static int write_row(FILE *fp, const augur_record *r)
{
    void *locale = augur__numeric_begin();   /* a CSV reads "0.5" */
    int rc = fprintf(fp, "%zu,%zu,%.17g", r->generation, r->evaluations, r->f);
    for (size_t j = 0; j < r->n && rc >= 0; j++)
        rc = fprintf(fp, ",%.17g", r->x[j]);
    augur__numeric_end(locale);
    return end_line(fp, rc);
}

/* Open the file and write the header, once; later calls only check that
 * the dimension still matches the header's columns. */
static int ensure_open(augur_monitor *m, logging_state *s, size_t n)
{
    if (s->fp) {
        if (n != s->n)
            return augur__monitor_fail(m, AUGUR_EINVAL,
                                       "logging monitor: dimension %zu, but "
                                       "'%s' has %zu columns of x",
                                       n, s->path, s->n);
        return AUGUR_OK;
    }
    char why[AUGUR_ERRMSG_CAP];
    int checked = augur__output_path_check(s->path, why, sizeof why);
    if (checked != AUGUR_OK)
        return augur__monitor_fail(m, checked, "logging monitor: %s", why);
    errno = 0;
    s->fp = fopen(s->path, "w");
    if (!s->fp)
        return io_fail(m, s, "open", errno);
    s->n = n;
    errno = 0;
    if (write_header(s->fp, n) < 0) {
        /* Without its header the file is useless: close it so the next
         * call starts over instead of appending rows to a headless log. */
        int err = errno;
        fclose(s->fp);
        s->fp = NULL;
        return io_fail(m, s, "write", err);
    }
    return AUGUR_OK;
}

static int logging_start(augur_monitor *m, void *state, size_t n)
{
    return ensure_open(m, state, n);
}

/* Remember a record every skipped, for finish(). */
static int keep_last(logging_state *s, const augur_record *r)
{
    if (!s->last_x && !(s->last_x = malloc((s->n ? s->n : 1) * sizeof *s->last_x)))
        return AUGUR_OK;    /* no room: the log just misses its last line */
    s->last = *r;
    memcpy(s->last_x, r->x, r->n * sizeof *s->last_x);
    s->last.x = s->last_x;
    s->skipped = 1;
    return AUGUR_OK;
}

static int logging_update(augur_monitor *m, void *state, const augur_record *r)
{
    logging_state *s = state;
    int rc = ensure_open(m, s, r->n);
    if (rc)
        return rc;
    if (s->seen++ % s->every != 0)
        return keep_last(s, r);
    s->skipped = 0;
    errno = 0;
    if (write_row(s->fp, r) < 0)
        return io_fail(m, s, "write", errno);
    return AUGUR_OK;
}

/* The last record, when every skipped it. The file stays open for a
 * continuation, which counts on from here. */
static int logging_finish(augur_monitor *m, void *state)
{
    logging_state *s = state;
    if (!s->skipped || !s->fp)
        return AUGUR_OK;
    s->skipped = 0;
    errno = 0;
    if (write_row(s->fp, &s->last) < 0)
        return io_fail(m, s, "write", errno);
    return AUGUR_OK;
}

static void logging_free(void *state)
{
    logging_state *s = state;
    if (s->fp)
        fclose(s->fp);
    free(s->path);
    free(s->last_x);
}

static const augur_monitor_type logging_type = {
    .name = "logging",
    .doc = "Writes generation,evaluations,f,x0,... as CSV every `every` records, and the last one.",
    .state_size = sizeof(logging_state),
    .start = logging_start,
    .update = logging_update,
    .finish = logging_finish,
    .free = logging_free,
};

static char *copy_string(const char *text)
{
    size_t len = strlen(text) + 1;
    char *copy = malloc(len);
    if (copy)
        memcpy(copy, text, len);
    return copy;
}

augur_monitor *augur_monitor_logging(const char *path, size_t every)
{
    if (!path || !*path || every == 0)
        return NULL;
    augur_monitor *m = augur_monitor_create(&logging_type);
    if (!m)
        return NULL;
    logging_state *s = augur_monitor_state(m);
    s->path = copy_string(path);
    if (!s->path) {
        augur_monitor_destroy(m);
        return NULL;
    }
    s->every = every;
    return m;
}
