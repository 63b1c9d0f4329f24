/* test_map_threads.c - what is particular to the threads backend (the
 * shared contract is in test_maps.c): many one-task chunks, the lowest
 * failing index whatever the timing, no thread left behind or leaked by
 * create/destroy, and SPMD jobs in which a rank leaves early fail instead
 * of hanging. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "augur.h"

/* out = 3x + (seed mod 1000), and the worker that ran it (diagnostics) */
static int affine(const augur_task_call *call, const void *in, size_t in_len,
                  void *out, size_t out_len)
{
    (void)in_len, (void)out_len;
    double x, y[2];
    memcpy(&x, in, sizeof x);
    y[0] = 3 * x + (double)(call->seed % 1000);
    y[1] = call->worker;
    memcpy(out, y, sizeof y);
    return 0;
}

/* Fails at 20, 21, 27, 50 and 3000; tasks below 25 are slow, so the higher
 * failures happen first in time. */
static int many_failures(const augur_task_call *call, const void *in,
                         size_t in_len, void *out, size_t out_len)
{
    (void)in, (void)in_len;
    memset(out, 0, out_len);
    size_t k = call->index;
    if (k < 25) {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
    if (k == 20) {
        snprintf(call->errmsg, call->errcap, "the lowest");
        return AUGUR_ERANGE;
    }
    if (k == 21 || k == 27 || k == 50 || k == 3000) {
        snprintf(call->errmsg, call->errcap, "a higher one");
        return AUGUR_EIO;
    }
    return 0;
}

static void setup(void)
{
    cr_assert_eq(augur_task_register("test.affine", affine), AUGUR_OK);
    cr_assert_eq(augur_task_register("test.many-failures", many_failures), AUGUR_OK);
}

TestSuite(threads, .init = setup);

/* Threads of this process, from /proc. */
static int thread_count(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    cr_assert_not_null(f);
    char line[256];
    int n = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(f);
    return n;
}

/* The count once it reaches want, or after a second. pthread_join returns
 * when the kernel clears the thread's id, a moment before it stops counting
 * the thread, so a loaded machine can show a joined thread briefly. */
static int settled_thread_count(int want)
{
    int n = thread_count();
    for (int k = 0; k < 1000 && n != want; k++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        n = thread_count();
    }
    return n;
}

static augur_map *open_threads(int workers)
{
    char err[256] = "";
    augur_map *m = NULL;
    cr_assert_eq(augur_map_new(&m, "threads", workers, err, sizeof err), AUGUR_OK,
                 "%s", err);
    return m;
}

enum { MANY = 10000 };

static void run_affine(augur_map *m, const double *in, double (*out)[2])
{
    augur_map_job job = {.task = "test.affine", .ntasks = MANY, .in = in,
                         .in_len = sizeof(double), .out = out,
                         .out_len = 2 * sizeof(double), .seed = 77};
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
}

Test(threads, ten_thousand_one_task_chunks)
{
    static double in[MANY], want[MANY][2], got[MANY][2];
    for (size_t k = 0; k < MANY; k++)
        in[k] = (double)k * 0.5;
    augur_map *s = augur_map_create("serial", 1);
    run_affine(s, in, want);
    augur_map_destroy(s);
    for (int w = 2; w <= 4; w += 2) {
        augur_map *m = open_threads(w);
        for (int sched = 0; sched < 2; sched++) {
            augur_map_set_schedule(m, (augur_schedule)sched);
            augur_map_set_chunk(m, 1);
            memset(got, 0, sizeof got);
            run_affine(m, in, got);
            for (size_t k = 0; k < MANY; k++) {
                cr_assert_eq(got[k][0], want[k][0], "x%d schedule %d task %zu", w,
                             sched, k);
                cr_assert(got[k][1] >= 0 && got[k][1] < w, "worker %g", got[k][1]);
            }
        }
        augur_map_destroy(m);
    }
}

Test(threads, the_lowest_failing_index_is_reported)
{
    static double in[MANY], out[MANY];
    augur_map_job job = {.task = "test.many-failures", .ntasks = MANY, .in = in,
                         .in_len = sizeof(double), .out = out,
                         .out_len = sizeof(double)};
    size_t chunks[] = {0, 1, 5, 64};
    for (int w = 2; w <= 4; w++) {
        augur_map *m = open_threads(w);
        for (int sched = 0; sched < 2; sched++)
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                augur_map_set_schedule(m, (augur_schedule)sched);
                augur_map_set_chunk(m, chunks[c]);
                cr_assert_eq(augur_map_run(m, &job), AUGUR_ERANGE,
                             "x%d schedule %d chunk %zu: %s", w, sched, chunks[c],
                             augur_map_errmsg(m));
                cr_assert(strstr(augur_map_errmsg(m), "#20 failed: the lowest"), "%s",
                          augur_map_errmsg(m));
            }
        augur_map_destroy(m);
    }
}

Test(threads, destroy_right_after_create_leaves_no_thread)
{
    int before = thread_count();
    augur_map *m = open_threads(3);
    cr_assert_eq(thread_count(), before + 3, "the pool starts at create");
    augur_map_destroy(m);
    cr_assert_eq(settled_thread_count(before), before);
}

