/* spec_int.h - private to augur: writing and reading specs at the level of
 * libconfig settings and text buffers, shared by spec.c, the config-file
 * reader and the results writer. */
#ifndef AUGUR_SPEC_INT_H
#define AUGUR_SPEC_INT_H

#include <libconfig.h>
#include "augur/spec.h"
#include "setting_int.h"
#include "strbuf.h"

/* Append the spec's settings at the given indentation depth. */
void augur__spec_emit_solver(augur_strbuf *b, const augur_solver *s, int depth);
void augur__spec_emit_term(augur_strbuf *b, const augur_termination *t, int depth);

/* Build from a group setting. Messages name the setting's path and line. */
int augur__spec_solver_from(const config_setting_t *g, augur_solver **out,
                            char *err, size_t cap);
int augur__spec_term_from(const config_setting_t *g, augur_termination **out,
                          char *err, size_t cap);

#endif
