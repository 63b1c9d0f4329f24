/* test_cli_input.c - the `augur` command given hostile input
 * (docs/RELIABILITY.md, "Bad input"): files that do not parse, output
 * paths that are not regular files, data and config files that are not
 * regular or are too large, and files `check` must refuse because `run`
 * would. Each is exit 2 with a message, before anything is solved or
 * written. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_harness.h"

TestSuite(input, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* --- Syntax errors ---------------------------------------------------------- */

/* libconfig 1.5 leaks on a syntax error; under the asan preset LeakSanitizer
 * turned exit 2 into its own failure status until tests/lsan-libconfig.supp
 * named that library. */
Test(input, a_syntax_error_is_exit_2_with_its_line)
{
    const char *cfg = config("syntax.cfg", "problem = { model = \"sphere\"; dimension = 2\n");
    result r = cli("check", cfg);
    expect_status(r, 2);
    cr_expect(strstr(r.err, "syntax.cfg:2: syntax error"), "%s", r.err);
    done(&r);
    r = cli("run", cfg);
    expect_status(r, 2);
    done(&r);
}
