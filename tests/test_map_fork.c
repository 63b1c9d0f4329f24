/* test_map_fork.c - what only the fork backend promises, beyond the suite
 * every backend passes (test_maps.c): a worker that crashes, exits or runs
 * past the timeout is named by task index and signal, reaped (no child is
 * left behind), retried on a fresh worker when asked, and the next job
 * works; workers see memory as it is at the first job after a reset;
 * results equal serial's bit for bit with 4 workers; SPMD ranks that die or
 * fail are named and never hang the others.
 *
 * Criterion runs each test in a forked process, so the workers here are
 * forks of that process; they leave with _exit, so Criterion's own atexit
 * handlers never run in them. Tasks that crash restore the default SIGSEGV
 * action first: a sanitizer or test runner handler would otherwise turn the
 * signal into a report and an exit status. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "augur.h"

/* --- Tasks ------------------------------------------------------------------- */

/* out = x^2 + offset (context) + scale (broadcast) * u(seed) */
static int seeded(const augur_task_call *call, const void *in, size_t in_len,
                  void *out, size_t out_len)
{
    (void)in_len, (void)out_len;
    double x, offset = 0, scale = 0;
    memcpy(&x, in, sizeof x);
    if (call->context_len == sizeof offset)
        memcpy(&offset, call->context, sizeof offset);
    if (call->shared_len == sizeof scale)
        memcpy(&scale, call->shared, sizeof scale);
    double u = (double)(call->seed >> 11) * 0x1p-53;
    double y = x * x + offset + scale * u;
    memcpy(out, &y, sizeof y);
    return 0;
}

static void crash(void)
{
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
}

static int segv_at_17(const augur_task_call *call, const void *in, size_t in_len,
                      void *out, size_t out_len)
{
    if (call->index == 17)
        crash();
    return seeded(call, in, in_len, out, out_len);
}

static int exit_at_5(const augur_task_call *call, const void *in, size_t in_len,
                     void *out, size_t out_len)
{
    if (call->index == 5)
        _exit(3);
    return seeded(call, in, in_len, out, out_len);
}

/* Crashes on task 9 the first time any process runs it: the flag file
 * tells the retry (a fresh worker, which does not share our memory). */
static char flag_path[128];

static int segv_once_at_9(const augur_task_call *call, const void *in, size_t in_len,
                          void *out, size_t out_len)
{
    if (call->index == 9) {
        int fd = open(flag_path, O_CREAT | O_EXCL | O_WRONLY, 0600);
        if (fd >= 0) {
            close(fd);
            crash();
        }
    }
    return seeded(call, in, in_len, out, out_len);
}

static int sleep_at_5(const augur_task_call *call, const void *in, size_t in_len,
                      void *out, size_t out_len)
{
    if (call->index == 5)
        nanosleep(&(struct timespec){.tv_sec = 5}, NULL);
    return seeded(call, in, in_len, out, out_len);
}

/* Task 30 fails, task 70 crashes: the job reports task 30. */
static int fail_30_crash_70(const augur_task_call *call, const void *in, size_t in_len,
                            void *out, size_t out_len)
{
    if (call->index == 30) {
        snprintf(call->errmsg, call->errcap, "thirty is too many");
        return AUGUR_ERANGE;
    }
    if (call->index == 70)
        crash();
    return seeded(call, in, in_len, out, out_len);
}

static int generation = 1;

static int read_generation(const augur_task_call *call, const void *in, size_t in_len,
                           void *out, size_t out_len)
{
    (void)call, (void)in, (void)in_len, (void)out_len;
    memcpy(out, &generation, sizeof generation);
    return 0;
}

/* Big records (more than a socket buffer holds): out = in reversed. */
enum { BIG = 40000 };

static int reverse_big(const augur_task_call *call, const void *in, size_t in_len,
                       void *out, size_t out_len)
{
    (void)call, (void)out_len;
    const char *i = in;
    char *o = out;
    for (size_t k = 0; k < in_len; k++)
        o[k] = i[in_len - 1 - k];
    return 0;
}

static void setup(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);  /* crashing workers leave no core files */
    cr_assert_eq(augur_task_register("fork.seeded", seeded), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.segv17", segv_at_17), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.exit5", exit_at_5), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.segv-once9", segv_once_at_9), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.sleep5", sleep_at_5), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.fail30-crash70", fail_30_crash_70), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.generation", read_generation), AUGUR_OK);
    cr_assert_eq(augur_task_register("fork.reverse-big", reverse_big), AUGUR_OK);
}

