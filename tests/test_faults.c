/* test_faults.c - costs that hang, crash or stop asking, and the parent that
 * dies under its workers (docs/RELIABILITY.md, "Faults").
 *
 * - a cost that hangs on a fork map with a timeout ends the run with a
 *   message naming the task; the timeout is read from a config's map and
 *   written back with the spec;
 * - SIGKILL of a process that holds a fork map leaves none of its workers
 *   alive a second later (PR_SET_PDEATHSIG);
 * - a map set on a solver that evaluates one point at a time is an error
 *   naming the solvers that can use one;
 * - gsl:nmsimplex2 on michalewicz 2-D in [0, pi]^2, seed 22 (a sampled
 *   start), with no generation limit and 100000 evaluations, stops
 *   evaluating after 217 evaluations and used to step forever; it now ends
 *   after AUGUR__IDLE_STEPS (1000) generations without an evaluation,
 *   saying so.
 *
 * Criterion runs each test in a forked process; the workers are forks of
 * that. */
#define PI 3.14159265358979323846
#include <criterion/criterion.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include "augur.h"
#include "augur/config.h"
#include "augur/plugin.h"

static void setup(void)
{
    gsl_set_error_handler_off();
}

TestSuite(faults, .init = setup, .timeout = 60);

/* --- A hanging cost on a fork map -------------------------------------------- */

