/* constraints.c - constraint mappings x -> x' and their place in a run.
 *
 * A set of mappings is a list applied in the order added: the user's
 * callbacks and the built-ins (integer, discrete, fixed, linear equality
 * with sum and mean, spread, ordering, and the assignments xk := rhs(x)
 * that the written form makes). Built-ins are stored as their kind and
 * numbers, not as closures, so each can be checked (augur_constraints_
 * satisfied) and written back as text (for specs and configs).
 *
 * augur__constraints_admit is the solver's step from a proposed point to
 * the point evaluated: apply the mappings, and while the result is outside
 * the box or a built-in is unmet (one mapping may undo another), clip to
 * the box and apply them again, a few rounds. What is still outside or
 * unmet then is infeasible, so the cost is never called there. This is
 * mystic's "tight" coupling of bounds and constraints, with a final check
 * instead of its silent fall-back to the bounds alone (mystic#153, #157). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"

/* --- Life cycle -------------------------------------------------------- */

augur_constraints *augur_constraints_create(size_t n)
{
    if (n == 0)
        return NULL;
    augur_constraints *c = calloc(1, sizeof *c);
    if (c)
        c->n = n;
    return c;
}

static void free_item(augur__constraint *it)
{
    if (it->free_data)
        it->free_data(it->data);
    free(it->values);
    free(it->text);
}

void augur_constraints_destroy(augur_constraints *c)
{
    if (!c)
        return;
    for (size_t k = 0; k < c->count; k++)
        free_item(&c->items[k]);
    free(c->items);
    free(c);
}

size_t augur_constraints_dimension(const augur_constraints *c)
{
    return c ? c->n : 0;
}

size_t augur_constraints_count(const augur_constraints *c)
{
    return c ? c->count : 0;
}

const char *augur_constraints_errmsg(const augur_constraints *c)
{
    return c ? c->errmsg : "NULL constraints";
}

/* --- Adding ------------------------------------------------------------ */

static int fail(augur_constraints *c, int code, const char *fmt, ...)
    AUGUR__PRINTF(3, 4);

static int fail(augur_constraints *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(c->errmsg, sizeof c->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Append *it (whose owned parts pass to c, or are freed on failure). */
static int push(augur_constraints *c, augur__constraint *it)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4;
        augur__constraint *grown = realloc(c->items, cap * sizeof *grown);
        if (!grown) {
            free_item(it);
            return fail(c, AUGUR_ENOMEM, "out of memory adding a constraint");
        }
        c->items = grown;
        c->cap = cap;
    }
    c->items[c->count++] = *it;
    return AUGUR_OK;
}

/* Clear the message; check an index and a number. */
static int check(augur_constraints *c, const char *what, size_t i, double v)
{
    if (!c)
        return AUGUR_EINVAL;
    c->errmsg[0] = '\0';
    if (i >= c->n)
        return fail(c, AUGUR_EINVAL, "%s: index %zu is outside x0..x%zu",
                    what, i, c->n - 1);
    if (!isfinite(v))
        return fail(c, AUGUR_EINVAL, "%s: %g is not finite", what, v);
    return AUGUR_OK;
}

int augur_constraints_add(augur_constraints *c, augur_constraint_fn fn, void *data)
{
    int rc = check(c, "constraint", 0, 0);
    if (rc == AUGUR_OK && !fn)
        rc = fail(c, AUGUR_EINVAL, "constraint: NULL function");
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_CALLBACK, .fn = fn, .data = data};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

int augur_constraints_add_integer(augur_constraints *c, size_t i)
{
    int rc = check(c, "integer", i, 0);
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_INTEGER, .i = i};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int augur_constraints_add_discrete(augur_constraints *c, size_t i,
                                   const double *values, size_t count)
{
    int rc = check(c, "discrete", i, 0);
    if (rc == AUGUR_OK && (!values || count == 0))
        rc = fail(c, AUGUR_EINVAL, "discrete: no values");
    for (size_t k = 0; rc == AUGUR_OK && k < count; k++)
        rc = check(c, "discrete", i, values[k]);
    if (rc != AUGUR_OK)
        return rc;
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_DISCRETE, .i = i,
                            .values = malloc(count * sizeof(double)), .count = count};
    if (!it.values)
        return fail(c, AUGUR_ENOMEM, "out of memory adding a constraint");
    memcpy(it.values, values, count * sizeof(double));
    qsort(it.values, count, sizeof(double), cmp_double);
    return push(c, &it);
}

