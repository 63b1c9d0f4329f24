/* test_solvers_mpi.c - solvers on the "mpi" map give the serial map's
 * answer bit for bit, run under mpirun (1-4 ranks): a population solve
 * (DE2, or PSO) and an ensemble, Buckshot of Nelder-Mead, every inner run
 * compared; and a DE2 run checkpointed at generation k on the mpi map,
 * restored, put on the map again and finished, for several k, against
 * the uninterrupted serial run. Costs cross to the ranks by name (a
 * model's name here).
 *
 * A plain program, as test_maps_mpi.c is (Criterion's forked tests and MPI
 * do not mix): rank 0 runs the checks, the other ranks serve inside
 * augur_mpi_init; its last line is "N passed, N failed". */
#include <gsl/gsl_errno.h>
#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"
#include "augur/map_mpi.h"
#include "mpi_check.h"

/* --- A population solve ------------------------------------------------------- */

typedef struct answer {
    double x[3], f;
    size_t evaluations;
    int rc;
} answer;

static answer solve_on(const char *type, augur_map *map)
{
    answer a = {.rc = AUGUR_EFAILED};
    augur_cost_fn rosen = NULL;
    if (augur_cost_find("rosen", &rosen, NULL) != AUGUR_OK)
        return a;
    double lb[3] = {-2, -2, -2}, ub[3] = {2, 2, 2};
    augur_solver *s = augur_solver_create(type, 3);
    if (!s)
        return a;
    augur_solver_set_seed(s, 7);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 40, 0);
    augur_solver_set_map(s, map);
    a.rc = augur_solve(s, rosen, NULL, NULL);
    if (a.rc < 0)
        printf("solve on %s: %s\n", augur_map_type_name(map), augur_solver_errmsg(s));
    memcpy(a.x, augur_solver_best_solution(s), sizeof a.x);
    a.f = augur_solver_best_energy(s);
    a.evaluations = augur_solver_evaluations(s);
    augur_solver_destroy(s);
    return a;
}

static void population_solve_matches_serial(void)
{
    const char *type = augur_solver_type_find("de2") ? "de2"
                     : augur_solver_type_find("pso") ? "pso" : NULL;
    if (!type) {
        printf("skip: population solve (neither de2 nor pso in this build)\n");
        return;
    }
    augur_map *serial = augur_map_create("serial", 1);
    answer want = solve_on(type, serial);
    CHECK(want.rc >= 0, "%s on serial", type);
    for (int onall = first_onall(); onall <= 1; onall++)
        for (int sched = 0; sched < 2; sched++) {
            augur_map *m = open_mpi(onall);
            augur_map_set_schedule(m, (augur_schedule)sched);
            answer got = solve_on(type, m);
            CHECK(got.rc == want.rc && memcmp(got.x, want.x, sizeof got.x) == 0 &&
                  memcmp(&got.f, &want.f, sizeof got.f) == 0 &&
                  got.evaluations == want.evaluations,
                  "%s onall %d schedule %d: f %.17g vs %.17g, %zu vs %zu evaluations",
                  type, onall, sched, got.f, want.f, got.evaluations,
                  want.evaluations);
            augur_map_destroy(m);
        }
    augur_map_destroy(serial);
}

/* --- An ensemble: every inner run identical ----------------------------------- */

enum { RUNS = 10 };

typedef struct ensemble_answer {
    size_t count, evaluations[RUNS];
    double ends[RUNS * 3], fs[RUNS], f;
    int rc;
} ensemble_answer;

/* Buckshot of Nelder-Mead (10 runs, 300 evaluations each) on the 3-D
 * Rosenbrock in [-2, 2]^3, seed 11: the cost crosses by its model name. */
static ensemble_answer buckshot_on(augur_map *map)
{
    ensemble_answer a = {.rc = AUGUR_EFAILED};
    augur_cost_fn rosen = NULL;
    if (augur_cost_find("rosen", &rosen, NULL) != AUGUR_OK)
        return a;
    double lb[3] = {-2, -2, -2}, ub[3] = {2, 2, 2};
    augur_solver *s = augur_solver_create("buckshot", 3);
    if (!s)
        return a;
    augur_solver_set_seed(s, 11);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_param(s, "npts", RUNS);
    augur_solver_set_nested(s, augur_solver_create("nelder-mead", 3));
    augur_solver_set_evaluation_limits(s, 0, 300);
    augur_solver_set_map(s, map);
    a.rc = augur_solve(s, rosen, NULL, NULL);
    if (a.rc < 0)
        printf("buckshot on %s: %s\n", augur_map_type_name(map), augur_solver_errmsg(s));
    const augur_inner_run *runs = augur_ensemble_runs(s, &a.count);
    for (size_t k = 0; k < a.count && k < RUNS; k++) {
        memcpy(a.ends + 3 * k, runs[k].end, 3 * sizeof(double));
        a.fs[k] = runs[k].f;
        a.evaluations[k] = runs[k].evaluations;
    }
    a.f = augur_solver_best_energy(s);
    augur_solver_destroy(s);
    return a;
}

