/* group.c - the collectives of an SPMD job (broadcast, scatter, gather)
 * and the portion rule they share.
 *
 * The public calls check their arguments and dispatch to the backend's
 * transport; the portion rule is pyina's "equalportion": rank r of size
 * ranks gets ceil(remaining items / remaining ranks) items, so earlier ranks
 * take the larger portions and the split depends only on (count, size). */
#include "map_int.h"

void augur_group_portion(size_t count, int size, int rank, size_t *begin,
                         size_t *end)
{
    size_t b = 0, len = 0;
    size_t ranks = size > 0 ? (size_t)size : 1;
    size_t remaining = count;
    for (size_t r = 0; r <= (size_t)(rank > 0 ? rank : 0) && r < ranks; r++) {
        b += len;
        len = (remaining + (ranks - r) - 1) / (ranks - r);
        remaining -= len;
    }
    if (begin)
        *begin = b;
    if (end)
        *end = b + len;
}

int augur_group_rank(const augur_group *g)
{
    return g ? g->rank : -1;
}

int augur_group_size(const augur_group *g)
{
    return g ? g->size : 0;
}

int augur_group_broadcast(augur_group *g, void *buf, size_t len)
{
    if (!g || (len && !buf))
        return AUGUR_EINVAL;
    return g->ops->broadcast(g, buf, len);
}

int augur_group_scatter(augur_group *g, const void *send, size_t count,
                        size_t rec_len, void *recv, size_t *mine)
{
    if (!g || !mine || (g->rank == 0 && count && rec_len && !send))
        return AUGUR_EINVAL;
    return g->ops->scatter(g, send, count, rec_len, recv, mine);
}

int augur_group_gather(augur_group *g, const void *send, size_t mine,
                       size_t rec_len, void *recv, size_t *total)
{
    if (!g || (mine && rec_len && !send))
        return AUGUR_EINVAL;
    return g->ops->gather(g, send, mine, rec_len, recv, total);
}
