/* checkpoint.c - a solver's whole state to a file and back
 * (augur_solver_save, augur_solver_restore; docs/CHECKPOINTS.md).
 *
 * A checkpoint is the solver's spec (settings: spec_write.c) plus its run
 * state at a generation boundary: the base's (generator state as a hex
 * blob, counts, best point, the kept energy history, the last
 * generation's trial rows) and the algorithm's, which each type writes
 * and reads through its save and restore hooks (plugin.h) with the
 * augur_ckpt_put_* calls (checkpoint_tape.c) and _get_* calls here. The text is libconfig, the
 * state's numbers as C99 hex floats in strings ("0x1.8p+3": exact, and
 * made from the bits without the trial snprintf and strtod of the shortest
 * decimal form, which cost most of a save; format 1 wrote those and is
 * still read), so a restored run continues bit for bit. The file is a short header (format, version, an FNV-1a
 * checksum of the body), then the body; it is written to a temporary file
 * in the same directory, synced, renamed over the old one and the
 * directory synced, so a kill at any moment leaves the previous checkpoint
 * whole. A file that is not a checkpoint, is of a newer format, or whose
 * body does not match its checksum is refused with a message. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "augur/spec.h"
#include "checkpoint_int.h"
#include "setting_int.h"
#include "solver_int.h"
#include "spec_int.h"
#include "strbuf.h"

#define CKPT_FORMAT "augur-checkpoint"
#define CKPT_VERSION 2   /* 2: hex floats; 1: shortest decimals */
#define CKPT_BODY "# the checksum covers every byte below this line\n"


int augur_ckpt_fail(augur_ckpt *c, int code, const char *fmt, ...)
{
    if (c->rc != AUGUR_OK)
        return code;    /* the first failure is the one reported */
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(c->err, sizeof c->err, code, fmt, ap);
    va_end(ap);
    c->rc = code;
    return code;
}

/* --- Reading ------------------------------------------------------------ */

static const config_setting_t *member(augur_ckpt *c, const char *name)
{
    const config_setting_t *m =
        c->group ? config_setting_get_member(c->group, name) : NULL;
    if (!m) {
        char path[160];
        augur__setting_path(c->group, path, sizeof path);
        augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: %s%s%s is missing",
                        path, path[0] ? "." : "", name);
    }
    return m;
}

static int bad_value(augur_ckpt *c, const config_setting_t *m, const char *what)
{
    char path[160];
    augur__setting_path(m, path, sizeof path);
    return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: %s (line %d): %s",
                           path, config_setting_source_line(m), what);
}

/* "[-]0x<hex>[.<hex>]p<exp>" and nothing else: the form format 2 writes,
 * which strtod reads exactly. */
int augur_ckpt_get_doubles(augur_ckpt *c, const char *name, double *a, size_t m)
{
    const config_setting_t *s = member(c, name);
    if (!s)
        return c->rc;
    if (config_setting_type(s) != CONFIG_TYPE_LIST ||
        (size_t)config_setting_length(s) != m) {
        char what[80];
        snprintf(what, sizeof what, "expected a list of %zu numbers", m);
        return bad_value(c, s, what);
    }
    for (size_t k = 0; k < m; k++)
        if (!augur__setting_element_double(config_setting_get_elem(s, (unsigned)k), &a[k]))
            return bad_value(c, s, "not a number");
    return AUGUR_OK;
}

int augur_ckpt_get_double(augur_ckpt *c, const char *name, double *v)
{
    return augur_ckpt_get_doubles(c, name, v, 1);
}

static const char *get_string(augur_ckpt *c, const char *name)
{
    const config_setting_t *s = member(c, name);
    if (!s)
        return NULL;
    const char *t = config_setting_get_string(s);
    if (!t)
        bad_value(c, s, "expected a string");
    return t;
}

