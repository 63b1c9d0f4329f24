/* status.c - text for status codes, generated from AUGUR_STATUS_MAP so the
 * enum, the messages and the names cannot disagree. */
#include "augur/status.h"
#include "augur/version.h"

const char *augur_strerror(int status)
{
    switch (status) {
#define AUGUR__STATUS_TEXT(name, code, text) case (code): return text;
        AUGUR_STATUS_MAP(AUGUR__STATUS_TEXT)
#undef AUGUR__STATUS_TEXT
    default:
        return "unknown status";
    }
}

const char *augur_status_name(int status)
{
    switch (status) {
#define AUGUR__STATUS_NAME(name, code, text) case (code): return #name;
        AUGUR_STATUS_MAP(AUGUR__STATUS_NAME)
#undef AUGUR__STATUS_NAME
    default:
        return "UNKNOWN";
    }
}

const char *augur_version(void)
{
    return AUGUR_VERSION_STRING;
}
