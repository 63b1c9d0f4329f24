/* test_cli_h5.c - HDF5 results files as a user makes them: `augur run FILE
 * -o results.h5` for a plain run (Nelder-Mead on Rosenbrock), an ensemble
 * (buckshot of Powell on peaks) and a fit (a quadratic through 9 points
 * with sigma, polished); each is read back with h5dump (hdf5-tools, %.17g:
 * the text reads back as the same double) and checked against the text
 * results file of the same seeded run, bit for bit, then `augur run
 * results.h5` and `augur check results.h5` rerun it and the rerun's x and
 * f are the first run's bits.
 *
 * Built without HDF5 (no AUGUR_HAVE_HDF5) the same command must be refused
 * with status 2 before running, naming the package to install, and those
 * tests are skipped saying so; without h5dump (AUGUR_H5DUMP empty) the
 * read-back is skipped. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_harness.h"

TestSuite(cli_h5, .init = make_dir, .fini = remove_dir, .timeout = 120);

static const char *const buckshot_cfg =
    "problem = { model = \"peaks\"; };\n"
    "solver = {\n"
    "  type = \"buckshot\";\n"
    "  parameters = { npts = 6; sampler = \"latin-hypercube\"; };\n"
    "  nested = { type = \"powell\"; parameters = { xtol = 1e-8; }; };\n"
    "};\n"
    "seed = 6;\n";

/* y = 0.5 - 2 x + x^2 with a little noise; sigma 0.05. */
static const char *const fit_csv =
    "x,y,sigma\n"
    "-2,8.53,0.05\n-1.5,5.71,0.05\n-1,3.46,0.05\n-0.5,1.78,0.05\n0,0.49,0.05\n"
    "0.5,-0.26,0.05\n1,-0.52,0.05\n1.5,-0.23,0.05\n2,0.47,0.05\n";

static const char *const fit_cfg =
    "problem = { fit = { model = \"polynomial\"; parameters = 3;\n"
    "  data = { file = \"fit.csv\"; x = \"x\"; y = \"y\"; sigma = \"sigma\"; };\n"
    "  polish = true; }; };\n"
    "solver = { type = \"nelder-mead\"; initial = { point = [ 0.0, 0.0, 0.0 ]; }; };\n"
    "seed = 21;\n";

static void skip_without_hdf5(void)
{
#ifndef AUGUR_HAVE_HDF5
    cr_skip_test("augur was built without HDF5 (install libhdf5-dev and reconfigure)");
#endif
}

/* --- Reading ----------------------------------------------------------------- */

/* A dataset's numbers through h5dump: raw data, no indices, no wrapping,
 * doubles as %.17g. Returns how many (at most cap). */
static size_t h5_numbers(const char *file, const char *name, double *v, size_t cap)
{
    const char *raw = at("h5dump.txt");
    result r = run_program(AUGUR_H5DUMP, (const char *const[]){"-o", raw, "-y", "-w", "0",
                                                               "-m", "%.17g", "-d", name,
                                                               file, NULL});
    expect_status(r, 0);
    done(&r);
    char *text = slurp(raw);
    cr_assert(text, "h5dump wrote no %s", raw);
    size_t n = 0;
    for (char *p = text; *p && n < cap;) {
        char *end;
        double d = strtod(p, &end);
        if (end == p) {
            p++;
            continue;
        }
        v[n++] = d;
        p = end;
    }
    free(text);
    return n;
}

/* A string dataset's text as h5dump prints it (quoted). */
static char *h5_text(const char *file, const char *name)
{
    const char *raw = at("h5dump.txt");
    result r = run_program(AUGUR_H5DUMP, (const char *const[]){"-o", raw, "-y", "-d", name,
                                                               file, NULL});
    expect_status(r, 0);
    done(&r);
    return slurp(raw);
}

/* The numbers of a setting of a text results file (a number or a list). */
static size_t cfg_numbers(const char *file, const char *path, double *v, size_t cap)
{
    config_t c;
    config_init(&c);
    cr_assert(config_read_file(&c, file) == CONFIG_TRUE, "%s:%d: %s", file,
              config_error_line(&c), config_error_text(&c));
    const config_setting_t *s = config_lookup(&c, path);
    cr_assert(s, "%s: no %s", file, path);
    size_t n = 0;
    if (config_setting_is_aggregate(s)) {
        for (int i = 0; i < config_setting_length(s) && n < cap; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (config_setting_is_aggregate(e))   /* a list of groups: runs */
                break;
            v[n++] = config_setting_type(e) == CONFIG_TYPE_FLOAT
                         ? config_setting_get_float(e)
                         : (double)config_setting_get_int64(e);
        }
    } else {
        v[n++] = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                             : (double)config_setting_get_int64(s);
    }
    config_destroy(&c);
    return n;
}

