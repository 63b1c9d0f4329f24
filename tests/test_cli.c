/* test_cli.c - the `augur` command as a user runs it (the built binary,
 * through cli_harness.c): help and version, every class of bad usage (exit
 * 2 with a message), `list` naming everything the registries hold and
 * showing parameter tables, `check` on good, bad and missing files, and
 * `compare` printing a row per solver. test_cli_run.c has `run`. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/config.h"
#include "augur/fit.h"
#include "augur/plugin.h"
#include "cli_harness.h"

TestSuite(cli, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* --- Help, version, usage --------------------------------------------------- */

Test(cli, help_and_version)
{
    result r = cli("--help");
    expect_status(r, 0);
    cr_expect(strstr(r.out, "Exit status") && strstr(r.out, "130"), "%s", r.out);
    for (const char *c = "run\0check\0list\0compare\0"; *c; c += strlen(c) + 1)
        cr_expect(strstr(r.out, c), "--help lacks %s", c);
    done(&r);
    r = cli("help", "run");
    expect_status(r, 0);
    cr_expect(strstr(r.out, "--seed") && strstr(r.out, "--map"), "%s", r.out);
    done(&r);
    r = cli("run", "--help");
    expect_status(r, 0);
    done(&r);
    r = cli("--version");
    expect_status(r, 0);
    cr_expect(strstr(r.out, augur_version()), "%s", r.out);
    done(&r);
}

Test(cli, bad_usage)
{
    const char *cfg = config("a.cfg", rosen_cfg);
    result r = cli("frobnicate");
    expect_status(r, 2);
    cr_expect(strstr(r.err, "unknown command"), "%s", r.err);
    done(&r);
    const char *const cases[][5] = {
        {"help", "nosuch"},        {"run"},
        {"run", cfg, "--bogus"},   {"run", cfg, "--seed", "-3"},
        {"run", cfg, "--seed"},    {"run", cfg, "--set", "noequals"},
        {"check", cfg, "--seed", "1"}, {"list", "nosuch"},
        {"compare", cfg},          {"compare", cfg, "--solvers", "nosuch"},
        {"run", cfg, "--map", "warp:3"}, {"run", cfg, cfg},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = cli_argv(cases[i]);
        cr_expect_eq(r.status, 2, "case %zu (%s %s): exit %d\n%s", i, cases[i][0],
                     cases[i][1] ? cases[i][1] : "", r.status, r.err);
        cr_expect(r.err && r.err[0], "case %zu: no message", i);
        done(&r);
    }
    r = cli_argv((const char *const[]){NULL});
    expect_status(r, 2);
    done(&r);
}

/* --- list ------------------------------------------------------------------- */

Test(cli, list_names_everything_registered)
{
    result r = cli("list");
    expect_status(r, 0);
    for (const augur_solver_type *const *t = augur_solver_types(); *t; t++)
        cr_expect(strstr(r.out, (*t)->name), "no solver %s", (*t)->name);
    for (const augur_term_type *const *t = augur_term_types(); *t; t++)
        cr_expect(strstr(r.out, (*t)->name), "no termination %s", (*t)->name);
    for (const augur_monitor_kind *const *k = augur_monitor_kinds(); *k; k++)
        cr_expect(strstr(r.out, (*k)->name), "no monitor %s", (*k)->name);
    for (const char *const *m = augur_map_types(); *m; m++)
        cr_expect(strstr(r.out, *m), "no map %s", *m);
    for (const augur_model *const *m = augur_models(); *m; m++)
        cr_expect(strstr(r.out, (*m)->name), "no model %s", (*m)->name);
    for (const augur_fit_model *const *m = augur_fit_models(); *m; m++)
        cr_expect(strstr(r.out, (*m)->name), "no fit model %s", (*m)->name);
    cr_expect_eq(r.err[0], '\0', "%s", r.err);
    done(&r);
}

Test(cli, list_solvers_shows_parameters)
{
    result r = cli("list", "solvers");
    expect_status(r, 0);
    if (augur_solver_type_find("nlopt:LN_BOBYQA"))
        cr_expect(strstr(r.out, "nlopt:LN_BOBYQA"), "no nlopt:LN_BOBYQA");
    /* a parameter line: name, kind, default, range, doc; and choices */
    cr_expect(strstr(r.out, "radius") && strstr(r.out, "real"), "%s", r.out);
    cr_expect(strstr(r.out, "choices: ") && strstr(r.out, "best1bin"), "no choices");
    cr_expect(strstr(r.out, "maximize"), "no base parameters");
    cr_expect_null(strstr(r.out, "terminations ("), "other sections printed");
    done(&r);
    r = cli("list", "terminations");
    expect_status(r, 0);
    cr_expect(strstr(r.out, "VTR") && strstr(r.out, "tolerance"), "%s", r.out);
    done(&r);
}

