/* peek.h - private to the `augur` command: a config file's settings read
 * before the library loads it (peek.c says why). */
#ifndef AUGUR_CLI_PEEK_H
#define AUGUR_CLI_PEEK_H

#include <libconfig.h>
#include <stddef.h>
#include "cli.h"

/* Parse path as the library does. 0, or -1 (c must be destroyed either
 * way). */
int peek_read(const char *path, config_t *c);
/* The value of the last --set of exactly `key`, unquoted, in buf; or NULL. */
const char *peek_set(const cli_options *o, const char *key, char *buf, size_t cap);
/* Set the tree's "mpi" maps (top level and the solver's) to serial. */
void make_serial(config_t *c);

#endif
