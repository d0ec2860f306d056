#ifndef CSRTP_CRYPTO_H
#define CSRTP_CRYPTO_H

/* Replaces libsrtp2's AES-128 counter mode cipher (SRTP_AES_ICM_128) and
   HMAC-SHA1 authenticator (SRTP_HMAC_SHA1) with implementations on
   OpenSSL's libcrypto, through libsrtp2's own extension point
   (srtp_replace_cipher_type, srtp_replace_auth_type), which runs its self
   tests on them first. Call once, after srtp_init and before any
   srtp_create. Returns 0 (srtp_err_status_ok) or libsrtp2's error status.

   Why: Debian builds libsrtp2 against NSS, whose AES-CM opens a new PKCS#11
   session for every packet; the cost grows with the number of live SRTP
   sessions (4 us a packet with one call, 37 us with a thousand) and
   serialises threads on NSS's session lock. */
int csrtp_use_openssl_crypto(void);

/* How many ciphers and authenticators our implementations have set up so
   far in this process (tests use it to prove they are the ones in use). */
unsigned long csrtp_openssl_contexts_created(void);

#endif
