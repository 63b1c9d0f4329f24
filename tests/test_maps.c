/* test_maps.c - one task suite that every in-process or forked backend must
 * pass the same way (serial, threads, fork; MPI runs its own copy under
 * mpirun): results in task order, chunking, both schedules, empty and
 * single-task jobs, context and broadcast bytes, failures named by task,
 * submit/wait, and the SPMD collectives. Every result is compared with the
 * serial backend's, bit for bit. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "map_tasks.h"

/* --- Tasks ----------------------------------------------------------------- */

/* noisy_square and fail_at_13 are in map_tasks.h, shared with test_maps_mpi.c. */
static void setup(void)
{
    gsl_set_error_handler_off();
    cr_assert_eq(augur_task_register("test.noisy-square", noisy_square), AUGUR_OK);
    cr_assert_eq(augur_task_register("test.fail13", fail_at_13), AUGUR_OK);
}

TestSuite(maps, .init = setup);

/* Every backend of this build but MPI, with 1-4 workers (serial: 1). */
typedef struct backend {
    const char *type;
    int workers;
} backend;

static size_t backends(backend *out, size_t cap)
{
    size_t k = 0;
    for (const char *const *t = augur_map_types(); *t; t++) {
        if (strcmp(*t, "mpi") == 0)
            continue;
        int most = strcmp(*t, "serial") == 0 ? 1 : 4;
        for (int w = 1; w <= most && k < cap; w++)
            out[k++] = (backend){*t, w};
    }
    return k;
}

static augur_map *open_map(backend b)
{
    char err[256] = "";
    augur_map *m = NULL;
    cr_assert_eq(augur_map_new(&m, b.type, b.workers, err, sizeof err), AUGUR_OK,
                 "%s: %s", b.type, err);
    return m;
}

static void run_square(augur_map *m, size_t ntasks, double *out, double offset,
                       uint64_t seed)
{
    double in[N];
    fill_inputs(in, N);
    augur_map_job job = {
        .task = "test.noisy-square", .ntasks = ntasks,
        .in = in, .in_len = sizeof(double), .out = out, .out_len = sizeof(double),
        .context = &offset, .context_len = sizeof offset, .seed = seed,
    };
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s: %s", augur_map_type_name(m),
                 augur_map_errmsg(m));
}

static void reference(double *out, double offset, uint64_t seed, double scale)
{
    augur_map *s = augur_map_create("serial", 1);
    if (scale != 0)
        augur_map_broadcast(s, &scale, sizeof scale);
    run_square(s, N, out, offset, seed);
    augur_map_destroy(s);
}

/* --- The suite --------------------------------------------------------------- */

Test(maps, serial_reference_is_what_the_task_computes)
{
    double out[N], in[N];
    fill_inputs(in, N);
    reference(out, 0.5, 1, 0);
    for (size_t k = 0; k < N; k++)
        cr_assert_eq(out[k], in[k] * in[k] + 0.5);
}

Test(maps, results_in_task_order_on_every_backend_and_schedule_and_chunk)
{
    backend b[16];
    size_t nb = backends(b, 16);
    cr_assert_geq(nb, 1);
    double want[N], got[N];
    double scale = 0.25;
    reference(want, 1.5, 42, scale);
    size_t chunks[] = {0, 1, 3, 7, 1000};
    for (size_t i = 0; i < nb; i++) {
        augur_map *m = open_map(b[i]);
        augur_map_broadcast(m, &scale, sizeof scale);
        for (int sched = 0; sched < 2; sched++)
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                augur_map_set_schedule(m, (augur_schedule)sched);
                augur_map_set_chunk(m, chunks[c]);
                memset(got, 0, sizeof got);
                run_square(m, N, got, 1.5, 42);
                cr_assert_eq(memcmp(got, want, sizeof want), 0,
                             "%s x%d schedule %d chunk %zu differs from serial",
                             b[i].type, b[i].workers, sched, chunks[c]);
            }
        augur_map_destroy(m);
    }
}

