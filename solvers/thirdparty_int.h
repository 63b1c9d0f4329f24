/* thirdparty_int.h - private to augur: the solver types that bind other
 * libraries' algorithms (nlopt.c: "nlopt:<NAME>"; gsl_multimin.c:
 * "gsl:<name>"), for the registry. Each provider returns its own array of
 * types and their number; the registry lists them after the built-ins, so
 * augur_solver_types() and augur_solver_type_find() reach them by name like
 * any other type. */
#ifndef AUGUR_THIRDPARTY_INT_H
#define AUGUR_THIRDPARTY_INT_H

#include <stddef.h>
#include "augur/plugin.h"

/* Every NLopt algorithm this NLopt was built with; the tables are made once
 * (thread-safe) on the first call. */
const augur_solver_type *augur__nlopt_types(size_t *count);
/* GSL's multimin minimisers (simplex and gradient families). */
const augur_solver_type *augur__gsl_types(size_t *count);

#endif