int augur_ckpt_get_size(augur_ckpt *c, const char *name, size_t *v)
{
    const char *t = get_string(c, name);
    if (!t)
        return c->rc;
    char *end;
    errno = 0;
    unsigned long long u = strtoull(t, &end, 10);
    if (errno || end == t || *end || u > SIZE_MAX)
        return bad_value(c, member(c, name), "expected a whole number");
    *v = (size_t)u;
    return AUGUR_OK;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

int augur_ckpt_get_bytes(augur_ckpt *c, const char *name, void *a, size_t m)
{
    const char *t = get_string(c, name);
    if (!t)
        return c->rc;
    if (strlen(t) != 2 * m) {
        char what[80];
        snprintf(what, sizeof what, "expected %zu bytes of hex", m);
        return bad_value(c, member(c, name), what);
    }
    unsigned char *p = a;
    for (size_t k = 0; k < m; k++) {
        int hi = hex_digit(t[2 * k]), lo = hex_digit(t[2 * k + 1]);
        if (hi < 0 || lo < 0)
            return bad_value(c, member(c, name), "not hex");
        p[k] = (unsigned char)(hi * 16 + lo);
    }
    return AUGUR_OK;
}

static int enter(augur_ckpt *c, const char *name, const config_setting_t **saved)
{
    const config_setting_t *g = member(c, name);
    if (!g)
        return c->rc;
    if (!config_setting_is_group(g))
        return bad_value(c, g, "expected a group");
    *saved = c->group;
    c->group = g;
    return AUGUR_OK;
}

/* --- The base's state ---------------------------------------------------- */

static const char *refusal(const augur_solver *s)
{
    const char *name = s->type->name;
    if (!strncmp(name, "nlopt:", 6))
        return "runs its own loop inside NLopt and cannot be checkpointed";
    if (!strncmp(name, "gsl:", 4))
        return "keeps its state inside GSL and cannot be checkpointed";
    return "has no save and restore hooks and cannot be checkpointed";
}

/* A condition that remembers values between checks says so with a reset
 * hook; none of the built-ins does, and a checkpoint cannot carry what a
 * third-party one keeps. */
static int term_stateless(const augur_termination *t, const char **who)
{
    if (!t)
        return 1;
    if (augur_term_get_type(t)->reset) {
        *who = augur_term_get_type(t)->name;
        return 0;
    }
    for (size_t k = 0; k < augur_term_child_count(t); k++)
        if (!term_stateless(augur_term_child(t, k), who))
            return 0;
    return 1;
}

static void write_base(augur_ckpt *c, const augur_solver *s)
{
    augur__ckpt_open_group(c, "base");
    augur_ckpt_put_size(c, "started", (size_t)s->started);
    augur_ckpt_put_bytes(c, "seed", &s->seed, sizeof s->seed);
    augur_ckpt_put_size(c, "evaluations", s->evaluations);
    augur_ckpt_put_size(c, "records", s->hist_len);
    augur_ckpt_put_size(c, "evals-at-record", s->evals_at_record);
    augur_ckpt_put_size(c, "idle-steps", s->idle_steps);
    augur_ckpt_put_double(c, "elapsed", augur_solver_elapsed(s));
    augur_ckpt_put_size(c, "has-best", (size_t)s->has_best);
    augur_ckpt_put_double(c, "best-f", s->best_f);
    augur_ckpt_put_doubles(c, "best-x", s->best_x, s->n);
    augur_ckpt_put_doubles(c, "record-x", s->rec_x, s->n);
    augur_ckpt_put_doubles(c, "previous-record-x", s->prev_rec_x, s->n);
    augur_ckpt_put_double(c, "history-first", s->hist_first);
    augur_ckpt_put_size(c, "history-kept", s->hist_kept);
    augur_ckpt_put_doubles(c, "history", s->hist, s->hist_kept);
    augur_ckpt_put_size(c, "trials", s->ntrial);
    augur_ckpt_put_doubles(c, "trial", s->trial_view, s->trial_view ? s->ntrial * s->n : 0);
    /* a generator not drawn from yet is seeded from the seed (in the spec)
     * at its first use: the flag is saved, and the state only once it
     * means something */
    augur_ckpt_put_size(c, "rng-unused", s->rng_stale ? 1 : 0);
    augur__ckpt_put_string(c, "rng-type", gsl_rng_name(s->rng));
    augur_ckpt_put_bytes(c, "rng", gsl_rng_state(s->rng), gsl_rng_size(s->rng));
    augur__ckpt_close_group(c);
}

static void write_solver(augur_ckpt *c, const augur_solver *s)
{
    augur_solver *w = (augur_solver *)s;   /* the message only */
    const char *who = NULL;
    if (s->started && (!s->type->save || !s->type->restore)) {
        augur_ckpt_fail(c, AUGUR_EUNSUP, "%s %s", s->type->name, refusal(s));
        return;
    }
    if (!term_stateless(s->term, &who)) {
        augur_ckpt_fail(c, AUGUR_EUNSUP, "%s: the termination condition %s "
                        "remembers values a checkpoint cannot carry",
                        s->type->name, who);
        return;
    }
    augur__spec_cache *cache = c->spec;
    c->spec = NULL;   /* the top solver's only, not its inner runs' */
    char *spec = NULL;
    int rc = AUGUR_OK;
    if (cache && cache->text && cache->solver == s && cache->settings == s->settings)
        spec = cache->text;
    else if ((rc = augur_solver_write_spec(s, &spec)) != AUGUR_OK) {
        augur_ckpt_fail(c, rc, "%s", augur_solver_errmsg(s));
        return;
    }
    augur__ckpt_put_string(c, "spec", spec);
    if (cache && spec != cache->text) {
        free(cache->text);
        *cache = (augur__spec_cache){.solver = s, .settings = s->settings, .text = spec};
    } else if (!cache) {
        free(spec);
    }
    write_base(c, s);
    if (s->started) {
        augur__ckpt_open_group(c, "state");
        rc = s->type->save(s, s->state, c);
        if (rc != AUGUR_OK)
            augur_ckpt_fail(c, rc, "%s: %s", s->type->name, augur_solver_errmsg(w));
        augur__ckpt_close_group(c);
    }
}

int augur_ckpt_put_solver(augur_ckpt *c, const char *name, const augur_solver *inner)
{
    augur__ckpt_open_group(c, name);
    write_solver(c, inner);
    augur__ckpt_close_group(c);
    return c->rc;
}

static int read_base(augur_ckpt *c, augur_solver *s)
{
    size_t started = 0, has_best = 0, kept = 0, ntrial = 0;
    double elapsed = 0;
    augur_ckpt_get_size(c, "started", &started);
    augur_ckpt_get_bytes(c, "seed", &s->seed, sizeof s->seed);
    augur_ckpt_get_size(c, "evaluations", &s->evaluations);
    augur_ckpt_get_size(c, "records", &s->hist_len);
    augur_ckpt_get_size(c, "evals-at-record", &s->evals_at_record);
    augur_ckpt_get_size(c, "idle-steps", &s->idle_steps);
    augur_ckpt_get_double(c, "elapsed", &elapsed);
    augur_ckpt_get_size(c, "has-best", &has_best);
    augur_ckpt_get_double(c, "best-f", &s->best_f);
    augur_ckpt_get_doubles(c, "best-x", s->best_x, s->n);
    augur_ckpt_get_doubles(c, "record-x", s->rec_x, s->n);
    augur_ckpt_get_doubles(c, "previous-record-x", s->prev_rec_x, s->n);
    augur_ckpt_get_double(c, "history-first", &s->hist_first);
    augur_ckpt_get_size(c, "history-kept", &kept);
    augur_ckpt_get_size(c, "trials", &ntrial);
    if (c->rc != AUGUR_OK)
        return c->rc;
    if (kept > s->hist_len || (started && kept == 0) || ntrial > SIZE_MAX / s->n / 2)
        return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: inconsistent counts");
    s->hist = augur__malloc_array(kept ? kept : 1, sizeof *s->hist);
    s->restored_trial = augur__malloc_array(ntrial * s->n + 1, sizeof *s->hist);
    if (!s->hist || !s->restored_trial)
        return augur_ckpt_fail(c, AUGUR_ENOMEM, "checkpoint: out of memory");
    s->hist_cap = kept ? kept : 1;
    s->hist_kept = kept;
    augur_ckpt_get_doubles(c, "history", s->hist, kept);
    augur_ckpt_get_doubles(c, "trial", s->restored_trial, ntrial * s->n);
    s->trial_view = s->restored_trial;
    s->ntrial = ntrial;
    const char *rng_type = get_string(c, "rng-type");
    if (rng_type && strcmp(rng_type, gsl_rng_name(s->rng)) != 0)
        return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: generator %s, not "
                               "this build's %s", rng_type, gsl_rng_name(s->rng));
    size_t unused = 0;
    augur_ckpt_get_size(c, "rng-unused", &unused);
    augur_ckpt_get_bytes(c, "rng", gsl_rng_state(s->rng), gsl_rng_size(s->rng));
    s->rng_stale = unused != 0;
    s->started = started != 0;
    s->has_best = has_best != 0;
    s->seed_set = 1;
    s->elapsed = elapsed;
    return c->rc;
}

