/* test_config_examples.c - every .cfg file in examples/ loads, runs and
 * reaches the answer its "# expect:" lines state (the test reads them, so a
 * new example is tested by being added), read back from its results file
 * with libconfig. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <dirent.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"
#include "augur/config.h"
#include "config_files.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(config, .init = quiet_gsl);

/* --- Examples ---------------------------------------------------------------------- */

/* A number from the results file (an integer, a float, or "inf"). */
static int number_at(config_t *c, const char *path, size_t i, int vector, double *v)
{
    const config_setting_t *s = config_lookup(c, path);
    if (s && vector)
        s = config_setting_get_elem(s, (unsigned)i);
    if (!s)
        return 0;
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        *v = strtod(config_setting_get_string(s), NULL);
        return 1;
    }
    *v = config_setting_get_float(s);
    return 1;
}

/* "# expect: NAME < V", "NAME > V", "NAME = V +- T", "NAME = [a, b] +- T";
 * NAME is a setting under `results` ("f", "x", "fit.reduced_chi_square"). */
static void check_expect(const char *example, const char *line, config_t *c)
{
    char name[64], op[3], rest[512];
    cr_assert_eq(sscanf(line, " %63s %2s %511[^\n]", name, op, rest), 3,
                 "%s: cannot read '%s'", example, line);
    char path[96];
    snprintf(path, sizeof path, "results.%s", name);
    double v, want, tol = 0;
    if (op[0] == '<' || op[0] == '>') {
        want = strtod(rest, NULL);
        cr_assert(number_at(c, path, 0, 0, &v), "%s: no %s", example, path);
        cr_expect(op[0] == '<' ? v < want : v > want, "%s: %s = %.17g, not %s %s",
                  example, name, v, op, rest);
        return;
    }
    const char *pm = strstr(rest, "+-");
    cr_assert(op[0] == '=' && pm, "%s: cannot read '%s'", example, line);
    tol = strtod(pm + 2, NULL);
    int vector = rest[0] == '[';
    const char *p = rest + vector;
    for (size_t i = 0; p < pm; i++) {
        char *end;
        want = strtod(p, &end);
        if (end == p)
            break;
        cr_assert(number_at(c, path, i, vector, &v), "%s: no %s[%zu]", example, path, i);
        cr_expect(fabs(v - want) <= tol, "%s: %s[%zu] = %.10g, expected %.10g +- %g",
                  example, name, i, v, want, tol);
        p = end + strspn(end, " ,]");
    }
}

static void run_example(const char *dir, const char *file, const char *tmp)
{
    char *path = join(dir, file), *results = join(tmp, file);
    augur_job *j = NULL;
    char err[1024] = "";
    cr_assert_eq(augur_job_load(path, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    int rc = augur_job_run(j);
    cr_assert(rc >= 0, "%s: %s", file, augur_job_errmsg(j));
    cr_assert_eq(augur_job_write_results(j, results), AUGUR_OK, "%s: %s", file,
                 augur_job_errmsg(j));
    augur_job_destroy(j);
    config_t c;
    config_init(&c);
    config_set_auto_convert(&c, 1);
    cr_assert_eq(config_read_file(&c, results), CONFIG_TRUE, "%s: %s", results,
                 config_error_text(&c));
    FILE *fp = fopen(path, "r");
    char line[1024];
    int expects = 0;
    while (fp && fgets(line, sizeof line, fp)) {
        const char *e = strstr(line, "# expect:");
        if (e && e == line + strspn(line, " \t")) {
            check_expect(file, e + 9, &c);
            expects++;
        }
    }
    if (fp)
        fclose(fp);
    cr_expect_gt(expects, 0, "%s states no answer (# expect: ...)", file);
    config_destroy(&c);
    unlink(results);
    free(path);
    free(results);
}

Test(config, every_example_reaches_its_stated_answer, .timeout = 300)
{
    DIR *d = opendir(AUGUR_EXAMPLES_DIR);
    cr_assert_not_null(d);
    char *tmp = temp_dir();
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0) {
            run_example(AUGUR_EXAMPLES_DIR, e->d_name, tmp);
            count++;
        }
    }
    closedir(d);
    cr_expect_geq(count, 8, "only %zu examples", count);
    remove_dir(tmp);
}

#ifdef AUGUR_EXAMPLE_PLUGINS_DIR
/* The configs in examples/plugins run from the build, where each sits next to the
 * plugin it names (examples/CMakeLists.txt). */
Test(config, every_plugin_example_reaches_its_stated_answer, .timeout = 300)
{
    DIR *d = opendir(AUGUR_EXAMPLE_PLUGINS_DIR);
    cr_assert_not_null(d, "%s", AUGUR_EXAMPLE_PLUGINS_DIR);
    char *tmp = temp_dir();
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0) {
            run_example(AUGUR_EXAMPLE_PLUGINS_DIR, e->d_name, tmp);
            count++;
        }
    }
    closedir(d);
    cr_expect_eq(count, 2, "%zu plugin examples, expected the cost's and the fit's",
                 count);
    remove_dir(tmp);
}
#endif
