/* nelder_mead.h - the Nelder-Mead solver the solver suites
 * (tests/test_solver_*.c) run: nm(n) creates one of dimension n or fails
 * the test. Static and marked unused, since not every suite uses it. */
#ifndef AUGUR_TESTS_NELDER_MEAD_H
#define AUGUR_TESTS_NELDER_MEAD_H

#include <criterion/criterion.h>
#include "augur.h"

static __attribute__((unused)) augur_solver *nm(size_t n)
{
    augur_solver *s = augur_solver_create("nelder-mead", n);
    cr_assert_not_null(s);
    return s;
}

#endif