Test(threads, create_and_destroy_a_hundred_times)
{
    int before = thread_count();
    double in[MANY] = {0};
    static double out[MANY][2];
    for (int k = 0; k < 100; k++) {
        augur_map *m = open_threads(1 + k % 4);
        if (k % 10 == 0)
            run_affine(m, in, out);
        augur_map_destroy(m);
    }
    cr_assert_eq(settled_thread_count(before), before);
}

/* --- SPMD ------------------------------------------------------------------ */

/* Rank 2 fails before the broadcast the others wait in. */
static int fails_on_rank2(augur_group *g, const void *arg, size_t arg_len)
{
    (void)arg_len;
    if (augur_group_rank(g) == 2)
        return AUGUR_ERANGE;
    double v = 0;
    if (augur_group_rank(g) == 0)
        memcpy(&v, arg, sizeof v);
    int rc = augur_group_broadcast(g, &v, sizeof v);
    cr_assert_eq(rc, AUGUR_EFAILED, "rank %d: a broadcast without rank 2",
                 augur_group_rank(g));
    /* a rank that ignores the error cannot hang either */
    size_t total = 0;
    cr_assert_eq(augur_group_gather(g, &v, 1, sizeof v, NULL, &total), AUGUR_EFAILED);
    return rc;
}

/* Rank 1 returns success without the gather the others call. */
static int rank1_skips_gather(augur_group *g, const void *arg, size_t arg_len)
{
    (void)arg, (void)arg_len;
    int rank = augur_group_rank(g);
    double v = rank, all[8];
    int rc = augur_group_broadcast(g, &v, sizeof v);
    if (rc != AUGUR_OK || rank == 1)
        return rc;
    size_t total = 0;
    return augur_group_gather(g, &v, 1, sizeof v, all, &total);
}

/* Rank r gives r records of value r: gather must keep rank order. */
static double joined[16];
static size_t joined_total;

static int uneven_gather(augur_group *g, const void *arg, size_t arg_len)
{
    (void)arg, (void)arg_len;
    int rank = augur_group_rank(g);
    double mine[8];
    for (int k = 0; k < rank; k++)
        mine[k] = rank;
    return augur_group_gather(g, mine, (size_t)rank, sizeof(double), joined,
                              &joined_total);
}

static void register_spmd(void)
{
    cr_assert_eq(augur_spmd_register("test.fails-on-rank2", fails_on_rank2), AUGUR_OK);
    cr_assert_eq(augur_spmd_register("test.rank1-skips", rank1_skips_gather), AUGUR_OK);
    cr_assert_eq(augur_spmd_register("test.uneven-gather", uneven_gather), AUGUR_OK);
}

static void check_uneven(augur_map *m, int size)
{
    memset(joined, 0, sizeof joined);
    cr_assert_eq(augur_map_spmd(m, "test.uneven-gather", NULL, 0), AUGUR_OK, "%s",
                 augur_map_errmsg(m));
    size_t at = 0;
    for (int r = 0; r < size; r++)
        for (int k = 0; k < r; k++, at++)
            cr_assert_eq(joined[at], (double)r, "record %zu", at);
    cr_assert_eq(joined_total, at);
}

Test(threads, a_rank_failing_before_a_collective_is_named_not_waited_for)
{
    register_spmd();
    augur_map *m = open_threads(3);
    double v = 1.5;
    for (int round = 0; round < 20; round++) {
        cr_assert_eq(augur_map_spmd(m, "test.fails-on-rank2", &v, sizeof v),
                     AUGUR_ERANGE, "%s", augur_map_errmsg(m));
        cr_assert(strstr(augur_map_errmsg(m), "rank 2"), "%s", augur_map_errmsg(m));
        cr_assert(strstr(augur_map_errmsg(m), "test.fails-on-rank2"));
    }
    /* the pool is whole afterwards */
    check_uneven(m, 4);
    augur_map_destroy(m);
}

Test(threads, a_rank_skipping_a_collective_fails_the_job)
{
    register_spmd();
    for (int w = 2; w <= 4; w++) {
        augur_map *m = open_threads(w);
        cr_assert_eq(augur_map_spmd(m, "test.rank1-skips", NULL, 0), AUGUR_EFAILED);
        cr_assert(strstr(augur_map_errmsg(m), "after another rank left"), "%s",
                  augur_map_errmsg(m));
        check_uneven(m, w + 1);
        augur_map_destroy(m);
    }
}

Test(threads, spmd_waits_for_a_submitted_job)
{
    register_spmd();
    augur_map *m = open_threads(2);
    static double in[MANY], out[MANY][2];
    augur_map_job job = {.task = "test.affine", .ntasks = MANY, .in = in,
                         .in_len = sizeof(double), .out = out,
                         .out_len = 2 * sizeof(double)};
    cr_assert_eq(augur_map_submit(m, &job), AUGUR_OK);
    cr_assert_eq(augur_map_spmd(m, "test.uneven-gather", NULL, 0), AUGUR_ESTATE);
    cr_assert_eq(augur_map_wait(m), AUGUR_OK);
    check_uneven(m, 3);
    augur_map_destroy(m);
}
