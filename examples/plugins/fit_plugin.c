/* fit_plugin.c - a fit model in a plugin of its own (fit-plugin.cfg): the
 * damped sine
 *
 *     y = a exp(-t / tau) sin(w t + phi) + c,
 *
 * with its analytic Jacobian, so the config's fit gets the same report,
 * metrics and Levenberg-Marquardt polish as a built-in model. The plugin
 * exports one object, a const augur_fit_model, which the config names as
 * its symbol. Built by examples/CMakeLists.txt as a MODULE library. */
#include <math.h>
#include "augur/fit.h"

static const char *const names[] = {"a", "tau", "w", "phi", "c", NULL};

static int predict(const double *p, size_t np, const augur_data *d, double *yhat)
{
    (void)np;
    const double *t = augur_data_x(d);
    if (p[1] <= 0)
        return -1;          /* no decay time: no prediction */
    for (size_t r = 0; r < augur_data_points(d); r++)
        yhat[r] = p[0] * exp(-t[r] / p[1]) * sin(p[2] * t[r] + p[3]) + p[4];
    return 0;
}

static int jacobian(void *data, const double *p, size_t np, const augur_data *d,
                    double *jac)
{
    (void)data;
    const double *t = augur_data_x(d);
    if (p[1] <= 0)
        return -1;
    for (size_t r = 0; r < augur_data_points(d); r++) {
        double e = exp(-t[r] / p[1]), s = sin(p[2] * t[r] + p[3]),
               c = cos(p[2] * t[r] + p[3]);
        double *row = jac + r * np;
        row[0] = e * s;
        row[1] = p[0] * e * s * t[r] / (p[1] * p[1]);
        row[2] = p[0] * e * c * t[r];
        row[3] = p[0] * e * c;
        row[4] = 1;
    }
    return 0;
}

extern const augur_fit_model damped_sine_model;

const augur_fit_model damped_sine_model = {
    .name = "damped-sine",
    .doc = "a exp(-t / tau) sin(w t + phi) + c",
    .nparams = 5,
    .param_names = names,
    .xdim = 1,
    .ydim = 1,
    .predict = predict,
    .jacobian = jacobian,
};