Test(maps, empty_and_single_task_jobs)
{
    backend b[16];
    size_t nb = backends(b, 16);
    double want[N];
    reference(want, 0, 9, 0);
    for (size_t i = 0; i < nb; i++) {
        augur_map *m = open_map(b[i]);
        double one[1] = {-1};
        augur_map_job empty = {.task = "test.noisy-square", .ntasks = 0};
        cr_assert_eq(augur_map_run(m, &empty), AUGUR_OK);
        run_square(m, 1, one, 0, 9);
        cr_assert_eq(one[0], want[0], "%s x%d", b[i].type, b[i].workers);
        augur_map_destroy(m);
    }
}

Test(maps, a_failing_task_is_named)
{
    backend b[16];
    size_t nb = backends(b, 16);
    for (size_t i = 0; i < nb; i++) {
        augur_map *m = open_map(b[i]);
        double in[40] = {0}, out[40];
        augur_map_job job = {.task = "test.fail13", .ntasks = 40, .in = in,
                             .in_len = sizeof(double), .out = out,
                             .out_len = sizeof(double)};
        cr_assert_eq(augur_map_run(m, &job), AUGUR_EINVAL, "%s", b[i].type);
        cr_assert(strstr(augur_map_errmsg(m), "#13"), "%s: %s", b[i].type,
                  augur_map_errmsg(m));
        cr_assert(strstr(augur_map_errmsg(m), "thirteen is unlucky"));
        /* and the map still works afterwards */
        double want[N], got[N];
        reference(want, 0, 3, 0);
        run_square(m, N, got, 0, 3);
        cr_assert_eq(memcmp(got, want, sizeof want), 0);
        augur_map_destroy(m);
    }
}

Test(maps, submit_then_wait)
{
    backend b[16];
    size_t nb = backends(b, 16);
    double want[N];
    reference(want, 2, 5, 0);
    for (size_t i = 0; i < nb; i++) {
        augur_map *m = open_map(b[i]);
        double in[N], got[N], offset = 2;
        fill_inputs(in, N);
        augur_map_job job = {.task = "test.noisy-square", .ntasks = N, .in = in,
                             .in_len = sizeof(double), .out = got,
                             .out_len = sizeof(double), .context = &offset,
                             .context_len = sizeof offset, .seed = 5};
        cr_assert_eq(augur_map_submit(m, &job), AUGUR_OK);
        cr_assert_eq(augur_map_submit(m, &job), AUGUR_ESTATE, "one at a time");
        cr_assert_eq(augur_map_run(m, &job), AUGUR_ESTATE);
        cr_assert_eq(augur_map_wait(m), AUGUR_OK);
        cr_assert_eq(memcmp(got, want, sizeof want), 0, "%s x%d", b[i].type,
                     b[i].workers);
        cr_assert_eq(augur_map_wait(m), AUGUR_ESTATE, "nothing left to wait for");
        augur_map_destroy(m);
    }
}

