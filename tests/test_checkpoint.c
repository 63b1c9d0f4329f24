/* test_checkpoint.c - checkpoints: a run saved at generation k, restored
 * and finished gives the uninterrupted run's x, f, evaluations,
 * generations, reason and evaluation log, bit for bit, for every native
 * solver and ensemble, on the serial, threads:2 and fork:2 maps, for
 * several k (checkpoint_check.h) - ipop and bipop at run boundaries, auto
 * at its phase boundaries; files that are not checkpoints, are
 * damaged or newer are refused, and types that cannot be saved say why.
 * A checkpointer (saves written by a thread of their own) writes the
 * same bytes as augur_solver_save for the same state, its file after
 * close resumes the same way, a failed background write comes back from
 * the next call with a message and prints nothing, and a forked child is
 * refused. */
#include <fcntl.h>
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include "augur.h"
#include "checkpoint_check.h"

/* solvers/batch.c, internal: attach a map the solver then owns */
int augur__solver_own_map(augur_solver *s, augur_map *map);

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(checkpoint, .init = quiet_gsl, .timeout = 300);

static const size_t ks[] = {0, 1, 2, 5, 13, 40};

/* Rosenbrock in [-5, 5]^n, seed 7; the map when asked for. */
static augur_solver *box(const char *type, size_t n, const char *map)
{
    augur_solver *s = augur_solver_create(type, n);
    cr_assert_not_null(s, "%s", type);
    double lb[8], ub[8];
    for (size_t i = 0; i < n; i++)
        lb[i] = -5, ub[i] = 5;
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 7);
    if (map) {
        char kind[32];
        int workers = 0;
        sscanf(map, "%31[^:]:%d", kind, &workers);
        augur_map *m = augur_map_create(kind, workers);
        cr_assert_not_null(m);
        cr_assert_eq(augur__solver_own_map(s, m), AUGUR_OK,
                     "%s", augur_solver_errmsg(s));
    }
    return s;
}

static augur_solver *nelder_mead(const char *map)
{
    augur_solver *s = box("nelder-mead", 3, map);
    double x0[3] = {-1.2, 1, 0.5};
    augur_solver_set_initial_point(s, x0);
    return s;
}

static augur_solver *de2(const char *map)
{
    augur_solver *s = box("de2", 3, map);
    augur_solver_set_evaluation_limits(s, 60, 0);
    return s;
}

static augur_solver *de(const char *map)
{
    augur_solver *s = box("de", 3, map);
    augur_solver_set_evaluation_limits(s, 60, 0);
    return s;
}

static augur_solver *de2_shade(const char *map)
{
    augur_solver *s = de2(map);
    augur_solver_set_param_string(s, "adaptation", "shade");
    augur_solver_set_param(s, "restart", 1e-3);
    return s;
}

static augur_solver *de_jde(const char *map)
{
    augur_solver *s = de(map);
    augur_solver_set_param_string(s, "adaptation", "jde");
    return s;
}

Test(checkpoint, nelder_mead)
{
    ck_check(nelder_mead, NULL, augur_model_rosen, ks, 6, 0, "nelder-mead");
}

Test(checkpoint, nelder_mead_in_a_new_process)
{
    ck_check(nelder_mead, NULL, augur_model_rosen, ks + 3, 1, 1, "nelder-mead");
}

Test(checkpoint, de)
{
    ck_check(de, NULL, augur_model_rosen, ks, 6, 0, "de");
    ck_check(de_jde, NULL, augur_model_rosen, ks, 6, 0, "de jde");
}

Test(checkpoint, de2)
{
    ck_check(de2, NULL, augur_model_rosen, ks, 6, 0, "de2");
    ck_check(de2_shade, NULL, augur_model_rosen, ks, 6, 0, "de2 shade");
}

Test(checkpoint, de2_on_maps)
{
    ck_check(de2, "threads:2", augur_model_rosen, ks, 6, 0, "de2 threads:2");
    ck_check(de2, "fork:2", augur_model_rosen, ks, 6, 0, "de2 fork:2");
    ck_check(de2_shade, "fork:2", augur_model_rosen, ks + 4, 1, 1, "de2 fork:2 new process");
}

