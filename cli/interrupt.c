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
 * run, so the request does nothing there.
 *
 * Under the mpi map every rank holds the two signals from before MPI
 * starts until it ends (interrupt_hold): a batch system signals every rank
 * of a job step (Slurm's --signal, srun passing on what it got), and a
 * worker rank that died of it would bring the step down before rank 0 had
 * finished its generation and saved. So the worker ranks note the signal
 * and serve on until rank 0, stopped at its generation boundary, releases
 * them; rank 0's run acts on it as above (no second-signal kill while
 * held), and a signal that came while MPI was starting stops rank 0
 * before its run begins, with nothing computed and nothing to save. */
#include <signal.h>
#include <stddef.h>
#include "cli.h"

static augur_solver *volatile target;
static volatile sig_atomic_t caught;
static struct sigaction previous_int, previous_term;
static int installed_int, installed_term;
static int held;              /* interrupt_hold: the run's handler sits on ours */

static void on_signal(int sig)
{
    if (!caught)
        caught = sig;
    augur_solver *s = target;
    if (s)
        augur_solver_request_stop(s);
}

static void install(int flags)
{
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = flags};
    sigemptyset(&sa.sa_mask);
    installed_int = sigaction(SIGINT, &sa, &previous_int) == 0;
    installed_term = sigaction(SIGTERM, &sa, &previous_term) == 0;
}

static void restore(void)
{
    if (installed_int)
        sigaction(SIGINT, &previous_int, NULL);
    if (installed_term)
        sigaction(SIGTERM, &previous_term, NULL);
    installed_int = installed_term = 0;
}

void interrupt_begin(augur_job *job)
{
    if (!held)
        caught = 0;
    target = augur_job_solver(job);
    if (!held)
        install(SA_RESETHAND);
}

void interrupt_end(void)
{
    target = NULL;
    if (!held)
        restore();
}

int interrupted(void)
{
    return (int)caught;
}

void interrupt_hold(void)
{
    caught = 0;
    install(0);   /* no SA_RESETHAND: a worker outlives a second signal too */
    held = 1;
}

void interrupt_release(void)
{
    if (held) {
        held = 0;
        restore();
    }
}
