/* plot_check.c - looks at the pictures `augur plot` draws, as the plot
 * tests need (tests/plot_render.sh):
 *
 *     plot_check svg FILE LABEL...   every LABEL is in the SVG's text
 *     plot_check png FILE FRACTION   at least FRACTION of the pixels are not
 *                                    white, and not all of them are one colour
 *
 * PLplot's SVG driver writes text as character references (&#x45;), so
 * the SVG is decoded before looking. Exit 0 when it holds, 1 with a
 * message when not, 2 on bad usage or an unreadable file. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *t = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (t && fread(t, 1, (size_t)n, fp) != (size_t)n) {
        free(t);
        t = NULL;
    }
    if (t)
        t[n] = '\0';
    fclose(fp);
    return t;
}

/* The text between tags, character references decoded (ASCII only), each
 * element's text on its own line. */
static char *svg_text(const char *svg)
{
    char *out = malloc(strlen(svg) + 1), *o = out;
    int in_tag = 0;
    for (const char *p = svg; out && *p; p++) {
        if (*p == '<') {
            in_tag = 1;
            *o++ = '\n';
        } else if (*p == '>')
            in_tag = 0;
        else if (!in_tag && strncmp(p, "&#x", 3) == 0) {
            char *end;
            long c = strtol(p + 3, &end, 16);
            if (*end == ';') {
                *o++ = c > 0 && c < 128 ? (char)c : '?';
                p = end;
            }
        } else if (!in_tag && *p != '\n')
            *o++ = *p;
    }
    if (out)
        *o = '\0';
    return out;
}

static int check_svg(const char *path, int nlabels, char **labels)
{
    char *svg = slurp(path), *text = svg ? svg_text(svg) : NULL;
    if (!text) {
        fprintf(stderr, "plot_check: cannot read %s\n", path);
        return 2;
    }
    int bad = 0;
    for (int i = 0; i < nlabels; i++)
        if (!strstr(text, labels[i])) {
            fprintf(stderr, "plot_check: %s: no text '%s'\n", path, labels[i]);
            bad = 1;
        }
    free(svg);
    free(text);
    return bad;
}

static int check_png(const char *path, double want)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        fprintf(stderr, "plot_check: %s: %s\n", path, img.message);
        return 2;
    }
    img.format = PNG_FORMAT_RGB;
    png_bytep px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        fprintf(stderr, "plot_check: %s: cannot decode it\n", path);
        free(px);
        return 2;
    }
    size_t n = (size_t)img.width * img.height, ink = 0, same = 0;
    for (size_t i = 0; i < n; i++) {
        const png_byte *p = px + 3 * i;
        ink += p[0] < 240 || p[1] < 240 || p[2] < 240;
        same += memcmp(p, px, 3) == 0;
    }
    free(px);
    double frac = n ? (double)ink / (double)n : 0;
    printf("%s: %ux%u, %.1f%% not white\n", path, img.width, img.height, 100 * frac);
    if (frac < want || same == n) {
        fprintf(stderr, "plot_check: %s looks blank (%.2f%% not white, want %.2f%%)\n",
                path, 100 * frac, 100 * want);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "svg") == 0)
        return check_svg(argv[2], argc - 3, argv + 3);
    if (argc == 4 && strcmp(argv[1], "png") == 0)
        return check_png(argv[2], atof(argv[3]));
    fprintf(stderr, "usage: plot_check svg FILE LABEL... | png FILE FRACTION\n");
    return 2;
}
