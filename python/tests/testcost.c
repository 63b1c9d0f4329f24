/* testcost.c - C costs for the ctypes tests: Rosenbrock (the same
 * arithmetic as augur_model_rosen), a scaled sphere that reads its data
 * pointer, and a slow sphere (about a millisecond a call) for the threads
 * map and Ctrl-C tests. */
#include <stddef.h>

double tc_rosen(const double *x, size_t n, void *data);
double tc_scaled_sphere(const double *x, size_t n, void *data);
double tc_slow_sphere(const double *x, size_t n, void *data);

double tc_rosen(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0.0;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = x[i + 1] - x[i] * x[i];
        double b = 1.0 - x[i];
        f += 100.0 * a * a + b * b;
    }
    return f;
}

double tc_scaled_sphere(const double *x, size_t n, void *data)
{
    double k = data ? *(const double *)data : 1.0, f = 0.0;
    for (size_t i = 0; i < n; i++)
        f += x[i] * x[i];
    return k * f;
}

double tc_slow_sphere(const double *x, size_t n, void *data)
{
    (void)data;
    volatile double spin = 0.0;
    for (long k = 0; k < 300000; k++)
        spin += 1e-9;
    double f = 0.0;
    for (size_t i = 0; i < n; i++)
        f += x[i] * x[i];
    return f + 0.0 * spin;
}
