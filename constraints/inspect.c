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
 * The text (augur_constraints_describe) names the kind and its numbers in
 * the shortest form that reads back exactly, so specs and configs can
 * write a solver's constraints down and rebuild them. */
#include <math.h>
#include <stdio.h>
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
        return close_to(xi, augur__nearest(it->values, it->count, xi), 0);
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

/* Append formatted text, truncating; the buffer stays terminated. */
static void put(char *buf, size_t cap, size_t *used, const char *fmt, ...)
    AUGUR__PRINTF(4, 5);

static void put(char *buf, size_t cap, size_t *used, const char *fmt, ...)
{
    if (*used + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *used, cap - *used, fmt, ap);
    va_end(ap);
    if (w > 0)
        *used = *used + (size_t)w < cap ? *used + (size_t)w : cap - 1;
}

static void put_number(char *buf, size_t cap, size_t *used, const char *sep, double v)
{
    char num[32];
    augur__format_double(num, sizeof num, v);
    put(buf, cap, used, "%s%s", sep, num);
}

/* The numbers list[0..count) joined by ", ". */
static void put_list(char *buf, size_t cap, size_t *used, const double *list,
                     size_t count)
{
    for (size_t k = 0; k < count; k++)
        put_number(buf, cap, used, k ? ", " : "", list[k]);
}

static void describe(const augur__constraint *it, char *buf, size_t cap)
{
    size_t used = 0;
    switch (it->kind) {
    case AUGUR_CONSTRAINT_CALLBACK:
        put(buf, cap, &used, "callback");
        break;
    case AUGUR_CONSTRAINT_INTEGER:
        put(buf, cap, &used, "integer(x%zu)", it->i);
        break;
    case AUGUR_CONSTRAINT_DISCRETE:
        put(buf, cap, &used, "discrete(x%zu; ", it->i);
        put_list(buf, cap, &used, it->values, it->count);
        put(buf, cap, &used, ")");
        break;
    case AUGUR_CONSTRAINT_FIXED:
        put(buf, cap, &used, "fixed(x%zu", it->i);
        put_number(buf, cap, &used, "; ", it->v);
        put(buf, cap, &used, ")");
        break;
    case AUGUR_CONSTRAINT_LINEAR:
        put(buf, cap, &used, "linear(");
        put_list(buf, cap, &used, it->values, it->count);
        put_number(buf, cap, &used, "; ", it->v);
        put(buf, cap, &used, ")");
        break;
    case AUGUR_CONSTRAINT_SUM:
    case AUGUR_CONSTRAINT_MEAN:
    case AUGUR_CONSTRAINT_SPREAD:
        put(buf, cap, &used, "%s", it->kind == AUGUR_CONSTRAINT_SUM ? "sum("
                                   : it->kind == AUGUR_CONSTRAINT_MEAN ? "mean("
                                                                       : "spread(");
        put_number(buf, cap, &used, "", it->v);
        put(buf, cap, &used, ")");
        break;
    case AUGUR_CONSTRAINT_ORDERING:
        put(buf, cap, &used, "ordering(x%zu, x%zu)", it->i, it->j);
        break;
    case AUGUR_CONSTRAINT_ASSIGN:
        put(buf, cap, &used, "%s", it->text);
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
    describe(&c->items[k], buf, cap);
    return AUGUR_OK;
}
