/* test_checkpoint.c - checkpoints: a run saved at generation k, restored
 * and finished gives the uninterrupted run's x, f, evaluations,
 * generations, reason and evaluation log, bit for bit, for every native
 * solver and ensemble, on the serial, threads:2 and fork:2 maps, for
 * several k (checkpoint_check.h) - ipop and bipop at run boundaries, auto
 * at its phase boundaries; files that are not checkpoints, are
 * damaged or newer are refused, and types that cannot be saved say why. */
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

Test(checkpoint, a_directory_is_not_overwritten_and_nlopt_refuses)
{
    augur_solver *s = nelder_mead(NULL);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_save(s, "/tmp"), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "regular file") != NULL, "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);

    s = augur_solver_create("nlopt:LN_BOBYQA", 2);
    if (!s)
        return;
    double x0[2] = {1, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, 0, 50);
    augur_solve(s, augur_model_rosen, NULL, NULL);
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