/* --- check ------------------------------------------------------------------ */

Test(cli, check_good_bad_missing)
{
    const char *good = config("good.cfg", rosen_cfg);
    result r = cli("check", good);
    expect_status(r, 0);
    char want[600];
    snprintf(want, sizeof want, "%s: ok", good);
    cr_expect(strstr(r.out, want), "%s", r.out);
    done(&r);

    const char *bad = config("bad.cfg", "problem = { model = \"rosen\"; dimension = 3; };\n"
                                        "solver = { type = \"nelder-mead\";\n"
                                        "  parameters = { radios = 0.1; }; };\n");
    r = cli("check", bad);
    expect_status(r, 2);
    snprintf(want, sizeof want, "%s:3:", bad);
    cr_expect(strstr(r.err, want) && strstr(r.err, "radius"), "%s", r.err);
    done(&r);
    /* a value out of range, and --set repairing it */
    const char *range = config("range.cfg", "problem = { model = \"rosen\"; dimension = 3; };\n"
                                            "solver = { type = \"nelder-mead\";\n"
                                            "  parameters = { radius = -1.0; }; };\n");
    r = cli("check", range);
    expect_status(r, 2);
    done(&r);
    r = cli("check", range, "--set", "solver.parameters.radius=0.25");
    expect_status(r, 0);
    done(&r);

    r = cli("check", at("missing.cfg"));
    expect_status(r, 2);
    cr_expect(strstr(r.err, "missing.cfg"), "%s", r.err);
    done(&r);
}

/* --- compare ---------------------------------------------------------------- */

Test(cli, compare_prints_a_row_per_solver)
{
    const char *cfg = config("rosen.cfg", rosen_cfg);
    result r = cli("compare", cfg, "--solvers", "nelder-mead,powell,pso", "--seeds", "2");
    expect_status(r, 0);
    for (const char *s = "nelder-mead\0powell\0pso\0"; *s; s += strlen(s) + 1) {
        char want[64];
        snprintf(want, sizeof want, "\n%s ", s);
        cr_expect(strstr(r.out, want), "no row for %s:\n%s", s, r.out);
    }
    cr_expect(strstr(r.out, "median f") && strstr(r.out, "known minimum"), "%s", r.out);
    /* radius is nelder-mead's: dropped with a note for the others */
    cr_expect(strstr(r.err, "radius"), "no note: %s", r.err);
    done(&r);
}


/* --target F: a run succeeds when f <= F. Nelder-Mead on the 3-D
 * Rosenbrock evaluates only its starting point in generation 0 (the
 * simplex comes in its first step), so with a target every f meets, both
 * seeds succeed there: 1 evaluation to target; with a target none meets, none does ("-"). The
 * table has the quartiles of f. */
Test(cli, compare_counts_successes_against_a_target)
{
    const char *cfg = config("rosen.cfg", rosen_cfg);
    result r = cli("compare", cfg, "--solvers", "nelder-mead", "--seeds", "2",
                   "--target", "1e300");
    expect_status(r, 0);
    cr_expect(strstr(r.out, "f q1") && strstr(r.out, "f q3") && strstr(r.out, "to target"),
              "%s", r.out);
    char name[32], rate[16], pct[16], q1[32], med[32], q3[32], evals[32], to[32];
    const char *row = strstr(r.out, "\nnelder-mead ");
    cr_assert_not_null(row, "%s", r.out);
    cr_assert_eq(sscanf(row, " %31s %15s %15s %31s %31s %31s %31s %31s", name, rate, pct,
                        q1, med, q3, evals, to), 8, "%s", row);
    cr_expect_str_eq(rate, "2/2");
    cr_expect_str_eq(to, "1");
    /* q1 <= median <= q3, up to the 4 digits the quartiles are printed to */
    cr_expect(strtod(q1, NULL) <= strtod(med, NULL) * (1 + 1e-3) &&
              strtod(med, NULL) <= strtod(q3, NULL) * (1 + 1e-3), "%s", row);
    cr_expect(strstr(r.out, "f <= 1e+300 (--target)"), "%s", r.out);
    done(&r);
    r = cli("compare", cfg, "--solvers", "nelder-mead", "--seeds", "2", "--target", "-1");
    expect_status(r, 0);
    row = strstr(r.out, "\nnelder-mead ");
    cr_assert_not_null(row, "%s", r.out);
    cr_assert_eq(sscanf(row, " %31s %15s %15s %31s %31s %31s %31s %31s", name, rate, pct,
                        q1, med, q3, evals, to), 8, "%s", row);
    cr_expect_str_eq(rate, "0/2");
    cr_expect_str_eq(to, "-");
    done(&r);
    r = cli("compare", cfg, "--solvers", "nelder-mead", "--target", "lots");
    expect_status(r, 2);
    done(&r);
}