/* The solver of a spec; with c->defer_mpi (the top solver, once) an
 * "mpi" map is left out - it can be made only once MPI runs, which needs
 * the job loaded first - and c->wants_mpi says it was there. */
static int solver_of_spec(augur_ckpt *c, const char *spec, augur_solver **s,
                          char *err, size_t cap)
{
    if (!c->defer_mpi)
        return augur_solver_read_spec(spec, s, err, cap);
    c->defer_mpi = 0;
    config_t cfg;
    config_init(&cfg);
    config_set_auto_convert(&cfg, 1);
    int rc = AUGUR_OK;
    if (config_read_string(&cfg, spec) != CONFIG_TRUE)
        rc = augur__fail_msg(err, cap, AUGUR_EINVAL, "spec (line %d): %s",
                             config_error_line(&cfg), config_error_text(&cfg));
    config_setting_t *root = config_root_setting(&cfg);
    const char *map = NULL;
    if (rc == AUGUR_OK && config_lookup_string(&cfg, "map.type", &map) &&
        augur__name_eq(map, "mpi")) {
        config_setting_remove(root, "map");
        c->wants_mpi = 1;
    }
    if (rc == AUGUR_OK)
        rc = augur__spec_solver_from(root, s, err, cap);
    config_destroy(&cfg);
    return rc;
}