/* --- Files that are refused ------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *t = malloc(*len + 1);
    cr_assert_eq(fread(t, 1, *len, f), *len);
    t[*len] = '\0';
    fclose(f);
    return t;
}

static void spit(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

static void refused(const char *path, const char *what)
{
    char err[256] = "";
    augur_solver *s = augur_solver_restore(path, err, sizeof err);
    cr_assert_null(s, "restored a %s file", what);
    cr_assert(strstr(err, what) != NULL, "message '%s' lacks '%s'", err, what);
}

Test(checkpoint, damaged_foreign_and_newer_files_are_refused)
{
    char path[] = "/tmp/augur-ck-bad-XXXXXX";
    close(mkstemp(path));
    augur_solver *s = de2(NULL);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_save(s, path), AUGUR_OK, "%s", augur_solver_errmsg(s));
    augur_solver_destroy(s);
    size_t len;
    char *good = slurp(path, &len);

    spit(path, good, len / 2);                       /* truncated */
    refused(path, "corrupt or truncated");
    char *bad = strdup(good);
    char *digit = strstr(strstr(bad, "population = ("), "0x") + 4;
    *digit = *digit == '1' ? '2' : '1';              /* one digit changed */
    spit(path, bad, len);
    refused(path, "corrupt or truncated");
    spit(path, "solver = { type = \"de2\"; };\n", 28);   /* a spec, not a checkpoint */
    refused(path, "not an augur checkpoint");
    memcpy(bad, good, len);
    char *v = strstr(bad, "version = 2;");
    v[10] = '9';                                     /* a newer format */
    spit(path, bad, len);
    refused(path, "newer augur");
    refused("/nonexistent/augur.ck", "No such file");

    spit(path, good, len);                           /* and the good one reads */
    char err[256];
    s = augur_solver_restore(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    augur_solver_destroy(s);
    free(bad);
    free(good);
    unlink(path);
}

/* NLopt's BOBYQA run 50 evaluations on Rosenbrock from (1, 1), or NULL
 * in a build without NLopt. */
static augur_solver *bobyqa_run(void)
{
    augur_solver *s = augur_solver_create("nlopt:LN_BOBYQA", 2);
    if (!s)
        return NULL;
    double x0[2] = {1, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, 0, 50);
    augur_solve(s, augur_model_rosen, NULL, NULL);
    return s;
}

Test(checkpoint, a_directory_is_not_overwritten_and_nlopt_refuses)
{
    augur_solver *s = nelder_mead(NULL);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_save(s, "/tmp"), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "regular file") != NULL, "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);

    s = bobyqa_run();
    if (!s)
        return;
    cr_assert_eq(augur_solver_save(s, "/tmp/augur-ck-nlopt"), AUGUR_EUNSUP);
    cr_assert(strstr(augur_solver_errmsg(s), "runs its own loop") != NULL, "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(access("/tmp/augur-ck-nlopt", F_OK), -1, "nothing written");
    augur_solver_destroy(s);
}

static augur_solver *powell(const char *map)
{
    augur_solver *s = box("powell", 3, map);
    double x0[3] = {-1.2, 1, 0.5};
    augur_solver_set_initial_point(s, x0);
    return s;
}

static augur_solver *pso(const char *map)
{
    augur_solver *s = box("pso", 3, map);
    augur_solver_set_param(s, "perturbation", 0.05);
    augur_solver_set_evaluation_limits(s, 60, 0);
    return s;
}

static augur_solver *cmaes(const char *map)
{
    augur_solver *s = box("cmaes", 4, map);
    augur_solver_set_evaluation_limits(s, 80, 0);
    return s;
}

static augur_solver *cmaes_sep(const char *map)
{
    augur_solver *s = cmaes(map);
    augur_solver_set_param(s, "separable", 1);
    augur_solver_set_param(s, "active", 1);
    return s;
}

Test(checkpoint, powell)
{
    ck_check(powell, NULL, augur_model_rosen, ks, 6, 0, "powell");
}

Test(checkpoint, pso)
{
    ck_check(pso, NULL, augur_model_rosen, ks, 6, 0, "pso");
    ck_check(pso, "threads:2", augur_model_rosen, ks, 6, 0, "pso threads:2");
    ck_check(pso, "fork:2", augur_model_rosen, ks + 3, 2, 0, "pso fork:2");
}

