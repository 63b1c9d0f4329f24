/* test_maps_mpi.c - the map contract suite for the "mpi" backend, run under
 * mpirun (1-4 ranks): results in task order equal to the serial map's bytes
 * for both schedules, several chunk sizes and with or without rank 0
 * computing; where static portions run; empty and single-task jobs;
 * failures named by the lowest failing index; tasks or SPMD functions
 * missing on some rank; submit/wait; broadcast bytes of two maps; records
 * larger than MPI's eager messages; and the SPMD collectives with 103
 * records. Solvers on the MPI map are test_solvers_mpi.c's.
 *
 * Criterion forks every test into a child process, which MPI does not
 * survive, so this is a plain program: rank 0 runs the checks, the other
 * ranks serve inside augur_mpi_init. Its last line is "N passed, N failed"
 * (CI reads it) and it exits non-zero when a check failed. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/map_mpi.h"
#include "map_tasks.h"
#include "mpi_check.h"

/* --- Tasks (registered on every rank before augur_mpi_init) ------------------ */

/* noisy_square and fail_at_13 are in map_tasks.h, shared with test_maps.c. */

/* Fails from index 13 on: every worker's portion fails, the lowest must win. */
static int fail_from_13(const augur_task_call *call, const void *in, size_t in_len,
                        void *out, size_t out_len)
{
    (void)in, (void)in_len;
    memset(out, 0, out_len);
    if (call->index >= 13) {
        snprintf(call->errmsg, call->errcap, "index %zu refused", call->index);
        return AUGUR_ERANGE;
    }
    return 0;
}

static int whoami(const augur_task_call *call, const void *in, size_t in_len,
                  void *out, size_t out_len)
{
    (void)in, (void)in_len, (void)out_len;
    double w = call->worker;
    memcpy(out, &w, sizeof w);
    return 0;
}

/* Records bigger than OpenMPI's eager limit, both ways. */
enum { BIG_IN = 40000, BIG_OUT = 20000 };
static int big_records(const augur_task_call *call, const void *in, size_t in_len,
                       void *out, size_t out_len)
{
    const unsigned char *x = in;
    unsigned char *y = out;
    unsigned sum = (unsigned)(call->seed & 0xff);
    for (size_t k = 0; k < in_len; k++)
        sum = sum * 31u + x[k];
    for (size_t k = 0; k < out_len; k++)
        y[k] = (unsigned char)(sum >> (k % 24)) ^ x[k];
    return 0;
}

/* --- Helpers ------------------------------------------------------------------- */

static int run_task(augur_map *m, const char *task, size_t ntasks, double *out,
                    double offset, uint64_t seed)
{
    double in[N];
    fill_inputs(in, N);
    augur_map_job job = {
        .task = task, .ntasks = ntasks, .in = in, .in_len = sizeof(double),
        .out = out, .out_len = sizeof(double), .context = &offset,
        .context_len = sizeof offset, .seed = seed,
    };
    return augur_map_run(m, &job);
}

static void reference(double *out, double offset, uint64_t seed, double scale)
{
    augur_map *s = augur_map_create("serial", 1);
    if (scale != 0)
        augur_map_broadcast(s, &scale, sizeof scale);
    int rc = run_task(s, "test.noisy-square", N, out, offset, seed);
    CHECK(rc == AUGUR_OK, "serial reference: %s", augur_map_errmsg(s));
    augur_map_destroy(s);
}

/* --- The suite ----------------------------------------------------------------- */

static void results_in_task_order(void)
{
    double want[N], got[N], scale = 0.25;
    reference(want, 1.5, 42, scale);
    size_t chunks[] = {0, 1, 3, 7, 1000};
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        CHECK(augur_map_workers(m) == (onall ? ranks : ranks - 1), "workers %d",
              augur_map_workers(m));
        augur_map_broadcast(m, &scale, sizeof scale);
        for (int sched = 0; sched < 2; sched++)
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                augur_map_set_schedule(m, (augur_schedule)sched);
                augur_map_set_chunk(m, chunks[c]);
                memset(got, 0, sizeof got);
                int rc = run_task(m, "test.noisy-square", N, got, 1.5, 42);
                CHECK(rc == AUGUR_OK && memcmp(got, want, sizeof want) == 0,
                      "onall %d schedule %d chunk %zu: %s", onall, sched,
                      chunks[c], augur_map_errmsg(m));
            }
        augur_map_destroy(m);
    }
}

