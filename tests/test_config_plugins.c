/* test_config_plugins.c - plugins that receive data, found where the config
 * file is: augur/settings.h on its own, a cost plugin's init and fini
 * hooks with a settings group, the path rule (relative to the config
 * file's folder even without a slash; system = true for the system's
 * library paths), messages with file:line, and a fit model from a plugin
 * with the report of a built-in. The plugin is tests/plugin_cost.c,
 * copied into a temporary folder under a bare name. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"
#include "augur/config.h"
#include "augur/settings.h"
#include "config_files.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(plugins, .init = quiet_gsl);

/* --- The settings view -------------------------------------------------------- */

Test(plugins, settings_keep_kinds_text_and_numbers)
{
    augur_settings *s = augur_settings_create("/data/run");
    cr_assert_not_null(s);
    double c[] = {1.5, -2};
    cr_assert_eq(augur_settings_set_number(s, "scale", 2.5), AUGUR_OK);
    cr_assert_eq(augur_settings_set_numbers(s, "centre", c, 2), AUGUR_OK);
    cr_assert_eq(augur_settings_set_string(s, "table", "t.csv"), AUGUR_OK);
    cr_assert_eq(augur_settings_set_bool(s, "fast", 1), AUGUR_OK);
    cr_assert_eq(augur_settings_set_number(s, "scale", 3), AUGUR_OK);   /* replaced */
    cr_assert_eq(augur_settings_set_number(s, "1bad", 1), AUGUR_EINVAL);
    cr_assert_eq(augur_settings_set_number(s, "nan", NAN), AUGUR_EINVAL);
    cr_assert_eq(augur_settings_count(s), 4);
    cr_assert_str_eq(augur_settings_key(s, 0), "scale");
    cr_assert_str_eq(augur_settings_get(s, "scale"), "3");
    cr_assert_str_eq(augur_settings_get(s, "centre"), "1.5, -2");
    cr_assert_str_eq(augur_settings_get(s, "fast"), "true");
    double v = 0, w[2];
    size_t len = 0;
    cr_assert_eq(augur_settings_number(s, "fast", &v), AUGUR_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(augur_settings_number(s, "table", &v), AUGUR_EINVAL);
    v = 7;
    cr_assert_eq(augur_settings_number(s, "absent", &v), AUGUR_ENOTFOUND);
    cr_assert_eq(v, 7);
    cr_assert_eq(augur_settings_numbers(s, "centre", w, 1, &len), AUGUR_ERANGE);
    cr_assert_eq(len, 2);
    cr_assert_eq(augur_settings_numbers(s, "centre", w, 2, &len), AUGUR_OK);
    cr_assert(w[0] == 1.5 && w[1] == -2);
    cr_assert_eq(augur_settings_numbers(s, "scale", w, 2, &len), AUGUR_OK);
    cr_assert(len == 1 && w[0] == 3);
    char buf[64];
    cr_assert_eq(augur_settings_path(s, "table", buf, sizeof buf), AUGUR_OK);
    cr_assert_str_eq(buf, "/data/run/t.csv");
    cr_assert_eq(augur_settings_path(s, "table", buf, 5), AUGUR_ERANGE);
    cr_assert_str_eq(augur_settings_dir(s), "/data/run");
    cr_assert_null(augur_settings_get(NULL, "scale"));
    augur_settings_destroy(s);
    augur_settings_destroy(NULL);
}

/* --- Config files --------------------------------------------------------------- */

/* tests/plugin_cost.c's library copied to dir/libplug.so. */
static void copy_plugin(const char *dir)
{
    char *to = join(dir, "libplug.so");
    FILE *in = fopen(AUGUR_PLUGIN_PATH, "rb"), *out = fopen(to, "wb");
    cr_assert(in && out, "%s -> %s", AUGUR_PLUGIN_PATH, to);
    char buf[65536];
    for (size_t got; (got = fread(buf, 1, sizeof buf, in)) > 0;)
        cr_assert_eq(fwrite(buf, 1, got, out), got);
    fclose(in);
    fclose(out);
    free(to);
}

static const char *const SOLVER =
    "solver = { type = \"nelder-mead\";\n"
    "  termination = { type = \"change-over-generation\"; tolerance = 1e-14; "
    "generations = 40; };\n"
    "  initial = { point = [ 0.0, 0.0 ]; }; };\nseed = 1;\n";

/* Load dir/name from another working directory ("/"), so only the
 * config file's folder can find the plugin. */
static int load_elsewhere(const char *dir, const char *name, augur_job **j, char *err,
                          size_t cap)
{
    char *path = join(dir, name);
    char here[4096];
    cr_assert_not_null(getcwd(here, sizeof here));
    cr_assert_eq(chdir("/"), 0);
    int rc = augur_job_load(path, NULL, j, err, cap);
    cr_assert_eq(chdir(here), 0);
    free(path);
    return rc;
}

Test(plugins, a_bare_name_is_found_next_to_the_config_and_init_gets_settings)
{
    char *dir = temp_dir();
    copy_plugin(dir);
    char text[2048];
    snprintf(text, sizeof text,
             "problem = { plugin = { path = \"libplug.so\"; symbol = \"shifted_cost\";\n"
             "  init = \"shifted_init\"; fini = \"shifted_fini\";\n"
             "  settings = { shift = 2.0; fini_log = \"fini.log\"; }; };\n"
             "  dimension = 2; };\n%s", SOLVER);
    free(write_file(dir, "a.cfg", text));
    augur_job *j = NULL;
    char err[1024] = "";
    cr_assert_eq(load_elsewhere(dir, "a.cfg", &j, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_geq(augur_job_run(j), 0, "%s", augur_job_errmsg(j));
    const double *x;
    size_t n;
    double f;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    /* the minimum of sum (x_i - 2 (i + 1))^2: [2, 4], f = 0 */
    cr_expect(fabs(x[0] - 2) < 1e-6 && fabs(x[1] - 4) < 1e-6, "x = [%g, %g]", x[0], x[1]);
    cr_expect_lt(f, 1e-12);
    /* the results file names the plugin with its settings, and reruns */
    char *results = join(dir, "a.results.cfg");
    cr_assert_eq(augur_job_write_results(j, results), AUGUR_OK, "%s", augur_job_errmsg(j));
    augur_job_destroy(j);
    char *log = join(dir, "fini.log");
    FILE *fp = fopen(log, "r");
    char line[64] = "";
    cr_assert_not_null(fp, "fini did not run");
    cr_expect_not_null(fgets(line, sizeof line, fp));
    cr_expect_str_eq(line, "fini\n");
    cr_expect_null(fgets(line, sizeof line, fp), "fini ran twice");
    fclose(fp);
    cr_assert_eq(load_elsewhere(dir, "a.results.cfg", &j, err, sizeof err), AUGUR_OK,
                 "%s", err);
    cr_assert_geq(augur_job_run(j), 0, "%s", augur_job_errmsg(j));
    double f2;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f2), AUGUR_OK);
    cr_expect_eq(f2, f, "rerun from the results: %.17g, first %.17g", f2, f);
    augur_job_destroy(j);
    free(results);
    free(log);
    remove_dir(dir);
}

static void expect_load_error(const char *dir, const char *text, const char *fragment)
{
    free(write_file(dir, "bad.cfg", text));
    augur_job *j = NULL;
    char err[1024] = "";
    cr_assert_neq(load_elsewhere(dir, "bad.cfg", &j, err, sizeof err), AUGUR_OK);
    cr_assert_null(j);
    cr_expect(strstr(err, fragment) != NULL, "'%s' lacks '%s'", err, fragment);
}

Test(plugins, bad_plugins_fail_with_file_and_line)
{
    char *dir = temp_dir();
    copy_plugin(dir);
    /* system = true: dlopen searches the system's paths, not the folder */
    expect_load_error(dir,
                      "problem = { plugin = { path = \"libplug.so\"; system = true;\n"
                      "  symbol = \"cost\"; }; dimension = 2; };\n",
                      "bad.cfg:1: problem.plugin.path: cannot load libplug.so");
    expect_load_error(dir,
                      "problem = { plugin = { path = \"libnone.so\";\n"
                      "  symbol = \"cost\"; }; dimension = 2; };\n",
                      "system = true; searches the system's library paths");
    /* init refuses its settings: the message is init's, at the group */
    expect_load_error(dir,
                      "problem = { plugin = { path = \"libplug.so\";\n"
                      "  symbol = \"shifted_cost\"; init = \"shifted_init\";\n"
                      "  settings = {\n    shift = \"far\"; }; }; dimension = 2; };\n",
                      ":3: problem.plugin.settings: shifted_init: shift: expected a "
                      "number, not 'far'");
    expect_load_error(dir,
                      "problem = { plugin = { path = \"libplug.so\";\n"
                      "  symbol = \"cost\"; settings = { shift = 1.0; }; };\n"
                      "  dimension = 2; };\n",
                      "settings go to the plugin's init hook");
    expect_load_error(dir,
                      "problem = { plugin = { path = \"libplug.so\";\n"
                      "  symbol = \"cost\"; init = \"no_init\"; }; dimension = 2; };\n",
                      ":2: problem.plugin.init: no symbol 'no_init'");
    expect_load_error(dir,
                      "problem = { plugin = { path = \"libplug.so\"; symbol = \"cost\";\n"
                      "  init = \"shifted_init\"; settings = { g = { a = 1; }; }; };\n"
                      "  dimension = 2; };\n",
                      "a plugin's setting is a string, a number");
    remove_dir(dir);
}

Test(plugins, a_fit_model_from_a_plugin_reports_like_a_built_in)
{
    char *dir = temp_dir();
    copy_plugin(dir);
    /* y = 3 x + 2 + noise; the plugin's model is slope x + shift, shift = 2
     * from its settings, so the fit has one parameter, the slope. */
    free(write_file(dir, "line.csv", "x,y,sigma\n0,2.1,0.1\n1,4.9,0.1\n2,8.0,0.1\n"
                                     "3,11.1,0.1\n4,13.9,0.1\n"));
    free(write_file(dir, "fit.cfg",
                    "problem = { fit = {\n"
                    "  plugin = { path = \"libplug.so\"; symbol = \"shifted_line\";\n"
                    "             init = \"shifted_init\"; fini = \"shifted_fini\";\n"
                    "             settings = { shift = 2.0; }; };\n"
                    "  data = { file = \"line.csv\"; x = \"x\"; y = \"y\"; "
                    "sigma = \"sigma\"; };\n"
                    "  polish = true; }; };\n"
                    "solver = { type = \"nelder-mead\";\n"
                    "  bounds = { lower = [ -10.0 ]; upper = [ 10.0 ]; }; };\nseed = 1;\n"));
    augur_job *j = NULL;
    char err[1024] = "";
    cr_assert_eq(load_elsewhere(dir, "fit.cfg", &j, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_geq(augur_job_run(j), 0, "%s", augur_job_errmsg(j));
    const double *x;
    size_t n;
    double f;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    cr_assert_eq(n, 1);
    /* least squares with fixed intercept 2: slope = sum x (y - 2) / sum x^2
     * = (2.9 + 12 + 27.3 + 47.6) / 30 = 89.8 / 30 */
    cr_expect(fabs(x[0] - 89.8 / 30) < 1e-9, "slope %.12g", x[0]);
    char *results = join(dir, "fit.results.cfg");
    cr_assert_eq(augur_job_write_results(j, results), AUGUR_OK, "%s", augur_job_errmsg(j));
    augur_job_destroy(j);
    FILE *fp = fopen(results, "r");
    char text[8192] = "";
    size_t got = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[got] = '\0';
    cr_expect(strstr(text, "symbol = \"shifted_line\"") != NULL, "%s", text);
    cr_expect(strstr(text, "uncertainty") != NULL, "no uncertainty: %s", text);
    cr_expect(strstr(text, "reduced_chi_square") != NULL, "%s", text);
    /* a symbol that is no fit model */
    free(write_file(dir, "bad.cfg",
                    "problem = { fit = {\n"
                    "  plugin = { path = \"libplug.so\";\n    symbol = \"line_names\"; };\n"
                    "  data = { file = \"line.csv\"; }; }; };\n"));
    cr_assert_neq(load_elsewhere(dir, "bad.cfg", &j, err, sizeof err), AUGUR_OK);
    cr_expect(strstr(err, "no symbol 'line_names'") != NULL, "%s", err);
    free(results);
    remove_dir(dir);
}
