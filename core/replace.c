/* replace.c - replacing a file so that a reader, or a crash, only ever
 * sees the old file or the whole new one.
 *
 * Results files, HDF5 results and checkpoints are all written this way: a
 * temporary file beside the target (same directory, so the rename cannot
 * cross file systems), filled, synced, renamed over the target, and the
 * directory synced so the rename itself survives a power cut. A kill -9 at
 * any moment leaves the previous file whole and at worst a stray
 * "NAME.tmp.XXXXXX" beside it. The target must be a regular file or a new
 * name (augur__output_path_check): a FIFO, a device or a symbolic link is
 * never replaced. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

int augur__replace_begin(augur__replacement *r, const char *path, unsigned mode,
                         char *err, size_t cap)
{
    *r = (augur__replacement){.fd = -1, .path = path};
    int rc = augur__output_path_check(path, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    size_t len = strlen(path);
    if (!(r->tmp = malloc(len + 16)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    snprintf(r->tmp, len + 16, "%s.tmp.XXXXXX", path);
    if ((r->fd = mkstemp(r->tmp)) < 0) {
        rc = augur__fail_msg(err, cap, AUGUR_EIO, "%s: cannot create a file next to it: "
                             "%s", path, strerror(errno));
        free(r->tmp);
        r->tmp = NULL;
        return rc;
    }
    fchmod(r->fd, (mode_t)mode);   /* mkstemp makes it 0600 */
    return AUGUR_OK;
}

int augur__replace_write(augur__replacement *r, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = write(r->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

void augur__replace_release_fd(augur__replacement *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

/* fsync the temporary file: through the descriptor while it is ours, else
 * (a library wrote it by name) by opening it again. */
static int sync_temp(augur__replacement *r)
{
    int fd = r->fd >= 0 ? r->fd : open(r->tmp, O_RDONLY);
    int bad = fd < 0 || fsync(fd) != 0;
    int saved = errno;
    if (fd >= 0)
        bad |= close(fd) != 0;
    r->fd = -1;
    errno = saved;
    return bad ? -1 : 0;
}

static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

int augur__replace_commit(augur__replacement *r, char *err, size_t cap)
{
    int rc = AUGUR_OK;
    if (sync_temp(r) != 0 || rename(r->tmp, r->path) != 0) {
        rc = augur__fail_msg(err, cap, AUGUR_EIO, "%s: cannot write it: %s", r->path,
                             strerror(errno));
        unlink(r->tmp);
    } else {
        sync_dir(r->path);
    }
    free(r->tmp);
    r->tmp = NULL;
    return rc;
}

void augur__replace_abort(augur__replacement *r)
{
    augur__replace_release_fd(r);
    if (r->tmp)
        unlink(r->tmp);
    free(r->tmp);
    r->tmp = NULL;
}