/* Static portions are equalportion over the participants; dynamic chunks
 * never run on rank 0 unless it computes too. */
static void tasks_run_where_expected(void)
{
    double got[N];
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        int parts = onall ? ranks : ranks - 1;
        augur_map_set_schedule(m, AUGUR_SCHEDULE_STATIC);
        CHECK(run_task(m, "test.whoami", N, got, 0, 1) == AUGUR_OK, "%s",
              augur_map_errmsg(m));
        int wrong = 0;
        for (int p = 0; p < parts; p++) {
            size_t b, e;
            augur_group_portion(N, parts, p, &b, &e);
            for (size_t k = b; k < e; k++)
                wrong += got[k] != (double)(onall ? p : p + 1);
        }
        CHECK(!wrong, "static onall %d: %d tasks ran elsewhere", onall, wrong);
        augur_map_set_schedule(m, AUGUR_SCHEDULE_DYNAMIC);
        augur_map_set_chunk(m, 1);
        CHECK(run_task(m, "test.whoami", N, got, 0, 1) == AUGUR_OK, "%s",
              augur_map_errmsg(m));
        wrong = 0;
        for (size_t k = 0; k < N; k++)
            wrong += got[k] < (onall ? 0 : 1) || got[k] >= ranks;
        CHECK(!wrong, "dynamic onall %d: %d tasks on unexpected ranks", onall, wrong);
        augur_map_destroy(m);
    }
}

static void empty_and_single_task_jobs(void)
{
    double want[N];
    reference(want, 0, 9, 0);
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        augur_map_job empty = {.task = "test.noisy-square", .ntasks = 0};
        CHECK(augur_map_run(m, &empty) == AUGUR_OK, "%s", augur_map_errmsg(m));
        for (int sched = 0; sched < 2; sched++) {
            double one[1] = {-1};
            augur_map_set_schedule(m, (augur_schedule)sched);
            int rc = run_task(m, "test.noisy-square", 1, one, 0, 9);
            CHECK(rc == AUGUR_OK && one[0] == want[0], "onall %d schedule %d: %s",
                  onall, sched, augur_map_errmsg(m));
        }
        augur_map_destroy(m);
    }
}

static void failures_name_the_lowest_index(void)
{
    double want[N], got[N];
    reference(want, 0, 3, 0);
    size_t chunks[] = {0, 1, 7, 1000};
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        for (int sched = 0; sched < 2; sched++)
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                augur_map_set_schedule(m, (augur_schedule)sched);
                augur_map_set_chunk(m, chunks[c]);
                int rc = run_task(m, "test.fail13", 40, got, 0, 3);
                const char *msg = augur_map_errmsg(m);
                CHECK(rc == AUGUR_EINVAL && strstr(msg, "#13") &&
                      strstr(msg, "thirteen is unlucky") && strstr(msg, "test.fail13"),
                      "onall %d schedule %d chunk %zu: %d %s", onall, sched,
                      chunks[c], rc, msg);
                rc = run_task(m, "test.fail-from-13", N, got, 0, 3);
                msg = augur_map_errmsg(m);
                CHECK(rc == AUGUR_ERANGE && strstr(msg, "#13") &&
                      strstr(msg, "index 13 refused"),
                      "lowest of many: onall %d schedule %d chunk %zu: %d %s",
                      onall, sched, chunks[c], rc, msg);
                /* and the map still works afterwards */
                rc = run_task(m, "test.noisy-square", N, got, 0, 3);
                CHECK(rc == AUGUR_OK && memcmp(got, want, sizeof want) == 0,
                      "after a failure: %s", augur_map_errmsg(m));
            }
        augur_map_destroy(m);
    }
}