static void expect_same_bits(const double *a, const double *b, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        cr_expect(memcmp(&a[i], &b[i], sizeof a[i]) == 0, "%s[%zu]: %.17g, want %.17g",
                  what, i, a[i], b[i]);
}

/* The dataset name of h5 holds the text file's setting path, bit for bit. */
static void expect_dataset(const char *h5, const char *name, const char *cfg,
                           const char *path)
{
    double a[256], b[256];
    size_t na = h5_numbers(h5, name, a, 256), nb = cfg_numbers(cfg, path, b, 256);
    cr_expect(na == nb && na > 0, "%s: %zu numbers, %s has %zu", name, na, path, nb);
    expect_same_bits(a, b, na < nb ? na : nb, name);
}

/* --- Running ------------------------------------------------------------------ */

/* The files of one case, in cli_dir: the text results, the HDF5 results
 * of the same seeded run, and the text results of rerunning the .h5. */
typedef struct files {
    char text[512], h5[512], rerun[512];
} files;

/* Run cfg to both, rerun the .h5 (and check it); x and f bit for bit. */
static files run_both(const char *cfg, const char *name)
{
    files o;
    snprintf(o.text, sizeof o.text, "%s/%s.out.cfg", cli_dir, name);
    snprintf(o.h5, sizeof o.h5, "%s/%s.out.h5", cli_dir, name);
    snprintf(o.rerun, sizeof o.rerun, "%s/%s.rerun.cfg", cli_dir, name);
    result r = cli("run", cfg, "-o", o.text);
    expect_status(r, 0);
    done(&r);
    r = cli("run", cfg, "-o", o.h5);
    expect_status(r, 0);
    cr_expect_eq(r.err[0], '\0', "stderr: %s", r.err);
    done(&r);
    cr_assert(exists(o.h5), "no %s", o.h5);
    /* written to a temporary file and renamed: none is left behind */
    DIR *d = opendir(cli_dir);
    cr_assert(d);
    for (struct dirent *e; (e = readdir(d));)
        cr_expect(!strstr(e->d_name, ".tmp."), "left behind: %s", e->d_name);
    closedir(d);
    r = cli("check", o.h5);
    expect_status(r, 0);
    done(&r);
    r = cli("run", o.h5, "-o", o.rerun);
    expect_status(r, 0);
    done(&r);
    double a[64], b[64];
    size_t n = cfg_numbers(o.rerun, "results.x", a, 64);
    cr_expect_eq(n, cfg_numbers(o.text, "results.x", b, 64));
    expect_same_bits(a, b, n, "rerun x");
    cfg_numbers(o.rerun, "results.f", a, 1);
    cfg_numbers(o.text, "results.f", b, 1);
    expect_same_bits(a, b, 1, "rerun f");
    return o;
}

static int have_h5dump(void)
{
    return AUGUR_H5DUMP[0] != '\0';
}

/* The datasets every results file has. */
static void expect_common(const char *h5, const char *text)
{
    expect_dataset(h5, "/x", text, "results.x");
    expect_dataset(h5, "/f", text, "results.f");
    expect_dataset(h5, "/evaluations", text, "results.evaluations");
    expect_dataset(h5, "/generations", text, "results.generations");
    expect_dataset(h5, "/seed", text, "solver.seed");
    expect_dataset(h5, "/history/f", text, "results.history.f");
    expect_dataset(h5, "/history/evaluations", text, "results.history.evaluations");
}

Test(cli_h5, plain_run)
{
    skip_without_hdf5();
    files o = run_both(config("rosen.cfg", rosen_cfg), "rosen");
    if (!have_h5dump())
        cr_skip_test("h5dump is absent (install hdf5-tools): the file was not read back");
    const char *h5 = o.h5, *cfg = o.text;
    expect_common(h5, cfg);
    char *reason = h5_text(h5, "/reason");
    config_t c;
    config_init(&c);
    const char *want = NULL;
    cr_assert(config_read_file(&c, cfg) == CONFIG_TRUE);
    cr_assert(config_lookup_string(&c, "results.reason", &want) == CONFIG_TRUE);
    cr_expect(reason && strstr(reason, want), "reason: %s, want %s", reason, want);
    config_destroy(&c);
    free(reason);
}

