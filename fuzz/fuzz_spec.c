/* fuzz_spec.c - libFuzzer harness for specs (augur/spec.h).
 *
 * The first byte chooses the reader: even, a solver spec
 * (augur_solver_read_spec); odd, a termination spec (augur_term_read_spec).
 * The rest is the spec text. When it reads, the object is written back and
 * the written text read and written again: spec -> object -> spec must be
 * stable (the second text equal to the first, byte for byte), and a spec
 * that was read must be writable (nothing in text can lack a written
 * form). Any break of that promise aborts, so libFuzzer keeps the input. */
#include "augur/spec.h"
#include "augur/status.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void solver_round_trip(const char *text)
{
    char err[512];
    augur_solver *s = NULL;
    if (augur_solver_read_spec(text, &s, err, sizeof err) != AUGUR_OK)
        return;
    char *first = NULL, *second = NULL;
    int rc = augur_solver_write_spec(s, &first);
    augur_solver_destroy(s);
    s = NULL;
    if (rc == AUGUR_ENOMEM)
        return;
    if (rc != AUGUR_OK)
        fuzz_broken("a solver spec that was read cannot be written", text, NULL);
    rc = augur_solver_read_spec(first, &s, err, sizeof err);
    if (rc != AUGUR_OK && rc != AUGUR_ENOMEM)
        fuzz_broken("a written solver spec does not read back", first, err);
    if (rc == AUGUR_OK && (rc = augur_solver_write_spec(s, &second)) == AUGUR_OK &&
        strcmp(first, second) != 0)
        fuzz_broken("solver spec -> object -> spec is not stable", first, second);
    augur_solver_destroy(s);
    free(first);
    free(second);
}

static void term_round_trip(const char *text)
{
    char err[512];
    augur_termination *t = NULL;
    if (augur_term_read_spec(text, &t, err, sizeof err) != AUGUR_OK)
        return;
    char *first = NULL, *second = NULL;
    int rc = augur_term_write_spec(t, &first);
    augur_term_destroy(t);
    t = NULL;
    if (rc == AUGUR_ENOMEM)
        return;
    if (rc != AUGUR_OK)
        fuzz_broken("a termination spec that was read cannot be written", text, NULL);
    rc = augur_term_read_spec(first, &t, err, sizeof err);
    if (rc != AUGUR_OK && rc != AUGUR_ENOMEM)
        fuzz_broken("a written termination spec does not read back", first, err);
    if (rc == AUGUR_OK && (rc = augur_term_write_spec(t, &second)) == AUGUR_OK &&
        strcmp(first, second) != 0)
        fuzz_broken("termination spec -> object -> spec is not stable", first, second);
    augur_term_destroy(t);
    free(first);
    free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *text = fuzz_text(data + 1, size - 1);
    if (!text)
        return 0;
    if (data[0] % 2 == 0)
        solver_round_trip(text);
    else
        term_round_trip(text);
    free(text);
    return 0;
}