Test(checkpoint, cmaes)
{
    ck_check(cmaes, NULL, augur_model_rosen, ks, 6, 0, "cmaes");
    ck_check(cmaes_sep, NULL, augur_model_rosen, ks, 6, 0, "cmaes separable active");
    ck_check(cmaes, "threads:2", augur_model_rosen, ks, 6, 0, "cmaes threads:2");
    ck_check(cmaes, "fork:2", augur_model_rosen, ks + 3, 2, 1, "cmaes fork:2 new process");
}

/* --- Ensembles --------------------------------------------------------------- */

static augur_solver *ensemble(const char *type, const char *map)
{
    augur_solver *s = box(type, 2, map);
    augur_solver_set_param(s, "npts", 4);
    augur_solver_set_param(s, "batches", 4);
    augur_solver *in = augur_solver_create("nelder-mead", 2);
    augur_solver_set_evaluation_limits(in, 0, 150);
    cr_assert_eq(augur_solver_set_nested(s, in), AUGUR_OK, "%s", augur_solver_errmsg(s));
    return s;
}

static augur_solver *buckshot(const char *map)
{
    return ensemble("buckshot", map);
}

static augur_solver *lattice(const char *map)
{
    return ensemble("lattice", map);
}

static augur_solver *sparsity(const char *map)
{
    return ensemble("sparsity", map);
}

static const size_t ens_ks[] = {0, 1, 2};

Test(checkpoint, ensembles)
{
    ck_check(buckshot, NULL, augur_model_rosen, ens_ks, 3, 0, "buckshot");
    ck_check(lattice, NULL, augur_model_rosen, ens_ks, 3, 0, "lattice");
    ck_check(sparsity, NULL, augur_model_rosen, ens_ks, 3, 0, "sparsity");
}

Test(checkpoint, ensembles_on_maps)
{
    ck_check(buckshot, "threads:2", augur_model_rosen, ens_ks, 3, 0, "buckshot threads:2");
    ck_check(sparsity, "fork:2", augur_model_rosen, ens_ks, 3, 0, "sparsity fork:2");
    ck_check(lattice, "fork:2", augur_model_rosen, ens_ks + 1, 1, 1,
             "lattice fork:2 new process");
}

/* --- Restart strategies and auto ---------------------------------------------- */

/* Rastrigin in [-5, 5]^3 (multimodal, so the restarts matter), seed 7,
 * cmaes nested, 4000 evaluations shared: IPOP makes 4 or 5 runs, BIPOP
 * mixes large and small ones. A generation is one run. */
static augur_solver *restarts(const char *map, int bipop)
{
    augur_solver *s = box("ipop", 3, map);
    augur_solver_set_param(s, "regime", bipop);
    augur_solver_set_param(s, "restarts", 6);
    augur_solver_set_evaluation_limits(s, 0, 4000);
    cr_assert_eq(augur_solver_set_nested(s, augur_solver_create("cmaes", 3)), AUGUR_OK,
                 "%s", augur_solver_errmsg(s));
    return s;
}

static augur_solver *ipop(const char *map)
{
    return restarts(map, 0);
}

static augur_solver *bipop(const char *map)
{
    return restarts(map, 1);
}

/* auto with the Nelder-Mead polish (bobyqa is NLopt's, which may be
 * absent), 3000 evaluations: generation 0 is BIPOP, 1 the polish. */
static augur_solver *auto_nm(const char *map)
{
    augur_solver *s = box("auto", 3, map);
    augur_solver_set_param_string(s, "polish", "nelder-mead");
    augur_solver_set_evaluation_limits(s, 0, 3000);
    return s;
}

static const size_t run_ks[] = {0, 1, 2, 3, 5, 8};

Test(checkpoint, ipop)
{
    ck_check(ipop, NULL, augur_model_rastrigin, run_ks, 6, 0, "ipop");
    ck_check(ipop, "threads:2", augur_model_rastrigin, run_ks, 6, 0, "ipop threads:2");
    ck_check(ipop, "fork:2", augur_model_rastrigin, run_ks + 1, 2, 1, "ipop fork:2 new process");
}

