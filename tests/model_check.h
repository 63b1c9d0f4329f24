/* model_check.h - what the model suites (tests/test_models_*.c) share: the
 * dimensions every model is tried at, a tolerance test, lookup that must
 * succeed, and the reported minimum that must exist. Static and marked
 * unused, since each suite uses only part of it. */
#ifndef AUGUR_TESTS_MODEL_CHECK_H
#define AUGUR_TESTS_MODEL_CHECK_H

#include <math.h>
#include <stddef.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "augur/model.h"
#include "augur/status.h"

#define MODEL_STATIC static __attribute__((unused))

#define MAXN 32
#define PI 3.14159265358979323846

/* GSL must report, not abort, if a test misuses it. */
MODEL_STATIC void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

/* 9 and 17 are chebyshev8's and chebyshev16's only dimensions. */
MODEL_STATIC const size_t test_dims[] = {1, 2, 3, 4, 5, 9, 10, 17};

/* |a - b| within tol, relative for large |b| and absolute near 0. */
MODEL_STATIC int near(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1.0, fabs(b));
}

MODEL_STATIC const augur_model *must_find(const char *name)
{
    const augur_model *m = augur_model_find(name);
    cr_assert_not_null(m, "model %s not registered", name);
    return m;
}

MODEL_STATIC double min_of(const augur_model *m, size_t n, double *xmin)
{
    double f = NAN;
    int rc = augur_model_minimum(m, n, &f, xmin);
    cr_assert_eq(rc, AUGUR_OK, "%s n=%zu: minimum -> %d", m->name, n, rc);
    return f;
}

#endif
