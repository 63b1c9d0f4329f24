/* test_cli_checkpoint.c - `augur run --checkpoint` and `augur resume` as a
 * user runs them (the built binary, through cli_harness.c): a run killed
 * with SIGKILL at ten seeded-random moments and resumed from its last
 * checkpoint writes the uninterrupted run's results file, byte for byte
 * but the timing line; SIGTERM stops it with a last checkpoint (status
 * 143) that resumes the same way; the config file's checkpoint group does
 * what the options do and goes into the results file; bad options are
 * refused before anything runs; under mpirun, a run on the "mpi" map
 * killed after a checkpoint resumes under mpirun to the same file.
 *
 * The run: de2 (population 40) on Rosenbrock in 10-D, 300 generations,
 * seed 11. The runs that are killed or stopped are longer (population 200,
 * 1000 generations, saving every 2 or every generation: about 0.3 s here,
 * dev build, most of it the solve - the saves are written by the
 * checkpointer's thread and cost the run little), so that a kill lands
 * after the first save. Each kill comes a seeded-random moment after the
 * run's first checkpoint appears, the moments drawn over the length of one
 * such run from its first save to its end, timed first, so they land at
 * all stages of it (and some mid-write) on a fast machine, a slow one
 * (sanitizers) or a loaded one alike, and every kill has a checkpoint to
 * resume from. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli_harness.h"

TestSuite(cli_checkpoint, .init = make_dir, .fini = remove_dir, .timeout = 300);

static const char *const run_cfg =
    "problem = { model = \"rosen\"; dimension = 10; };\n"
    "solver = {\n"
    "  type = \"de2\";\n"
    "  parameters = { population-size = 40; };\n"
    "  limits = { generations = 300; };\n"
    "  termination = { type = \"vtr\"; target = 0.0; tolerance = 0.0; };\n"
    "};\n"
    "seed = 11;\n";

static const char *const killed_cfg =
    "problem = { model = \"rosen\"; dimension = 10; };\n"
    "solver = {\n"
    "  type = \"de2\";\n"
    "  parameters = { population-size = 200; };\n"
    "  limits = { generations = 1000; };\n"
    "  termination = { type = \"vtr\"; target = 0.0; tolerance = 0.0; };\n"
    "};\n"
    "seed = 11;\n";

/* The file without its timing line ("seconds = ..."); malloc'd. */
static char *untimed(const char *path)
{
    char *text = slurp(path);
    cr_assert_not_null(text, "no %s", path);
    char *w = text;
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line + 1) : strlen(line);
        if (!strstr(line, "seconds = ") || (end && strstr(line, "seconds = ") > end)) {
            memmove(w, line, len);
            w += len;
        }
        line += len;
    }
    *w = '\0';
    return text;
}

static char *uninterrupted(const char *cfg)
{
    result r = cli("run", cfg, "-q", "-o", at("whole.cfg"));
    expect_status(r, 0);
    done(&r);
    return untimed(at("whole.cfg"));
}

/* A uniform draw in [0, 1) from a seeded splitmix64 (the moments are drawn,
 * and the same on every run of the suite). */
