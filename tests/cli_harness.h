/* cli_harness.h - what the `augur` command's suites (test_cli.c,
 * test_cli_run.c) share: running the built binary (AUGUR_CLI, from CMake)
 * with its stdout and stderr captured into files, a temporary directory
 * per test, and the config files the tests run. */
#ifndef AUGUR_CLI_HARNESS_H
#define AUGUR_CLI_HARNESS_H

#include <sys/types.h>

typedef struct result {
    int status;                   /* exit status, or 128 + signal */
    char *out, *err;
} result;

/* The test's temporary directory (TestSuite .init / .fini). */
extern char cli_dir[256];
void make_dir(void);
void remove_dir(void);

/* cli_dir/name, from a ring of 32 (no test holds more at once). */
const char *at(const char *name);
/* A file's text (malloc'd), or NULL. */
char *slurp(const char *path);
void write_file(const char *path, const char *text);
int exists(const char *path);
/* Exit status of a waitpid status word (128 + signal when killed). */
int status_of(int w);

/* Start the binary with args (NULL-terminated), stdin /dev/null, stdout
 * and stderr into files; finish waits and collects them. */
pid_t start(const char *const *args);
result finish(pid_t pid);
result cli_argv(const char *const *args);
#define cli(...) cli_argv((const char *const[]){__VA_ARGS__, NULL})
/* The same under `path`, with its own argv[0] (mpiexec). */
result run_program(const char *path, const char *const *args);
void done(result *r);

/* The summary's "f:" line (malloc'd); fails the test when there is none. */
char *f_line(const char *out);

#define expect_status(r, want)                                                     \
    cr_expect_eq((r).status, (want), "exit %d, want %d\nstdout:\n%s\nstderr:\n%s", \
                 (r).status, (want), (r).out ? (r).out : "", (r).err ? (r).err : "")

/* Config files: Nelder-Mead on Rosenbrock (a quick run with a known
 * minimum), DE on a sphere (a population solver, so maps carry its
 * batches), and a DE run only a stop ends. */
extern const char *const rosen_cfg, *const de_cfg, *const long_cfg;
/* Write text to cli_dir/name; its path. */
const char *config(const char *name, const char *text);

#endif
