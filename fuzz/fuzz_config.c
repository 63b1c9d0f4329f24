/* fuzz_config.c - libFuzzer harness for the config loader (augur/config.h).
 *
 * The input is a config file's text, loaded with augur_job_load_string and
 * destroyed again: parsing, overrides-free building of the problem (model,
 * formula, fit data, plugin), the solver spec, monitors, map and output
 * settings, and every error path, without running a solve. The loader
 * resolves relative paths against the working directory, so scripts/fuzz.sh
 * runs this harness in a scratch directory holding a copy of
 * examples/data/ as data/: the example configs' fits then load their data.
 * The loader writes nothing. */
#include "augur/config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    char err[1024];
    augur_job *job = NULL;
    if (augur_job_load_string(text, "fuzz.cfg", NULL, &job, err, sizeof err) == 0)
        augur_job_destroy(job);
    free(text);
    return 0;
}
