/* Linux's epoll (part of the C library), which Swift's Glibc module does
   not export: the readiness set of the RTP sockets of one event loop. */
#include <sys/epoll.h>
