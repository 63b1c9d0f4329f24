/* checkpoint_tape.c - the writing half of a checkpoint's calls: the
 * augur_ckpt_put_* calls record, replay makes the text (checkpoint.c has
 * the file, the reading calls and the base's state).
 *
 * The put_* calls do not format: they record what they are given on a
 * binary tape (an op, the name copied, the values copied raw), which costs
 * a few memcpy's, so that a save can be captured on the solver's thread
 * in microseconds and turned into text elsewhere (checkpointer.c). replay
 * makes the text from the tape, and every save, synchronous or not,
 * goes through it, so the two write the same bytes for the same state.
 * A record: op (one byte), name length and name, payload length and
 * payload; sizes as size_t, read back with memcpy (the tape is not
 * aligned). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint_int.h"
#include "solver_int.h"
#include "strbuf.h"

enum { OP_DOUBLES = 1, OP_SIZE, OP_BYTES, OP_STRING, OP_OPEN, OP_CLOSE };

static int tape_reserve(augur__tape *t, size_t more)
{
    if (t->failed || more > SIZE_MAX / 4 - t->len)
        return t->failed = 1, 0;
    if (t->len + more <= t->cap)
        return 1;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + more)
        cap *= 2;
    unsigned char *b = realloc(t->bytes, cap);
    if (!b)
        return t->failed = 1, 0;
    t->bytes = b;
    t->cap = cap;
    return 1;
}

/* One record, in one reservation and a few memcpy's: a capture is some
 * fifty of these, and must cost far less than a generation. */
static void record(augur_ckpt *c, int op, const char *name, const void *data,
                   size_t len)
{
    augur__tape *t = c->tape;
    size_t nlen = name ? strlen(name) : 0;
    if (!tape_reserve(t, 1 + 2 * sizeof(size_t) + nlen + len))
        return;
    unsigned char *p = t->bytes + t->len;
    *p++ = (unsigned char)op;
    memcpy(p, &nlen, sizeof nlen);
    p += sizeof nlen;
    if (nlen)
        memcpy(p, name, nlen);
    p += nlen;
    memcpy(p, &len, sizeof len);
    p += sizeof len;
    if (len)
        memcpy(p, data, len);
    t->len = (size_t)(p - t->bytes) + len;
}

void augur_ckpt_put_doubles(augur_ckpt *c, const char *name, const double *a,
                            size_t m)
{
    if (m > SIZE_MAX / sizeof *a) {
        augur_ckpt_fail(c, AUGUR_ENOMEM, "checkpoint: %s: too many numbers", name);
        return;
    }
    record(c, OP_DOUBLES, name, a, m * sizeof *a);
}

void augur_ckpt_put_double(augur_ckpt *c, const char *name, double v)
{
    augur_ckpt_put_doubles(c, name, &v, 1);
}

void augur_ckpt_put_size(augur_ckpt *c, const char *name, size_t v)
{
    record(c, OP_SIZE, name, &v, sizeof v);
}

void augur_ckpt_put_bytes(augur_ckpt *c, const char *name, const void *a, size_t m)
{
    record(c, OP_BYTES, name, a, m);
}

/* With its NUL, so that replay can hand it to augur__sb_string as it is. */
void augur__ckpt_put_string(augur_ckpt *c, const char *name, const char *text)
{
    record(c, OP_STRING, name, text, strlen(text) + 1);
}

void augur__ckpt_open_group(augur_ckpt *c, const char *name)
{
    record(c, OP_OPEN, name, NULL, 0);
}

void augur__ckpt_close_group(augur_ckpt *c)
{
    record(c, OP_CLOSE, NULL, NULL, 0);
}

static void text_name(augur_strbuf *b, int depth, const char *name, size_t len)
{
    augur__sb_indent(b, depth);
    augur__sb_append(b, name, len);
    augur__sb_append(b, " = ", 3);
}

static void text_doubles(augur_strbuf *b, const char *p, size_t len)
{
    augur__sb_append(b, "(", 1);
    for (size_t k = 0; k < len / sizeof(double); k++) {
        double v;
        memcpy(&v, p + k * sizeof v, sizeof v);
        if (k)
            augur__sb_append(b, k % 8 ? ", " : ",\n", 2);
        augur__sb_hex_double(b, v);
    }
    augur__sb_append(b, ");\n", 3);
}

/* One record as text; the tape's bytes after it. */
static const char *replay_one(augur_strbuf *b, int *depth, const char *p)
{
    int op = (unsigned char)*p++;
    size_t nlen, len;
    memcpy(&nlen, p, sizeof nlen);
    const char *name = p + sizeof nlen;
    p = name + nlen;
    memcpy(&len, p, sizeof len);
    p += sizeof len;
    if (op == OP_CLOSE) {
        --*depth;
        augur__sb_indent(b, *depth);
        augur__sb_append(b, "};\n", 3);
        return p;
    }
    text_name(b, *depth, name, nlen);
    if (op == OP_DOUBLES) {
        text_doubles(b, p, len);
    } else if (op == OP_SIZE) {
        size_t v;
        memcpy(&v, p, sizeof v);
        augur__sb_printf(b, "\"%zu\";\n", v);
    } else if (op == OP_BYTES) {
        augur__sb_append(b, "\"", 1);
        augur__sb_hex_bytes(b, p, len);
        augur__sb_append(b, "\";\n", 3);
    } else if (op == OP_STRING) {
        augur__sb_string(b, p);
        augur__sb_append(b, ";\n", 2);
    } else {
        augur__sb_append(b, "{\n", 2);
        ++*depth;
    }
    return p + len;
}

/* The checkpoint's body: the text the tape's records stand for. */
void augur__ckpt_replay(augur_strbuf *b, const augur__tape *tape)
{
    int depth = 0;
    const char *p = (const char *)tape->bytes, *end = p + tape->len;
    while (p && p < end)
        p = replay_one(b, &depth, p);
}
