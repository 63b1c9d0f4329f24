/* check.c - `augur check FILE`: is this config file good, without running it?
 *
 * Loading a job builds everything a run needs - the data, the problem, the
 * solver with its termination, monitors and map - so a file that loads is
 * one that `augur run` will start. The message of a bad file is the
 * library's, which names the file and line, so an editor can jump there.
 * A file that asks for the MPI map is checked with a serial one in its
 * place, since that map can only be built under mpirun. */
#include "cli.h"

int cmd_check(int argc, char **argv)
{
    cli_options o;
    int rc = parse_options(argc, argv, OPT_SET, POS_REQUIRED, &o);
    if (rc == CLI_OK && o.help)
        print_command_help("check", stdout);
    else if (rc == CLI_OK) {
        augur_job *job = NULL;
        rc = load_job(&o, &job);
#ifndef AUGUR_HAVE_MPI
        if (rc == CLI_OK && job_wants_mpi(&o, job))
            rc = cli_fail(CLI_USAGE, "%s: the file asks for the \"mpi\" map, and this "
                          "build of augur has no MPI", o.file);
#endif
        if (rc == CLI_OK)
            printf("%s: ok\n", o.file);
        augur_job_destroy(job);
    }
    free_options(&o);
    return rc;
}
