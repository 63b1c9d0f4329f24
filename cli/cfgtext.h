/* cfgtext.h - private to the `augur` command: a libconfig tree as text with
 * exact numbers (cfgtext.c says why compare needs it). */
#ifndef AUGUR_CLI_CFGTEXT_H
#define AUGUR_CLI_CFGTEXT_H

#include <libconfig.h>

/* The whole tree as libconfig text in *text (malloc'd; free it). 0, or -1
 * when out of memory (*text NULL). */
int cfgtext_write(const config_t *c, char **text);

#endif