TestSuite(map_fork, .init = setup, .timeout = 60);

/* --- Helpers ------------------------------------------------------------------- */

enum { N = 1000 };
static double inputs[N];

static augur_map_job job_of(const char *task, size_t ntasks, double *out,
                            const double *offset)
{
    for (size_t k = 0; k < N; k++)
        inputs[k] = (double)k / 7.0 - 3.0;
    return (augur_map_job){
        .task = task, .ntasks = ntasks, .in = inputs, .in_len = sizeof(double),
        .out = out, .out_len = sizeof(double), .context = offset,
        .context_len = offset ? sizeof *offset : 0, .seed = 2024,
    };
}

/* What serial computes for "fork.seeded" (scale 0: no broadcast). */
static void reference(double *want, size_t ntasks, double offset, double scale)
{
    augur_map *s = augur_map_create("serial", 1);
    if (scale != 0)
        augur_map_broadcast(s, &scale, sizeof scale);
    augur_map_job job = job_of("fork.seeded", ntasks, want, &offset);
    cr_assert_eq(augur_map_run(s, &job), AUGUR_OK);
    augur_map_destroy(s);
}

static augur_map *open_fork(int workers)
{
    char err[256] = "";
    augur_map *m = NULL;
    cr_assert_eq(augur_map_new(&m, "fork", workers, err, sizeof err), AUGUR_OK, "%s",
                 err);
    return m;
}

/* The map still works and matches serial. */
static void check_works(augur_map *m)
{
    static double want[N], got[N];
    double offset = 0.5;
    reference(want, 200, offset, 0);
    augur_map_job job = job_of("fork.seeded", 200, got, &offset);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
    cr_assert_eq(memcmp(got, want, 200 * sizeof *got), 0);
}

/* Destroy the map and check that no child of ours is left, not even a zombie. */
static void destroy_and_check_no_children(augur_map *m)
{
    augur_map_destroy(m);
    int status;
    errno = 0;
    cr_assert_eq(waitpid(-1, &status, WNOHANG), -1, "a child is left behind");
    cr_assert_eq(errno, ECHILD);
}

/* --- Crashes, exits, timeouts, retries ------------------------------------------- */

Test(map_fork, a_crash_is_named_by_task_and_signal_and_the_map_recovers)
{
    struct { augur_schedule sched; size_t chunk; } cases[] = {
        {AUGUR_SCHEDULE_DYNAMIC, 0}, {AUGUR_SCHEDULE_DYNAMIC, 1},
        {AUGUR_SCHEDULE_DYNAMIC, 64}, {AUGUR_SCHEDULE_STATIC, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        augur_map *m = open_fork(2);
        augur_map_set_schedule(m, cases[c].sched);
        augur_map_set_chunk(m, cases[c].chunk);
        static double out[N];
        augur_map_job job = job_of("fork.segv17", 100, out, NULL);
        cr_assert_eq(augur_map_run(m, &job), AUGUR_EFAILED);
        const char *msg = augur_map_errmsg(m);
        cr_assert(strstr(msg, "'fork.segv17' #17"), "case %zu: %s", c, msg);
        cr_assert(strstr(msg, "signal 11"), "%s", msg);
        check_works(m);
        destroy_and_check_no_children(m);
    }
}

Test(map_fork, a_worker_that_exits_is_named)
{
    augur_map *m = open_fork(3);
    static double out[N];
    augur_map_job job = job_of("fork.exit5", 50, out, NULL);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_EFAILED);
    cr_assert(strstr(augur_map_errmsg(m), "#5: worker exited with status 3"), "%s",
              augur_map_errmsg(m));
    check_works(m);
    destroy_and_check_no_children(m);
}

Test(map_fork, a_retry_on_a_fresh_worker_gives_the_right_result)
{
    snprintf(flag_path, sizeof flag_path, "/tmp/augur-fork-test-%ld", (long)getpid());
    unlink(flag_path);
    augur_map *m = open_fork(2);
    augur_map_set_retries(m, 1);
    static double want[N], got[N];
    double offset = 1.25;
    reference(want, 40, offset, 0);
    augur_map_job job = job_of("fork.segv-once9", 40, got, &offset);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
    cr_assert_eq(access(flag_path, F_OK), 0, "task 9 did crash once");
    cr_assert_eq(memcmp(got, want, 40 * sizeof *got), 0);
    unlink(flag_path);
    destroy_and_check_no_children(m);
}

