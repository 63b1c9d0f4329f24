/* solver_constraints.c - attaching constraints and a penalty to a solver.
 *
 * The constraints area knows nothing of solvers (it sits below them), so the
 * setters that store its objects in a solver live here, on the solvers'
 * side. The evaluation path that applies them is in run.c. */
#include <stdlib.h>
#include "augur/constraints.h"
#include "solver_int.h"

int augur_solver_set_constraints(augur_solver *s, augur_constraints *c)
{
    if (!s) {
        augur_constraints_destroy(c);
        return AUGUR_EINVAL;
    }
    augur__solver_begin_setting(s);
    size_t cn = c ? augur_constraints_dimension(c) : 0;
    if (c && cn != s->n) {
        augur_constraints_destroy(c);
        return augur_solver_fail(s, AUGUR_EINVAL, "%s: constraints for %zu "
                                 "coordinates on a solver of %zu", s->type->name,
                                 cn, s->n);
    }
    if (c && !s->cx && !(s->cx = augur__malloc_array(augur__mul_sat(2, s->n), sizeof *s->cx))) {
        augur_constraints_destroy(c);
        return augur_solver_fail(s, AUGUR_ENOMEM, "out of memory");
    }
    augur_constraints_destroy(s->constraints);
    s->constraints = c;
    return AUGUR_OK;
}

const augur_constraints *augur_solver_constraints(const augur_solver *s)
{
    return s ? s->constraints : NULL;
}

int augur_solver_set_penalty(augur_solver *s, augur_penalty *p)
{
    if (!s) {
        augur_penalty_destroy(p);
        return AUGUR_EINVAL;
    }
    augur__solver_begin_setting(s);
    augur_penalty_destroy(s->penalty);
    s->penalty = p;
    return AUGUR_OK;
}

const augur_penalty *augur_solver_penalty(const augur_solver *s)
{
    return s ? s->penalty : NULL;
}
