/* test_locale.c - augur's files read and write "0.5" whatever the locale.
 *
 * A program may call setlocale(LC_ALL, "") in a locale whose decimal mark
 * is a comma; printf then writes 0.5 as "0,5" and strtod stops at "0.5"'s
 * dot. Everything augur writes to read again (specs, checkpoints, results,
 * CSV logs) and everything it reads (configs, formulas, constraints, CSV
 * data) must not depend on that. Under de_DE.UTF-8 (scripts/setup.sh
 * generates it; the suite is skipped where the locale is missing) a solver
 * spec and a checkpoint, and a whole job - formula, constraint, logging
 * monitor, results - must give the numbers they give in the "C" locale.
 * Before the fix the spec read "radius = 0,05.0" and its checkpoint could
 * not be restored. */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"

static const char *const comma_locale = "de_DE.UTF-8";

/* Switch to the decimal-comma locale, or skip when it is not installed. */
static void use_comma_locale(void)
{
    if (!setlocale(LC_ALL, comma_locale))
        cr_skip_test("locale %s is not installed (scripts/setup.sh makes it)",
                     comma_locale);
    char probe[16];
    snprintf(probe, sizeof probe, "%g", 0.5);
    cr_assert_str_eq(probe, "0,5", "the locale does not write a decimal comma");
}

static void back_to_c(void)
{
    setlocale(LC_ALL, "C");
}

TestSuite(locale, .fini = back_to_c);

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *t = malloc((size_t)len + 1);
    cr_assert_eq(fread(t, 1, (size_t)len, fp), (size_t)len);
    t[len] = '\0';
    fclose(fp);
    return t;
}

/* text without the lines that contain `one` or `other` (in place). */
static char *without_lines(char *text, const char *one, const char *other)
{
    char *w = text;
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line + 1) : strlen(line);
        char keep = line[n - 1];
        line[n - 1] = '\0';
        int drop = strstr(line, one) || strstr(line, other);
        line[n - 1] = keep;
        if (!drop) {
            memmove(w, line, n);
            w += n;
        }
        line += n;
    }
    *w = '\0';
    return text;
}

static augur_solver *nelder_mead(void)
{
    augur_solver *s = augur_solver_create("nelder-mead", 3);
    double x0[3] = {1.5, 0.25, -2.75};
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "radius", 0.125), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, 7), AUGUR_OK);
    cr_assert_eq(augur_solver_set_evaluation_limits(s, 0, 400), AUGUR_OK);
    return s;
}

Test(locale, a_spec_and_a_checkpoint_use_a_decimal_point)
{
    use_comma_locale();
    augur_solver *s = nelder_mead();
    char *spec = NULL;
    cr_assert_eq(augur_solver_write_spec(s, &spec), AUGUR_OK);
    cr_assert(strstr(spec, "radius = 0.125;") != NULL, "%s", spec);
    cr_assert(strstr(spec, "[ 1.5, 0.25, -2.75 ]") != NULL, "%s", spec);
    augur_solver *back = NULL;
    char err[256] = "";
    cr_assert_eq(augur_solver_read_spec(spec, &back, err, sizeof err), AUGUR_OK, "%s", err);
    double radius = 0;
    augur_solver_get_param(back, "radius", &radius);
    cr_assert_eq(radius, 0.125);
    augur_solver_destroy(back);
    free(spec);

    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    char path[] = "/tmp/augur-locale-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(augur_solver_save(s, path), AUGUR_OK, "%s", augur_solver_errmsg(s));
    augur_solver *r = augur_solver_restore(path, err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(augur_solver_best_energy(r), augur_solver_best_energy(s));
    cr_assert_eq(augur_solver_evaluations(r), augur_solver_evaluations(s));
    augur_solver_destroy(r);
    augur_solver_destroy(s);
    unlink(path);
}

/* A job: formula and constraint with decimals, a CSV log and the results;
 * its answer and files are the "C" locale's. */
static const char *const job_text =
    "problem = { formula = \"(x0 - 0.5)^2 + (x1 + 1.25)^2\"; dimension = 2; };\n"
    "solver = {\n"
    "  type = \"de\";\n"
    "  bounds = { lower = [ -5.0, -5.0 ]; upper = [ 5.0, 5.0 ]; };\n"
    "  constraints = \"x1 == -1.75 + x0\";\n"
    "  limits = { generations = 600; };\n"
    "  termination = { type = \"change-over-generation\"; tolerance = 1e-12;\n"
    "                  generations = 50; };\n"
    "};\n"
    "monitors = ( { type = \"logging\"; file = \"%s\"; every = 100; } );\n"
    "seed = 12;\n";

static void run_job(const char *log, const char *results, double x[2])
{
    char text[1024];
    snprintf(text, sizeof text, job_text, log);
    augur_job *j = NULL;
    char err[512] = "";
    cr_assert_eq(augur_job_load_string(text, "locale.cfg", NULL, &j, err, sizeof err),
                 AUGUR_OK, "%s", err);
    cr_assert_eq(augur_job_run(j), AUGUR_OK, "%s", augur_job_errmsg(j));
    cr_assert_eq(augur_job_write_results(j, results), AUGUR_OK, "%s", augur_job_errmsg(j));
    const double *ans = NULL;
    size_t n = 0;
    double f = 0;
    cr_assert_eq(augur_job_answer(j, &ans, &n, &f), AUGUR_OK);
    memcpy(x, ans, 2 * sizeof *x);
    augur_job_destroy(j);
}

Test(locale, a_job_reads_and_writes_a_decimal_point)
{
    const char *log_c = "/tmp/augur-locale-c.csv", *log_de = "/tmp/augur-locale-de.csv";
    const char *res_c = "/tmp/augur-locale-c.cfg", *res_de = "/tmp/augur-locale-de.cfg";
    unlink(log_c), unlink(log_de), unlink(res_c), unlink(res_de);
    double xc[2], xd[2];
    run_job(log_c, res_c, xc);
    /* the constrained minimum: x1 = x0 - 1.75 closest to (0.5, -1.25) */
    cr_assert(fabs(xc[0] - 0.5) < 1e-3 && fabs(xc[1] + 1.25) < 1e-3,
              "x = (%g, %g)", xc[0], xc[1]);
    use_comma_locale();
    run_job(log_de, res_de, xd);
    cr_assert_eq(xd[0], xc[0]);
    cr_assert_eq(xd[1], xc[1]);
    char *a = slurp(log_c), *b = slurp(log_de);
    cr_assert_str_eq(a, b);
    free(a), free(b);
    /* the results differ only in the log's name and the time taken */
    a = without_lines(slurp(res_c), "file =", "seconds ="),
    b = without_lines(slurp(res_de), "file =", "seconds =");
    cr_assert_str_eq(a, b);
    free(a), free(b);
    unlink(log_c), unlink(log_de), unlink(res_c), unlink(res_de);
}
