/* mpi_map.c - evaluate a population on MPI ranks through augur's "mpi" map,
 * then let a population solver use the same map.
 *
 *     mpirun -np 4 ./mpi_map                     # rank 0 deals, 3 compute
 *     mpirun --hostfile hosts -np 8 ./mpi_map    # across machines
 *
 * (As root, OpenMPI also wants --allow-run-as-root; with more ranks than
 * cores, --oversubscribe.)
 *
 * It is an SPMD program: every rank runs main, registers the same cost and
 * task by name (pointers mean nothing in another process), and calls
 * augur_mpi_init. Ranks other than 0 serve jobs inside that call and return
 * when rank 0 calls augur_mpi_finalize; rank 0 does the work and prints. */
#include <stdio.h>
#include <string.h>
#include "augur.h"
#include "augur/map_mpi.h"

enum { DIM = 4, POPULATION = 64 };

/* A tilted ellipsoid around a shift: the data is each rank's own copy. */
static double shifted_ellipsoid(const double *x, size_t n, void *data)
{
    const double *shift = data;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        double z = x[i] - shift[i];
        f += (double)(i + 1) * z * z + (i ? 0.5 * z * (x[i - 1] - shift[i - 1]) : 0);
    }
    return f;
}

static double shift[DIM] = {0.5, -0.25, 1.0, 0.0};

/* One task: the cost of one point (in: DIM doubles, out: one double). */
static int evaluate(const augur_task_call *call, const void *in, size_t in_len,
                    void *out, size_t out_len)
{
    (void)call, (void)out_len;
    augur_cost_fn cost;
    void *data;
    if (augur_cost_find("example.ellipsoid", &cost, &data) != AUGUR_OK)
        return AUGUR_ENOTFOUND;
    double f = cost(in, in_len / sizeof(double), data);
    memcpy(out, &f, sizeof f);
    return AUGUR_OK;
}

/* A population on a grid, evaluated through the map in one job. */
static int evaluate_population(augur_map *m)
{
    double x[POPULATION][DIM], f[POPULATION];
    for (size_t k = 0; k < POPULATION; k++)
        for (size_t i = 0; i < DIM; i++)
            x[k][i] = -2.0 + 4.0 * (double)((k >> i) & 3) / 3.0;
    augur_map_job job = {.task = "example.evaluate", .ntasks = POPULATION,
                         .in = x, .in_len = sizeof x[0], .out = f,
                         .out_len = sizeof f[0], .seed = 1};
    int rc = augur_map_run(m, &job);
    if (rc != AUGUR_OK) {
        fprintf(stderr, "mpi_map: %s\n", augur_map_errmsg(m));
        return rc;
    }
    size_t best = 0;
    for (size_t k = 1; k < POPULATION; k++)
        if (f[k] < f[best])
            best = k;
    printf("population: %d points on %d workers, best f = %.6g\n", POPULATION,
           augur_map_workers(m), f[best]);
    return AUGUR_OK;
}

/* The same map under a population solver, if this build has one. */
static int solve(augur_map *m)
{
    const char *type = augur_solver_type_find("de2") ? "de2"
                     : augur_solver_type_find("pso") ? "pso" : NULL;
    if (!type)
        return AUGUR_OK;
    double lb[DIM], ub[DIM];
    for (size_t i = 0; i < DIM; i++)
        lb[i] = -5, ub[i] = 5;
    augur_solver *s = augur_solver_create(type, DIM);
    if (!s)
        return AUGUR_ENOMEM;
    augur_solver_set_seed(s, 1);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_map(s, m);   /* every generation is one map job */
    /* Stop at the minimum (0), or after 200 generations without progress. */
    augur_termination *stop = augur_term_or(augur_term_vtr(1e-8, 0),
                                            augur_term_change_over_generation(0, 200));
    int rc = augur_solve(s, shifted_ellipsoid, shift, stop);
    if (rc < 0) {
        fprintf(stderr, "mpi_map: %s\n", augur_solver_errmsg(s));
    } else {
        const double *x = augur_solver_best_solution(s);
        printf("%s: f = %.6g at [", type, augur_solver_best_energy(s));
        for (size_t i = 0; i < DIM; i++)
            printf("%s%.6g", i ? ", " : "", x[i]);
        printf("] after %zu evaluations\n", augur_solver_evaluations(s));
    }
    augur_solver_destroy(s);
    return rc < 0 ? rc : AUGUR_OK;
}

int main(int argc, char **argv)
{
    /* Every rank, before augur_mpi_init: the names workers will look up. */
    if (augur_cost_register("example.ellipsoid", shifted_ellipsoid, shift) != AUGUR_OK ||
        augur_task_register("example.evaluate", evaluate) != AUGUR_OK)
        return 1;
    int is_root;
    if (augur_mpi_init(&argc, &argv, &is_root) != AUGUR_OK) {
        fprintf(stderr, "mpi_map: %s\n", augur_mpi_errmsg());
        return 1;
    }
    if (!is_root)
        return 0;                 /* served until rank 0 finalized */

    char err[256];
    augur_map *m = NULL;
    int rc = augur_map_new(&m, "mpi", 0, err, sizeof err);
    if (rc != AUGUR_OK)
        fprintf(stderr, "mpi_map: %s\n", err);
    if (rc == AUGUR_OK)
        rc = evaluate_population(m);
    if (rc == AUGUR_OK)
        rc = solve(m);
    augur_map_destroy(m);
    if (augur_mpi_finalize() != AUGUR_OK) {
        fprintf(stderr, "mpi_map: %s\n", augur_mpi_errmsg());
        return 1;
    }
    return rc == AUGUR_OK ? 0 : 1;
}
