/* penalty.c - penalties: numbers added to the cost that grow with the
 * violation of a relation, and their and/or combinations.
 *
 * The relation penalties are mystic's penalty library (mystic/penalty.py)
 * with its weight schedule pk = k * h^n, n the solver's generation count:
 * quadratic and linear inequality (g(x) <= 0 holds), the log barrier for
 * an inequality, and quadratic and linear equality (h(x) == 0 holds).
 * Where mystic's default grows the weight fivefold per generation, the
 * default here is h = 1, a constant weight: the best point is compared
 * across generations, and a growing weight makes an early slightly
 * violating point look better than it is. Ask for h = 5 to get mystic's.
 *
 * And is the sum (every rule must hold), or the smaller value (one rule
 * holding is enough, mystic#65). Like termination combinators they own
 * their children, also when they fail, so nested constructors need no
 * checks in between. A penalty read from text keeps the relation as
 * written, for penalty_text.c to write it back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"

/* --- Constructors ------------------------------------------------------ */

static int valid_weight(double v)
{
    return isfinite(v) && v >= 0;
}

augur_penalty *augur__penalty_owned(augur_penalty_kind kind, augur_relation_fn g,
                                    void *data, augur__free_fn free_data,
                                    double k, double h, const char *text, size_t len)
{
    augur_penalty *p = NULL;
    int known = kind >= AUGUR_PENALTY_QUADRATIC_INEQUALITY &&
                kind <= AUGUR_PENALTY_LINEAR_EQUALITY;
    char *copy = text ? strndup(text, len) : NULL;
    if (g && known && valid_weight(k) && valid_weight(h) && (copy || !text))
        p = malloc(sizeof *p);
    if (!p) {
        free(copy);
        if (free_data)
            free_data(data);
        return NULL;
    }
    *p = (augur_penalty){
        .text = copy,
        .kind = (int)kind,
        .g = g,
        .data = data,
        .free_data = free_data,
        .k = k == 0 ? AUGUR_PENALTY_K : k,
        .h = h == 0 ? 1 : h,
    };
    return p;
}

augur_penalty *augur_penalty_relation(augur_penalty_kind kind, augur_relation_fn g,
                                      void *data, double k, double h)
{
    return augur__penalty_owned(kind, g, data, NULL, k, h, NULL, 0);
}

augur_penalty *augur_penalty_quadratic_inequality(augur_relation_fn g, void *data,
                                                  double k, double h)
{
    return augur_penalty_relation(AUGUR_PENALTY_QUADRATIC_INEQUALITY, g, data, k, h);
}

augur_penalty *augur_penalty_linear_inequality(augur_relation_fn g, void *data,
                                               double k, double h)
{
    return augur_penalty_relation(AUGUR_PENALTY_LINEAR_INEQUALITY, g, data, k, h);
}

augur_penalty *augur_penalty_barrier(augur_relation_fn g, void *data, double k,
                                     double h)
{
    return augur_penalty_relation(AUGUR_PENALTY_BARRIER, g, data, k, h);
}

augur_penalty *augur_penalty_quadratic_equality(augur_relation_fn g, void *data,
                                                double k, double h)
{
    return augur_penalty_relation(AUGUR_PENALTY_QUADRATIC_EQUALITY, g, data, k, h);
}

augur_penalty *augur_penalty_linear_equality(augur_relation_fn g, void *data,
                                             double k, double h)
{
    return augur_penalty_relation(AUGUR_PENALTY_LINEAR_EQUALITY, g, data, k, h);
}

augur_penalty *augur_penalty_user(augur_penalty_fn fn, void *data)
{
    augur_penalty *p = fn ? malloc(sizeof *p) : NULL;
    if (p)
        *p = (augur_penalty){.kind = AUGUR__PENALTY_USER, .user = fn, .data = data};
    return p;
}

static augur_penalty *combine(int kind, augur_penalty *a, augur_penalty *b)
{
    augur_penalty *p = a && b ? malloc(sizeof *p) : NULL;
    if (!p) {
        augur_penalty_destroy(a);
        augur_penalty_destroy(b);
        return NULL;
    }
    *p = (augur_penalty){.kind = kind, .a = a, .b = b};
    return p;
}

augur_penalty *augur_penalty_and(augur_penalty *a, augur_penalty *b)
{
    return combine(AUGUR__PENALTY_AND, a, b);
}

augur_penalty *augur_penalty_or(augur_penalty *a, augur_penalty *b)
{
    return combine(AUGUR__PENALTY_OR, a, b);
}

void augur_penalty_destroy(augur_penalty *p)
{
    if (!p)
        return;
    augur_penalty_destroy(p->a);
    augur_penalty_destroy(p->b);
    if (p->free_data)
        p->free_data(p->data);
    free(p->text);
    free(p);
}

/* --- Values ------------------------------------------------------------ */

static int is_relation(const augur_penalty *p)
{
    return p->kind >= AUGUR_PENALTY_QUADRATIC_INEQUALITY &&
           p->kind <= AUGUR_PENALTY_LINEAR_EQUALITY;
}

double augur_penalty_weight(const augur_penalty *p, size_t generation)
{
    if (!p || !is_relation(p))
        return NAN;
    return p->h == 1 ? p->k : p->k * pow(p->h, (double)generation);
}

/* pk * v, where a satisfied relation (v == 0) costs 0 even when the weight
 * has grown to +inf (inf * 0 would be NaN). */
static double weighted(double pk, double v)
{
    return v == 0 ? 0 : pk * v;
}

static double relation_value(const augur_penalty *p, const double *x, size_t n,
                             size_t generation)
{
    double g = p->g(x, n, p->data);
    if (isnan(g))
        return INFINITY;  /* a relation that cannot be judged does not hold */
    double pk = augur_penalty_weight(p, generation), v = fmax(0, g);
    switch ((augur_penalty_kind)p->kind) {
    case AUGUR_PENALTY_QUADRATIC_INEQUALITY:
        return weighted(2 * pk, v * v);
    case AUGUR_PENALTY_LINEAR_INEQUALITY:
        return weighted(2 * pk, v);
    case AUGUR_PENALTY_BARRIER:
        return g >= 0 ? INFINITY : -(0.5 / pk) * log(-g);
    case AUGUR_PENALTY_QUADRATIC_EQUALITY:
        return weighted(pk, g * g);
    case AUGUR_PENALTY_LINEAR_EQUALITY:
        return weighted(pk, fabs(g));
    }
    return NAN;
}

double augur_penalty_value(const augur_penalty *p, const double *x, size_t n,
                           size_t generation)
{
    if (!p || !x)
        return NAN;
    if (is_relation(p))
        return relation_value(p, x, n, generation);
    if (p->kind == AUGUR__PENALTY_USER)
        return p->user(x, n, generation, p->data);
    double a = augur_penalty_value(p->a, x, n, generation);
    double b = augur_penalty_value(p->b, x, n, generation);
    if (p->kind == AUGUR__PENALTY_AND)
        return a + b;
    return isnan(a) || isnan(b) ? NAN : fmin(a, b);
}
