/* de.c - differential evolution as Storn and Price wrote it (mystic's
 * DifferentialEvolutionSolver, scipy's updating='immediate').
 *
 * The population is updated in place: within a generation each member's
 * trial is built, evaluated at once (as a batch of one row, which is
 * augur_solver_evaluate without its copy of the row) and selected before
 * the next member's trial is built, so later members mutate from
 * vectors (and a best) already improved in this generation. This
 * "asynchronous" form converges faster per evaluation but is serial; de2.c
 * is the synchronous form a map can evaluate in parallel.
 *
 * Generation 0 draws NP members (augur_solver_initial_points: a +-5% cloud
 * around x0 when one is set, else the "sampler" over the box) and evaluates
 * them in order; every later generation makes NP trials. Defaults as
 * mystic: CR 0.9, F 0.8, best1bin, VTRChangeOverGeneration(ftol=0.005),
 * limits 10 n NP generations and 1000 n NP evaluations. The population
 * (0 = 10 n), bounds policy (redraw), strategies and the jDE / SHADE
 * adaptation are described in de_common.c. */
#include "de_int.h"

static int de_start(augur_solver *s, void *state)
{
    de_state *st = state;
    int rc = augur__de_setup(s, st, 0);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t i = 0; i < st->np; i++)
        st->fpop[i] = augur_solver_evaluate(s, st->pop + i * st->n);
    augur__de_started(s, st);
    return AUGUR_OK;
}

static int de_step(augur_solver *s, void *state)
{
    de_state *st = state;
    int rc = augur__de_begin_generation(s, st);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t i = 0; i < st->np; i++) {
        /* st->trials outlives the generation, so it can be the trial view
         * without the copy augur_solver_evaluate makes; a failure is
         * pending in the solver, which the solve loop reports after the
         * step, as for augur_solver_evaluate */
        st->inside[0] = (unsigned char)augur__de_trial(s, st, i, st->trials);
        double f;
        (void)augur__solver_evaluate_rows(s, st->trials, 1, &f, st->inside);
        augur__de_select(s, st, i, st->trials, f);
    }
    return augur__de_end_generation(s, st);
}

static int de_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    return augur__de_save(s, state, 0, c);
}

static int de_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    return augur__de_restore(s, state, 0, c);
}

const augur_solver_type augur_solver_de = {
    .name = "de",
    .doc = "differential evolution, in place (Storn-Price); bounds: redraw",
    .state_size = sizeof(de_state),
    .params = augur__de_params,
    .population_size = augur__de_population_size,
    .check = augur__de_check,
    .generation_scale = 10,
    .evaluation_scale = 1000,
    .default_termination = augur__de_default_termination,
    .needs_start = 1,
    .start = de_start,
    .step = de_step,
    .free = augur__de_free,
    .save = de_save,
    .restore = de_restore,
};
