/* term_info.h - what the termination suites (tests/test_termination_*.c)
 * share: a run's augur_info built by hand from a scripted energy history
 * (run_info) or population (population_info), checks that must not fail
 * (fires, fires_once), parameter reads, a flat history of FLAT_LEN records
 * and the population CandidateRelativeTolerance is judged on. Everything is
 * static and marked unused, since each suite uses only part of it. */
#ifndef AUGUR_TESTS_TERM_INFO_H
#define AUGUR_TESTS_TERM_INFO_H

#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "augur/status.h"
#include "augur/termination.h"

/* Each suite uses part of this file. */
#define TERM_STATIC static __attribute__((unused))

/* A run whose best energies were h[0..len-1]: generation len-1, f last. */
TERM_STATIC augur_info run_info(const double *h, size_t len)
{
    augur_info info;
    memset(&info, 0, sizeof info);
    info.energy_history = h;
    info.history_len = len;
    info.generation = len ? len - 1 : 0;
    info.f = len ? h[len - 1] : INFINITY;
    return info;
}

/* 1 stop / 0 continue for a condition that must not fail. */
TERM_STATIC int fires(augur_termination *t, const augur_info *info)
{
    cr_assert_not_null(t);
    int rc = augur_term_check(t, info);
    cr_assert(rc == 0 || rc == 1, "check failed: %d (%s)", rc,
              augur_term_errmsg(t));
    if (rc == 0)
        cr_assert_str_eq(augur_term_reason(t), "");
    return rc;
}

/* The same for a throw-away condition. */
TERM_STATIC int fires_once(augur_termination *t, const augur_info *info)
{
    int rc = fires(t, info);
    augur_term_destroy(t);
    return rc;
}

TERM_STATIC double param(const augur_termination *t, const char *name)
{
    double v = NAN;
    cr_assert_eq(augur_term_get_param(t, name, &v), AUGUR_OK, "no '%s'", name);
    return v;
}

#define FLAT_LEN 40
TERM_STATIC double flat[FLAT_LEN];

TERM_STATIC void fill_flat(double value)
{
    for (size_t k = 0; k < FLAT_LEN; k++)
        flat[k] = value;
}

/* A population of three 2-D members with their energies, for
 * CandidateRelativeTolerance and the combinators' error tests; a run of
 * one generation around it. */
TERM_STATIC const double crt_pop[] = {1, 1, 1.25, 1, 1, 0.75};
TERM_STATIC const double crt_energy[] = {0, 0.25, -0.25};

TERM_STATIC augur_info population_info(const double *pop, const double *energy,
                                       size_t npop, size_t n)
{
    static const double h[] = {1};
    augur_info info = run_info(h, 1);
    info.n = n;
    info.x = pop;
    info.population = pop;
    info.population_energy = energy;
    info.npop = npop;
    return info;
}

#endif
