/* ensemble_spec.c - handing an ensemble's inner solver down to its runs.
 *
 * Every inner run rebuilds the inner solver from spec text (the task
 * "augur.nested" in ensemble.c), because text is what reaches a thread, a
 * forked worker or an MPI rank alike. At the start the nested template is
 * copied through its spec, given what the ensemble has and it lacks -
 * bounds, termination, the generation limit, the sign, the constraints and the penalty
 * - checked against the map rules of augur/ensemble.h, and written back to
 * text once. Constraints and penalties travel as their written form
 * (augur_constraints_write, augur_penalty_write); one that has none (a
 * callback, a user penalty) fails the start with a message instead of
 * being dropped, since the runs would then solve another problem. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur/spec.h"
#include "ensemble_int.h"

static int copy_inner(augur_solver *s, augur_solver **copy)
{
    char *text = NULL, why[AUGUR_ERRMSG_CAP];
    int rc = augur_solver_write_spec(s->nested, &text);
    if (rc != AUGUR_OK)
        snprintf(why, sizeof why, "%s (the nested runs are rebuilt from its spec)",
                 augur_solver_errmsg(s->nested));
    else
        rc = augur_solver_read_spec(text, copy, why, sizeof why);
    if (rc != AUGUR_OK)
        augur_solver_fail(s, rc, "%s: nested solver: %s", s->type->name, why);
    free(text);
    return rc;
}

/* The ensemble's constraints, rebuilt on `in` from their text (what the
 * spec carries); callbacks have none, so the start fails rather than run
 * the inner solver without them. */
static int hand_down_constraints(augur_solver *s, augur_solver *in, char *why,
                                 size_t cap)
{
    if (in->constraints || augur_constraints_count(s->constraints) == 0)
        return AUGUR_OK;
    augur_constraints *c = NULL;
    augur_penalty *p = NULL;
    char *text = NULL;
    int rc = augur_constraints_write(s->constraints, &text);
    if (rc != AUGUR_OK)
        snprintf(why, cap, "%s", augur_constraints_errmsg(s->constraints));
    else if ((rc = augur_relations_parse(text, s->n, NULL, &c, &p, why, cap)) == 0)
        rc = augur_solver_set_constraints(in, c);
    augur_penalty_destroy(p);     /* none: the text holds mappings only */
    free(text);
    return rc;
}

/* The same for the penalty, with the kinds and weights it was read with. */
static int hand_down_penalty(augur_solver *s, augur_solver *in, char *why, size_t cap)
{
    if (in->penalty || !s->penalty)
        return AUGUR_OK;
    augur_constraints *c = NULL;
    augur_penalty *p = NULL;
    augur_relation_options o;
    char *text = NULL;
    int rc = augur_penalty_write(s->penalty, &text, &o);
    if (rc != AUGUR_OK)
        snprintf(why, cap, "%s", augur_penalty_errmsg(s->penalty));
    else if ((rc = augur_relations_parse(text, s->n, &o, &c, &p, why, cap)) == 0)
        rc = augur_solver_set_penalty(in, p);
    augur_constraints_destroy(c); /* none: the text holds penalties only */
    free(text);
    return rc;
}

/* Bounds, termination, limits, the sign, the constraints and the penalty
 * go down unless the inner solver has its own; the start point is set per
 * run. */
static int hand_down(augur_solver *s, augur_solver *in)
{
    char why[AUGUR_ERRMSG_CAP];
    int rc = hand_down_constraints(s, in, why, sizeof why);
    if (rc == AUGUR_OK)
        rc = hand_down_penalty(s, in, why, sizeof why);
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "%s: cannot hand its constraints or penalty "
                                 "to the nested runs, which take them as text: %s",
                                 s->type->name, why);
    if (!in->has_bounds && s->has_bounds)
        rc = augur_solver_set_bounds(in, s->lb, s->ub);
    if (rc == AUGUR_OK && !in->term && s->term) {
        augur_termination *t = augur_term_copy(s->term);
        rc = t ? augur_solver_set_termination(in, t) : AUGUR_ENOMEM;
    }
    /* the generation limit goes down; the evaluation limit is the
     * ensemble's total, shared out per batch (ensemble.c) */
    if (rc == AUGUR_OK && !in->max_gen_set && !in->max_eval_set)
        rc = augur_solver_set_evaluation_limits(in, s->max_gen_set, 0);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_param(in, "maximize", s->base.maximize);
    free(in->x0);
    in->x0 = NULL;
    if (rc != AUGUR_OK)
        return augur_solver_fail(s, rc, "%s: handing down to the nested solver: %s",
                                 s->type->name, augur_solver_errmsg(in));
    return AUGUR_OK;
}

static long cpus(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c > 0 ? c : 1;
}

/* The pairs of outer and inner maps that neither deadlock nor
 * oversubscribe (see ensemble.h). */
static int check_maps(augur_solver *s, const augur_solver *in)
{
    const char *outer = s->map ? augur_map_type_name(s->map) : "serial";
    const char *inner = in->map ? augur_map_type_name(in->map) : "serial";
    int ok;
    if (strcmp(inner, "mpi") == 0)
        ok = 0;
    else if (strcmp(outer, "serial") == 0 || strcmp(inner, "serial") == 0)
        ok = 1;
    else if (strcmp(outer, "threads") == 0)
        ok = 0;
    else
        ok = strcmp(inner, "threads") == 0 &&
             (long)augur_map_workers(s->map) * augur_map_workers(in->map) <= cpus();
    if (!ok)
        return augur_solver_fail(s, AUGUR_EINVAL,
                                 "%s: an inner '%s' map under an outer '%s' map would "
                                 "deadlock or oversubscribe (see augur/ensemble.h)",
                                 s->type->name, inner, outer);
    return AUGUR_OK;
}

static size_t log_capacity(augur_solver *s, augur_solver *in)
{
    if (!s->n_eval_mons)
        return 0;
    size_t most = augur_solver_max_evaluations(in);
    if (s->max_eval_set && s->max_eval_set < most)
        most = s->max_eval_set;   /* no run's share is more */
    if (most == AUGUR_UNLIMITED)
        return SIZE_MAX;
    size_t npop = in->type->population_size
                      ? in->type->population_size(in->state, in->n) : 1;
    /* a generation may finish past the limit: a population or two more */
    return most + 2 * (npop + in->n + 1) + 64;
}

int augur__ensemble_make_spec(augur_solver *s, augur_ensemble *e)
{
    if (!s->nested)
        return augur_solver_fail(s, AUGUR_ESTATE, "%s: no nested solver "
                                 "(augur_solver_set_nested)", s->type->name);
    augur_solver *in = NULL;
    int rc = copy_inner(s, &in);
    if (rc == AUGUR_OK)
        rc = hand_down(s, in);
    if (rc == AUGUR_OK)
        rc = check_maps(s, in);
    if (rc == AUGUR_OK) {
        e->log_cap = log_capacity(s, in);
        if (e->log_cap == SIZE_MAX)
            rc = augur_solver_fail(s, AUGUR_EINVAL, "%s: to feed evaluation monitors "
                                   "the nested runs need an evaluation limit",
                                   s->type->name);
    }
    if (rc == AUGUR_OK)
        rc = augur_solver_write_spec(in, &e->spec);
    augur_solver_destroy(in);
    return rc;
}