/* A task only rank 0 registered: the workers say so, by rank. */
static void a_task_missing_on_workers(int root_only_registered)
{
    if (ranks == 1 || !root_only_registered) {
        printf("skip: a task missing on workers (needs 2+ ranks and "
               "OMPI_COMM_WORLD_RANK)\n");
        return;
    }
    augur_map *m = open_mpi(0);
    double got[N];
    int rc = run_task(m, "test.root-only", N, got, 0, 1);
    CHECK(rc == AUGUR_ENOTFOUND && strstr(augur_map_errmsg(m), "no task named") &&
          strstr(augur_map_errmsg(m), "rank"), "%d %s", rc, augur_map_errmsg(m));
    double want[N];
    reference(want, 0, 3, 0);
    rc = run_task(m, "test.noisy-square", N, got, 0, 3);
    CHECK(rc == AUGUR_OK && memcmp(got, want, sizeof want) == 0, "after: %s",
          augur_map_errmsg(m));
    augur_map_destroy(m);
}

static void submit_then_wait(void)
{
    double want[N];
    reference(want, 2, 5, 0);
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        double in[N], got[N], offset = 2;
        fill_inputs(in, N);
        augur_map_job job = {.task = "test.noisy-square", .ntasks = N, .in = in,
                             .in_len = sizeof(double), .out = got,
                             .out_len = sizeof(double), .context = &offset,
                             .context_len = sizeof offset, .seed = 5};
        CHECK(augur_map_submit(m, &job) == AUGUR_OK, "%s", augur_map_errmsg(m));
        CHECK(augur_map_submit(m, &job) == AUGUR_ESTATE, "one at a time");
        CHECK(augur_map_run(m, &job) == AUGUR_ESTATE, "run while submitted");
        CHECK(augur_map_wait(m) == AUGUR_OK, "%s", augur_map_errmsg(m));
        CHECK(memcmp(got, want, sizeof want) == 0, "onall %d", onall);
        CHECK(augur_map_wait(m) == AUGUR_ESTATE, "nothing left to wait for");
        augur_map_destroy(m);
    }
}

/* Workers hold one copy of broadcast bytes: two maps take turns. */
static void broadcast_bytes_of_two_maps(void)
{
    double want_a[N], want_b[N], want_none[N], got[N];
    double scale_a = 0.25, scale_b = 2;
    reference(want_a, 1, 11, scale_a);
    reference(want_b, 1, 11, scale_b);
    reference(want_none, 1, 11, 0);
    augur_map *a = open_mpi(first_onall()), *b = open_mpi(first_onall());
    CHECK(augur_map_broadcast(a, &scale_a, sizeof scale_a) == AUGUR_OK, "%s",
          augur_map_errmsg(a));
    CHECK(augur_map_broadcast(b, &scale_b, sizeof scale_b) == AUGUR_OK, "%s",
          augur_map_errmsg(b));
    for (int round = 0; round < 2; round++) {
        CHECK(run_task(a, "test.noisy-square", N, got, 1, 11) == AUGUR_OK &&
              memcmp(got, want_a, sizeof got) == 0, "map a, round %d", round);
        CHECK(run_task(b, "test.noisy-square", N, got, 1, 11) == AUGUR_OK &&
              memcmp(got, want_b, sizeof got) == 0, "map b, round %d", round);
    }
    augur_map *c = open_mpi(first_onall());
    CHECK(run_task(c, "test.noisy-square", N, got, 1, 11) == AUGUR_OK &&
          memcmp(got, want_none, sizeof got) == 0, "a map that never broadcast");
    CHECK(augur_map_broadcast(a, NULL, 0) == AUGUR_OK, "%s", augur_map_errmsg(a));
    CHECK(run_task(a, "test.noisy-square", N, got, 1, 11) == AUGUR_OK &&
          memcmp(got, want_none, sizeof got) == 0, "map a after an empty broadcast");
    augur_map_destroy(a);
    augur_map_destroy(b);
    augur_map_destroy(c);
}

