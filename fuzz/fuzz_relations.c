/* fuzz_relations.c - libFuzzer harness for written relations
 * (augur_relations_parse, augur/constraints.h): constraints and penalties
 * as text, through libmatheval.
 *
 * The first byte chooses the dimension (1 to 8), the second the options
 * (inequality and equality kinds, k and h); the rest is the text. When it
 * parses, the mappings are applied and the penalty evaluated at a point,
 * and each is written back and read again: the mappings' text must read
 * back into mappings only, the penalty's (with the options it returns)
 * into penalties only, and writing them again must give the same text.
 * Any break of that promise aborts, so libFuzzer keeps the input. */
#include "augur/constraints.h"
#include "augur/status.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static augur_relation_options options(uint8_t b)
{
    static const augur_penalty_kind ineq[3] = {AUGUR_PENALTY_QUADRATIC_INEQUALITY,
                                               AUGUR_PENALTY_LINEAR_INEQUALITY,
                                               AUGUR_PENALTY_BARRIER};
    static const double k[4] = {0, 1, 100, 0.5};
    static const double h[2] = {0, 5};
    augur_relation_options o = {
        .inequality = ineq[b % 3],
        .equality = (b / 3) % 2 ? AUGUR_PENALTY_LINEAR_EQUALITY
                                : AUGUR_PENALTY_QUADRATIC_EQUALITY,
        .k = k[(b / 6) % 4],
        .h = h[(b / 24) % 2],
    };
    return o;
}

static void exercise(const augur_constraints *c, const augur_penalty *p, size_t n)
{
    double x[8];
    for (size_t i = 0; i < n; i++)
        x[i] = 0.5 + (double)i;
    if (c)
        (void)augur_constraints_apply(c, x);
    if (c)
        (void)augur_constraints_satisfied(c, x);
    if (p)
        (void)augur_penalty_value(p, x, n, 3);
}

static void constraints_round_trip(const augur_constraints *c, size_t n)
{
    char *first = NULL, *second = NULL, err[512];
    int rc = augur_constraints_write(c, &first);
    if (rc == AUGUR_ENOMEM)
        return;
    if (rc != AUGUR_OK)
        fuzz_broken("parsed mappings cannot be written", augur_constraints_errmsg(c),
                    NULL);
    augur_constraints *c2 = NULL;
    augur_penalty *p2 = NULL;
    rc = augur_relations_parse(first, n, NULL, &c2, &p2, err, sizeof err);
    if (rc != AUGUR_OK && rc != AUGUR_ENOMEM)
        fuzz_broken("written mappings do not read back", first, err);
    if (rc == AUGUR_OK && (p2 || !c2))
        fuzz_broken("written mappings read back as penalties", first, NULL);
    if (rc == AUGUR_OK && augur_constraints_write(c2, &second) == AUGUR_OK &&
        strcmp(first, second) != 0)
        fuzz_broken("mappings -> text -> mappings is not stable", first, second);
    augur_constraints_destroy(c2);
    augur_penalty_destroy(p2);
    free(first);
    free(second);
}

static void penalty_round_trip(const augur_penalty *p, size_t n)
{
    char *first = NULL, *second = NULL, err[512];
    augur_relation_options o1, o2;
    int rc = augur_penalty_write(p, &first, &o1);
    if (rc == AUGUR_ENOMEM)
        return;
    if (rc != AUGUR_OK)
        fuzz_broken("parsed penalties cannot be written", augur_penalty_errmsg(p), NULL);
    augur_constraints *c2 = NULL;
    augur_penalty *p2 = NULL;
    rc = augur_relations_parse(first, n, &o1, &c2, &p2, err, sizeof err);
    if (rc != AUGUR_OK && rc != AUGUR_ENOMEM)
        fuzz_broken("written penalties do not read back", first, err);
    if (rc == AUGUR_OK && (c2 || !p2))
        fuzz_broken("written penalties read back as mappings", first, NULL);
    if (rc == AUGUR_OK && augur_penalty_write(p2, &second, &o2) == AUGUR_OK &&
        (strcmp(first, second) != 0 || o1.inequality != o2.inequality ||
         o1.equality != o2.equality || o1.k != o2.k || o1.h != o2.h))
        fuzz_broken("penalty -> text -> penalty is not stable", first, second);
    augur_constraints_destroy(c2);
    augur_penalty_destroy(p2);
    free(first);
    free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t n = 1 + data[0] % 8;
    augur_relation_options opt = options(data[1]);
    char *text = fuzz_text(data + 2, size - 2);
    if (!text)
        return 0;
    char err[512];
    augur_constraints *c = NULL;
    augur_penalty *p = NULL;
    if (augur_relations_parse(text, n, &opt, &c, &p, err, sizeof err) == AUGUR_OK) {
        exercise(c, p, n);
        if (c)
            constraints_round_trip(c, n);
        if (p)
            penalty_round_trip(p, n);
    }
    augur_constraints_destroy(c);
    augur_penalty_destroy(p);
    free(text);
    return 0;
}
