/* test_cli_run.c - `augur run` as a user runs it (the built binary,
 * through cli_harness.c): results files that reproduce the run, where
 * results go, nothing written for a bad file, status 3 for an unwritable
 * results path and 1 for a failed run, --set, --seed and --map (threads as
 * serial), no progress output when stderr is not a terminal and a progress
 * line under a pseudo-terminal, Ctrl-C (130, results written), a fit that
 * did not converge (1, results written) or did (0), and the MPI map under
 * mpiexec. */
#include <criterion/criterion.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli_harness.h"

TestSuite(cli_run, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* --- run -------------------------------------------------------------------- */

Test(cli_run, run_writes_results_that_reproduce_the_run)
{
    const char *cfg = config("rosen.cfg", rosen_cfg);
    const char *out = at("rosen.results.cfg");
    result r = cli("run", cfg, "-o", out);
    expect_status(r, 0);
    cr_expect_eq(r.err[0], '\0', "stderr not empty (not a terminal): %s", r.err);
    cr_assert(exists(out), "no results file");
    char *f1 = f_line(r.out);
    done(&r);
    r = cli("run", out);
    expect_status(r, 0);
    char *f2 = f_line(r.out);
    cr_expect_str_eq(f1, f2);
    free(f1);
    free(f2);
    done(&r);
}

Test(cli_run, run_results_go_where_the_file_says)
{
    char text[1024];
    snprintf(text, sizeof text, "%soutput = { results = \"from-file.cfg\"; };\n", rosen_cfg);
    const char *cfg = config("r.cfg", text);
    result r = cli("run", cfg, "--quiet");
    expect_status(r, 0);
    cr_expect(exists(at("from-file.cfg")), "output.results not written");
    cr_expect_eq(r.out[0], '\0', "--quiet printed: %s", r.out);
    done(&r);
}

Test(cli_run, run_bad_config_writes_nothing)
{
    const char *cfg = config("bad.cfg", "problem = { model = \"rosen\"; dimension = 3; };\n"
                                        "solver = { type = \"nelder-mead\"; };\n"
                                        "output = { results = \"never.cfg\"; };\n"
                                        "sed = 4;\n");
    result r = cli("run", cfg);
    expect_status(r, 2);
    cr_expect(strstr(r.err, "seed"), "no hint: %s", r.err);
    cr_expect(!exists(at("never.cfg")), "results written for a bad file");
    done(&r);
    r = cli("run", at("nope.cfg"));
    expect_status(r, 2);
    done(&r);
    r = cli("run", config("ok.cfg", rosen_cfg), "--set", "solver.parameters.radius=oops",
            "-o", at("never.cfg"));
    expect_status(r, 2);
    cr_expect(!exists(at("never.cfg")), "results written for a bad --set");
    done(&r);
}

Test(cli_run, run_results_in_missing_directory_is_io_error)
{
    const char *cfg = config("rosen.cfg", rosen_cfg);
    result r = cli("run", cfg, "-o", at("no/such/dir/out.cfg"));
    expect_status(r, 3);
    cr_expect(strstr(r.err, "no/such/dir"), "%s", r.err);
    done(&r);
}

Test(cli_run, run_failure_is_status_1)
{
    /* a logging monitor that cannot open its file fails the solve */
    char text[1024];
    snprintf(text, sizeof text,
             "%smonitors = ( { type = \"logging\"; file = \"no/such/dir/log.csv\"; } );\n",
             rosen_cfg);
    const char *cfg = config("fails.cfg", text);
    result r = cli("run", cfg, "-o", at("never.cfg"));
    expect_status(r, 1);
    cr_expect(!exists(at("never.cfg")), "results written for a failed run");
    done(&r);
}

/* A fit that did not converge is status 1, with its results written and
 * saying how it ended; one that did is 0. NIST's BoxBOD, y = b1 (1 -
 * exp(-b2 x)), as a formula fit run by the fit strategy with no box (so
 * only LM from the start): from NIST's Start 1 (1, 1) LM runs onto the
 * plateau b2 -> inf and stops "flat in 1 of 2 parameters"; from Start 2
 * (100, 0.75) with 1 iteration it stops at the iteration limit; from
 * Start 2 with LM's defaults it converges to the certified values. */
static const char *boxbod_cfg(const char *name, const char *strategy)
{
    write_file(at("boxbod.csv"), "x,y\n1,109\n2,149\n3,149\n5,191\n7,213\n10,224\n");
    char text[1024];
    snprintf(text, sizeof text,
             "problem = { fit = {\n"
             "  formula = \"b1 * (1 - exp(-b2 * x))\"; parameters = [ \"b1\", \"b2\" ];\n"
             "  data = { file = \"%s\"; x = \"x\"; y = \"y\"; };\n"
             "  strategy = { %s };\n"
             "}; };\n", at("boxbod.csv"), strategy);
    return config(name, text);
}

static void expect_fit_ending(const char *strategy, int status, const char *converged,
                              const char *ending)
{
    const char *out = at("boxbod.results.cfg");
    result r = cli("run", boxbod_cfg("boxbod.cfg", strategy), "-o", out);
    expect_status(r, status);
    cr_expect_eq(strstr(r.out, "DID NOT CONVERGE") != NULL, status == 1, "%s", r.out);
    char *text = slurp(out);
    cr_assert_not_null(text, "no results file");
    cr_expect(strstr(text, converged) != NULL, "no '%s' in\n%s", converged, text);
    cr_expect(strstr(text, ending) != NULL, "no '%s' in\n%s", ending, text);
    free(text);
    done(&r);
}

Test(cli_run, fit_that_did_not_converge_is_status_1_with_results)
{
    expect_fit_ending("start = [ 1.0, 1.0 ];", 1, "converged = false;",
                      "flat in 1 of 2 parameters");
    expect_fit_ending("start = [ 100.0, 0.75 ]; iterations = 1; starts = 1;", 1,
                      "converged = false;", "iteration limit");
}

Test(cli_run, fit_that_converged_is_status_0)
{
    expect_fit_ending("start = [ 100.0, 0.75 ];", 0, "converged = true;",
                      "LM from the start: ");
    char *text = slurp(at("boxbod.results.cfg"));
    cr_assert_not_null(text);
    cr_expect(strstr(text, "213.8094") != NULL, "b1 is not NIST's 213.80940889:\n%s",
              text);
    free(text);
}

Test(cli_run, set_and_seed)
{
    const char *cfg = config("de.cfg", de_cfg);
    result r = cli("run", cfg, "--set", "problem.dimension=5", "--seed", "11", "-o",
                   at("a.cfg"));
    expect_status(r, 0);
    cr_expect(strstr(r.out, "dimension 5, seed 11"), "%s", r.out);
    char *fa = f_line(r.out);
    done(&r);
    char *text = slurp(at("a.cfg"));
    cr_expect(text && strstr(text, "dimension = 5"), "%s", text ? text : "");
    free(text);
    /* the same seed gives the same answer; another seed another one */
    r = cli("run", cfg, "--set", "problem.dimension=5", "--seed", "11");
    expect_status(r, 0);
    char *fb = f_line(r.out);
    cr_expect_str_eq(fa, fb);
    done(&r);
    r = cli("run", cfg, "--set", "problem.dimension=5", "--seed", "12");
    expect_status(r, 0);
    char *fc = f_line(r.out);
    cr_expect_str_neq(fa, fc);
    done(&r);
    free(fa);
    free(fb);
    free(fc);
}

/* in-place de evaluates one trial at a time: a map is refused, naming the
 * solvers that can use one; --timeout wants a map and a number */
Test(cli_run, map_and_timeout_are_refused_where_they_mean_nothing)
{
    const char *cfg = config("one.cfg",
                             "problem = { model = \"sphere\"; dimension = 2; };\n"
                             "solver = { type = \"de\"; };\n");
    result r = cli("run", cfg, "--map", "fork:2");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "de cannot use a map") && strstr(r.err, "de2, pso"), "%s",
              r.err);
    done(&r);
    r = cli("run", cfg, "--timeout", "5");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "--timeout: a timeout needs a map"), "%s", r.err);
    done(&r);
    const char *pop = config("de.cfg", de_cfg);
    r = cli("run", pop, "--map", "fork:2", "--timeout", "-1");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "--timeout wants seconds"), "%s", r.err);
    done(&r);
    r = cli("run", pop, "--seed", "5", "--map", "fork:2", "--timeout", "30", "-o",
            at("t.cfg"));
    expect_status(r, 0);
    done(&r);
    char *text = slurp(at("t.cfg"));
    cr_expect(text && strstr(text, "timeout = 30.0;"), "%s", text ? text : "");
    free(text);
}