Test(map_fork, retries_run_out)
{
    augur_map *m = open_fork(2);
    augur_map_set_retries(m, 2);
    static double out[N];
    augur_map_job job = job_of("fork.segv17", 30, out, NULL);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_EFAILED);
    cr_assert(strstr(augur_map_errmsg(m), "#17"), "%s", augur_map_errmsg(m));
    cr_assert(strstr(augur_map_errmsg(m), "3 tries"), "%s", augur_map_errmsg(m));
    check_works(m);
    destroy_and_check_no_children(m);
}

Test(map_fork, a_task_past_the_timeout_is_killed_and_named)
{
    augur_map *m = open_fork(2);
    augur_map_set_timeout(m, 0.2);
    augur_map_set_chunk(m, 4);      /* task 5 sits inside a chunk: timed per task */
    static double out[N];
    augur_map_job job = job_of("fork.sleep5", 20, out, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_EFAILED);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) +
                  1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    cr_assert(took < 2.0, "killed after %g s", took);
    cr_assert(strstr(augur_map_errmsg(m),
                     "'fork.sleep5' #5: worker timed out after 0.2 s"),
              "%s", augur_map_errmsg(m));
    check_works(m);
    destroy_and_check_no_children(m);
}

Test(map_fork, the_lowest_failing_task_is_reported)
{
    augur_map *m = open_fork(4);
    augur_map_set_chunk(m, 1);
    static double out[N];
    augur_map_job job = job_of("fork.fail30-crash70", 100, out, NULL);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_ERANGE, "%s", augur_map_errmsg(m));
    cr_assert(strstr(augur_map_errmsg(m), "#30 failed: thirty is too many"), "%s",
              augur_map_errmsg(m));
    check_works(m);
    destroy_and_check_no_children(m);
}

/* --- What workers see ------------------------------------------------------------ */

Test(map_fork, workers_see_memory_as_it_is_after_a_reset)
{
    augur_map *m = open_fork(2);
    int seen[8];
    augur_map_job job = {.task = "fork.generation", .ntasks = 8, .out = seen,
                         .out_len = sizeof(int)};
    generation = 1;
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK);
    for (int k = 0; k < 8; k++)
        cr_assert_eq(seen[k], 1);
    generation = 2;               /* without a reset the old copy may be seen */
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK);
    for (int k = 0; k < 8; k++)
        cr_assert(seen[k] == 1 || seen[k] == 2);
    cr_assert_eq(augur_map_reset(m), AUGUR_OK);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK);
    for (int k = 0; k < 8; k++)
        cr_assert_eq(seen[k], 2, "task %d saw generation %d after the reset", k, seen[k]);
    destroy_and_check_no_children(m);
}

Test(map_fork, a_broadcast_reaches_running_workers)
{
    augur_map *m = open_fork(2);
    check_works(m);               /* the workers are running now */
    double scale = 0.75, offset = 0.5;
    cr_assert_eq(augur_map_broadcast(m, &scale, sizeof scale), AUGUR_OK);
    static double want[N], got[N];
    reference(want, 100, offset, scale);
    augur_map_job job = job_of("fork.seeded", 100, got, &offset);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK);
    cr_assert_eq(memcmp(got, want, 100 * sizeof *got), 0);
    destroy_and_check_no_children(m);
}

Test(map_fork, four_workers_dynamic_equal_serial_bit_for_bit)
{
    static double want[N], got[N];
    double offset = -0.25, scale = 3;
    reference(want, N, offset, scale);
    size_t chunks[] = {0, 1, 7, 64};
    augur_map *m = open_fork(4);
    augur_map_broadcast(m, &scale, sizeof scale);
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        augur_map_set_chunk(m, chunks[c]);
        memset(got, 0, sizeof got);
        augur_map_job job = job_of("fork.seeded", N, got, &offset);
        cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
        cr_assert_eq(memcmp(got, want, sizeof want), 0, "chunk %zu", chunks[c]);
    }
    destroy_and_check_no_children(m);
}

