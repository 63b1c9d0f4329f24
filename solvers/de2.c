/* de2.c - differential evolution, synchronous (mystic's
 * DifferentialEvolutionSolver2, the Price-Storn-Lampinen form; scipy's
 * updating='deferred').
 *
 * A generation builds every member's trial from the unchanged population
 * (and its best at the start of the generation), evaluates all NP trials as
 * one batch (augur__solver_evaluate_rows: augur_solver_evaluate_batch,
 * through the map when there is one), so a map can evaluate them in
 * parallel, and only then selects member by member. All random draws happen
 * while the trials are built, in member order, so the result for a seed
 * does not depend on how the batch is evaluated.
 *
 * Generation 0 draws NP members (augur_solver_initial_points: a +-5% cloud
 * around x0 when one is set, else the "sampler" over the box) and evaluates
 * them as one batch. Defaults as mystic: CR 0.9, F 0.8, best1bin,
 * VTRChangeOverGeneration(ftol=0.005), limits 10 n NP generations and
 * 1000 n NP evaluations. The population (0 = 10 n), bounds policy (redraw),
 * strategies and the jDE / SHADE adaptation are described in
 * de_common.c. */
#include "de_int.h"

static int de2_start(augur_solver *s, void *state)
{
    de_state *st = state;
    int rc = augur__de_setup(s, st, 1);
    if (rc != AUGUR_OK)
        return rc;
    rc = augur_solver_evaluate_batch(s, st->pop, st->np, st->fpop);
    if (rc != AUGUR_OK)
        return rc;
    augur__de_started(s, st);
    return AUGUR_OK;
}

static int de2_step(augur_solver *s, void *state)
{
    de_state *st = state;
    size_t n = st->n;
    int rc = augur__de_begin_generation(s, st);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t i = 0; i < st->np; i++)
        st->inside[i] =
            (unsigned char)augur__de_trial(s, st, i, st->trials + i * n);
    rc = augur__solver_evaluate_rows(s, st->trials, st->np, st->ftrials,
                                     st->inside);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t i = 0; i < st->np; i++)
        augur__de_select(s, st, i, st->trials + i * n, st->ftrials[i]);
    return augur__de_end_generation(s, st);
}

static int de2_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    return augur__de_save(s, state, 1, c);
}

static int de2_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    return augur__de_restore(s, state, 1, c);
}

const augur_solver_type augur_solver_de2 = {
    .name = "de2",
    .uses_map = 1,
    .doc = "differential evolution, one batch per generation; bounds: redraw",
    .state_size = sizeof(de_state),
    .params = augur__de_params,
    .population_size = augur__de_population_size,
    .check = augur__de_check,
    .generation_scale = 10,
    .evaluation_scale = 1000,
    .default_termination = augur__de_default_termination,
    .needs_start = 1,
    .start = de2_start,
    .step = de2_step,
    .free = augur__de_free,
    .save = de2_save,
    .restore = de2_restore,
};
