/* test_config_interrupted.c - the results file of a run stopped before
 * its end reruns that run, bit for bit (issue 11, item 11).
 *
 * A generation monitor asks for a stop at generation 7 (as Ctrl-C does
 * through augur_solver_request_stop, at a point a test can fix); the
 * results are written, loaded and run again, and the rerun must end at
 * the same x, f, evaluations and generations. Before: the file held no
 * trace of the stop, and the rerun went on to the limits. */
#include "config_files.h"

static char *slurp_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    static char buf[65536];
    size_t len = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[len] = '\0';
    return strdup(buf);
}

typedef struct answer {
    double x[8], f;
    size_t n, evaluations, generations;
} answer;

static int stop_at_7(const augur_record *r, void *data)
{
    (void)data;
    return r->generation >= 7 ? AUGUR_STOPPED : 0;
}

static answer outcome(const augur_job *j)
{
    answer a = {0};
    const double *x;
    cr_assert_eq(augur_job_answer(j, &x, &a.n, &a.f), AUGUR_OK);
    cr_assert_leq(a.n, 8);
    memcpy(a.x, x, a.n * sizeof *x);
    augur_solver *s = augur_job_solver((augur_job *)j);
    a.evaluations = augur_solver_evaluations(s);
    a.generations = augur_solver_generations(s);
    return a;
}

static void expect_rerun(const char *text)
{
    char *dir = temp_dir(), *in = join(dir, "in.cfg"), *out = join(dir, "out.cfg");
    FILE *fp = fopen(in, "w");
    fputs(text, fp);
    fclose(fp);
    char err[1024];
    augur_job *j = NULL;
    cr_assert_eq(augur_job_load(in, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    augur_solver_add_generation_monitor(augur_job_solver(j),
                                        augur_monitor_callback(stop_at_7, NULL));
    cr_assert_eq(augur_job_run(j), AUGUR_STOPPED, "%s", augur_job_errmsg(j));
    answer first = outcome(j);
    cr_assert_eq(augur_job_write_results(j, out), AUGUR_OK, "%s", augur_job_errmsg(j));
    augur_job_destroy(j);
    char *written = slurp_file(out);
    cr_assert(strstr(written, "# Callback(stop requested by a generation monitor"), "%s", written);
    free(written);

    cr_assert_eq(augur_job_load(out, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_job_run(j), AUGUR_OK, "%s", augur_job_errmsg(j));
    answer again = outcome(j);
    augur_job_destroy(j);
    cr_expect_eq(again.evaluations, first.evaluations);
    cr_expect_eq(again.generations, first.generations);
    cr_expect(again.f == first.f, "f %.17g, then %.17g", first.f, again.f);
    cr_expect(memcmp(again.x, first.x, first.n * sizeof(double)) == 0, "another x");
    free(in);
    free(out);
    remove_dir(dir);
}

Test(interrupted, a_stopped_de2_run_reruns_as_far_as_it_went)
{
    expect_rerun("problem = { model = \"rastrigin\"; dimension = 4; };\n"
                 "seed = 5;\n"
                 "solver = { type = \"de2\"; limits = { generations = 40; }; };\n");
}

Test(interrupted, a_stopped_nelder_mead_run_reruns_as_far_as_it_went)
{
    expect_rerun("problem = { model = \"rosen\"; dimension = 3; };\n"
                 "seed = 5;\n"
                 "solver = { type = \"nelder-mead\"; };\n");
}

Test(interrupted, a_stopped_buckshot_reruns_its_batches)
{
    expect_rerun("problem = { model = \"rastrigin\"; dimension = 2; };\n"
                 "seed = 5;\n"
                 "solver = { type = \"buckshot\"; parameters = { npts = 3; batches = 50; };\n"
                 "  nested = { type = \"nelder-mead\"; }; };\n");
}
