/* history.c - the convergence history a job keeps for its results file
 * (history.h says what and why). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "augur/monitor.h"
#include "history.h"

static int better(const augur__history *h, double f, double than)
{
    if (isnan(f))
        return 0;
    return h->maximize ? f > than : f < than;
}

/* Keep (evaluations, f) when f improves on the last kept point; a point
 * that does not improve moves a trailing "last record" marker instead. */
static void trace_push(augur__history *h, augur__trace *t, size_t evaluations, double f,
                       int improved)
{
    if (h->lost)
        return;
    if (t->len >= 2 && !improved && t->f[t->len - 1] == t->f[t->len - 2]) {
        t->evaluations[t->len - 1] = evaluations;   /* extend the flat tail */
        return;
    }
    if (t->len == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        size_t *e = realloc(t->evaluations, cap * sizeof *e);
        if (e)
            t->evaluations = e;
        double *g = e ? realloc(t->f, cap * sizeof *g) : NULL;
        if (!g) {
            h->lost = 1;
            return;
        }
        t->f = g;
        t->cap = cap;
    }
    t->evaluations[t->len] = evaluations;
    t->f[t->len++] = f;
}

static void trace_add(augur__history *h, augur__trace *t, size_t evaluations, double f)
{
    double best = t->len ? t->f[t->len - 1] : NAN;
    int improved = t->len == 0 || better(h, f, best);
    trace_push(h, t, evaluations, improved ? f : best, improved);
}

static int on_generation(const augur_record *r, void *data)
{
    augur__history *h = data;
    trace_add(h, &h->outer, r->evaluations, r->f);
    return 0;
}

static int on_evaluation(const augur_record *r, void *data)
{
    augur__history *h = data;
    if (h->lost)
        return 0;
    if (h->nstream == h->capstream) {
        size_t cap = h->capstream ? 2 * h->capstream : 1024;
        double *s = realloc(h->stream, cap * sizeof *s);
        if (!s) {
            h->lost = 1;
            return 0;
        }
        h->stream = s;
        h->capstream = cap;
    }
    h->stream[h->nstream++] = r->f;
    return 0;
}

int augur__history_attach(augur__history *h, augur_solver *s)
{
    double maximize = 0;
    augur_solver_get_param(s, "maximize", &maximize);
    h->maximize = maximize != 0;
    int rc = augur_solver_add_generation_monitor(s, augur_monitor_callback(on_generation, h));
    if (rc == AUGUR_OK && augur_solver_nested(s))
        rc = augur_solver_add_evaluation_monitor(s, augur_monitor_callback(on_evaluation, h));
    return rc;
}

void augur__history_split(augur__history *h, const size_t *evaluations, size_t nruns)
{
    size_t total = 0;
    for (size_t i = 0; i < nruns; i++)
        total += evaluations[i];
    /* the stream must be exactly the runs, else it is not theirs to cut */
    if (h->lost || nruns == 0 || total != h->nstream ||
        !(h->inner = calloc(nruns, sizeof *h->inner)))
        goto done;
    h->ninner = nruns;
    size_t at = 0;
    for (size_t i = 0; i < nruns; i++) {
        for (size_t k = 0; k < evaluations[i]; k++)
            trace_add(h, &h->inner[i], k + 1, h->stream[at + k]);
        at += evaluations[i];
    }
done:
    free(h->stream);
    h->stream = NULL;
    h->nstream = h->capstream = 0;
}

static void emit_trace(augur_strbuf *b, const augur__trace *t, int depth)
{
    size_t top = 0;
    int finite = 1;
    for (size_t i = 0; i < t->len; i++) {
        top = t->evaluations[i] > top ? t->evaluations[i] : top;
        finite &= isfinite(t->f[i]) != 0;
    }
    const char *wide = top > INT32_MAX ? "L" : "";
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "history = {\n");
    augur__sb_indent(b, depth + 1);
    augur__sb_printf(b, "evaluations = [ ");
    for (size_t i = 0; i < t->len; i++)
        augur__sb_printf(b, "%s%zu%s", i ? ", " : "", t->evaluations[i], wide);
    augur__sb_printf(b, " ];\n");
    augur__sb_indent(b, depth + 1);
    augur__sb_printf(b, "f = %s", finite ? "[ " : "( ");
    for (size_t i = 0; i < t->len; i++) {
        augur__sb_printf(b, "%s", i ? ", " : "");
        augur__sb_double(b, t->f[i]);
    }
    augur__sb_printf(b, finite ? " ];\n" : " );\n");
    augur__sb_indent(b, depth);
    augur__sb_printf(b, "};\n");
}

void augur__history_emit(augur_strbuf *b, const augur__history *h, int depth)
{
    if (!h->lost && h->outer.len)
        emit_trace(b, &h->outer, depth);
}

void augur__history_emit_inner(augur_strbuf *b, const augur__history *h, size_t i,
                               int depth)
{
    if (!h->lost && i < h->ninner && h->inner[i].len)
        emit_trace(b, &h->inner[i], depth);
}

static void trace_free(augur__trace *t)
{
    free(t->evaluations);
    free(t->f);
}

void augur__history_free(augur__history *h)
{
    trace_free(&h->outer);
    for (size_t i = 0; i < h->ninner; i++)
        trace_free(&h->inner[i]);
    free(h->inner);
    free(h->stream);
    memset(h, 0, sizeof *h);
}
