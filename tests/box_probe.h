/* box_probe.h - the Rosenbrock function (augur_model_rosen) as a cost that
 * counts its calls and the calls outside the box [lb, ub], for the suites
 * whose solvers must never evaluate outside their bounds
 * (test_solver_nelder_mead.c, test_powell.c). */
#ifndef AUGUR_TESTS_BOX_PROBE_H
#define AUGUR_TESTS_BOX_PROBE_H

#include <stddef.h>
#include "augur.h"

typedef struct box_probe {
    const double *lb, *ub;
    size_t calls, outside;
} box_probe;

static __attribute__((unused)) double probed_rosen(const double *x, size_t n, void *data)
{
    box_probe *p = data;
    p->calls++;
    for (size_t i = 0; i < n; i++)
        if (!(x[i] >= p->lb[i] && x[i] <= p->ub[i]))
            p->outside++;
    return augur_model_rosen(x, n, NULL);
}

#endif