static double draw(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void sleep_for(double seconds)
{
    struct timespec t = {.tv_sec = (time_t)seconds,
                         .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&t, NULL);
}

/* Wait up to `seconds` for path to exist (a run's first checkpoint). */
static void wait_for_file(const char *path, double seconds)
{
    for (double w0 = now(); !exists(path) && now() - w0 < seconds;)
        sleep_for(0.001);
}

Test(cli_checkpoint, kill_9_at_ten_random_moments_then_resume_gives_the_same_file)
{
    char cfg[512];   /* at()'s ring is reused over the ten runs */
    snprintf(cfg, sizeof cfg, "%s", config("long.cfg", killed_cfg));
    char *whole = uninterrupted(cfg);
    const char *const timed[] = {"run", cfg, "-q", "-o", at("timed.cfg"), "--checkpoint",
                                 at("timed.ckpt"), "--every", "2", NULL};
    double t0 = now();
    pid_t timed_pid = start(timed);
    wait_for_file(at("timed.ckpt"), 60);
    double first = now() - t0;   /* the moments fall after the first save */
    result t = finish(timed_pid);
    double span = now() - t0 - first;
    expect_status(t, 0);
    done(&t);
    uint64_t seed = 2024;
    size_t resumed = 0;
    for (int i = 0; i < 10; i++) {
        unlink(at("c.ckpt"));
        unlink(at("part.cfg"));
        const char *const args[] = {"run", cfg, "-q", "-o", at("part.cfg"), "--checkpoint",
                                    at("c.ckpt"), "--every", "2", NULL};
        double moment = span * (0.05 + 0.9 * draw(&seed));
        pid_t pid = start(args);
        wait_for_file(at("c.ckpt"), 60);
        sleep_for(moment);
        kill(pid, SIGKILL);
        result k = finish(pid);
        if (!exists(at("c.ckpt"))) {   /* killed before its first save */
            cr_log_info("moment %d (%.3f s): no checkpoint yet (%s)", i, moment, k.err);
            done(&k);
            continue;
        }
        done(&k);
        if (exists(at("part.cfg")))
            cr_log_info("moment %d (%.3f s of %.3f): the run had ended", i, moment, span);
        result r = cli("resume", at("c.ckpt"), "-q");
        expect_status(r, 0);
        done(&r);
        char *part = untimed(at("part.cfg"));
        cr_expect_str_eq(part, whole, "moment %d (%.3f s): the results differ", i, moment);
        free(part);
        resumed++;
    }
    cr_expect_eq(resumed, 10, "only %zu of the 10 kills came after a checkpoint", resumed);
    free(whole);
}

Test(cli_checkpoint, sigterm_saves_a_last_checkpoint_that_resumes)
{
    const char *cfg = config("long.cfg", killed_cfg);
    char *whole = uninterrupted(cfg);
    /* the long run lasts long enough to stop; the stop comes once it has
     * saved the first */
    const char *const slow[] = {"run", cfg, "-o", at("part.cfg"), "--checkpoint",
                                at("c.ckpt"), "--every", "1", NULL};
    pid_t pid = start(slow);
    wait_for_file(at("c.ckpt"), 10);
    cr_assert_eq(kill(pid, SIGTERM), 0);
    result r = finish(pid);
    expect_status(r, 143);
    cr_expect(strstr(r.err, "stopped by SIGTERM"), "%s", r.err);
    cr_expect(strstr(r.out, "augur resume"), "no word on resuming: %s", r.out);
    cr_expect(exists(at("c.ckpt")), "no last checkpoint");
    char *stopped = slurp(at("part.cfg"));
    cr_expect(stopped && strstr(stopped, "interrupted after generation"),
              "the stopped run's results do not say so");
    free(stopped);
    done(&r);
    r = cli("resume", at("c.ckpt"));
    expect_status(r, 0);
    cr_expect(strstr(r.out, "f:"), "no summary: %s", r.out);
    done(&r);
    char *part = untimed(at("part.cfg"));
    cr_expect_str_eq(part, whole);
    free(part);
    free(whole);
}

Test(cli_checkpoint, the_config_group_saves_and_goes_into_the_results)
{
    char text[1024];
    snprintf(text, sizeof text, "%scheckpoint = { file = \"g.ckpt\"; every = 50; };\n",
             run_cfg);
    const char *cfg = config("g.cfg", text);
    result r = cli("run", cfg, "-q", "-o", at("g.results.cfg"));
    expect_status(r, 0);
    done(&r);
    cr_expect(exists(at("g.ckpt")), "checkpoint.file not written");
    char *res = slurp(at("g.results.cfg"));
    cr_expect(res && strstr(res, "checkpoint = {\n  file = \"g.ckpt\";\n  every = 50;"),
              "the results file lacks the group:\n%s", res ? res : "");
    free(res);
    /* the last save was at generation 300: resuming finishes at once */
    r = cli("resume", at("g.ckpt"), "-q", "-o", at("again.cfg"));
    expect_status(r, 0);
    done(&r);
    char *a = untimed(at("g.results.cfg")), *b = untimed(at("again.cfg"));
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
}

Test(cli_checkpoint, bad_options_and_files_are_refused)
{
    const char *cfg = config("run.cfg", run_cfg);
    result r = cli("run", cfg, "--every", "5");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "--every needs --checkpoint"), "%s", r.err);
    done(&r);
    r = cli("run", cfg, "--checkpoint", at("c.ckpt"), "--every", "5x");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "number of generations"), "%s", r.err);
    done(&r);
    r = cli("run", cfg, "--checkpoint", cli_dir);
    expect_status(r, 2);
    done(&r);
    char text[1024];
    snprintf(text, sizeof text, "%scheckpoint = { file = \"g.ckpt\"; every = -3; };\n",
             run_cfg);
    r = cli("run", config("bad.cfg", text));
    expect_status(r, 2);
    cr_expect(strstr(r.err, "checkpoint.every"), "%s", r.err);
    done(&r);
    r = cli("resume", cfg);
    expect_status(r, 2);
    cr_expect(strstr(r.err, "not an augur checkpoint"), "%s", r.err);
    done(&r);
    cr_expect(!exists(at("c.ckpt")), "a refused run wrote a checkpoint");
}