/* sphere, except that it never returns for x[0] > 0.9 */
static double hang_high(const double *x, size_t n, void *data)
{
    (void)data;
    if (x[0] > 0.9)
        for (;;)
            pause();
    return augur_model_sphere(x, n, NULL);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

Test(faults, a_hanging_cost_with_a_timeout_ends_the_run_naming_the_task)
{
    augur_solver *s = augur_solver_create("de2", 2);
    double lb[2] = {-1, -1}, ub[2] = {1, 1};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 3);
    augur_solver_set_evaluation_limits(s, 100, AUGUR_UNLIMITED);
    char err[256];
    augur_map *m = NULL;
    cr_assert_eq(augur_map_new(&m, "fork", 2, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_map_set_timeout(m, 0.3), AUGUR_OK);
    cr_assert_eq(augur_solver_set_map(s, m), AUGUR_OK, "%s", augur_solver_errmsg(s));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = augur_solve(s, hang_high, NULL, NULL);
    double took = seconds_since(&t0);
    cr_assert_eq(rc, AUGUR_EFAILED, "%s", augur_solver_errmsg(s));
    cr_assert(took < 5, "took %g s", took);
    cr_assert(strstr(augur_solver_errmsg(s), "task 'augur.evaluate' #"), "%s",
              augur_solver_errmsg(s));
    cr_assert(strstr(augur_solver_errmsg(s), "worker timed out after 0.3 s"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
    augur_map_destroy(m);
}

static const char *fork_cfg =
    "problem = { model = \"sphere\"; dimension = 2; };\n"
    "solver = { type = \"de2\"; limits = { generations = 5; }; };\n"
    "map = { type = \"fork\"; workers = 2; timeout = 2.5; };\n"
    "seed = 1;\n";

Test(faults, the_timeout_is_read_from_a_config_and_written_back)
{
    char err[512] = "";
    augur_job *j = NULL;
    cr_assert_eq(augur_job_load_string(fork_cfg, "fork.cfg", NULL, &j, err, sizeof err),
                 AUGUR_OK, "%s", err);
    augur_map *m = augur_solver_map(augur_job_solver(j));
    cr_assert_not_null(m);
    cr_assert_eq(augur_map_timeout(m), 2.5);
    char *text = NULL;
    cr_assert_eq(augur_solver_write_spec(augur_job_solver(j), &text), AUGUR_OK);
    cr_assert(strstr(text, "timeout = 2.5;"), "%s", text);
    free(text);
    cr_assert_eq(augur_job_set_timeout(j, 7), AUGUR_OK, "%s", augur_job_errmsg(j));
    cr_assert_eq(augur_map_timeout(m), 7);
    cr_assert_eq(augur_job_set_timeout(j, -1), AUGUR_EINVAL);
    augur_job_destroy(j);
}

Test(faults, a_bad_timeout_in_a_config_names_its_line)
{
    static const char *cfg =
        "problem = { model = \"sphere\"; dimension = 2; };\n"
        "solver = { type = \"de2\"; };\n"
        "map = { type = \"fork\"; workers = 2;\n"
        "        timeout = -3; };\n";
    char err[512] = "";
    augur_job *j = NULL;
    cr_assert_neq(augur_job_load_string(cfg, "bad.cfg", NULL, &j, err, sizeof err),
                  AUGUR_OK);
    cr_assert(strstr(err, "bad.cfg:4") && strstr(err, "timeout"), "%s", err);
}

Test(faults, a_timeout_without_a_map_is_refused)
{
    static const char *cfg =
        "problem = { model = \"sphere\"; dimension = 2; };\n"
        "solver = { type = \"de2\"; };\n";
    char err[512] = "";
    augur_job *j = NULL;
    cr_assert_eq(augur_job_load_string(cfg, "x.cfg", NULL, &j, err, sizeof err),
                 AUGUR_OK, "%s", err);
    cr_assert_eq(augur_job_set_timeout(j, 1), AUGUR_EINVAL);
    cr_assert(strstr(augur_job_errmsg(j), "needs a map"), "%s", augur_job_errmsg(j));
    augur_job_destroy(j);
}

/* --- Workers never outlive the parent ------------------------------------------ */

static int pid_pipe = -1;

static int report_and_block(const augur_task_call *call, const void *in, size_t in_len,
                            void *out, size_t out_len)
{
    (void)call, (void)in, (void)in_len, (void)out, (void)out_len;
    pid_t me = getpid();
    if (write(pid_pipe, &me, sizeof me) != sizeof me)
        return -1;
    for (;;)
        pause();
}

/* alive and not a zombie (a zombie's parent may be a PID 1 that never
 * reaps; it runs no code) */
static int alive(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return kill(pid, 0) == 0;
    size_t got = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[got] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[1] == ' ' && close_paren[2] != 'Z' &&
           close_paren[2] != 'X';
}

Test(faults, sigkill_of_the_parent_leaves_no_worker_alive)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t parent = fork();
    cr_assert_geq(parent, 0);
    if (parent == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);   /* if this test is killed */
#endif
        close(fds[0]);
        pid_pipe = fds[1];
        augur_task_register("faults.block", report_and_block);
        augur_map *m = augur_map_create("fork", 2);
        double in[2] = {0}, out[2];
        augur_map_job job = {.task = "faults.block", .ntasks = 2, .in = in,
                             .in_len = sizeof *in, .out = out, .out_len = sizeof *out};
        augur_map_set_schedule(m, AUGUR_SCHEDULE_STATIC);   /* one task each */
        augur_map_run(m, &job);   /* blocks for ever */
        _exit(0);
    }
    close(fds[1]);
    pid_t workers[2];
    for (int k = 0; k < 2; k++)
        cr_assert_eq(read(fds[0], &workers[k], sizeof workers[k]), sizeof workers[k]);
    close(fds[0]);
    cr_assert(alive(workers[0]) && alive(workers[1]));
    cr_assert_eq(kill(parent, SIGKILL), 0);
    int status;
    cr_assert_eq(waitpid(parent, &status, 0), parent);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while ((alive(workers[0]) || alive(workers[1])) && seconds_since(&t0) < 1.0)
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    int left0 = alive(workers[0]), left1 = alive(workers[1]);
    if (left0)
        kill(workers[0], SIGKILL);
    if (left1)
        kill(workers[1], SIGKILL);
    cr_assert(!left0 && !left1, "workers %d %d still alive a second after their parent "
              "was killed", left0 ? (int)workers[0] : 0, left1 ? (int)workers[1] : 0);
}

/* --- A map on a solver that cannot use one ------------------------------------- */

Test(faults, a_map_on_a_one_point_solver_is_an_error_naming_those_that_can)
{
    static const char *const cannot[] = {"de", "nelder-mead", "powell", "gsl:nmsimplex2"};
    augur_map *m = augur_map_create("threads", 2);
    for (size_t k = 0; k < sizeof cannot / sizeof cannot[0]; k++) {
        augur_solver *s = augur_solver_create(cannot[k], 2);
        cr_assert_not_null(s, "%s", cannot[k]);
        cr_assert_eq(augur_solver_set_map(s, m), AUGUR_EUNSUP, "%s", cannot[k]);
        const char *msg = augur_solver_errmsg(s);
        cr_assert(strstr(msg, "cannot use a map"), "%s", msg);
        cr_assert(strstr(msg, "de2") && strstr(msg, "pso") && strstr(msg, "buckshot") &&
                      strstr(msg, "lattice") && strstr(msg, "sparsity"), "%s", msg);
        cr_assert_null(augur_solver_map(s));
        augur_solver_destroy(s);
    }
    static const char *const can[] = {"de2", "pso", "buckshot", "lattice", "sparsity"};
    for (size_t k = 0; k < sizeof can / sizeof can[0]; k++) {
        augur_solver *s = augur_solver_create(can[k], 2);
        cr_assert_eq(augur_solver_set_map(s, m), AUGUR_OK, "%s: %s", can[k],
                     augur_solver_errmsg(s));
        augur_solver_destroy(s);
    }
    augur_map_destroy(m);
}

Test(faults, a_map_in_a_config_on_de_is_an_error_with_its_line)
{
    static const char *cfg =
        "problem = { model = \"sphere\"; dimension = 2; };\n"
        "solver = { type = \"de\"; };\n"
        "map = { type = \"threads\"; workers = 2; };\n";
    char err[512] = "";
    augur_job *j = NULL;
    cr_assert_eq(augur_job_load_string(cfg, "de.cfg", NULL, &j, err, sizeof err),
                 AUGUR_EUNSUP);
    cr_assert(strstr(err, "de.cfg:3") && strstr(err, "de cannot use a map") &&
                  strstr(err, "de2"), "%s", err);
    augur_job_destroy(j);
}

/* --- Steps that stop evaluating --------------------------------------------------- */

Test(faults, a_solver_that_stops_evaluating_is_ended_with_a_reason, .timeout = 20)
{
    augur_solver *s = augur_solver_create("gsl:nmsimplex2", 2);
    double lb[2] = {0, 0}, ub[2] = {PI, PI};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 22);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 100000);
    cr_assert_eq(augur_solve(s, augur_model_michalewicz, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    cr_assert(strstr(augur_solver_termination_reason(s), "NoEvaluations(1000 consecutive"),
              "%s", augur_solver_termination_reason(s));
    /* measured: 217 evaluations, the last at generation 103 */
    cr_assert_eq(augur_solver_evaluations(s), 217);
    cr_assert_eq(augur_solver_generations(s), 1104);
    augur_solver_destroy(s);
}