Test(maps, bad_input)
{
    char err[256] = "";
    augur_map *m = NULL;
    cr_assert_eq(augur_map_new(&m, "carrier-pigeon", 2, err, sizeof err), AUGUR_ENOTFOUND);
    cr_assert(strstr(err, "carrier-pigeon"), "%s", err);
    cr_assert_null(augur_map_create(NULL, 1));
    m = augur_map_create("serial", 1);
    augur_map_job job = {.task = "no.such.task", .ntasks = 1};
    cr_assert_eq(augur_map_run(m, &job), AUGUR_ENOTFOUND);
    cr_assert(strstr(augur_map_errmsg(m), "no.such.task"));
    job = (augur_map_job){.task = "test.noisy-square", .ntasks = 3, .in_len = 8,
                          .out_len = 8};
    cr_assert_eq(augur_map_run(m, &job), AUGUR_EINVAL, "NULL records");
    cr_assert_eq(augur_map_run(m, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_map_set_timeout(m, -1), AUGUR_EINVAL);
    cr_assert_eq(augur_map_set_retries(m, -1), AUGUR_EINVAL);
    cr_assert_eq(augur_map_set_schedule(m, (augur_schedule)7), AUGUR_EINVAL);
    cr_assert_eq(augur_task_register("test.noisy-square", fail_at_13), AUGUR_EINVAL,
                 "a taken name");
    cr_assert_eq(augur_task_register("augur.evaluate", fail_at_13), AUGUR_EINVAL);
    augur_map_destroy(m);
    augur_map_destroy(NULL);
}

/* --- SPMD collectives -------------------------------------------------------- */

/* Rank 0 broadcasts a factor, scatters 103 records; every rank scales its
 * portion; rank 0 gathers them back into `gathered` (map_tasks.h). */
static int scale_portions(augur_group *g, const void *arg, size_t arg_len)
{
    double factor;
    int rc = spmd_factor(g, arg, arg_len, &factor);
    if (rc != AUGUR_OK)
        return rc;
    double all[RECORDS], mine[RECORDS];
    for (size_t k = 0; k < RECORDS; k++)
        all[k] = (double)k;
    size_t count = 0;
    rc = augur_group_scatter(g, all, RECORDS, sizeof(double), mine, &count);
    if (rc != AUGUR_OK)
        return rc;
    size_t begin, end;
    augur_group_portion(RECORDS, augur_group_size(g), augur_group_rank(g), &begin, &end);
    if (count != end - begin || (count && mine[0] != (double)begin))
        return AUGUR_EFAILED;
    return spmd_scale_and_gather(g, factor, mine, count);
}

Test(maps, spmd_broadcast_scatter_gather)
{
    cr_assert_eq(augur_spmd_register("test.scale-portions", scale_portions), AUGUR_OK);
    backend b[16];
    size_t nb = backends(b, 16);
    for (size_t i = 0; i < nb; i++) {
        augur_map *m = open_map(b[i]);
        memset(gathered, 0, sizeof gathered);
        gathered_total = 0;
        double factor = 2.5;
        cr_assert_eq(augur_map_spmd(m, "test.scale-portions", &factor, sizeof factor),
                     AUGUR_OK, "%s x%d: %s", b[i].type, b[i].workers,
                     augur_map_errmsg(m));
        cr_assert_eq(broadcast_seen, 2.5);
        cr_assert_eq(gathered_total, RECORDS);
        for (size_t k = 0; k < RECORDS; k++)
            cr_assert_eq(gathered[k], 2.5 * (double)k, "%s x%d record %zu",
                         b[i].type, b[i].workers, k);
        augur_map_destroy(m);
    }
}

Test(maps, portions_follow_equalportion)
{
    size_t b, e;
    augur_group_portion(10, 3, 0, &b, &e);
    cr_assert(b == 0 && e == 4);
    augur_group_portion(10, 3, 1, &b, &e);
    cr_assert(b == 4 && e == 7);
    augur_group_portion(10, 3, 2, &b, &e);
    cr_assert(b == 7 && e == 10);
    augur_group_portion(2, 4, 3, &b, &e);
    cr_assert(b == 2 && e == 2, "more ranks than items: empty portions last");
}

/* --- Costs by name --------------------------------------------------------- */

static double shifted(const double *x, size_t n, void *data)
{
    double s = *(double *)data, f = 0;
    for (size_t i = 0; i < n; i++)
        f += (x[i] - s) * (x[i] - s);
    return f;
}

Test(maps, costs_by_name)
{
    static double shift = 3;
    cr_assert_eq(augur_cost_register("test.shifted", shifted, &shift), AUGUR_OK);
    cr_assert_eq(augur_cost_register("test.shifted", shifted, &shift), AUGUR_OK,
                 "the same pair again is fine");
    cr_assert_eq(augur_cost_register("test.shifted", shifted, NULL), AUGUR_EINVAL);
    augur_cost_fn f = NULL;
    void *d = NULL;
    cr_assert_eq(augur_cost_find("test.shifted", &f, &d), AUGUR_OK);
    cr_assert(f == shifted && d == &shift);
    cr_assert_str_eq(augur_cost_name(shifted, &shift), "test.shifted");
    cr_assert_eq(augur_cost_find("rosen", &f, &d), AUGUR_OK, "models by name");
    cr_assert_str_eq(augur_cost_name(f, NULL), "rosen");
    cr_assert_eq(augur_cost_find("nothing", &f, &d), AUGUR_ENOTFOUND);
}