#ifdef AUGUR_HAVE_MPI
static const char *const mpi_args[] = {"-np", "3", "--allow-run-as-root", "--oversubscribe",
                                       AUGUR_CLI};

/* mpiexec -np 3 augur ARGS..., not waited for; output to /dev/null. */
static pid_t start_mpi(const char *const *args)
{
    char *argv[32] = {AUGUR_MPIEXEC};
    size_t n = 1;
    for (size_t k = 0; k < 5; k++)
        argv[n++] = (char *)mpi_args[k];
    for (; *args && n < 31; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], argv);
        _exit(98);
    }
    return pid;
}

/* SIGKILL the ranks mpiexec started (its children: OpenMPI's ranks
 * outlive a killed mpiexec, and would go on saving), then mpiexec. */
static size_t mpi_ranks(pid_t mpiexec, pid_t *pids, size_t cap);
static void kill_mpi(pid_t mpiexec)
{
    pid_t ranks[16];
    size_t n = mpi_ranks(mpiexec, ranks, 16);
    for (size_t k = 0; k < n; k++)
        kill(ranks[k], SIGKILL);
    kill(mpiexec, SIGKILL);
    int w;
    waitpid(mpiexec, &w, 0);
}

/* mpiexec -np 3 augur ARGS... (NULL-terminated), waited for. */
static result run_mpi(const char *const *args)
{
    char *argv[32];
    size_t n = 0;
    for (size_t k = 0; k < 5; k++)
        argv[n++] = (char *)mpi_args[k];
    for (; *args && n < 31; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    return run_program(AUGUR_MPIEXEC, (const char *const *)argv);
}

/* The config of the mpi tests (900 generations: long enough to stop in
 * the middle), and the untimed results of its whole run on the mpi map. */
static char *mpi_whole_run(char *cfg, size_t cap)
{
    setenv("ASAN_OPTIONS", "detect_leaks=1:fast_unwind_on_malloc=0", 1);
    setenv("LSAN_OPTIONS", "suppressions=" AUGUR_LSAN_SUPP, 1);
    char text[1024];
    snprintf(text, sizeof text, "%s", run_cfg);
    char *g = strstr(text, "generations = 300");
    cr_assert_not_null(g);
    memcpy(g, "generations = 900", 17);
    snprintf(cfg, cap, "%s", config("mpi.cfg", text));
    const char *const whole_args[] = {"run", cfg, "-q", "--map", "mpi", "-o", at("whole.cfg"),
                                      NULL};
    result r = run_mpi(whole_args);
    expect_status(r, 0);
    done(&r);
    return untimed(at("whole.cfg"));
}

/* augur resume c.ckpt under mpiexec, then its results against whole's. */
static void expect_mpi_resume_gives(const char *whole)
{
    const char *const resume_args[] = {"resume", at("c.ckpt"), "-q", NULL};
    result r = run_mpi(resume_args);
    expect_status(r, 0);
    done(&r);
    char *part = untimed(at("part.cfg"));
    cr_expect_str_eq(part, whole);
    free(part);
}

/* The ranks mpiexec started: its children (pids, at most cap). */
static size_t mpi_ranks(pid_t mpiexec, pid_t *pids, size_t cap)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL && n < cap;) {
        char path[300], stat[512] = "";
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t got = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[got] = '\0';
        const char *close_paren = strrchr(stat, ')');
        int parent = 0;
        if (close_paren && sscanf(close_paren + 1, " %*c %d", &parent) == 1 &&
            parent == (int)mpiexec)
            pids[n++] = (pid_t)atoi(e->d_name);
    }
    closedir(d);
    return n;
}

