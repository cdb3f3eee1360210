/* host.h: facts of the machine a run is made on. */
#ifndef FB_HOST_H
#define FB_HOST_H

#include <stddef.h>

/* The CPU's model name from /proc/cpuinfo, or "unknown". */
void fb_cpu_model(char *buf, size_t len);

#endif
