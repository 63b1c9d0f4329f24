/* monitor_records.h - what the monitor suites (tests/test_monitors_*.c)
 * share: generation and evaluation records built by hand, and a bitwise
 * comparison of doubles. Static and marked unused, since each suite uses
 * only part of it. */
#ifndef AUGUR_TESTS_MONITOR_RECORDS_H
#define AUGUR_TESTS_MONITOR_RECORDS_H

#include <stddef.h>
#include <string.h>
#include "augur/monitor.h"

#define MONITOR_STATIC static __attribute__((unused))

MONITOR_STATIC augur_record gen_record(size_t g, size_t evals, const double *x,
                                       size_t n, double f)
{
    return (augur_record){ .kind = AUGUR_RECORD_GENERATION, .index = g,
                           .generation = g, .evaluations = evals, .n = n,
                           .x = x, .f = f, .id = 0 };
}

MONITOR_STATIC augur_record eval_record(size_t e, size_t g, const double *x,
                                        size_t n, double f)
{
    return (augur_record){ .kind = AUGUR_RECORD_EVALUATION, .index = e,
                           .generation = g, .evaluations = e + 1, .n = n,
                           .x = x, .f = f, .id = 0 };
}

MONITOR_STATIC int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}


#endif