/* The solver described by the current group: spec, base, state. */
static augur_solver *read_solver(augur_ckpt *c)
{
    const char *spec = get_string(c, "spec");
    if (!spec)
        return NULL;
    augur_solver *s = NULL;
    char err[AUGUR_ERRMSG_CAP];
    int rc = solver_of_spec(c, spec, &s, err, sizeof err);
    if (rc != AUGUR_OK) {
        augur_ckpt_fail(c, rc, "checkpoint: its spec: %s", err);
        return NULL;
    }
    const config_setting_t *outer = NULL;
    if (enter(c, "base", &outer) == AUGUR_OK) {
        read_base(c, s);
        c->group = outer;
    }
    if (c->rc == AUGUR_OK && s->started) {
        if (!s->type->restore)
            augur_ckpt_fail(c, AUGUR_EUNSUP, "%s %s", s->type->name, refusal(s));
        else if (enter(c, "state", &outer) == AUGUR_OK) {
            rc = s->type->restore(s, s->state, c);
            if (rc != AUGUR_OK)
                augur_ckpt_fail(c, rc, "%s: %s", s->type->name,
                                s->errmsg[0] ? s->errmsg : c->err);
            s->finished_restored = s->finished;
            c->group = outer;
        }
    }
    if (c->rc != AUGUR_OK) {
        augur_solver_destroy(s);
        return NULL;
    }
    augur__solver_resolve_limits(s);
    return s;
}

