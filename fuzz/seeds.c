/* seeds.c - writes the seed corpora that come from objects rather than
 * files: for each example config named on the command line, its solver's
 * spec (first byte 0, as fuzz_spec reads it), its termination's spec
 * (first byte 1), and its constraints and penalty as written relations
 * (fuzz_relations' two leading bytes: the dimension and the options).
 *
 *     seeds OUTDIR examples/NAME.cfg ...   -> OUTDIR/spec/, OUTDIR/relations/
 *
 * Run by scripts/fuzz.sh; configs that do not load are skipped with a
 * note. Not a harness: it has its own main and is not fuzzed. */
#include "augur.h"
#include "augur/config.h"
#include "augur/spec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(const char *dir, const char *kind, const char *cfg, const char *suffix,
                const unsigned char *prefix, size_t plen, const char *text)
{
    const char *base = strrchr(cfg, '/');
    base = base ? base + 1 : cfg;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s.%s", dir, kind, base, suffix);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        fprintf(stderr, "seeds: cannot write %s\n", path);
        return;
    }
    fwrite(prefix, 1, plen, fp);
    fputs(text, fp);
    fclose(fp);
}

static void from_config(const char *dir, const char *cfg)
{
    char err[1024];
    augur_job *job = NULL;
    if (augur_job_load(cfg, NULL, &job, err, sizeof err) != AUGUR_OK) {
        fprintf(stderr, "seeds: skipped %s\n", err);
        return;
    }
    augur_solver *s = augur_job_solver(job);
    char *text = NULL;
    if (augur_solver_write_spec(s, &text) == AUGUR_OK)
        put(dir, "spec", cfg, "solver", (const unsigned char *)"\0", 1, text);
    free(text);
    text = NULL;
    const augur_termination *t = augur_solver_termination(s);
    if (t && augur_term_write_spec(t, &text) == AUGUR_OK)
        put(dir, "spec", cfg, "term", (const unsigned char *)"\1", 1, text);
    free(text);
    text = NULL;
    size_t n = augur_solver_dimension(s);
    unsigned char prefix[2] = {(unsigned char)((n ? n - 1 : 0) % 8), 0};
    const augur_constraints *c = augur_solver_constraints(s);
    if (c && augur_constraints_write(c, &text) == AUGUR_OK)
        put(dir, "relations", cfg, "constraints", prefix, 2, text);
    free(text);
    text = NULL;
    augur_relation_options opt;
    const augur_penalty *p = augur_solver_penalty(s);
    if (p && augur_penalty_write(p, &text, &opt) == AUGUR_OK)
        put(dir, "relations", cfg, "penalty", prefix, 2, text);
    free(text);
    augur_job_destroy(job);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: seeds OUTDIR CONFIG...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++)
        from_config(argv[1], argv[i]);
    return 0;
}