static void ensemble_runs_match_serial(void)
{
    augur_map *serial = augur_map_create("serial", 1);
    ensemble_answer want = buckshot_on(serial);
    CHECK(want.rc >= 0 && want.count == RUNS, "buckshot on serial: %zu runs", want.count);
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        ensemble_answer got = buckshot_on(m);
        CHECK(got.rc == want.rc && got.count == want.count &&
              memcmp(got.ends, want.ends, sizeof got.ends) == 0 &&
              memcmp(got.fs, want.fs, sizeof got.fs) == 0 &&
              memcmp(got.evaluations, want.evaluations, sizeof got.evaluations) == 0 &&
              memcmp(&got.f, &want.f, sizeof got.f) == 0,
              "buckshot onall %d: every inner run as on serial (f %.17g vs %.17g)", onall,
              got.f, want.f);
        augur_map_destroy(m);
    }
    augur_map_destroy(serial);
}

/* --- A checkpoint on the mpi map ------------------------------------------ */

typedef struct ck_answer {
    double x[3], f;
    size_t evaluations, generations;
    char reason[200];
    int rc;
} ck_answer;

static augur_solver *de2_run(augur_map *map)
{
    double lb[3] = {-2, -2, -2}, ub[3] = {2, 2, 2};
    augur_solver *s = augur_solver_create("de2", 3);
    augur_solver_set_seed(s, 7);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 40, 0);
    if (map)
        augur_solver_set_map(s, map);
    return s;
}

static void ck_finish(augur_solver *s, augur_cost_fn cost, ck_answer *a)
{
    a->rc = augur_solve(s, cost, NULL, NULL);
    memcpy(a->x, augur_solver_best_solution(s), sizeof a->x);
    a->f = augur_solver_best_energy(s);
    a->evaluations = augur_solver_evaluations(s);
    a->generations = augur_solver_generations(s);
    snprintf(a->reason, sizeof a->reason, "%s", augur_solver_termination_reason(s));
    augur_solver_destroy(s);
}

typedef struct ck_at {
    augur_solver *s;
    size_t k;
    const char *path;
    int rc;
} ck_at;

static int save_at(const augur_record *r, void *data)
{
    ck_at *c = data;
    if (r->generation != c->k)
        return 0;
    c->rc = augur_solver_save(c->s, c->path);
    return 1;
}

static void checkpoint_on_mpi_matches_serial(void)
{
    if (!augur_solver_type_find("de2")) {
        printf("skip: checkpoint (no de2 in this build)\n");
        return;
    }
    augur_cost_fn rosen = NULL;
    CHECK(augur_cost_find("rosen", &rosen, NULL) == AUGUR_OK, "rosen");
    ck_answer want = {0};
    ck_finish(de2_run(NULL), rosen, &want);
    CHECK(want.rc >= 0 && want.generations > 30, "serial: %zu generations",
          want.generations);
    char path[] = "/tmp/augur-mpi-ck-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    close(fd);
    static const size_t ks[] = {0, 1, 5, 13, 30};
    for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
        augur_map *m = open_mpi(first_onall());
        augur_solver *s = de2_run(m);
        ck_at at = {.s = s, .k = ks[j], .path = path, .rc = 1};
        augur_solver_add_generation_monitor(s, augur_monitor_callback(save_at, &at));
        augur_solve(s, rosen, NULL, NULL);
        CHECK(at.rc == AUGUR_OK, "save at k=%zu: %s", ks[j], augur_solver_errmsg(s));
        augur_solver_destroy(s);
        char err[256];
        s = augur_solver_restore(path, err, sizeof err);
        CHECK(s != NULL, "restore at k=%zu: %s", ks[j], err);
        if (!s) {
            augur_map_destroy(m);
            continue;
        }
        augur_solver_set_map(s, m);   /* a borrowed map is the caller's to attach */
        ck_answer got = {0};
        ck_finish(s, rosen, &got);
        CHECK(memcmp(got.x, want.x, sizeof got.x) == 0 && memcmp(&got.f, &want.f,
              sizeof got.f) == 0, "k=%zu: f %.17g, serial %.17g", ks[j], got.f, want.f);
        CHECK(got.evaluations == want.evaluations && got.generations == want.generations &&
              strcmp(got.reason, want.reason) == 0, "k=%zu: %zu evaluations, %zu "
              "generations, %s", ks[j], got.evaluations, got.generations, got.reason);
        augur_map_destroy(m);
    }
    unlink(path);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int is_root = 0;
    if (augur_mpi_init(&argc, &argv, &is_root) != AUGUR_OK) {
        fprintf(stderr, "test_solvers_mpi: %s\n", augur_mpi_errmsg());
        return 1;
    }
    if (!is_root)
        return 0;
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    population_solve_matches_serial();
    ensemble_runs_match_serial();
    checkpoint_on_mpi_matches_serial();
    CHECK(augur_mpi_finalize() == AUGUR_OK, "%s", augur_mpi_errmsg());
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
