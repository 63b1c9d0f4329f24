/* history.c - the convergence history a job keeps for its results file
 * (history.h says what and why). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "augur/monitor.h"
#include "history.h"
#include "setting_int.h"

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

static void list_text_free(augur__list_text *t)
{
    free(t->text.text);
    *t = (augur__list_text){0};
}

void augur__history_free(augur__history *h)
{
    trace_free(&h->outer);
    for (size_t i = 0; i < h->ninner; i++)
        trace_free(&h->inner[i]);
    free(h->inner);
    free(h->stream);
    list_text_free(&h->saved_evaluations);
    list_text_free(&h->saved_f);
    list_text_free(&h->saved_stream);
    memset(h, 0, sizeof *h);
}

/* --- Checkpoints ------------------------------------------------------------ */

/* Entry i of a saved list: its separator, then the number. */
static void save_entry(augur_strbuf *b, const size_t *counts, const double *v, size_t i)
{
    augur__sb_printf(b, "%s", i ? (i % 8 ? ", " : ",\n    ") : " ");
    if (counts)
        augur__sb_printf(b, "%zuL", counts[i]);
    else
        augur__sb_double(b, v[i]);
}

/* `  name = ( ... );` of m counts (or doubles): the kept text of the
 * entries before the last, then the last, which may still change. */
static void save_list(augur_strbuf *b, augur__list_text *t, const char *name,
                      const size_t *counts, const double *v, size_t m)
{
    size_t final = m ? m - 1 : 0;
    if (t->done > final)
        list_text_free(t);   /* a shorter list (loaded again): start over */
    for (; t->done < final; t->done++)
        save_entry(&t->text, counts, v, t->done);
    augur__sb_printf(b, "  %s = (", name);
    if (t->text.failed) {    /* no room to keep it: this save writes it all */
        list_text_free(t);
        for (size_t i = 0; i < final; i++)
            save_entry(b, counts, v, i);
    } else if (t->text.len) {
        augur__sb_append(b, t->text.text, t->text.len);
    }
    if (m)
        save_entry(b, counts, v, m - 1);
    augur__sb_printf(b, " );\n");
}

void augur__history_save(augur_strbuf *b, augur__history *h)
{
    augur__sb_printf(b, "history = {\n  lost = %d;\n", h->lost);
    save_list(b, &h->saved_evaluations, "evaluations", h->outer.evaluations, NULL,
              h->lost ? 0 : h->outer.len);
    save_list(b, &h->saved_f, "f", NULL, h->outer.f, h->lost ? 0 : h->outer.len);
    save_list(b, &h->saved_stream, "stream", NULL, h->stream, h->lost ? 0 : h->nstream);
    augur__sb_printf(b, "};\n");
}

/* A list of m numbers (counts when ev is given) into fresh arrays. */
static int load_list(const config_setting_t *g, const char *name, size_t *m,
                     size_t **ev, double **f)
{
    const config_setting_t *l = config_setting_get_member(g, name);
    if (!l || !config_setting_is_list(l))
        return AUGUR_EINVAL;
    size_t len = (size_t)config_setting_length(l);
    *m = len;
    void *a = malloc((len ? len : 1) * (ev ? sizeof **ev : sizeof **f));
    if (!a)
        return AUGUR_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        double v = 0;
        if (ev && (config_setting_type(e) == CONFIG_TYPE_INT64 ||
                   config_setting_type(e) == CONFIG_TYPE_INT))
            ((size_t *)a)[i] = (size_t)config_setting_get_int64(e);
        else if (!ev && augur__setting_element_double(e, &v))
            ((double *)a)[i] = v;
        else {
            free(a);
            return AUGUR_EINVAL;
        }
    }
    if (ev)
        *ev = a;
    else
        *f = a;
    return AUGUR_OK;
}

int augur__history_load(const config_setting_t *g, augur__history *h)
{
    int lost = 0;
    size_t ne = 0, nf = 0, ns = 0;
    if (!g || !config_setting_lookup_int(g, "lost", &lost))
        return AUGUR_EINVAL;
    augur__history_free(h);
    h->lost = lost != 0;
    int rc = load_list(g, "evaluations", &ne, &h->outer.evaluations, NULL);
    if (rc == AUGUR_OK)
        rc = load_list(g, "f", &nf, NULL, &h->outer.f);
    if (rc == AUGUR_OK)
        rc = load_list(g, "stream", &ns, NULL, &h->stream);
    if (rc == AUGUR_OK && ne != nf)
        rc = AUGUR_EINVAL;
    if (rc != AUGUR_OK) {
        augur__history_free(h);
        return rc;
    }
    h->outer.len = h->outer.cap = ne;
    h->nstream = h->capstream = ns;
    return AUGUR_OK;
}
