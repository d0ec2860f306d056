#include <string.h>
#include <srtp2/srtp.h>

/* The room srtp_protect may write past the packet (authentication tag and
   MKI); a macro in srtp.h, which Swift does not import. */
static inline int csrtp_max_trailer_len(void) {
    return SRTP_MAX_TRAILER_LEN;
}

/* One libsrtp session for one direction of a call: every SSRC we send
   (outbound) or every SSRC we receive (inbound), keyed by the 30-byte master
   key and salt of an SDES crypto attribute. `tag32` picks
   AES_CM_128_HMAC_SHA1_32 for SRTP (SRTCP keeps the 80-bit tag, RFC 4568
   6.2.1); otherwise AES_CM_128_HMAC_SHA1_80. libsrtp derives its session
   keys from `key` inside srtp_create, so the caller's copy is not kept. */
static inline srtp_err_status_t csrtp_create(srtp_t *session, int tag32, int inbound,
                                             const unsigned char *key, unsigned long window) {
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    if (tag32) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    }
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.ssrc.value = 0;
    policy.key = (unsigned char *)key;
    policy.window_size = window;
    policy.allow_repeat_tx = 0;
    policy.next = NULL;
    return srtp_create(session, &policy);
}
