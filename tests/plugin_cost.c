/* plugin_cost.c - a cost in a shared library of its own, for the config
 * suites (test_config_*.c): a config file names it by path and symbol
 * (problem.plugin), and the job opens it with dlopen. A shifted sphere,
 * sum (x_i - (i + 1))^2: its minimum 0 is at x = [1, 2, ..., n]. */
#include <stddef.h>

double cost(const double *x, size_t n, void *data);

double cost(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - (double)(i + 1);
        f += d * d;
    }
    return f;
}
