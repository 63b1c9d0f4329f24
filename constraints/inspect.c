/* inspect.c - what a built-in mapping says about a point, and its text.
 *
 * The check (augur_constraints_satisfied) is how the evaluation path knows
 * that a point it is about to pass to the cost really meets the built-ins:
 * mappings applied in sequence can undo each other (an integer rounding
 * after a fixed mean, say), and clipping to the box can undo them all.
 * Equality is judged to AUGUR__CONSTRAINT_TOL relative to the size of the
 * numbers involved, since a projection computed in floating point lands
 * within rounding of its target, not on it.
 *
 * The text (augur_constraints_describe, _write) names the kind and its
 * numbers in the shortest form that reads back exactly, the form
 * augur_relations_parse reads (forms.c), so specs and configs can write a
 * solver's constraints down and rebuild them. Text is made in two passes,
 * measure then write (augur__text), so nothing is ever cut short. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"

/* --- Checking ---------------------------------------------------------- */

static int close_to(double got, double want, double scale)
{
    double size = fmax(1, fmax(scale, fmax(fabs(got), fabs(want))));
    double tol = AUGUR__CONSTRAINT_TOL * size;
    return fabs(got - want) <= tol;
}

static double abs_dot(const double *a, const double *x, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += fabs(a[k] * x[k]);
    return s;
}

static int met(const augur__constraint *it, const double *x, size_t n)
{
    double lo, hi, xi = x[it->i];
    switch (it->kind) {
    case AUGUR_CONSTRAINT_INTEGER:
        return close_to(xi, round(xi), 0);
    case AUGUR_CONSTRAINT_DISCRETE:
        return close_to(xi, augur__nearest_value(it->values, it->count, xi), 0);
    case AUGUR_CONSTRAINT_FIXED:
        return close_to(xi, it->v, 0);
    case AUGUR_CONSTRAINT_LINEAR:
        return close_to(augur__dot(it->values, x, n), it->v, abs_dot(it->values, x, n));
    case AUGUR_CONSTRAINT_SUM:
    case AUGUR_CONSTRAINT_MEAN: {
        double s = augur__sum(x, n), scale = 0;
        for (size_t k = 0; k < n; k++)
            scale += fabs(x[k]);
        double want = it->kind == AUGUR_CONSTRAINT_SUM ? it->v : it->v * (double)n;
        return close_to(s, want, scale);
    }
    case AUGUR_CONSTRAINT_SPREAD:
        augur__extremes(x, n, &lo, &hi);
        return close_to(hi - lo, it->v, fmax(fabs(lo), fabs(hi)));
    case AUGUR_CONSTRAINT_ORDERING:
        return xi <= x[it->j] || close_to(xi, x[it->j], 0);
    case AUGUR_CONSTRAINT_ASSIGN:
        return close_to(xi, it->rhs(x, n, it->data), 0);
    case AUGUR_CONSTRAINT_CALLBACK:
        return 1;
    }
    return 1;
}

static int all_met(const augur_constraints *c, const double *x)
{
    for (size_t k = 0; k < c->count; k++)
        if (!met(&c->items[k], x, c->n))
            return 0;
    return 1;
}

int augur_constraints_satisfied(const augur_constraints *c, const double *x)
{
    return c && x && all_met(c, x);
}


/* --- Text -------------------------------------------------------------- */

augur_constraint_kind augur_constraints_kind(const augur_constraints *c, size_t k)
{
    return c && k < c->count ? c->items[k].kind : AUGUR_CONSTRAINT_CALLBACK;
}

void augur__text_put(augur__text *t, const char *fmt, ...)
{
    size_t room = t->len < t->cap ? t->cap - t->len : 0;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->len += (size_t)w;
}

void augur__text_number(augur__text *t, double v)
{
    char num[32];
    augur__format_double(num, sizeof num, v);
    augur__text_put(t, "%s", num);
}

char *augur__text_make(void (*emit)(const void *obj, augur__text *t), const void *obj)
{
    augur__text t = {0};
    emit(obj, &t);
    t.cap = t.len + 1;
    t.len = 0;
    if (!(t.buf = malloc(t.cap)))
        return NULL;
    t.buf[0] = '\0';
    emit(obj, &t);
    return t.buf;
}