Test(cli_run, threads_map_matches_serial)
{
    const char *cfg = config("de.cfg", de_cfg);
    result a = cli("run", cfg, "--seed", "5", "--map", "serial");
    result b = cli("run", cfg, "--seed", "5", "--map", "threads:2");
    expect_status(a, 0);
    expect_status(b, 0);
    char *fa = f_line(a.out), *fb = f_line(b.out);
    cr_expect_str_eq(fa, fb);
    free(fa);
    free(fb);
    done(&a);
    done(&b);
}

/* --- Progress and Ctrl-C ------------------------------------------------------ */

Test(cli_run, progress_line_on_a_terminal)
{
    /* with a verbose monitor: its lines must land above the progress line */
    char text[1024];
    snprintf(text, sizeof text, "%smonitors = ( { type = \"verbose\"; every = 20; } );\n",
             rosen_cfg);
    const char *cfg = config("rosen.cfg", text);
    int master;
    fflush(NULL);
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        execl(AUGUR_CLI, AUGUR_CLI, "run", cfg, (char *)NULL);
        _exit(98);
    }
    char buf[1 << 16];
    size_t len = 0;
    for (;;) {   /* until the child closes the terminal (EIO on Linux) */
        ssize_t got = read(master, buf + len, sizeof buf - 1 - len);
        if (got <= 0 || (len += (size_t)got) + 1 >= sizeof buf)
            break;
    }
    buf[len] = '\0';
    close(master);
    int w;
    cr_assert_eq(waitpid(pid, &w, 0), pid);
    cr_expect_eq(status_of(w), 0, "%s", buf);
    cr_expect(strstr(buf, "evaluations") && strstr(buf, "\r"), "no progress line:\n%s",
              buf);
    cr_expect(strstr(buf, "\033[K"), "the line is not cleared");
    cr_expect(strstr(buf, "f:"), "no summary:\n%s", buf);
    size_t lines = 0;
    for (const char *g = strstr(buf, "Generation "); g; g = strstr(g + 1, "Generation ")) {
        int fresh = g == buf || g[-1] == '\n' || (g - buf >= 3 && strncmp(g - 3, "\033[K", 3) == 0);
        cr_expect(fresh, "a verbose line glued to the progress line:\n%.80s", g - 40 > buf ? g - 40 : buf);
        lines++;
    }
    cr_expect_gt(lines, 0, "no verbose lines:\n%s", buf);
}

