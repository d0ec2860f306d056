// recvmmsg / sendmmsg for the SIP load generator. Swift's Glibc module is
// built without _GNU_SOURCE, so it has neither the calls nor struct
// mmsghdr; this header declares a struct of the same layout and the .c
// file passes it on.
#ifndef DATAGRAM_BATCH_H
#define DATAGRAM_BATCH_H

#include <sys/socket.h>

struct datagram_batch_header {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// recvmmsg(fd, headers, count, flags, NULL): datagrams read, or -1 (errno).
int datagram_batch_receive(int fd, struct datagram_batch_header *headers, unsigned int count, int flags);

/// sendmmsg(fd, headers, count, flags): datagrams sent, or -1 (errno).
int datagram_batch_send(int fd, struct datagram_batch_header *headers, unsigned int count, int flags);

#endif
