/* rewrite.c - the config file as `augur compare` runs it under another
 * solver type.
 *
 * solver.type is replaced and the rest of the solver group kept where it
 * applies: a parameter the new type does not have (nelder-mead's radius
 * under pso) is dropped with a note, as is a nested solver under a type
 * that is not an ensemble. Bounds, starting point, limits, termination,
 * constraints and penalty mean the same to every type and stay. The file's
 * monitors and output go, because compare writes nothing and runs many
 * times. --set values naming a parameter the type lacks are dropped the
 * same way.
 *
 * The library's overrides can change a setting but not remove one, so the
 * file is edited as a parsed tree and written back as text (cfgtext.c),
 * into a temporary file next to the original: relative paths in it (a
 * fit's data) then mean what they meant. The temporary file is removed as
 * soon as it is loaded (loading reads the data); where the directory
 * cannot be written, the text is loaded from memory and relative paths
 * start from the current directory, which a note says. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur/plugin.h"
#include "cfgtext.h"
#include "cli.h"
#include "peek.h"

static int takes_param(const augur_solver_type *t, const char *name)
{
    return augur_param_find(t->params, name) ||
           augur_param_find(augur_solver_base_params(), name);
}

static void note(FILE *notes, const char *type, const char *what)
{
    if (notes)
        fprintf(notes, "augur: compare: %s: %s\n", type, what);
}

/* The solver group with its type replaced (created when missing). */
static config_setting_t *retype(config_t *c, const char *type)
{
    config_setting_t *root = config_root_setting(c);
    config_setting_t *g = config_setting_get_member(root, "solver");
    if (!g)
        g = config_setting_add(root, "solver", CONFIG_TYPE_GROUP);
    if (!g || !config_setting_is_group(g))
        return NULL;
    config_setting_remove(g, "type");
    config_setting_t *t = config_setting_add(g, "type", CONFIG_TYPE_STRING);
    return t && config_setting_set_string(t, type) ? g : NULL;
}

/* Drop from solver g what type t does not take, with notes. */
static void prune_solver(config_setting_t *g, const augur_solver_type *t, FILE *notes)
{
    char what[256];
    config_setting_t *params = config_setting_get_member(g, "parameters");
    unsigned i = 0;
    while (params && config_setting_is_group(params) &&
           i < (unsigned)config_setting_length(params)) {
        const char *name = config_setting_name(config_setting_get_elem(params, i));
        if (takes_param(t, name)) {
            i++;
            continue;
        }
        snprintf(what, sizeof what, "no parameter '%s': dropped", name);
        note(notes, t->name, what);
        config_setting_remove_elem(params, i);   /* the next one moves to i */
    }
    if (config_setting_get_member(g, "nested") && !t->nested_limits) {
        note(notes, t->name, "not an ensemble: the nested solver is dropped");
        config_setting_remove(g, "nested");
    }
}

/* The --set values that apply to type t (a NULL-terminated copy). */
static const char **filter_sets(const cli_options *o, const augur_solver_type *t,
                                FILE *notes)
{
    static const char prefix[] = "solver.parameters.";
    const char **sets = calloc(o->nsets + 1, sizeof *sets);
    size_t n = 0;
    for (size_t i = 0; sets && i < o->nsets; i++) {
        const char *s = o->sets[i];
        if (strncmp(s, prefix, sizeof prefix - 1) == 0) {
            const char *name = s + sizeof prefix - 1;
            char buf[128];
            snprintf(buf, sizeof buf, "%.*s", (int)strcspn(name, "= \t"), name);
            if (!takes_param(t, buf)) {
                char what[256];
                snprintf(what, sizeof what, "no parameter '%s': --set %s dropped", buf, s);
                note(notes, t->name, what);
                continue;
            }
        }
        if (strncmp(s, "solver.type", 11) == 0 && strchr("= \t", s[11])) {
            note(notes, t->name, "--set solver.type dropped (compare sets the type)");
            continue;
        }
        sets[n++] = s;
    }
    return sets;
}

/* Replace every occurrence of `from` in msg by `to` (the temporary file's
 * name by the original's, in messages). */
static void rename_in(char *msg, size_t cap, const char *from, const char *to)
{
    char out[1024];
    size_t len = 0, flen = strlen(from), tlen = strlen(to);
    for (const char *p = msg; *p && len + 1 < sizeof out;) {
        if (strncmp(p, from, flen) == 0 && len + tlen + 1 < sizeof out) {
            memcpy(out + len, to, tlen);
            len += tlen;
            p += flen;
        } else
            out[len++] = *p++;
    }
    out[len] = '\0';
    snprintf(msg, cap, "%s", out);
}

/* A temporary file next to path holding text, or -1 (the name in tmp). */
static int write_beside(const char *path, const char *text, char *tmp, size_t cap)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    snprintf(tmp, cap, "%.*s.augur-compare-XXXXXX", dirlen, path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (close(fd) != 0 || done < len) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Load the edited text as if it were the file. */
static int load_text(const cli_options *o, const char *text, const char *const *sets,
                     augur_job **out, FILE *notes, const char *type)
{
    char err[1024] = "", tmp[4096];
    int rc;
    if (write_beside(o->file, text, tmp, sizeof tmp) == 0) {
        rc = augur_job_load(tmp, sets, out, err, sizeof err);
        unlink(tmp);
        rename_in(err, sizeof err, tmp, o->file);
    } else {
        note(notes, type, "cannot write beside the file: relative paths start here");
        rc = augur_job_load_string(text, o->file, sets, out, err, sizeof err);
    }
    if (rc != AUGUR_OK) {
        fprintf(stderr, "%s (with solver.type = \"%s\")\n", err, type);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int load_for_type(const cli_options *o, const char *type, augur_job **out, FILE *notes)
{
    const augur_solver_type *t = augur_solver_type_find(type);
    *out = NULL;
    if (!t)
        return cli_fail(CLI_USAGE, "compare: no solver '%s' (see: augur list solvers)", type);
    config_t c;
    config_setting_t *g = NULL;
    if (peek_read(o->file, &c) == 0 && (g = retype(&c, t->name)) != NULL) {
        config_setting_remove(config_root_setting(&c), "monitors");
        config_setting_remove(config_root_setting(&c), "output");
        make_serial(&c);   /* compare refuses MPI; --map gives the map */
        prune_solver(g, t, notes);
    }
    char *text = NULL;
    const char **sets = g ? filter_sets(o, t, notes) : NULL;
    int rc = g && sets && cfgtext_write(&c, &text) == 0
                 ? load_text(o, text, sets, out, notes, t->name)
                 : cli_fail(CLI_USAGE, "%s: cannot read it for compare", o->file);
    config_destroy(&c);
    free(text);
    free(sets);
    if (rc == CLI_OK && (rc = apply_seed_and_map(o, *out)) != CLI_OK) {
        augur_job_destroy(*out);
        *out = NULL;
    }
    return rc;
}
