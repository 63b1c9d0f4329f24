/* augur/spec.h - specs: a solver or a termination condition written as
 * libconfig text, and rebuilt from it.
 *
 * A spec holds everything that makes a solver what it is - type,
 * dimension, every parameter (defaults resolved), seed, bounds, starting
 * points, limits, the termination tree, constraints, penalty and a nested
 * solver - and nothing that is run state. spec -> object -> spec gives the same text, byte for
 * byte, and numbers read back bit for bit (they are written with the
 * shortest text that reads back exactly). Specs are how a nested solver
 * reaches a fork worker or an MPI rank, and the same format is what config
 * files use, so it is written for people:
 *
 *     type = "nelder-mead";
 *     dimension = 3;
 *     seed = 42;
 *     parameters = { radius = 0.05; adaptive = false; ... };
 *     bounds = { lower = [ -5.0, -5.0, -5.0 ]; upper = [ 5.0, 5.0, 5.0 ]; };
 *     initial = { point = [ 0.0, 0.0, 0.0 ]; };
 *     limits = { evaluations = 10000; };
 *     termination = { type = "or"; members = ( { type = "vtr"; ... }, ... ); };
 *     constraints = "mean(5); spread(5)";
 *     penalty = { relations = "x0 + x1 <= 5"; inequality = "quadratic";
 *                 equality = "quadratic"; k = 100.0; h = 1.0; };
 *
 * Constraints and the penalty are their written form (augur/constraints.h:
 * augur_constraints_write, augur_penalty_write), written only when the
 * solver has them; "constraints" takes mappings only and
 * "penalty.relations" penalties only (inequality, equality, k and h are
 * augur_relation_options). A callback constraint or a penalty with no
 * written form (a user penalty, a relation penalty on a function, or
 * relations that differ in kind or weights) cannot go into a spec:
 * augur_solver_write_spec then returns AUGUR_EUNSUP, *text NULL, with the
 * reason in augur_solver_errmsg(s) - also when it is the nested solver's -
 * rather than write a spec for another problem.
 *
 * A spec's text is the body of a libconfig group (no braces), so it can be
 * placed inside one: `solver = { <spec> };`. Reading reports errors with
 * the setting's path and line ("termination.members.[1].tolerance (line
 * 9): expected a number"). */
#ifndef AUGUR_SPEC_H
#define AUGUR_SPEC_H

#include <stddef.h>
#include "augur/export.h"
#include "augur/solver.h"
#include "augur/termination.h"

#ifdef __cplusplus
extern "C" {
#endif

/* *text is malloc'd (free it with free()). On failure *text is NULL and
 * the message is in augur_solver_errmsg(s) (the one change a write makes
 * to s). */
AUGUR_EXTERN int augur_solver_write_spec(const augur_solver *s, char **text);
AUGUR_EXTERN int augur_solver_read_spec(const char *text, augur_solver **out,
                                        char *err, size_t cap);
AUGUR_EXTERN int augur_term_write_spec(const augur_termination *t, char **text);
AUGUR_EXTERN int augur_term_read_spec(const char *text, augur_termination **out,
                                      char *err, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
