/* startup.c - bench_startup: bench_solvers' start-up line, one library per
 * process, for a CPU-time count.
 *
 *     perf stat -r 3 -e task-clock bench_startup augur 200000
 *     perf stat -r 3 -e task-clock bench_startup nlopt 200000
 *
 * Creates, solves and destroys a 2-D Nelder-Mead on the sphere from (1, 1)
 * RUNS times (default 200,000), as an ensemble does with its inner runs:
 * augur's nelder-mead with its default condition, or NLopt's LN_NELDERMEAD
 * with xtol_abs 1e-4 (the settings of bench_solvers' start-up line, which
 * times both in one process and gives their ratio). On a loaded machine
 * the wall time of a short loop says little, the CPU time more; the last
 * run's answer and the evaluations per run are printed so that a change
 * to the library can be checked to leave them as they were. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    int nlopt = argc > 1 && !strcmp(argv[1], "nlopt");
    if (argc < 2 || (!nlopt && strcmp(argv[1], "augur"))) {
        fprintf(stderr, "usage: bench_startup augur|nlopt [RUNS]\n");
        return 2;
    }
    long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
    if (runs < 1) {
        fprintf(stderr, "bench_startup: RUNS must be at least 1\n");
        return 2;
    }
    size_t evals = 0;
    double x[2] = {0, 0}, f = 0;
    (nlopt ? bench_startup_nlopt : bench_startup_augur)(runs, &evals, x, &f);
    printf("%s: %ld runs, %.1f evaluations per run, last x = (%a, %a), f = %a\n",
           argv[1], runs, (double)evals / (double)runs, x[0], x[1], f);
    return 0;
}
