/* spec_int.h - private to augur: writing and reading specs at the level of
 * libconfig settings and text buffers, shared by spec_write.c,
 * spec_read.c, spec_rules.c, the config-file reader and the results
 * writer. */
#ifndef AUGUR_SPEC_INT_H
#define AUGUR_SPEC_INT_H

#include <libconfig.h>
#include "augur/spec.h"
#include "setting_int.h"
#include "strbuf.h"

/* Append the spec's settings at the given indentation depth. A solver
 * whose constraints or penalty have no written form (a callback, a user
 * penalty), or whose nested solver has such, is AUGUR_EUNSUP with a
 * message in err. */
int augur__spec_emit_solver(augur_strbuf *b, const augur_solver *s, int depth,
                            char *err, size_t cap);
void augur__spec_emit_term(augur_strbuf *b, const augur_termination *t, int depth);

/* Build from a group setting. Messages name the setting's path and line. */
int augur__spec_solver_from(const config_setting_t *g, augur_solver **out,
                            char *err, size_t cap);
int augur__spec_term_from(const config_setting_t *g, augur_termination **out,
                          char *err, size_t cap);

/* A solver's constraints and penalty (spec_rules.c): written when present,
 * and read from the settings "constraints" and "penalty". */
int augur__spec_emit_rules(augur_strbuf *b, const augur_solver *s, int depth,
                           char *err, size_t cap);
int augur__spec_read_constraints(const config_setting_t *m, augur_solver *s,
                                 char *err, size_t cap);
int augur__spec_read_penalty(const config_setting_t *m, augur_solver *s, char *err,
                             size_t cap);

#endif
