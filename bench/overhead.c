/* overhead.c - bench_solvers' last two tables (solvers.c runs the cases
 * before them): the overhead per evaluation of every solver that asks for
 * it on a trivial cost, with ours against the best C anchor and, for
 * issue 12, cmaes against pagmo2's cmaes and NLopt's Nelder-Mead; and the
 * start-up of a short Nelder-Mead run against NLopt's. Ratios, since a
 * ratio taken in one run survives a noisy machine better than a number
 * of nanoseconds. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "overhead.h"

#define OVERHEAD_EVALS 200000
#define OVERHEAD_REPS 5
#define MAX_CONTESTANTS 64

/* --- Overhead per evaluation ---------------------------------------------- */
/* A trivial cost, f = sum x_i on [-1, 1]^n, run for a fixed number of
 * evaluations with no stopping test but the evaluation limit, so the time
 * is the solver's own. A method that stops anyway (NLopt's simplex when it
 * collapses at the corner) is restarted, as in the cases. */


/* Nanoseconds per evaluation over OVERHEAD_EVALS evaluations (restarting
 * when a run ends early); *runs says how many runs that took. */
static double overhead_once(const bench_contestant *c, size_t n, uint64_t seed,
                            unsigned *runs)
{
    bench_rng rng;
    bench_rng_seed(&rng, seed);
    size_t done = 0;
    *runs = 0;
    double t0 = bench_now();
    while (done < OVERHEAD_EVALS) {
        double x0[BENCH_MAXN];
        bench_draw_point(&rng, n, bench_unit_lb, bench_unit_ub, x0);
        size_t e = bench_run_trivial(c, n, OVERHEAD_EVALS - done,
                                bench_mix(seed, *runs), x0);
        ++*runs;
        if (e == 0)
            return NAN;
        done += e;
    }
    return 1e9 * (bench_now() - t0) / (double)done;
}

static void csv_overhead(FILE *csv, const bench_contestant *c, size_t n,
                         unsigned rep, unsigned runs, double ns)
{
    if (csv)
        fprintf(csv, "overhead,trivial-sum,%zu,%s,%s,%u,,,,%d,%u,%.6f,%.2f\n", n,
                c->name, bench_lib_names[c->lib], rep, OVERHEAD_EVALS, runs - 1,
                1e-9 * ns * OVERHEAD_EVALS, ns);
}

/* n = 20 is where CMA-ES's O(n^2) sampling and updates show. */
#define NDIMS 3
static const size_t overhead_dims[NDIMS] = {2, 10, 20};

static size_t find_contestant(const bench_contestant *cs, size_t ncont, const char *name)
{
    for (size_t j = 0; j < ncont; j++)
        if (!strcmp(cs[j].name, name))
            return j;
    return ncont;
}

static int is_c_anchor(bench_lib lib)
{
    return lib == LIB_NLOPT || lib == LIB_GSL;
}

/* Ours against the best C anchor (NLopt, GSL) at each n. */
static void print_ratios(const bench_contestant *cs, size_t ncont, const double ns[][NDIMS],
                         const int *use)
{
    double best_c[NDIMS];
    size_t who[NDIMS];
    for (size_t d = 0; d < NDIMS; d++) {
        best_c[d] = INFINITY;
        who[d] = ncont;
        for (size_t j = 0; j < ncont; j++)
            if (use[j] && is_c_anchor(cs[j].lib) && ns[j][d] < best_c[d]) {
                best_c[d] = ns[j][d];
                who[d] = j;
            }
        if (who[d] == ncont)
            return;
    }
    printf("best C anchor:");
    for (size_t d = 0; d < NDIMS; d++)
        printf(" n=%zu %s %.0f ns%s", overhead_dims[d], cs[who[d]].name,
               best_c[d], d + 1 < NDIMS ? "," : "\n");
    printf("%-22s", "ratio ours / best C");
    for (size_t d = 0; d < NDIMS; d++)
        printf(" %8s%-4zu", "n=", overhead_dims[d]);
    printf("\n");
    for (size_t j = 0; j < ncont; j++)
        if (use[j] && cs[j].lib == LIB_AUGUR) {
            printf("%-22s", cs[j].name);
            for (size_t d = 0; d < NDIMS; d++)
                printf(" %12.2f", ns[j][d] / best_c[d]);
            printf("\n");
        }
}

/* Issue 12's overhead targets, as ratios measured in this run: augur's
 * cmaes (and its active variant) against pagmo2's cmaes (<= 0.5 at n = 10
 * and 20) and against NLopt's Nelder-Mead (<= 1.5 at n = 10). */
static void print_cmaes_ratios_of(const bench_contestant *cs, size_t ncont, const char *name,
                                  const double ns[][NDIMS], const int *use)
{
    size_t ours = find_contestant(cs, ncont, name),
           pg = find_contestant(cs, ncont, "pagmo-cmaes-ipop"),
           nm = find_contestant(cs, ncont, "LN_NELDERMEAD");
    if (ours == ncont || !use[ours])
        return;
    char label[64];
    snprintf(label, sizeof label, "%s / other", name);
    printf("%-22s", label);
    for (size_t d = 0; d < NDIMS; d++)
        printf(" %8s%-4zu", "n=", overhead_dims[d]);
    printf("\n");
    size_t other[2] = {pg, nm};
    for (size_t k = 0; k < 2; k++) {
        if (other[k] == ncont || !use[other[k]])
            continue;
        printf("%-22s", cs[other[k]].name);
        for (size_t d = 0; d < NDIMS; d++)
            printf(" %12.2f", ns[ours][d] / ns[other[k]][d]);
        printf("\n");
    }
}

