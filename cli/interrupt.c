/* interrupt.c - Ctrl-C and SIGTERM as a clean stop.
 *
 * While a job runs, SIGINT (Ctrl-C) and SIGTERM (kill, a batch system's
 * time limit) do not kill the command: the handler asks the job's solver
 * to stop after its current generation (augur_solver_request_stop is safe
 * in a signal handler) and notes which signal came, and nothing else - the
 * last checkpoint, when the run saves them, is written by the job once the
 * solve has returned at that generation boundary, never here. The run
 * then returns with its best point, the summary is printed and the
 * results are written, and the command exits 130 (143 for SIGTERM) as a
 * killed one would. The handlers are installed with SA_RESETHAND, so a
 * second signal - for a generation that takes too long - kills as usual.
 * Fork-map workers inherit the handler and so survive the terminal's
 * SIGINT to the whole process group; their copy of the solver is never
 * run, so the request does nothing there. */
#include <signal.h>
#include <stddef.h>
#include "cli.h"

static augur_solver *volatile target;
static volatile sig_atomic_t caught;
static struct sigaction previous_int, previous_term;
static int installed_int, installed_term;

static void on_signal(int sig)
{
    if (!caught)
        caught = sig;
    augur_solver *s = target;
    if (s)
        augur_solver_request_stop(s);
}

void interrupt_begin(augur_job *job)
{
    target = augur_job_solver(job);
    caught = 0;
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    installed_int = sigaction(SIGINT, &sa, &previous_int) == 0;
    installed_term = sigaction(SIGTERM, &sa, &previous_term) == 0;
}

void interrupt_end(void)
{
    if (installed_int)
        sigaction(SIGINT, &previous_int, NULL);
    if (installed_term)
        sigaction(SIGTERM, &previous_term, NULL);
    installed_int = installed_term = 0;
    target = NULL;
}

int interrupted(void)
{
    return (int)caught;
}
