/* test_cli_checkpoint.c - `augur run --checkpoint` and `augur resume` as a
 * user runs them (the built binary, through cli_harness.c): a run killed
 * with SIGKILL at ten seeded-random moments and resumed from its last
 * checkpoint writes the uninterrupted run's results file, byte for byte
 * but the timing line; SIGTERM stops it with a last checkpoint (status
 * 143) that resumes the same way; the config file's checkpoint group does
 * what the options do and goes into the results file; bad options are
 * refused before anything runs.
 *
 * The run: de2 (population 40) on Rosenbrock in 10-D, 300 generations,
 * seed 11, saving every 2 generations - about a second here, most of it
 * the saves, so the kills land at all stages of it (and some mid-save). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static void sleep_for(double seconds)
{
    struct timespec t = {.tv_sec = (time_t)seconds,
                         .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&t, NULL);
}

Test(cli_checkpoint, kill_9_at_ten_random_moments_then_resume_gives_the_same_file)
{
    char cfg[512];   /* at()'s ring is reused over the ten runs */
    snprintf(cfg, sizeof cfg, "%s", config("run.cfg", run_cfg));
    char *whole = uninterrupted(cfg);
    uint64_t seed = 2024;
    size_t resumed = 0;
    for (int i = 0; i < 10; i++) {
        unlink(at("c.ckpt"));
        unlink(at("part.cfg"));
        const char *const args[] = {"run", cfg, "-q", "-o", at("part.cfg"), "--checkpoint",
                                    at("c.ckpt"), "--every", "2", NULL};
        double moment = 0.05 + 0.75 * draw(&seed);
        pid_t pid = start(args);
        sleep_for(moment);
        kill(pid, SIGKILL);
        result k = finish(pid);
        if (!exists(at("c.ckpt"))) {   /* killed before its first save */
            cr_log_info("moment %d (%.3f s): no checkpoint yet (%s)", i, moment, k.err);
            done(&k);
            continue;
        }
        done(&k);
        result r = cli("resume", at("c.ckpt"), "-q");
        expect_status(r, 0);
        done(&r);
        char *part = untimed(at("part.cfg"));
        cr_expect_str_eq(part, whole, "moment %d (%.3f s): the results differ", i, moment);
        free(part);
        resumed++;
    }
    cr_expect_geq(resumed, 8, "only %zu of the 10 kills came after a checkpoint", resumed);
    free(whole);
}

Test(cli_checkpoint, sigterm_saves_a_last_checkpoint_that_resumes)
{
    const char *cfg = config("run.cfg", run_cfg);
    char *whole = uninterrupted(cfg);
    /* saving every generation makes the run last long enough to stop */
    const char *const slow[] = {"run", cfg, "-o", at("part.cfg"), "--checkpoint",
                                at("c.ckpt"), "--every", "1", NULL};
    pid_t pid = start(slow);
    sleep_for(0.3);
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