static void print_cmaes_ratios(const bench_contestant *cs, size_t ncont,
                               const double ns[][NDIMS], const int *use)
{
    print_cmaes_ratios_of(cs, ncont, "cmaes", ns, use);
    print_cmaes_ratios_of(cs, ncont, "cmaes-classic", ns, use);
}

static int wanted_overhead(const bench_contestant *c, const char *filter)
{
    return c->overhead && c->available &&
           (bench_list_has(filter, c->name) ||
            bench_list_has(filter, bench_lib_names[c->lib]));
}

/* The repetitions go round the solvers in turn, so that a burst of load
 * from elsewhere on a shared machine lands on all of them alike rather
 * than on whichever solver was being timed then. */
void bench_overhead_table(const bench_contestant *cs, size_t ncont, const char *filter,
                          FILE *csv)
{
    static double ns[MAX_CONTESTANTS][NDIMS][OVERHEAD_REPS];
    double med[MAX_CONTESTANTS][NDIMS];
    unsigned runs[MAX_CONTESTANTS][NDIMS] = {{0}};
    int use[MAX_CONTESTANTS];
    if (ncont > MAX_CONTESTANTS)
        ncont = MAX_CONTESTANTS;   /* a table that grew: the first ones */
    for (size_t j = 0; j < ncont; j++)
        use[j] = wanted_overhead(&cs[j], filter);
    for (unsigned r = 0; r < OVERHEAD_REPS; r++)
        for (size_t j = 0; j < ncont; j++)
            for (size_t d = 0; d < NDIMS && use[j]; d++) {
                ns[j][d][r] = overhead_once(&cs[j], overhead_dims[d],
                                            bench_mix(0x0BE4, r), &runs[j][d]);
                csv_overhead(csv, &cs[j], overhead_dims[d], r,
                             runs[j][d], ns[j][d][r]);
            }
    printf("\n== Overhead per evaluation: f = sum x_i on [-1, 1]^n, %d "
           "evaluations, no stopping test, median of %d repetitions\n",
           OVERHEAD_EVALS, OVERHEAD_REPS);
    printf("%-22s %-6s", "solver", "lib");
    for (size_t d = 0; d < NDIMS; d++)
        printf(" %7s%-2zu ns %6s", "n=", overhead_dims[d], "runs");
    printf("\n");
    for (size_t j = 0; j < ncont; j++) {
        if (!use[j])
            continue;
        printf("%-22s %-6s", cs[j].name, bench_lib_names[cs[j].lib]);
        for (size_t d = 0; d < NDIMS; d++) {
            med[j][d] = bench_median(ns[j][d], OVERHEAD_REPS);
            printf(" %12.1f %6u", med[j][d], runs[j][d]);
        }
        printf("\n");
    }
    print_ratios(cs, ncont, med, use);
    print_cmaes_ratios(cs, ncont, med, use);
}

/* --- Start-up of short runs --------------------------------------------- */
/* Issue 12: creating, solving and destroying a Nelder-Mead on the 2-D
 * sphere from (1, 1), many times, as an ensemble does; augur's
 * nelder-mead with its default condition against NLopt's LN_NELDERMEAD
 * with xtol_abs 1e-4 (NLopt's tolerances are all off by default, and the
 * simplex would run down to rounding; an ftol of 1e-4 stops NLopt's
 * simplex after 9 evaluations at f = 0.5 from this start). Median of
 * OVERHEAD_REPS repetitions of STARTUP_RUNS runs, taking turns. */
#define STARTUP_RUNS 20000

/* Microseconds per run of one library's start-up loop (bench_util.c). */
static double startup_us(void (*loop)(long, size_t *, double *, double *), size_t *evals)
{
    double x[2], f, t0 = bench_now();
    loop(STARTUP_RUNS, evals, x, &f);
    return 1e6 * (bench_now() - t0) / STARTUP_RUNS;
}

void bench_startup_table(void)
{
    double a[OVERHEAD_REPS], b[OVERHEAD_REPS];
    size_t ea = 0, eb = 0;
    for (unsigned r = 0; r < OVERHEAD_REPS; r++) {
        a[r] = startup_us(bench_startup_augur, &ea);
        b[r] = startup_us(bench_startup_nlopt, &eb);
    }
    double ma = bench_median(a, OVERHEAD_REPS), mb = bench_median(b, OVERHEAD_REPS);
    double runs = (double)OVERHEAD_REPS * STARTUP_RUNS;
    printf("\n== Start-up: create, solve, destroy a Nelder-Mead on the 2-D sphere "
           "from (1, 1), %d runs, median of %d repetitions\n", STARTUP_RUNS,
           OVERHEAD_REPS);
    printf("%-22s %-6s %10s %8s\n", "solver", "lib", "us/run", "evals");
    printf("%-22s %-6s %10.2f %8.1f\n", "nelder-mead", "augur", ma, (double)ea / runs);
    printf("%-22s %-6s %10.2f %8.1f\n", "LN_NELDERMEAD", "nlopt", mb, (double)eb / runs);
    printf("%-22s %17.2f\n", "augur / nlopt", ma / mb);
}
