/* interrupted.c - the results of a run stopped before its end (Ctrl-C, a
 * monitor or a callback asking it to stop) describe that run.
 *
 * A results file reruns its run when loaded, but a stop request is not in
 * the file: the rerun would go on to the limits, which describes another
 * run (issue 11: 20,020 evaluations against the 2,640 reached). So once a
 * solve returns AUGUR_STOPPED, the job's solver is given the limits it
 * reached, which the stop test checks before anything else and at the
 * same point: the generation limit becomes the generations made (the
 * evaluation limit too, when no generation was: a stop after generation
 * 0), and the results file says so in a comment. The generation limit
 * only ever stops a run; the evaluation limit is left alone where one
 * exists, since some types size their work by it (auto splits its budget,
 * NLopt's DIRECT its arrays). Ensembles hand their generation limit to
 * their runs, so for them the count of batches is pinned instead
 * ("batches" = generations + 1; ipop: "restarts" = generations). BIPOP's
 * interleaving has no such count, and auto splits one budget between
 * BIPOP and its polish: their files rerun to their own end, and the
 * comment says that. */
#include <stdio.h>
#include <string.h>
#include "solver_int.h"
#include "job_int.h"

#define PINNED "So that loading this file reruns it as far as it\n# went, the solver has "

static int pin_ensemble(augur_solver *s, size_t gens, char *how, size_t cap)
{
    double regime = 0;
    if (strcmp(augur_solver_type_name(s), "ipop") == 0) {
        augur_solver_get_param(s, "regime", &regime);
        if (regime != 0) {
            snprintf(how, cap, "BIPOP's runs cannot be pinned: loading this file "
                     "runs on\n# to the end the interrupted run would have reached.");
            return AUGUR_OK;
        }
        snprintf(how, cap, "%srestarts = %zu (the restarts it made).", PINNED, gens);
        return augur_solver_set_param(s, "restarts", (double)gens);
    }
    snprintf(how, cap, "%sbatches = %zu (the batches it made).", PINNED, gens + 1);
    return augur_solver_set_param(s, "batches", (double)(gens + 1));
}

int augur__job_pin_interrupted(augur_job *j)
{
    augur_solver *s = j->solver;
    size_t gens = augur_solver_generations(s), evals = augur_solver_evaluations(s);
    char how[200];
    int rc;
    if (s->type->nested_limits)
        rc = pin_ensemble(s, gens, how, sizeof how);
    else if (strcmp(augur_solver_type_name(s), "auto") == 0) {
        /* its one budget is split between BIPOP and the polish */
        snprintf(how, sizeof how, "auto's budget cannot be pinned: loading this file "
                 "runs on\n# to the end the interrupted run would have reached.");
        rc = AUGUR_OK;
    }
    else if (gens > 0) {
        snprintf(how, sizeof how, "%slimits.generations = %zu (the generations "
                 "made).", PINNED, gens);
        rc = augur_solver_set_evaluation_limits(s, gens, s->max_eval_set);
    } else {
        snprintf(how, sizeof how, "%slimits.evaluations = %zu (the evaluations "
                 "made).", PINNED, evals);
        rc = augur_solver_set_evaluation_limits(s, s->max_gen_set, evals);
    }
    if (rc != AUGUR_OK)
        return rc;
    snprintf(j->interrupted, sizeof j->interrupted,
             "# This run was interrupted after generation %zu and %zu evaluations:\n"
             "# %s. %s\n", gens, evals, augur_solver_termination_reason(s), how);
    return AUGUR_OK;
}
