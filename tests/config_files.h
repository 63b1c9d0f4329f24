/* config_files.h - what the config suites (tests/test_config_*.c) share:
 * temporary directories and the files in them, and a job loaded from text
 * that must load (load_text) and run (run). Static and marked unused,
 * since each suite uses only part of it. */
#ifndef AUGUR_TESTS_CONFIG_FILES_H
#define AUGUR_TESTS_CONFIG_FILES_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"
#include "augur/config.h"

#define CONFIG_STATIC static __attribute__((unused))

CONFIG_STATIC char *temp_dir(void)
{
    char t[] = "/tmp/augur_config_XXXXXX";
    cr_assert_not_null(mkdtemp(t));
    return strdup(t);
}

CONFIG_STATIC char *join(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

CONFIG_STATIC char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = join(dir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(text, fp);
    fclose(fp);
    return path;
}

CONFIG_STATIC size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

CONFIG_STATIC void remove_dir(char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            char *p = join(dir, e->d_name);
            unlink(p);
            free(p);
        }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
}

CONFIG_STATIC augur_job *load_text(const char *text, const char *const *overrides)
{
    augur_job *j = NULL;
    char err[1024] = "";
    int rc = augur_job_load_string(text, "test.cfg", overrides, &j, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s", err);
    return j;
}

CONFIG_STATIC void run(augur_job *j)
{
    int rc = augur_job_run(j);
    cr_assert(rc >= 0, "%s", augur_job_errmsg(j));
}

#endif