static void records_larger_than_eager_messages(void)
{
    enum { BIG_N = 24 };
    unsigned char *in = malloc(BIG_N * BIG_IN), *want = malloc(BIG_N * BIG_OUT),
                  *got = malloc(BIG_N * BIG_OUT);
    for (size_t k = 0; k < (size_t)BIG_N * BIG_IN; k++)
        in[k] = (unsigned char)(k * 2654435761u >> 13);
    augur_map_job job = {.task = "test.big", .ntasks = BIG_N, .in = in,
                         .in_len = BIG_IN, .out = want, .out_len = BIG_OUT,
                         .seed = 77};
    augur_map *s = augur_map_create("serial", 1);
    CHECK(augur_map_run(s, &job) == AUGUR_OK, "%s", augur_map_errmsg(s));
    augur_map_destroy(s);
    job.out = got;
    size_t chunks[] = {0, 1, 5, 1000};
    for (int onall = first_onall(); onall <= 1; onall++) {
        augur_map *m = open_mpi(onall);
        for (int sched = 0; sched < 2; sched++)
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                augur_map_set_schedule(m, (augur_schedule)sched);
                augur_map_set_chunk(m, chunks[c]);
                memset(got, 0, BIG_N * BIG_OUT);
                CHECK(augur_map_run(m, &job) == AUGUR_OK &&
                      memcmp(got, want, BIG_N * BIG_OUT) == 0,
                      "onall %d schedule %d chunk %zu: %s", onall, sched, chunks[c],
                      augur_map_errmsg(m));
            }
        augur_map_destroy(m);
    }
    free(in);
    free(want);
    free(got);
}

/* --- SPMD ------------------------------------------------------------------------ */

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
        all[k] = augur_group_rank(g) == 0 ? (double)k : -1;
    size_t count = 0;
    rc = augur_group_scatter(g, all, augur_group_rank(g) == 0 ? RECORDS : 0,
                             sizeof(double), mine, &count);
    if (rc != AUGUR_OK)
        return rc;
    size_t begin, end;
    augur_group_portion(RECORDS, augur_group_size(g), augur_group_rank(g), &begin, &end);
    if (count != end - begin)
        return AUGUR_EFAILED;
    for (size_t k = 0; k < count; k++)
        if (mine[k] != (double)(begin + k))
            return AUGUR_EFAILED;
    return spmd_scale_and_gather(g, factor, mine, count);
}

/* Fails on the last rank only, after a collective. */
static int fail_on_last(augur_group *g, const void *arg, size_t arg_len)
{
    (void)arg, (void)arg_len;
    int x = 5;
    if (augur_group_broadcast(g, &x, sizeof x) != AUGUR_OK)
        return AUGUR_EIO;
    return augur_group_rank(g) == augur_group_size(g) - 1 ? AUGUR_ERANGE : AUGUR_OK;
}

static augur_map *nested_map;
static int nested_rc;

/* Rank 0 tries to start a job while the workers are in this SPMD job. */
static int start_nested(augur_group *g, const void *arg, size_t arg_len)
{
    (void)arg, (void)arg_len;
    if (augur_group_rank(g) == 0) {
        double out[1];
        nested_rc = run_task(nested_map, "test.noisy-square", 1, out, 0, 1);
    }
    return AUGUR_OK;
}

static void spmd_collectives(int root_only_registered)
{
    augur_map *m = open_mpi(first_onall());
    memset(gathered, 0, sizeof gathered);
    gathered_total = 0;
    double factor = 2.5;
    int rc = augur_map_spmd(m, "test.scale-portions", &factor, sizeof factor);
    CHECK(rc == AUGUR_OK, "%s", augur_map_errmsg(m));
    CHECK(broadcast_seen == 2.5, "broadcast %g", broadcast_seen);
    CHECK(gathered_total == RECORDS, "gathered %zu", gathered_total);
    int wrong = 0;
    for (size_t k = 0; k < RECORDS; k++)
        wrong += gathered[k] != 2.5 * (double)k;
    CHECK(!wrong, "%d records wrong", wrong);

    rc = augur_map_spmd(m, "test.fail-on-last", NULL, 0);
    char want[64];
    snprintf(want, sizeof want, "failed on rank %d", ranks - 1);
    CHECK(rc == AUGUR_ERANGE && strstr(augur_map_errmsg(m), want), "%d %s", rc,
          augur_map_errmsg(m));

    nested_map = m;
    nested_rc = AUGUR_OK;
    rc = augur_map_spmd(m, "test.start-nested", NULL, 0);
    CHECK(rc == AUGUR_OK && nested_rc == AUGUR_ESTATE, "%d %d %s", rc, nested_rc,
          augur_map_errmsg(m));

    if (ranks > 1 && root_only_registered) {
        rc = augur_map_spmd(m, "test.spmd-root-only", NULL, 0);
        CHECK(rc == AUGUR_ENOTFOUND && strstr(augur_map_errmsg(m), "rank 1 has no"),
              "%d %s", rc, augur_map_errmsg(m));
    }
    /* and jobs still work */
    double got[N], ref[N];
    reference(ref, 0, 3, 0);
    rc = run_task(m, "test.noisy-square", N, got, 0, 3);
    CHECK(rc == AUGUR_OK && memcmp(got, ref, sizeof got) == 0, "after SPMD: %s",
          augur_map_errmsg(m));
    augur_map_destroy(m);
}

