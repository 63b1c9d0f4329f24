/* augur/powell.h - settings of the "powell" solver that are not numbers.
 *
 * Powell's method minimises along each direction of a set in turn; the set
 * starts as the identity (the coordinate axes) unless one is given here. */
#ifndef AUGUR_POWELL_H
#define AUGUR_POWELL_H

#include "augur/export.h"
#include "augur/solver.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The starting direction set: n rows of n (copied). The rows must span the
 * space: a singular set, or one with a non-finite entry, is rejected with
 * AUGUR_EINVAL, as is a solver that is not a "powell" one. Set before a run
 * it is the set generation 1 starts from; set during one it replaces the
 * current set from the next generation on. */
AUGUR_EXTERN int augur_powell_set_directions(augur_solver *s, const double *dirs);

#ifdef __cplusplus
}
#endif
#endif
