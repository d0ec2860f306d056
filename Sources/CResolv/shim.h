#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

/* One DNS query of class IN (RFC 1035) through libresolv, on a resolver
   state of its own (thread-safe, unlike res_query on the global _res).
   server_ipv4: NULL for the servers of /etc/resolv.conf, else the dotted
   IPv4 address of the one server to ask, on server_port. Each try waits
   timeout_seconds (at least 1) and the query is sent `tries` times (at
   least 1). Returns the answer's length (at most answer_size bytes are
   written), or -1 with *h_error set: HOST_NOT_FOUND (NXDOMAIN), NO_DATA
   (the name exists, no record of the type), TRY_AGAIN (no answer, or
   SERVFAIL), NO_RECOVERY (FORMERR, REFUSED, NOTIMP), NETDB_INTERNAL
   (setup failed: a bad server address, no resolver configuration). */
static inline int cresolv_query(const char *name, int type, const char *server_ipv4, int server_port,
                                int timeout_seconds, int tries, unsigned char *answer, int answer_size,
                                int *h_error) {
    struct __res_state state;
    memset(&state, 0, sizeof state);
    *h_error = 0;
    if (res_ninit(&state) != 0) {
        *h_error = NETDB_INTERNAL;
        return -1;
    }
    if (server_ipv4 != NULL) {
        struct in_addr address;
        if (inet_pton(AF_INET, server_ipv4, &address) != 1 || server_port <= 0 || server_port > 65535) {
            res_nclose(&state);
            *h_error = NETDB_INTERNAL;
            return -1;
        }
        memset(&state.nsaddr_list[0], 0, sizeof state.nsaddr_list[0]);
        state.nsaddr_list[0].sin_family = AF_INET;
        state.nsaddr_list[0].sin_addr = address;
        state.nsaddr_list[0].sin_port = htons((unsigned short)server_port);
        state.nscount = 1;
    }
    state.retrans = timeout_seconds < 1 ? 1 : timeout_seconds;
    state.retry = tries < 1 ? 1 : tries;
    int length = res_nquery(&state, name, ns_c_in, type, answer, answer_size);
    if (length < 0) *h_error = state.res_h_errno;
    res_nclose(&state);
    return length;
}