static int spmd_noop(augur_group *g, const void *arg, size_t arg_len)
{
    (void)g, (void)arg, (void)arg_len;
    return AUGUR_OK;
}

static void bad_use(void)
{
    augur_map *s = augur_map_create("serial", 1);
    CHECK(augur_map_mpi_set_onall(s, 1) == AUGUR_EINVAL, "onall on a serial map");
    augur_map_destroy(s);
    augur_map *m = open_mpi(first_onall());
    if (ranks == 1)
        CHECK(augur_map_mpi_set_onall(m, 0) == AUGUR_EINVAL, "one rank must compute");
    int is_root = 0;
    CHECK(augur_mpi_init(NULL, NULL, &is_root) == AUGUR_ESTATE, "init twice: %s",
          augur_mpi_errmsg());
    augur_map_destroy(m);
}

/* --- main ------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int ok = augur_task_register("test.noisy-square", noisy_square) == AUGUR_OK &&
             augur_task_register("test.fail13", fail_at_13) == AUGUR_OK &&
             augur_task_register("test.fail-from-13", fail_from_13) == AUGUR_OK &&
             augur_task_register("test.whoami", whoami) == AUGUR_OK &&
             augur_task_register("test.big", big_records) == AUGUR_OK &&
             augur_spmd_register("test.scale-portions", scale_portions) == AUGUR_OK &&
             augur_spmd_register("test.fail-on-last", fail_on_last) == AUGUR_OK &&
             augur_spmd_register("test.start-nested", start_nested) == AUGUR_OK;
    /* Names only rank 0 registers: OpenMPI tells each process its rank. */
    const char *env_rank = getenv("OMPI_COMM_WORLD_RANK");
    int root_only = env_rank && strcmp(env_rank, "0") == 0;
    if (root_only)
        ok = ok && augur_task_register("test.root-only", whoami) == AUGUR_OK &&
             augur_spmd_register("test.spmd-root-only", spmd_noop) == AUGUR_OK;
    char before[256] = "";
    augur_map *early = NULL;
    int early_rc = augur_map_new(&early, "mpi", 0, before, sizeof before);

    int is_root = 0;
    if (augur_mpi_init(&argc, &argv, &is_root) != AUGUR_OK) {
        fprintf(stderr, "test_maps_mpi: %s\n", augur_mpi_errmsg());
        return 1;
    }
    if (!is_root)
        return 0;
    CHECK(ok, "registering the test's names");
    CHECK(early_rc == AUGUR_ESTATE && strstr(before, "augur_mpi_init"),
          "a map before augur_mpi_init: %d %s", early_rc, before);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);

    results_in_task_order();
    tasks_run_where_expected();
    empty_and_single_task_jobs();
    failures_name_the_lowest_index();
    a_task_missing_on_workers(root_only);
    submit_then_wait();
    broadcast_bytes_of_two_maps();
    records_larger_than_eager_messages();
    spmd_collectives(root_only);
    bad_use();

    CHECK(augur_mpi_finalize() == AUGUR_OK, "%s", augur_mpi_errmsg());
    CHECK(augur_mpi_finalize() == AUGUR_OK, "a second finalize is a no-op");
    char after[256] = "";
    augur_map *late = NULL;
    CHECK(augur_map_new(&late, "mpi", 0, after, sizeof after) == AUGUR_ESTATE &&
          strstr(after, "finalized"), "a map after finalize: %s", after);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
