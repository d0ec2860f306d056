#define _GNU_SOURCE
#include <sys/socket.h>
#include <stddef.h>
#include "datagram_batch.h"

_Static_assert(sizeof(struct datagram_batch_header) == sizeof(struct mmsghdr), "mmsghdr layout");

int datagram_batch_receive(int fd, struct datagram_batch_header *headers, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)headers, count, flags, NULL);
}

int datagram_batch_send(int fd, struct datagram_batch_header *headers, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)headers, count, flags);
}