Test(checkpoint, bipop)
{
    ck_check(bipop, NULL, augur_model_rastrigin, run_ks, 6, 0, "bipop");
    ck_check(bipop, "threads:2", augur_model_rastrigin, run_ks, 6, 0, "bipop threads:2");
    ck_check(bipop, "fork:2", augur_model_rastrigin, run_ks + 2, 2, 1,
             "bipop fork:2 new process");
}

Test(checkpoint, auto_at_its_phase_boundaries)
{
    ck_check(auto_nm, NULL, augur_model_rastrigin, run_ks, 2, 0, "auto");
    ck_check(auto_nm, "threads:2", augur_model_rastrigin, run_ks, 2, 0, "auto threads:2");
    ck_check(auto_nm, "fork:2", augur_model_rastrigin, run_ks, 1, 1, "auto fork:2 new process");
}

static char *temp_name(const char *stem)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/augur-%s-XXXXXX", stem);
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    return path;
}

/* A checkpoint saved after the run ended (its algorithm finished: auto's
 * polish, ipop's budget, an ensemble's last batch) resumes to the same
 * end: the restored solver's next solve adds no generation and no
 * evaluation, and keeps the reason. (It used to go on: auto polished
 * again, ipop failed on a run with no budget left.) */
static void ended_run_resumes_to_its_end(augur_solver *(*make)(const char *map),
                                         augur_cost cost, const char *what)
{
    augur_solver *s = make(NULL);
    cr_assert_eq(augur_solve(s, cost, NULL, NULL), AUGUR_OK, "%s: %s", what,
                 augur_solver_errmsg(s));
    char *path = temp_name("ended");
    cr_assert_eq(augur_solver_save(s, path), AUGUR_OK, "%s: %s", what,
                 augur_solver_errmsg(s));
    char err[512] = "";
    augur_solver *r = augur_solver_restore(path, err, sizeof err);
    unlink(path);
    free(path);
    cr_assert_not_null(r, "%s: %s", what, err);
    cr_assert_eq(augur_solve(r, cost, NULL, NULL), AUGUR_OK, "%s: %s", what,
                 augur_solver_errmsg(r));
    cr_expect_eq(augur_solver_evaluations(r), augur_solver_evaluations(s), "%s", what);
    cr_expect_eq(augur_solver_generations(r), augur_solver_generations(s), "%s", what);
    cr_expect_str_eq(augur_solver_termination_reason(r),
                     augur_solver_termination_reason(s), "%s", what);
    double a = augur_solver_best_energy(s), b = augur_solver_best_energy(r);
    cr_expect(memcmp(&a, &b, sizeof a) == 0, "%s: f %g then %g", what, a, b);
    augur_solver_destroy(r);
    augur_solver_destroy(s);
}

/* ... but given a larger budget first, the restored ended run goes on, as
 * the uninterrupted one would: ipop's 4000 evaluations raised to 8000. */
