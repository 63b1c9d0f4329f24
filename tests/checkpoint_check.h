/* checkpoint_check.h - shared by the checkpoint suites: run a solver made
 * by a recipe straight through, then again with a save at generation k (a
 * generation monitor saves and stops the run there), a restore (in this
 * process, or in a forked child), and a solve to the end; the two must
 * agree on x, f, evaluations, generations, reason and every evaluation. */
#ifndef CHECKPOINT_CHECK_H
#define CHECKPOINT_CHECK_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "augur.h"

#define CK_MAX_EVALS 200000

typedef struct ck_outcome {
    double x[8], f;
    size_t evaluations, generations, nlog;
    char reason[256];
    double log_f[CK_MAX_EVALS];
    double log_x0[CK_MAX_EVALS];   /* first coordinate of each point */
} ck_outcome;

typedef augur_solver *(*ck_recipe)(const char *map);

static int ck_log(const augur_record *r, void *data)
{
    ck_outcome *o = data;
    if (o->nlog < CK_MAX_EVALS) {
        o->log_f[o->nlog] = r->f;
        o->log_x0[o->nlog] = r->x[0];
    }
    o->nlog++;
    return 0;
}

typedef struct ck_saver {
    augur_solver *s;
    size_t k;
    const char *path;
    int rc;
} ck_saver;

static int ck_save_at(const augur_record *r, void *data)
{
    ck_saver *sv = data;
    if (r->generation != sv->k)
        return 0;
    sv->rc = augur_solver_save(sv->s, sv->path);
    return 1;   /* stop here */
}

static void ck_finish(augur_solver *s, ck_outcome *o, augur_cost cost)
{
    augur_solver_add_evaluation_monitor(s, augur_monitor_callback(ck_log, o));
    int rc = augur_solve(s, cost, NULL, NULL);
    cr_assert(rc == AUGUR_OK || rc == AUGUR_STOPPED, "%s", augur_solver_errmsg(s));
    size_t n = augur_solver_dimension(s);
    memcpy(o->x, augur_solver_best_solution(s), n * sizeof(double));
    o->f = augur_solver_best_energy(s);
    o->evaluations = augur_solver_evaluations(s);
    o->generations = augur_solver_generations(s);
    snprintf(o->reason, sizeof o->reason, "%s", augur_solver_termination_reason(s));
    augur_solver_destroy(s);
}

/* Straight through. */
static void ck_straight(ck_recipe make, const char *map, augur_cost cost,
                        ck_outcome *o)
{
    memset(o, 0, sizeof *o);
    ck_finish(make(map), o, cost);
}

/* Up to generation k, saved; returns 0 when the run ended before k. */
static int ck_first_part(ck_recipe make, const char *map, augur_cost cost,
                         size_t k, const char *path, ck_outcome *o)
{
    memset(o, 0, sizeof *o);
    augur_solver *s = make(map);
    ck_saver sv = {.s = s, .k = k, .path = path, .rc = 1};
    augur_solver_add_generation_monitor(s, augur_monitor_callback(ck_save_at, &sv));
    augur_solver_add_evaluation_monitor(s, augur_monitor_callback(ck_log, o));
    augur_solve(s, cost, NULL, NULL);
    cr_assert(sv.rc <= 0, "no save");
    cr_assert_eq(sv.rc, AUGUR_OK, "save: %s", augur_solver_errmsg(s));
    augur_solver_destroy(s);
    return 1;
}

static void ck_second_part(const char *path, augur_cost cost, ck_outcome *o)
{
    char err[256];
    memset(o, 0, sizeof *o);
    augur_solver *s = augur_solver_restore(path, err, sizeof err);
    cr_assert_not_null(s, "restore: %s", err);
    ck_finish(s, o, cost);
}

static void ck_compare(const ck_outcome *a, const ck_outcome *b, size_t n,
                       const char *who, size_t k)
{
    cr_assert(memcmp(a->x, b->x, n * sizeof(double)) == 0, "%s k=%zu: x", who, k);
    cr_assert(memcmp(&a->f, &b->f, sizeof a->f) == 0, "%s k=%zu: f %.17g %.17g",
              who, k, a->f, b->f);
    cr_assert_eq(a->evaluations, b->evaluations, "%s k=%zu: evaluations", who, k);
    cr_assert_eq(a->generations, b->generations, "%s k=%zu: generations", who, k);
    cr_assert_str_eq(a->reason, b->reason, "%s k=%zu: reason", who, k);
    cr_assert_eq(a->nlog, b->nlog, "%s k=%zu: log length %zu %zu (evals %zu)", who, k, a->nlog, b->nlog, a->evaluations);
    size_t m = a->nlog < CK_MAX_EVALS ? a->nlog : CK_MAX_EVALS;
    cr_assert(memcmp(a->log_f, b->log_f, m * sizeof(double)) == 0, "%s k=%zu: log f",
              who, k);
    cr_assert(memcmp(a->log_x0, b->log_x0, m * sizeof(double)) == 0,
              "%s k=%zu: log x", who, k);
}

/* Append b's log to a's (the resumed part after the first). */
static void ck_join(ck_outcome *a, const ck_outcome *b)
{
    for (size_t j = 0; j < b->nlog && a->nlog < CK_MAX_EVALS; j++) {
        a->log_f[a->nlog] = b->log_f[j];
        a->log_x0[a->nlog] = b->log_x0[j];
        a->nlog++;
    }
    memcpy(a->x, b->x, sizeof a->x);
    a->f = b->f;
    a->evaluations = b->evaluations;
    a->generations = b->generations;
    memcpy(a->reason, b->reason, sizeof a->reason);
}

/* The whole check for one recipe and map over several k; fork_restore:
 * the second part runs in a child process, which sends its outcome back
 * through a temporary file. */
static void ck_check(ck_recipe make, const char *map, augur_cost cost,
                     const size_t *ks, size_t nk, int fork_restore, const char *who)
{
    ck_outcome *whole = malloc(sizeof *whole), *part = malloc(sizeof *part),
               *rest = malloc(sizeof *rest);
    ck_straight(make, map, cost, whole);
    char path[] = "/tmp/augur-ck-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    for (size_t j = 0; j < nk; j++) {
        if (ks[j] >= whole->generations)
            continue;
        ck_first_part(make, map, cost, ks[j], path, part);
        if (fork_restore) {
            fflush(NULL);
            pid_t pid = fork();
            cr_assert(pid >= 0);
            if (pid == 0) {
                ck_second_part(path, cost, rest);
                FILE *f = fopen(path, "wb");
                int ok = f && fwrite(rest, sizeof *rest, 1, f) == 1;
                if (f)
                    fclose(f);
                _exit(ok ? 0 : 1);
            }
            int status = 0;
            waitpid(pid, &status, 0);
            cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            FILE *f = fopen(path, "rb");
            cr_assert(f && fread(rest, sizeof *rest, 1, f) == 1);
            fclose(f);
        } else {
            ck_second_part(path, cost, rest);
        }
        ck_join(part, rest);
        ck_compare(whole, part, 8, who, ks[j]);
    }
    unlink(path);
    free(whole);
    free(part);
    free(rest);
}

#endif