augur_solver *augur_ckpt_get_solver(augur_ckpt *c, const char *name)
{
    const config_setting_t *outer = NULL;
    if (enter(c, name, &outer) != AUGUR_OK)
        return NULL;
    augur_solver *s = read_solver(c);
    c->group = outer;
    return s;
}

/* --- The file ----------------------------------------------------------- */

static uint64_t fnv1a(const char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t k = 0; k < len; k++) {
        h ^= (unsigned char)p[k];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Write head and body to path atomically (core/replace.c): a kill -9 at
 * any moment leaves the previous checkpoint whole. */
static int write_atomic(const char *path, const char *head, const char *body,
                        const augur__ckpt_superseded *newer, char *err, size_t cap)
{
    augur__replacement r;
    int rc = augur__replace_begin(&r, path, 0600, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    if (augur__replace_write(&r, head, strlen(head)) != 0 ||
        augur__replace_write(&r, body, strlen(body)) != 0) {
        rc = augur__fail_msg(err, cap, AUGUR_EIO, "%s: %s", path, strerror(errno));
        augur__replace_abort(&r);
        return rc;
    }
    if (newer && newer->check(newer->arg)) {   /* before the syncs, the slow part */
        augur__replace_abort(&r);
        return AUGUR_STOPPED;
    }
    return augur__replace_commit(&r, err, cap);
}

int augur__ckpt_capture(augur__tape *tape, const augur_solver *s, const char *job,
                        augur__spec_cache *spec, char *err, size_t cap)
{
    tape->len = 0;
    tape->failed = 0;
    augur_ckpt c = {.tape = tape, .spec = spec};
    if (job)
        augur__ckpt_put_string(&c, "job", job);
    augur_ckpt_put_solver(&c, "solver", s);
    if (c.rc != AUGUR_OK)
        return augur__fail_msg(err, cap, c.rc, "%s", c.err);
    if (tape->failed)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "checkpoint: out of memory");
    return AUGUR_OK;
}

int augur__ckpt_write_tape(const augur__tape *tape, augur_strbuf *body,
                           const char *path, const augur__ckpt_superseded *newer,
                           char *err, size_t cap)
{
    augur__sb_clear(body);
    augur__ckpt_replay(body, tape);
    if (body->failed || !body->text)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "checkpoint: out of memory");
    char head[512];
    snprintf(head, sizeof head,
             "# augur checkpoint: a run's state at a generation boundary; "
             "continue it with\n# augur_solver_restore()\n"
             "format = \"" CKPT_FORMAT "\";\nversion = %d;\n"
             "checksum = \"fnv1a-64:%016" PRIx64 "\";\n" CKPT_BODY,
             CKPT_VERSION, fnv1a(body->text, body->len));
    return write_atomic(path, head, body->text, newer, err, cap);
}

int augur_solver_save_job(const augur_solver *s, const char *path, const char *job)
{
    if (!s)
        return AUGUR_EINVAL;
    augur_solver *w = (augur_solver *)s;   /* the message only */
    augur__solver_clear(w);
    augur__tape tape = {0};
    augur_strbuf body = {0};
    int rc = augur__ckpt_capture(&tape, s, job, NULL, w->errmsg, sizeof w->errmsg);
    if (rc == AUGUR_OK)
        rc = augur__ckpt_write_tape(&tape, &body, path, NULL, w->errmsg,
                                    sizeof w->errmsg);
    free(tape.bytes);
    free(body.text);
    return rc;
}

int augur_solver_save(const augur_solver *s, const char *path)
{
    return augur_solver_save_job(s, path, NULL);
}