Test(checkpoint, an_ended_run_restored_with_a_larger_budget_goes_on)
{
    augur_solver *s = ipop(NULL);
    cr_assert_eq(augur_solve(s, augur_model_rastrigin, NULL, NULL), AUGUR_OK);
    char *path = temp_name("ended");
    cr_assert_eq(augur_solver_save(s, path), AUGUR_OK, "%s", augur_solver_errmsg(s));
    char err[512] = "";
    augur_solver *r = augur_solver_restore(path, err, sizeof err);
    unlink(path);
    free(path);
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(augur_solver_set_evaluation_limits(r, 0, 8000), AUGUR_OK);
    cr_assert_eq(augur_solve(r, augur_model_rastrigin, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(r));
    cr_expect_gt(augur_solver_evaluations(r), augur_solver_evaluations(s) + 1000,
                 "%zu then %zu", augur_solver_evaluations(s), augur_solver_evaluations(r));
    augur_solver_destroy(r);
    augur_solver_destroy(s);
}

Test(checkpoint, a_checkpoint_of_an_ended_run_resumes_to_its_end)
{
    ended_run_resumes_to_its_end(auto_nm, augur_model_rastrigin, "auto");
    ended_run_resumes_to_its_end(ipop, augur_model_rastrigin, "ipop");
    ended_run_resumes_to_its_end(buckshot, augur_model_rosen, "buckshot");
}

/* --- Written in the background (augur_checkpointer) ---------------------------
 * The checkpointer captures on the caller's thread and writes on its own;
 * its files must be augur_solver_save's, byte for byte, for the same
 * state, and resume the same way. */

static augur_checkpointer *checkpointer(const char *path)
{
    char err[256] = "";
    augur_checkpointer *ck = augur_checkpointer_open(path, err, sizeof err);
    cr_assert_not_null(ck, "%s", err);
    return ck;
}

static void expect_same_file(const char *a, const char *b, const char *who)
{
    size_t la, lb;
    char *ta = slurp(a, &la), *tb = slurp(b, &lb);
    cr_assert_eq(la, lb, "%s: %zu bytes synchronously, %zu in the background", who, la, lb);
    cr_assert(memcmp(ta, tb, la) == 0, "%s: the files differ", who);
    free(ta);
    free(tb);
}

/* gens generations (batches, runs), then saved both ways between solve
 * calls, with a job's text carried along. */
static void same_bytes(ck_recipe make, size_t gens, const char *who)
{
    augur_solver *s = make(NULL);
    augur_solver_set_evaluation_limits(s, gens, 0);
    int rc = augur_solve(s, augur_model_rosen, NULL, NULL);
    cr_assert(rc == AUGUR_OK || rc == AUGUR_STOPPED, "%s: %s", who, augur_solver_errmsg(s));
    cr_assert_gt(augur_solver_generations(s), 0, "%s", who);
    char *a = temp_name("ck-sync"), *b = temp_name("ck-async");
    const char *job = "name = \"run\";\nconfig = \"seed = 7;\";\n";
    cr_assert_eq(augur_solver_save_job(s, a, job), AUGUR_OK, "%s", augur_solver_errmsg(s));
    augur_checkpointer *ck = checkpointer(b);
    cr_assert_eq(augur_checkpointer_save(ck, s, job), AUGUR_OK, "%s: %s", who,
                 augur_checkpointer_errmsg(ck));
    cr_assert_eq(augur_checkpointer_flush(ck), AUGUR_OK, "%s", augur_checkpointer_errmsg(ck));
    expect_same_file(a, b, who);
    size_t captures = 0, writes = 0;
    augur_checkpointer_counts(ck, &captures, &writes);
    cr_assert_eq(captures, 1);
    cr_assert_eq(writes, 1);
    cr_assert_eq(augur_checkpointer_close(ck, NULL, 0), AUGUR_OK);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
    augur_solver_destroy(s);
}

Test(checkpoint, the_checkpointer_writes_the_same_bytes)
{
    same_bytes(de2, 5, "de2");
    same_bytes(de2_shade, 7, "de2 shade");
    same_bytes(cmaes, 6, "cmaes");
    same_bytes(nelder_mead, 9, "nelder-mead");
    same_bytes(pso, 4, "pso");
    same_bytes(buckshot, 2, "buckshot");
    same_bytes(sparsity, 2, "sparsity");
    same_bytes(ipop, 2, "ipop");
}

/* Inside a solve call the checkpointer keeps the spec it wrote at the
 * call's first save; the state it saves must still be the one of the
 * generation at hand. Every generation is saved both ways; the files
 * agree but for the elapsed time (read from the clock at each save) and
 * so the checksum. */
typedef struct twin_saver {
    augur_solver *s;
    augur_checkpointer *ck;
    char *a, *b;
    size_t compared;
} twin_saver;

static char *without_clock(const char *path)
{
    size_t len;
    char *t = slurp(path, &len), *w = t;
    for (char *line = t; *line;) {
        char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line + 1) : strlen(line);
        if (strncmp(line, "checksum = ", 11) != 0 && strncmp(line, "    elapsed = ", 14) != 0) {
            memmove(w, line, n);
            w += n;
        }
        line += n;
    }
    *w = '\0';
    return t;
}

static int save_twice(const augur_record *r, void *data)
{
    twin_saver *tw = data;
    cr_assert_eq(augur_solver_save(tw->s, tw->a), AUGUR_OK);
    cr_assert_eq(augur_checkpointer_save(tw->ck, tw->s, NULL), AUGUR_OK);
    cr_assert_eq(augur_checkpointer_flush(tw->ck), AUGUR_OK);
    char *a = without_clock(tw->a), *b = without_clock(tw->b);
    cr_assert_str_eq(a, b, "generation %zu", r->generation);
    cr_assert(strstr(a, "population = (") != NULL, "%s", a);
    free(a);
    free(b);
    tw->compared++;
    return 0;
}

