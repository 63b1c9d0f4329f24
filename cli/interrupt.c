/* interrupt.c - Ctrl-C as a clean stop.
 *
 * While a job runs, SIGINT does not kill the command: the handler asks the
 * job's solver to stop after its current generation
 * (augur_solver_request_stop is safe in a signal handler), so the run
 * returns with its best point, the summary is printed and the results are
 * written, and the command exits 130 as a killed one would. The handler is
 * installed with SA_RESETHAND, so a second Ctrl-C - for a generation that
 * takes too long - kills as usual. Fork-map workers inherit the handler and
 * so survive the terminal's SIGINT to the whole process group; their copy
 * of the solver is never run, so the request does nothing there. */
#include <signal.h>
#include <stddef.h>
#include "cli.h"

static augur_solver *volatile target;
static volatile sig_atomic_t caught;
static struct sigaction previous;
static int installed;

static void on_sigint(int sig)
{
    (void)sig;
    caught = 1;
    augur_solver *s = target;
    if (s)
        augur_solver_request_stop(s);
}

void interrupt_begin(augur_job *job)
{
    target = augur_job_solver(job);
    caught = 0;
    struct sigaction sa = {.sa_handler = on_sigint, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    installed = sigaction(SIGINT, &sa, &previous) == 0;
}

void interrupt_end(void)
{
    if (installed)
        sigaction(SIGINT, &previous, NULL);
    installed = 0;
    target = NULL;
}

int interrupted(void)
{
    return caught != 0;
}
