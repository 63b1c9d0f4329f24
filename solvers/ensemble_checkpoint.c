/* ensemble_checkpoint.c - checkpoints of the ensembles (buckshot, lattice,
 * sparsity): their progress at a batch boundary.
 *
 * A generation of an ensemble is one batch of inner runs, so at a
 * checkpoint no run is in flight: what is saved is how many batches are
 * done, every finished run (start, end, energy, counts, reason: sparsity
 * places new points away from them, and augur_ensemble_runs lists them),
 * the box and the last batch's ends. The handed-down inner spec is not
 * saved: the first batch after a restore makes it again (ensemble.c),
 * because how much of each inner run is logged depends on the evaluation
 * monitors the caller attaches after restoring. The inner runs' seeds
 * come from (run seed, batch), so the batches that follow are the same. */
#include <string.h>
#include "ensemble_int.h"

int augur__ensemble_save(const augur_solver *s, const augur_ensemble *e,
                         augur_ckpt *c)
{
    size_t n = s->n;
    augur_ckpt_put_size(c, "runs-per-batch", e->m);
    augur_ckpt_put_size(c, "batches-done", e->done);
    augur_ckpt_put_doubles(c, "box", e->box, 2 * n);
    augur_ckpt_put_doubles(c, "ends", e->pop, e->m * n);
    augur_ckpt_put_doubles(c, "ends-f", e->pop_f, e->m);
    augur_ckpt_put_size(c, "runs", e->nruns);
    augur_ckpt_put_doubles(c, "run-points", e->run_points, 2 * n * e->nruns);
    double *num = malloc((4 * e->nruns + 1) * sizeof *num);
    if (!num)
        return augur_ckpt_fail(c, AUGUR_ENOMEM, "out of memory");
    for (size_t k = 0; k < e->nruns; k++) {
        const augur_inner_run *r = &e->runs[k];
        num[4 * k] = (double)r->batch;
        num[4 * k + 1] = (double)r->index;
        num[4 * k + 2] = (double)r->evaluations;
        num[4 * k + 3] = (double)r->generations;
    }
    augur_ckpt_put_doubles(c, "run-counts", num, 4 * e->nruns);
    for (size_t k = 0; k < e->nruns; k++)
        num[k] = e->runs[k].f;
    augur_ckpt_put_doubles(c, "run-f", num, e->nruns);
    free(num);
    augur_ckpt_put_bytes(c, "run-reasons", e->run_reasons, AUGUR__REASON_LEN * e->nruns);
    return AUGUR_OK;
}

static int read_runs(augur_solver *s, augur_ensemble *e, augur_ckpt *c)
{
    size_t n = s->n, nr = e->nruns;
    e->runs_cap = nr ? nr : 1;
    e->runs = calloc(e->runs_cap, sizeof *e->runs);
    e->run_points = augur__malloc_array(augur__mul_sat(2 * n, e->runs_cap),
                                        sizeof *e->run_points);
    e->run_reasons = augur__calloc_array(e->runs_cap, AUGUR__REASON_LEN);
    double *num = augur__malloc_array(4 * nr + 1, sizeof *num);
    int rc = e->runs && e->run_points && e->run_reasons && num
                 ? AUGUR_OK : augur_ckpt_fail(c, AUGUR_ENOMEM, "out of memory");
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "run-points", e->run_points, 2 * n * nr);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_bytes(c, "run-reasons", e->run_reasons,
                                  AUGUR__REASON_LEN * nr);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "run-counts", num, 4 * nr);
    for (size_t k = 0; rc == AUGUR_OK && k < nr; k++) {
        e->run_reasons[AUGUR__REASON_LEN * (k + 1) - 1] = '\0';
        e->runs[k] = (augur_inner_run){
            .batch = (size_t)num[4 * k], .index = (size_t)num[4 * k + 1],
            .evaluations = (size_t)num[4 * k + 2],
            .generations = (size_t)num[4 * k + 3],
            .start = e->run_points + 2 * n * k,
            .end = e->run_points + 2 * n * k + n,
            .reason = e->run_reasons + AUGUR__REASON_LEN * k};
    }
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "run-f", num, nr);
    for (size_t k = 0; rc == AUGUR_OK && k < nr; k++)
        e->runs[k].f = num[k];
    free(num);
    return rc;
}

int augur__ensemble_restore(augur_solver *s, augur_ensemble *e, augur_ckpt *c)
{
    size_t n = s->n, m = 0;
    e->n = n;
    int rc = augur_ckpt_get_size(c, "runs-per-batch", &m);
    if (rc == AUGUR_OK && (m == 0 || (e->m && m != e->m) || m > AUGUR_MAX_POINTS))
        rc = augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: %zu runs per batch", m);
    if (rc != AUGUR_OK)
        return rc;
    e->m = m;
    if (augur__ensemble_alloc_rows(s, e, m) != AUGUR_OK)
        return augur_ckpt_fail(c, AUGUR_ENOMEM, "out of memory");
    rc = augur_ckpt_get_size(c, "batches-done", &e->done);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "box", e->box, 2 * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "ends", e->pop, m * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "ends-f", e->pop_f, m);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "runs", &e->nruns);
    if (rc == AUGUR_OK && e->nruns > augur__mul_sat(e->done, m))
        rc = augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: more runs than batches hold");
    if (rc == AUGUR_OK)
        rc = read_runs(s, e, c);
    if (rc != AUGUR_OK)
        return rc;
    augur_solver_set_population(s, e->pop, e->pop_f, m);
    if (e->done >= (size_t)e->batches) {
        char why[96];
        snprintf(why, sizeof why, "%s(npts=%zu, batches=%zu: all runs done)", e->label,
                 m, e->done);
        augur_solver_finished(s, why);
    }
    return AUGUR_OK;
}

/* The first batch after a restore: the inner spec (with the log size the
 * monitors attached now need), the output records and the serial map. */
int augur__ensemble_resume(augur_solver *s, augur_ensemble *e)
{
    int rc = augur__ensemble_make_spec(s, e);
    if (rc != AUGUR_OK)
        return rc;
    return augur__ensemble_alloc_outputs(s, e);
}