/* A de2 run of 12 generations whose monitor `fn` saves through both paths
 * (save_twice); twin_finish checks the count, that the checkpointer's
 * last file has `want`, and cleans up. */
static augur_solver *twin_start(twin_saver *tw, augur_monitor_fn fn)
{
    tw->a = temp_name("ck-sync");
    tw->b = temp_name("ck-async");
    tw->ck = checkpointer(tw->b);
    tw->compared = 0;
    tw->s = de2(NULL);
    augur_solver_set_evaluation_limits(tw->s, 12, 0);
    augur_solver_add_generation_monitor(tw->s, augur_monitor_callback(fn, tw));
    return tw->s;
}

static void twin_finish(twin_saver *tw, size_t compared, const char *want)
{
    cr_assert_eq(tw->compared, compared, "compared %zu generations", tw->compared);
    char *text = without_clock(tw->b);
    cr_assert(strstr(text, want) != NULL, "'%s' is missing: %.300s", want, text);
    free(text);
    cr_assert_eq(augur_checkpointer_close(tw->ck, NULL, 0), AUGUR_OK);
    augur_solver_destroy(tw->s);
    unlink(tw->a);
    unlink(tw->b);
    free(tw->a);
    free(tw->b);
}

Test(checkpoint, the_checkpointer_in_a_run_saves_each_generation_and_new_settings)
{
    twin_saver tw;
    augur_solver *s = twin_start(&tw, save_twice);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    /* a new limit is a new spec: the next call's saves carry it */
    augur_solver_set_evaluation_limits(s, 20, 0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    twin_finish(&tw, 21, "generations = 20");
}

/* A monitor that changes a setting in the middle of a run: the
 * checkpointer's next save carries it, as augur_solver_save's does. */
static int raise_then_save(const augur_record *r, void *data)
{
    twin_saver *tw = data;
    if (r->generation == 5)
        cr_assert_eq(augur_solver_set_evaluation_limits(tw->s, 15, 0), AUGUR_OK);
    return save_twice(r, data);
}

Test(checkpoint, the_checkpointer_saves_a_setting_changed_mid_run)
{
    twin_saver tw;
    augur_solver *s = twin_start(&tw, raise_then_save);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 15);
    twin_finish(&tw, 16, "generations = 15");
}

/* Saved every generation, latest wins, stopped at k: once closed, the
 * file is generation k's and resumes to the uninterrupted run's end. */
typedef struct bg_saver {
    augur_solver *s;
    augur_checkpointer *ck;
    size_t k;
    int rc;
} bg_saver;

static int save_each(const augur_record *r, void *data)
{
    bg_saver *sv = data;
    sv->rc |= augur_checkpointer_save(sv->ck, sv->s, NULL);
    return r->generation == sv->k;
}

