/* null.c - the null monitor: a monitor that records nothing.
 *
 * Solvers always have somewhere to send records, so code that does not care
 * about monitoring can attach this instead of special-casing "no monitor".
 * It has no state and no hooks; the base answers every call with 0. */
#include "monitor_int.h"

static const augur_monitor_type null_type = {
    .name = "null",
    .doc = "Records nothing.",
    .state_size = 0,
};

augur_monitor *augur_monitor_null(void)
{
    return augur_monitor_create(&null_type);
}
