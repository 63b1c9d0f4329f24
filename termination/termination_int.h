/* termination_int.h - private to augur's termination area: the built-in
 * type tables, listed by the registry in termination.c. */
#ifndef AUGUR_TERMINATION_INT_H
#define AUGUR_TERMINATION_INT_H

#include "augur/termination.h"

/* The built-in tables, defined in criteria.c and combinators.c. They are
 * external (not static) so this registry can list their addresses in a
 * constant array, as GSL's rng/types.c does, without run-time set-up. */
extern const augur_term_type augur__term_type_vtr;
extern const augur_term_type augur__term_type_change_over_generation;
extern const augur_term_type augur__term_type_normalized_change_over_generation;
extern const augur_term_type augur__term_type_vtr_change_over_generation;
extern const augur_term_type augur__term_type_candidate_relative_tolerance;
extern const augur_term_type augur__term_type_solution_improvement;
extern const augur_term_type augur__term_type_normalized_cost_target;
extern const augur_term_type augur__term_type_population_spread;
extern const augur_term_type augur__term_type_gradient_norm_tolerance;
extern const augur_term_type augur__term_type_evaluation_limits;
extern const augur_term_type augur__term_type_time_limits;
extern const augur_term_type augur__term_type_no_improvement;
extern const augur_term_type augur__term_type_stopval;
extern const augur_term_type augur__term_type_ftol_abs;
extern const augur_term_type augur__term_type_ftol_rel;
extern const augur_term_type augur__term_type_xtol_abs;
extern const augur_term_type augur__term_type_xtol_rel;
extern const augur_term_type augur__term_type_or;
extern const augur_term_type augur__term_type_and;
extern const augur_term_type augur__term_type_not;
extern const augur_term_type augur__term_type_when;

#endif