int augur_constraints_add_fixed(augur_constraints *c, size_t i, double v)
{
    int rc = check(c, "fixed", i, v);
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_FIXED, .i = i, .v = v};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

int augur_constraints_add_linear_equality(augur_constraints *c, const double *a,
                                          double b)
{
    int rc = check(c, "linear", 0, b);
    if (rc == AUGUR_OK && !a)
        rc = fail(c, AUGUR_EINVAL, "linear: NULL coefficients");
    double norm2 = 0;
    for (size_t k = 0; rc == AUGUR_OK && k < c->n; k++) {
        rc = check(c, "linear", 0, a[k]);
        norm2 += a[k] * a[k];
    }
    if (rc == AUGUR_OK && !(norm2 > 0 && isfinite(norm2)))
        rc = fail(c, AUGUR_EINVAL, "linear: the coefficients are all 0 (or too large)");
    if (rc != AUGUR_OK)
        return rc;
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_LINEAR, .v = b, .norm2 = norm2,
                            .values = malloc(c->n * sizeof(double)), .count = c->n};
    if (!it.values)
        return fail(c, AUGUR_ENOMEM, "out of memory adding a constraint");
    memcpy(it.values, a, c->n * sizeof(double));
    return push(c, &it);
}

int augur_constraints_add_sum(augur_constraints *c, double v)
{
    int rc = check(c, "sum", 0, v);
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_SUM, .v = v};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

int augur_constraints_add_mean(augur_constraints *c, double v)
{
    int rc = check(c, "mean", 0, v);
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_MEAN, .v = v};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

int augur_constraints_add_spread(augur_constraints *c, double v)
{
    int rc = check(c, "spread", 0, v);
    if (rc == AUGUR_OK && v < 0)
        rc = fail(c, AUGUR_EINVAL, "spread: %g is negative", v);
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_SPREAD, .v = v};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

int augur_constraints_add_ordering(augur_constraints *c, size_t i, size_t j)
{
    int rc = check(c, "ordering", i, 0);
    if (rc == AUGUR_OK)
        rc = check(c, "ordering", j, 0);
    if (rc == AUGUR_OK && i == j)
        rc = fail(c, AUGUR_EINVAL, "ordering: x%zu <= x%zu says nothing", i, j);
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_ORDERING, .i = i, .j = j};
    return rc == AUGUR_OK ? push(c, &it) : rc;
}

int augur__constraints_add_assign(augur_constraints *c, size_t k,
                                  augur_relation_fn rhs, void *data,
                                  augur__free_fn free_data, const char *text)
{
    augur__constraint it = {.kind = AUGUR_CONSTRAINT_ASSIGN, .i = k, .rhs = rhs,
                            .data = data, .free_data = free_data,
                            .text = text ? strdup(text) : NULL};
    int rc = check(c, "assign", k, 0);
    if (rc == AUGUR_OK && (!rhs || !it.text))
        rc = fail(c, rhs ? AUGUR_ENOMEM : AUGUR_EINVAL, "assign: %s",
                  rhs ? "out of memory" : "NULL right side");
    if (rc != AUGUR_OK) {
        free_item(&it);
        return rc;
    }
    return push(c, &it);
}

/* --- Applying ---------------------------------------------------------- */

/* Add delta to every coordinate: the orthogonal projection onto sum = v. */
static void shift(double *x, size_t n, double delta)
{
    for (size_t k = 0; k < n; k++)
        x[k] += delta;
}