Test(cli_h5, ensemble)
{
    skip_without_hdf5();
    files o = run_both(config("buckshot.cfg", buckshot_cfg), "buckshot");
    if (!have_h5dump())
        cr_skip_test("h5dump is absent (install hdf5-tools): the file was not read back");
    const char *h5 = o.h5, *cfg = o.text;
    expect_common(h5, cfg);
    /* run by run against the text file's runs list */
    double f[16], ends[32], e[16], start[32];
    cr_assert_eq(h5_numbers(h5, "/runs/f", f, 16), 6);
    cr_assert_eq(h5_numbers(h5, "/runs/end", ends, 32), 12);
    cr_assert_eq(h5_numbers(h5, "/runs/start", start, 32), 12);
    cr_assert_eq(h5_numbers(h5, "/runs/evaluations", e, 16), 6);
    double offsets[8];
    cr_assert_eq(h5_numbers(h5, "/runs/history/offsets", offsets, 8), 7);
    for (int i = 0; i < 6; i++) {
        char path[64];
        double v[2];
        snprintf(path, sizeof path, "results.runs.[%d].f", i);
        cfg_numbers(cfg, path, v, 1);
        expect_same_bits(&f[i], v, 1, "runs f");
        snprintf(path, sizeof path, "results.runs.[%d].end", i);
        cfg_numbers(cfg, path, v, 2);
        expect_same_bits(&ends[2 * i], v, 2, "runs end");
        snprintf(path, sizeof path, "results.runs.[%d].start", i);
        cfg_numbers(cfg, path, v, 2);
        expect_same_bits(&start[2 * i], v, 2, "runs start");
        snprintf(path, sizeof path, "results.runs.[%d].evaluations", i);
        cfg_numbers(cfg, path, v, 1);
        cr_expect_eq(e[i], v[0], "run %d: %g evaluations, text %g", i, e[i], v[0]);
        double h[256];
        snprintf(path, sizeof path, "results.runs.[%d].history.f", i);
        size_t nh = cfg_numbers(cfg, path, h, 256);
        cr_expect_eq(offsets[i + 1] - offsets[i], (double)nh, "run %d's history", i);
    }
}

Test(cli_h5, fit)
{
    skip_without_hdf5();
    write_file(at("fit.csv"), fit_csv);
    files o = run_both(config("fit.cfg", fit_cfg), "fit");
    if (!have_h5dump())
        cr_skip_test("h5dump is absent (install hdf5-tools): the file was not read back");
    const char *h5 = o.h5, *cfg = o.text;
    expect_common(h5, cfg);
    expect_dataset(h5, "/fit/parameters", cfg, "results.fit.parameters");
    expect_dataset(h5, "/fit/uncertainty", cfg, "results.fit.uncertainty");
    expect_dataset(h5, "/fit/reduced_chi_square", cfg, "results.fit.reduced_chi_square");
    /* the covariance's diagonal is the uncertainties squared */
    double cov[9], u[3];
    cr_assert_eq(h5_numbers(h5, "/fit/covariance", cov, 9), 9);
    cfg_numbers(cfg, "results.fit.uncertainty", u, 3);
    for (int i = 0; i < 3; i++) {
        cr_expect(fabs(sqrt(cov[4 * i]) - u[i]) <= 1e-12 * u[i], "cov[%d][%d] = %.17g, "
                  "uncertainty %.17g", i, i, cov[4 * i], u[i]);
        for (int k = 0; k < 3; k++)
            cr_expect_eq(cov[3 * i + k], cov[3 * k + i], "covariance not symmetric");
    }
}

Test(cli_h5, config_output_and_refusals)
{
    char text[1024];
    snprintf(text, sizeof text, "%soutput = { results = \"from-file.h5\"; };\n", rosen_cfg);
    const char *cfg = config("r.cfg", text);
    result r = cli("run", cfg);
#ifdef AUGUR_HAVE_HDF5
    expect_status(r, 0);
    cr_expect(exists(at("from-file.h5")), "output.results = \"from-file.h5\" not written");
    done(&r);
    /* a directory is no place for results, HDF5 or not */
    r = cli("run", cfg, "-o", cli_dir);
    expect_status(r, 2);
    done(&r);
    /* a file that is not HDF5 but is named so */
    r = cli("run", config("not.h5", "hello\n"));
    expect_status(r, 2);
    cr_expect(strstr(r.err, "not.h5"), "%s", r.err);
#else
    /* refused before running: status 2, what to install, nothing written */
    expect_status(r, 2);
    cr_expect(strstr(r.err, "libhdf5-dev"), "no hint: %s", r.err);
    cr_expect_eq(r.out[0], '\0', "it ran: %s", r.out);
    cr_expect(!exists(at("from-file.h5")), "written without HDF5");
    done(&r);
    r = cli("run", config("plain.cfg", rosen_cfg), "-o", at("x.h5"));
    expect_status(r, 2);
    cr_expect(strstr(r.err, "libhdf5-dev"), "no hint: %s", r.err);
    cr_expect(!exists(at("x.h5")), "written without HDF5");
#endif
    done(&r);
}