/* mpiexec of cfg on the mpi map saving c.ckpt every generation, not
 * waited for, once its first checkpoint is there: MPI is up and the run
 * under way. */
static pid_t start_saving_mpi_run(const char *cfg)
{
    const char *const part_args[] = {"run", cfg, "-q", "--map", "mpi", "-o", at("part.cfg"),
                                     "--checkpoint", at("c.ckpt"), "--every", "1", NULL};
    pid_t pid = start_mpi(part_args);
    wait_for_file(at("c.ckpt"), 30);
    return pid;
}

Test(cli_checkpoint, a_run_on_the_mpi_map_killed_resumes_under_mpirun)
{
    char cfg[512];
    char *whole = mpi_whole_run(cfg, sizeof cfg);
    pid_t pid = start_saving_mpi_run(cfg);
    sleep_for(0.2);
    kill_mpi(pid);
    cr_assert(exists(at("c.ckpt")), "the run on the mpi map saved no checkpoint");
    cr_expect(!exists(at("part.cfg")), "the run ended before it was killed");
    expect_mpi_resume_gives(whole);
    free(whole);
}

/* What a batch system does at a time limit (Slurm's --signal=TERM@T, srun
 * passing a SIGTERM on): SIGTERM to every rank at once. The worker ranks
 * must outlive it, so that rank 0 finishes its generation, saves a last
 * checkpoint, writes its results and releases them: mpiexec exits 143
 * (rank 0's status), a stopped run's results file is there, and the run
 * resumes from its checkpoint to the whole run's results. */
Test(cli_checkpoint, sigterm_to_every_rank_stops_saves_and_resumes)
{
    char cfg[512];
    char *whole = mpi_whole_run(cfg, sizeof cfg);
    pid_t pid = start_saving_mpi_run(cfg);
    pid_t ranks[8];
    size_t nranks = mpi_ranks(pid, ranks, 8);
    cr_assert_eq(nranks, 3, "mpiexec started %zu ranks", nranks);
    for (size_t k = 0; k < nranks; k++)
        kill(ranks[k], SIGTERM);
    int w = 0;
    cr_assert_eq(waitpid(pid, &w, 0), pid);
    cr_expect(WIFEXITED(w) && WEXITSTATUS(w) == 143,
              "mpiexec: %s %d (want exit 143: rank 0 stopped by SIGTERM)",
              WIFEXITED(w) ? "exit" : "signal", WIFEXITED(w) ? WEXITSTATUS(w) : WTERMSIG(w));
    cr_expect(exists(at("part.cfg")), "the stopped run wrote no results");
    expect_mpi_resume_gives(whole);
    free(whole);
}
#endif