static void resumes_after_close(ck_recipe make, size_t k, const char *who)
{
    ck_outcome *whole = malloc(sizeof *whole), *part = malloc(sizeof *part),
               *rest = malloc(sizeof *rest);
    ck_straight(make, NULL, augur_model_rosen, whole);
    cr_assert_gt(whole->generations, k, "%s: the run ends before %zu", who, k);
    char *path = temp_name("ck-bg");
    memset(part, 0, sizeof *part);
    augur_solver *s = make(NULL);
    bg_saver sv = {.s = s, .ck = checkpointer(path), .k = k};
    augur_solver_add_generation_monitor(s, augur_monitor_callback(save_each, &sv));
    augur_solver_add_evaluation_monitor(s, augur_monitor_callback(ck_log, part));
    augur_solve(s, augur_model_rosen, NULL, NULL);
    char err[256] = "";
    cr_assert_eq(augur_checkpointer_close(sv.ck, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(sv.rc, AUGUR_OK, "%s: a save failed", who);
    augur_solver_destroy(s);
    ck_second_part(path, augur_model_rosen, rest);
    ck_join(part, rest);
    ck_compare(whole, part, 8, who, k);
    unlink(path);
    free(path);
    free(whole);
    free(part);
    free(rest);
}

Test(checkpoint, the_checkpointers_file_after_close_resumes_bit_for_bit)
{
    for (size_t k = 1; k <= 13; k += 4) {
        resumes_after_close(de2, k, "de2");
        resumes_after_close(cmaes, k, "cmaes");
        resumes_after_close(nelder_mead, k, "nelder-mead");
    }
    resumes_after_close(buckshot, 2, "buckshot");
}

/* A write that fails (its folder is gone) comes back, with its message,
 * from the next call; nothing is printed. */
static int stdout_and_stderr_to(const char *path, int saved[2])
{
    fflush(NULL);
    int fd = open(path, O_WRONLY | O_TRUNC);
    saved[0] = dup(1);
    saved[1] = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    return fd;
}

static void restore_outputs(int fd, int saved[2])
{
    fflush(NULL);
    dup2(saved[0], 1);
    dup2(saved[1], 2);
    close(saved[0]);
    close(saved[1]);
    close(fd);
}

Test(checkpoint, a_failed_background_write_is_reported_not_printed)
{
    char dir[] = "/tmp/augur-ck-dir-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/run.ckpt", dir);
    char *out = temp_name("ck-out");
    augur_solver *s = de2(NULL);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    augur_checkpointer *ck = checkpointer(path);
    cr_assert_eq(rmdir(dir), 0);
    int saved[2];
    int fd = stdout_and_stderr_to(out, saved);
    int save = augur_checkpointer_save(ck, s, NULL);
    int flush = augur_checkpointer_flush(ck);
    char flush_msg[256];
    snprintf(flush_msg, sizeof flush_msg, "%s", augur_checkpointer_errmsg(ck));
    int again = augur_checkpointer_save(ck, s, NULL);
    char err[256] = "";
    int closed = augur_checkpointer_close(ck, err, sizeof err);
    restore_outputs(fd, saved);
    cr_assert_eq(save, AUGUR_OK, "the write had not happened yet");
    cr_assert_eq(flush, AUGUR_EIO);
    cr_assert(strstr(flush_msg, path) && strstr(flush_msg, "cannot create"), "%s", flush_msg);
    cr_assert_eq(again, AUGUR_OK, "an error is reported once");
    cr_assert_eq(closed, AUGUR_EIO);
    cr_assert(strstr(err, "cannot create") != NULL, "%s", err);
    size_t len;
    char *printed = slurp(out, &len);
    cr_assert_eq(len, 0, "printed: %s", printed);
    free(printed);
    unlink(out);
    free(out);
    augur_solver_destroy(s);
}

/* A fork of the owner (a fork map's worker) is refused without touching
 * the lock its writer may hold in the parent. */
Test(checkpoint, a_forked_child_cannot_use_the_checkpointer)
{
    char *path = temp_name("ck-fork");
    augur_solver *s = de2(NULL);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    augur_checkpointer *ck = checkpointer(path);
    cr_assert_eq(augur_checkpointer_save(ck, s, NULL), AUGUR_OK);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int rc = augur_checkpointer_save(ck, s, NULL);
        int ok = rc == AUGUR_ESTATE && strstr(augur_checkpointer_errmsg(ck), "forked");
        _exit(ok && augur_checkpointer_close(ck, NULL, 0) == AUGUR_ESTATE ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child was not refused");
    cr_assert_eq(augur_checkpointer_close(ck, NULL, 0), AUGUR_OK);
    char err[256];
    augur_solver *back = augur_solver_restore(path, err, sizeof err);
    cr_assert_not_null(back, "%s", err);
    augur_solver_destroy(back);
    augur_solver_destroy(s);
    unlink(path);
    free(path);
}

Test(checkpoint, the_checkpointer_refuses_what_cannot_be_saved)
{
    augur_solver *s = bobyqa_run();
    if (!s)
        return;
    char *path = temp_name("ck-nlopt");
    unlink(path);
    augur_checkpointer *ck = checkpointer(path);
    cr_assert_eq(augur_checkpointer_save(ck, s, NULL), AUGUR_EUNSUP);
    cr_assert(strstr(augur_checkpointer_errmsg(ck), "runs its own loop") != NULL, "%s",
              augur_checkpointer_errmsg(ck));
    cr_assert_eq(augur_checkpointer_close(ck, NULL, 0), AUGUR_OK);
    cr_assert_eq(access(path, F_OK), -1, "nothing written");
    free(path);
    augur_solver_destroy(s);
}
