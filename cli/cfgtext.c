/* cfgtext.c - a libconfig tree written back as text, with every number
 * exact.
 *
 * `augur compare` must drop solver settings a type does not take, and the
 * library takes a config either as a file or as text (its overrides can
 * change and add settings, never remove one). So compare edits the parsed
 * tree and hands the library this text. libconfig 1.5's own writer rounds
 * floats to six significant digits, which would quietly change a bound or
 * a starting point, so this writer prints "%.17g", which reads back bit
 * for bit; the reader gets exactly the settings the file had. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cfgtext.h"

static void write_setting(FILE *fp, const config_setting_t *s, int depth);

static void indent(FILE *fp, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", fp);
}

static void write_string(FILE *fp, const char *v)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p == '\t')
            fputs("\\t", fp);
        else if (*p == '\r')
            fputs("\\r", fp);
        else if (*p == '\f')
            fputs("\\f", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\x%02x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

/* A float that stays a float when read back ("1" would become an int). */
static void write_float(FILE *fp, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    fputs(buf, fp);
}

static void write_members(FILE *fp, const config_setting_t *s, int depth,
                          const char *sep)
{
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(sep, fp);
        write_setting(fp, config_setting_get_elem(s, (unsigned)i), depth);
    }
}

static void write_value(FILE *fp, const config_setting_t *s, int depth)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP:
        fputs("{\n", fp);
        write_members(fp, s, depth + 1, "");
        indent(fp, depth);
        fputc('}', fp);
        break;
    case CONFIG_TYPE_ARRAY:
        fputs("[ ", fp);
        write_members(fp, s, depth + 1, ", ");
        fputs(" ]", fp);
        break;
    case CONFIG_TYPE_LIST:
        fputs("( ", fp);
        write_members(fp, s, depth + 1, ", ");
        fputs(" )", fp);
        break;
    case CONFIG_TYPE_INT:
        fprintf(fp, "%d", config_setting_get_int(s));
        break;
    case CONFIG_TYPE_INT64:
        fprintf(fp, "%lldL", config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        write_float(fp, config_setting_get_float(s));
        break;
    case CONFIG_TYPE_BOOL:
        fputs(config_setting_get_bool(s) ? "true" : "false", fp);
        break;
    case CONFIG_TYPE_STRING:
        write_string(fp, config_setting_get_string(s));
        break;
    default:
        break;
    }
}

/* Named settings (group members) are "name = value;" lines; elements of
 * arrays and lists are bare values. */
static void write_setting(FILE *fp, const config_setting_t *s, int depth)
{
    const char *name = config_setting_name(s);
    if (!name) {
        write_value(fp, s, depth);
        return;
    }
    indent(fp, depth);
    fprintf(fp, "%s = ", name);
    write_value(fp, s, depth);
    fputs(";\n", fp);
}

int cfgtext_write(const config_t *c, char **text)
{
    size_t len = 0;
    *text = NULL;
    FILE *fp = open_memstream(text, &len);
    if (!fp)
        return -1;
    write_members(fp, config_root_setting(c), 0, "");
    return fclose(fp) == 0 ? 0 : -1;
}