Test(cli_run, ctrl_c_stops_writes_results_exits_130)
{
    const char *cfg = config("long.cfg", long_cfg);
    const char *const args[] = {"run", cfg, "-o", at("stopped.cfg"), NULL};
    pid_t pid = start(args);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 500000000};
    nanosleep(&pause, NULL);
    cr_assert_eq(kill(pid, SIGINT), 0);
    result r = finish(pid);
    expect_status(r, 130);
    cr_expect(exists(at("stopped.cfg")), "no results after Ctrl-C");
    cr_expect(strstr(r.out, "f:"), "no summary: %s", r.out);
    done(&r);
}

#ifdef AUGUR_HAVE_MPI
Test(cli_run, mpi_map_under_mpirun)
{
    const char *cfg = config("de.cfg", de_cfg);
    result serial = cli("run", cfg, "--seed", "5");
    expect_status(serial, 0);
    const char *const args[] = {"-np", "2", "--allow-run-as-root", "--oversubscribe",
                                AUGUR_CLI, "run", cfg, "--seed", "5", "--map", "mpi", NULL};
    /* OpenMPI keeps allocations until exit: under the sanitizers the ranks
     * use the suite's suppressions (the variables do nothing without). This
     * test runs in its own process, so the others do not see them. */
    setenv("ASAN_OPTIONS", "detect_leaks=1:fast_unwind_on_malloc=0", 1);
    setenv("LSAN_OPTIONS", "suppressions=" AUGUR_LSAN_SUPP, 1);
    result r = run_program(AUGUR_MPIEXEC, args);
    expect_status(r, 0);
    char *fa = f_line(serial.out), *fb = f_line(r.out);
    cr_expect_str_eq(fa, fb);
    free(fa);
    free(fb);
    done(&serial);
    done(&r);
}

/* A file that asks for the MPI map checks, and runs on another map given
 * by --map, outside mpirun. */
Test(cli_run, mpi_file_elsewhere)
{
    char text[1024];
    snprintf(text, sizeof text, "%smap = { type = \"mpi\"; };\nseed = 4;\n", de_cfg);
    const char *cfg = config("mpi.cfg", text);
    result r = cli("check", cfg);
    expect_status(r, 0);
    done(&r);
    result a = cli("run", cfg, "--map", "serial");
    result b = cli("run", cfg, "--map", "threads:2");
    expect_status(a, 0);
    expect_status(b, 0);
    char *fa = f_line(a.out), *fb = f_line(b.out);
    cr_expect_str_eq(fa, fb);
    free(fa);
    free(fb);
    done(&a);
    done(&b);
    r = cli("compare", cfg, "--solvers", "de");
    expect_status(r, 2);
    done(&r);
}
#else
Test(cli_run, mpi_map_needs_an_mpi_build)
{
    const char *cfg = config("de.cfg", de_cfg);
    result r = cli("run", cfg, "--map", "mpi");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "MPI"), "%s", r.err);
    done(&r);
}
#endif
