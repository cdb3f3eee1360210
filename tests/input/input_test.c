/*
 * input_test.c: the helpers of input_test.h.
 */
#include "input_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *temp_file(const void *text, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "fb-input-test-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
        perror("temp file");
        exit(2);
    }
    close(fd);
    return path;
}

void *state_for(const struct fa_ops *ops, uint64_t nframes, size_t *bytes)
{
    *bytes = ops->state_size(nframes);
    return check_state_alloc(*bytes);
}
