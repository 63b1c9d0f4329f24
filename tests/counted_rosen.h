/* counted_rosen.h - the cost the GSL and NLopt suites (test_gsl.c,
 * test_nlopt.c) pass to every solver they run: the 3-D Rosenbrock function
 * (augur_model_rosen), minimum 0 at (1, 1, 1), that counts its own calls,
 * the calls outside the box [lb, ub]^3, the calls at the starting point
 * x0, and the NaN it returns where x[2] > nan_above; sign -1 turns it into
 * 10 - Rosenbrock, to maximise. Each suite sets the fields it checks. */
#ifndef AUGUR_TESTS_COUNTED_ROSEN_H
#define AUGUR_TESTS_COUNTED_ROSEN_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "augur.h"

typedef struct counted {
    size_t calls, outside, nans, at_x0;
    double lb, ub, nan_above;
    double sign;          /* 1, or -1 with an offset of 10 to maximise */
    double x0[3];
} counted;

static __attribute__((unused)) double cost(const double *x, size_t n, void *data)
{
    counted *c = data;
    cr_assert_eq(n, 3);
    c->calls++;
    for (size_t i = 0; i < 3; i++)
        c->outside += !(x[i] >= c->lb && x[i] <= c->ub);
    if (memcmp(x, c->x0, sizeof c->x0) == 0)
        c->at_x0++;
    if (x[2] > c->nan_above) {
        c->nans++;
        return NAN;
    }
    double f = augur_model_rosen(x, 3, NULL);
    return c->sign == -1 ? 10 - f : f;
}

#endif