static char *read_file(const char *path, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        augur__fail_msg(err, cap, AUGUR_EIO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, room = 1 << 16;
    char *text = malloc(room);
    size_t got;
    while (text && (got = fread(text + len, 1, room - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == room) {
            char *grown = len < augur__max_config_bytes() ? realloc(text, 2 * room) : NULL;
            if (!grown) {
                free(text);
                text = NULL;
                break;
            }
            text = grown;
            room *= 2;
        }
    }
    fclose(f);
    if (!text)
        augur__fail_msg(err, cap, AUGUR_ENOMEM, "%s: too large or out of memory", path);
    else
        text[len] = '\0';
    return text;
}

/* The header's checks, before libconfig sees the text, so that a foreign,
 * newer or damaged file gets a message that says so. */
static int check_header(const char *path, const char *text, char *err, size_t cap)
{
    const char *fmt = strstr(text, "format = \"" CKPT_FORMAT "\";");
    const char *body = strstr(text, CKPT_BODY);
    if (!fmt || !body || fmt > body)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: not an augur checkpoint", path);
    const char *v = strstr(text, "\nversion = ");
    int version = 0;
    if (!v || v > body || sscanf(v, "\nversion = %d;", &version) != 1)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: the checkpoint has no format version", path);
    if (version > CKPT_VERSION)
        return augur__fail_msg(err, cap, AUGUR_EUNSUP,
                               "%s: written by a newer augur (checkpoint format %d; "
                               "this one reads %d)", path, version, CKPT_VERSION);
    const char *sum = strstr(text, "\nchecksum = \"fnv1a-64:");
    uint64_t want = 0;
    if (!sum || sum > body ||
        sscanf(sum, "\nchecksum = \"fnv1a-64:%" SCNx64 "\";", &want) != 1)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: the checkpoint has no checksum", path);
    body += strlen(CKPT_BODY);
    if (fnv1a(body, strlen(body)) != want)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: the checkpoint is corrupt or truncated (its "
                               "checksum does not match)", path);
    return AUGUR_OK;
}

augur_solver *augur__solver_restore_ex(const char *path, char **job, int *wants_mpi,
                                       char *err, size_t cap)
{
    if (job)
        *job = NULL;
    if (!path) {
        augur__fail_msg(err, cap, AUGUR_EINVAL, "no checkpoint file named");
        return NULL;
    }
    char *text = read_file(path, err, cap);
    if (!text)
        return NULL;
    augur_solver *s = NULL;
    config_t cfg;
    config_init(&cfg);
    if (check_header(path, text, err, cap) != AUGUR_OK)
        goto done;
    if (!config_read_string(&cfg, text)) {
        augur__fail_msg(err, cap, AUGUR_EINVAL, "%s:%d: %s", path,
                        config_error_line(&cfg), config_error_text(&cfg));
        goto done;
    }
    augur_ckpt c = {.group = config_root_setting(&cfg), .defer_mpi = wants_mpi != NULL};
    const config_setting_t *j = config_setting_get_member(c.group, "job");
    s = augur_ckpt_get_solver(&c, "solver");
    if (!s) {
        augur__fail_msg(err, cap, c.rc ? c.rc : AUGUR_EINVAL, "%s: %s", path, c.err);
        goto done;
    }
    if (wants_mpi)
        *wants_mpi = c.wants_mpi;
    if (job && j && config_setting_get_string(j)) {
        *job = strdup(config_setting_get_string(j));
        if (!*job) {
            augur_solver_destroy(s);
            s = NULL;
            augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        }
    }
done:
    config_destroy(&cfg);
    free(text);
    return s;
}

augur_solver *augur_solver_restore_job(const char *path, char **job, char *err,
                                       size_t cap)
{
    return augur__solver_restore_ex(path, job, NULL, err, cap);
}

augur_solver *augur_solver_restore(const char *path, char *err, size_t cap)
{
    return augur_solver_restore_job(path, NULL, err, cap);
}