/* The numbers list[0..count) joined by ", ". */
static void put_list(augur__text *t, const double *list, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        augur__text_put(t, "%s", k ? ", " : "");
        augur__text_number(t, list[k]);
    }
}

static const char *named(augur_constraint_kind kind)
{
    return kind == AUGUR_CONSTRAINT_SUM ? "sum" : kind == AUGUR_CONSTRAINT_MEAN ? "mean"
                                                                              : "spread";
}

/* The form forms.c reads back: the two must change together. */
static void describe(const augur__constraint *it, augur__text *t)
{
    switch (it->kind) {
    case AUGUR_CONSTRAINT_CALLBACK:
        augur__text_put(t, "callback");
        break;
    case AUGUR_CONSTRAINT_INTEGER:
        augur__text_put(t, "integer(x%zu)", it->i);
        break;
    case AUGUR_CONSTRAINT_DISCRETE:
        augur__text_put(t, "discrete(x%zu; ", it->i);
        put_list(t, it->values, it->count);
        augur__text_put(t, ")");
        break;
    case AUGUR_CONSTRAINT_FIXED:
        augur__text_put(t, "fixed(x%zu; ", it->i);
        augur__text_number(t, it->v);
        augur__text_put(t, ")");
        break;
    case AUGUR_CONSTRAINT_LINEAR:
        augur__text_put(t, "linear(");
        put_list(t, it->values, it->count);
        augur__text_put(t, "; ");
        augur__text_number(t, it->v);
        augur__text_put(t, ")");
        break;
    case AUGUR_CONSTRAINT_SUM:
    case AUGUR_CONSTRAINT_MEAN:
    case AUGUR_CONSTRAINT_SPREAD:
        augur__text_put(t, "%s(", named(it->kind));
        augur__text_number(t, it->v);
        augur__text_put(t, ")");
        break;
    case AUGUR_CONSTRAINT_ORDERING:
        augur__text_put(t, "ordering(x%zu, x%zu)", it->i, it->j);
        break;
    case AUGUR_CONSTRAINT_ASSIGN:
        augur__text_put(t, "%s", it->text);
        break;
    }
}

int augur_constraints_describe(const augur_constraints *c, size_t k, char *buf,
                               size_t cap)
{
    if (!c || !buf || cap == 0)
        return AUGUR_EINVAL;
    buf[0] = '\0';
    if (k >= c->count)
        return AUGUR_ERANGE;
    augur__text t = {.buf = buf, .cap = cap};
    describe(&c->items[k], &t);
    return AUGUR_OK;
}

static void describe_all(const void *obj, augur__text *t)
{
    const augur_constraints *c = obj;
    for (size_t k = 0; k < c->count; k++) {
        augur__text_put(t, "%s", k ? "; " : "");
        describe(&c->items[k], t);
    }
}

/* The message goes to c's errmsg, the one field a const call may change
 * (as a solver's message changes on any call). */
static int write_fail(const augur_constraints *c, int code, const char *fmt, ...)
    AUGUR__PRINTF(3, 4);

static int write_fail(const augur_constraints *c, int code, const char *fmt, ...)
{
    augur_constraints *m = (augur_constraints *)c;
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(m->errmsg, sizeof m->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

int augur_constraints_write(const augur_constraints *c, char **text)
{
    if (text)
        *text = NULL;
    if (!c || !text)
        return c ? write_fail(c, AUGUR_EINVAL, "constraints: NULL text") : AUGUR_EINVAL;
    ((augur_constraints *)c)->errmsg[0] = '\0';
    for (size_t k = 0; k < c->count; k++)
        if (c->items[k].kind == AUGUR_CONSTRAINT_CALLBACK)
            return write_fail(c, AUGUR_EUNSUP, "constraint %zu is a callback "
                              "(augur_constraints_add), which has no written form",
                              k);
    if (!(*text = augur__text_make(describe_all, c)))
        return write_fail(c, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}
