/* cli_harness.c - running the `augur` binary for its test suites
 * (cli_harness.h): each test gets a temporary directory; the binary runs
 * with stdin from /dev/null and its stdout and stderr in files there, so a
 * test sees exactly what a user piping the command would. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli_harness.h"

#ifndef AUGUR_CLI
#error "AUGUR_CLI must name the augur binary (tests/CMakeLists.txt)"
#endif

/* --- Running the binary ---------------------------------------------------- */

char cli_dir[256];
static char out_path[300], err_path[300];

void make_dir(void)
{
    snprintf(cli_dir, sizeof cli_dir, "/tmp/augur-cli-XXXXXX");
    cr_assert_not_null(mkdtemp(cli_dir));
    snprintf(out_path, sizeof out_path, "%s/stdout", cli_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", cli_dir);
}

void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cli_dir);
    cr_assert_eq(system(cmd), 0);
}

/* A static ring, so a test can hold several paths at once. */
const char *at(const char *name)
{
    static char ring[32][512];
    static int next;
    char *p = ring[next++ % 32];
    snprintf(p, 512, "%s/%s", cli_dir, name);
    return p;
}

char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap)
            text = realloc(text, cap *= 2);
    }
    fclose(fp);
    if (text)
        text[len] = '\0';
    return text;
}

void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s: %s", path, strerror(errno));
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
}

int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int status_of(int w)
{
    return WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
}

static pid_t start_program(const char *path, const char *const *args)
{
    char *argv[64] = {(char *)path};
    size_t n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0)
            _exit(99);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(argv[0], argv);
        _exit(98);
    }
    return pid;
}

result finish(pid_t pid)
{
    int w;
    cr_assert_eq(waitpid(pid, &w, 0), pid);
    return (result){.status = status_of(w), .out = slurp(out_path), .err = slurp(err_path)};
}

pid_t start(const char *const *args)
{
    return start_program(AUGUR_CLI, args);
}

result cli_argv(const char *const *args)
{
    return finish(start(args));
}

result run_program(const char *path, const char *const *args)
{
    return finish(start_program(path, args));
}

void done(result *r)
{
    free(r->out);
    free(r->err);
}

/* The summary's "f:" line, copied. */
char *f_line(const char *out)
{
    const char *p = out ? strstr(out, "\nf:") : NULL;
    if (!p && out && strncmp(out, "f:", 2) == 0)
        p = out - 1;
    cr_assert_not_null(p, "no f: line in:\n%s", out ? out : "(none)");
    p++;
    return strndup(p, strcspn(p, "\n"));
}

/* --- Config files -------------------------------------------------------- */

const char *const rosen_cfg =
    "problem = { model = \"rosen\"; dimension = 3; };\n"
    "solver = {\n"
    "  type = \"nelder-mead\";\n"
    "  parameters = { radius = 0.1; };\n"
    "  initial = { point = [ 0.5, 0.5, 0.5 ]; };\n"
    "  limits = { evaluations = 4000; };\n"
    "};\n"
    "seed = 3;\n";

/* A population solver that evaluates whole generations, so maps carry its
 * batches (de2: in-place de cannot use a map). */
const char *const de_cfg =
    "problem = { model = \"sphere\"; dimension = 4; };\n"
    "solver = {\n"
    "  type = \"de2\";\n"
    "  parameters = { population-size = 20; };\n"
    "  limits = { evaluations = 2000; };\n"
    "};\n";

/* A run that only a stop ends in reasonable time. */
const char *const long_cfg =
    "problem = { model = \"rastrigin\"; dimension = 20; };\n"
    "solver = { type = \"de\"; limits = { evaluations = 1000000000; generations = "
    "1000000000; };\n"
    "           termination = { type = \"vtr\"; tolerance = 0.0; target = -1.0; }; };\n"
    "seed = 1;\n";

const char *config(const char *name, const char *text)
{
    const char *path = at(name);
    write_file(path, text);
    return path;
}