/* Rescale about the mean so that max - min = v; 1 when x is flat. */
static int spread(double *x, size_t n, double v)
{
    double lo, hi, m = augur__sum(x, n) / (double)n;
    augur__extremes(x, n, &lo, &hi);
    if (!(hi > lo))
        return v == 0 ? 0 : 1;
    double scale = v / (hi - lo);
    for (size_t k = 0; k < n; k++)
        x[k] = m + (x[k] - m) * scale;
    return 0;
}

static int apply_one(const augur__constraint *it, double *x, size_t n)
{
    switch (it->kind) {
    case AUGUR_CONSTRAINT_CALLBACK:
        return it->fn(x, n, it->data);
    case AUGUR_CONSTRAINT_INTEGER:
        x[it->i] = round(x[it->i]);
        return 0;
    case AUGUR_CONSTRAINT_DISCRETE:
        x[it->i] = augur__nearest_value(it->values, it->count, x[it->i]);
        return 0;
    case AUGUR_CONSTRAINT_FIXED:
        x[it->i] = it->v;
        return 0;
    case AUGUR_CONSTRAINT_LINEAR: {
        double t = (it->v - augur__dot(it->values, x, n)) / it->norm2;
        for (size_t k = 0; k < n; k++)
            x[k] += t * it->values[k];
        return 0;
    }
    case AUGUR_CONSTRAINT_SUM:
        shift(x, n, (it->v - augur__sum(x, n)) / (double)n);
        return 0;
    case AUGUR_CONSTRAINT_MEAN:
        shift(x, n, it->v - augur__sum(x, n) / (double)n);
        return 0;
    case AUGUR_CONSTRAINT_SPREAD:
        return spread(x, n, it->v);
    case AUGUR_CONSTRAINT_ORDERING:
        if (x[it->i] > x[it->j]) {
            double t = x[it->i];
            x[it->i] = x[it->j];
            x[it->j] = t;
        }
        return 0;
    case AUGUR_CONSTRAINT_ASSIGN:
        x[it->i] = it->rhs(x, n, it->data);
        return 0;
    }
    return 0;
}

/* Apply every mapping; stops at the first that declares the point
 * infeasible (positive) or fails (negative, reported as item k). */
static int apply_all(const augur_constraints *c, double *x, size_t *failed)
{
    for (size_t k = 0; k < c->count; k++) {
        int rc = apply_one(&c->items[k], x, c->n);
        if (rc != 0) {
            *failed = k;
            return rc;
        }
    }
    return 0;
}

int augur_constraints_apply(const augur_constraints *c, double *x)
{
    if (!c || !x)
        return AUGUR_EINVAL;
    size_t failed;
    return apply_all(c, x, &failed);
}

/* --- The evaluation path's step ---------------------------------------- */

/* Inside [lb, ub]; NaN never is, whatever the bounds. */
static int in_box(const double *x, const double *lb, const double *ub, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!(x[k] >= lb[k] && x[k] <= ub[k]))
            return 0;
    return 1;
}

static void clip(double *x, const double *lb, const double *ub, size_t n)
{
    for (size_t k = 0; k < n; k++)
        x[k] = isnan(x[k]) ? x[k] : fmin(fmax(x[k], lb[k]), ub[k]);
}

int augur__constraints_admit(const augur_constraints *c, const double *lb,
                             const double *ub, const double *x, double *out,
                             char *err, size_t cap)
{
    memcpy(out, x, c->n * sizeof *x);
    for (int pass = 0; pass < AUGUR__ADMIT_ROUNDS; pass++) {
        size_t failed = 0;
        int rc = apply_all(c, out, &failed);
        if (rc < 0)
            return augur__fail_msg(err, cap, rc, "constraint %zu (a callback) "
                                   "failed: %s", failed, augur_strerror(rc));
        if (rc > 0)
            return 1;
        int inside = in_box(out, lb, ub, c->n);
        if (inside && augur_constraints_satisfied(c, out))
            return 0;
        if (!inside)
            clip(out, lb, ub, c->n);
    }
    return 1;
}