Test(map_fork, records_bigger_than_a_socket_buffer)
{
    enum { TASKS = 24 };
    char *in = malloc(TASKS * BIG), *out = malloc(TASKS * BIG);
    cr_assert(in && out);
    for (size_t k = 0; k < TASKS * BIG; k++)
        in[k] = (char)(k * 131 % 251);
    augur_map *m = open_fork(3);
    size_t chunks[] = {0, 1, 5};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        augur_map_set_chunk(m, chunks[c]);
        memset(out, 0, TASKS * BIG);
        augur_map_job job = {.task = "fork.reverse-big", .ntasks = TASKS, .in = in,
                             .in_len = BIG, .out = out, .out_len = BIG};
        cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
        for (size_t t = 0; t < TASKS; t++)
            for (size_t k = 0; k < BIG; k += 997)
                cr_assert_eq(out[t * BIG + k], in[t * BIG + BIG - 1 - k]);
    }
    free(in);
    free(out);
    destroy_and_check_no_children(m);
}

/* --- SPMD ranks that die or fail ------------------------------------------------- */

/* Rank 0 broadcasts, every rank gathers its rank number; `bad` misbehaves. */
static int bad_rank, bad_how;         /* how: 1 crash, 2 return ERANGE */
static double ranks_gathered[16];
static size_t ranks_total;

static int gather_ranks(augur_group *g, const void *arg, size_t arg_len)
{
    (void)arg, (void)arg_len;
    int rank = augur_group_rank(g);
    if (rank == bad_rank && bad_how == 1)
        crash();
    if (rank == bad_rank && bad_how == 2)
        return AUGUR_ERANGE;
    double v = 0;
    int rc = augur_group_broadcast(g, &v, sizeof v);
    if (rc != AUGUR_OK)
        return rc;
    double mine = rank + v;
    return augur_group_gather(g, &mine, 1, sizeof mine, ranks_gathered, &ranks_total);
}

static void spmd_ok(augur_map *m)
{
    bad_rank = -1;
    augur_map_reset(m);           /* the workers' copies still say bad_rank */
    memset(ranks_gathered, 0, sizeof ranks_gathered);
    cr_assert_eq(augur_map_spmd(m, "fork.gather-ranks", NULL, 0), AUGUR_OK, "%s",
                 augur_map_errmsg(m));
    cr_assert_eq(ranks_total, 4);
    for (int r = 0; r < 4; r++)
        cr_assert_eq(ranks_gathered[r], r);
}

Test(map_fork, an_spmd_rank_that_dies_is_named_and_nobody_hangs)
{
    cr_assert_eq(augur_spmd_register("fork.gather-ranks", gather_ranks), AUGUR_OK);
    bad_rank = 2;
    bad_how = 1;
    augur_map *m = open_fork(3);
    int rc = augur_map_spmd(m, "fork.gather-ranks", NULL, 0);
    cr_assert_eq(rc, AUGUR_EFAILED);
    cr_assert(strstr(augur_map_errmsg(m), "rank 2: worker killed by signal 11"), "%s",
              augur_map_errmsg(m));
    spmd_ok(m);
    destroy_and_check_no_children(m);
}

Test(map_fork, an_spmd_rank_that_fails_is_named)
{
    cr_assert_eq(augur_spmd_register("fork.gather-ranks", gather_ranks), AUGUR_OK);
    bad_rank = 1;
    bad_how = 2;
    augur_map *m = open_fork(3);
    cr_assert_eq(augur_map_spmd(m, "fork.gather-ranks", NULL, 0), AUGUR_ERANGE, "%s",
                 augur_map_errmsg(m));
    cr_assert(strstr(augur_map_errmsg(m), "failed on rank 1"), "%s", augur_map_errmsg(m));
    spmd_ok(m);
    check_works(m);
    destroy_and_check_no_children(m);
}

Test(map_fork, names_registered_after_the_workers_start_need_a_reset)
{
    augur_map *m = open_fork(2);
    check_works(m);
    cr_assert_eq(augur_task_register("fork.late", seeded), AUGUR_OK);
    static double out[N];
    augur_map_job job = job_of("fork.late", 10, out, NULL);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_ENOTFOUND);
    cr_assert(strstr(augur_map_errmsg(m), "augur_map_reset"), "%s", augur_map_errmsg(m));
    augur_map_reset(m);
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
    destroy_and_check_no_children(m);
}
