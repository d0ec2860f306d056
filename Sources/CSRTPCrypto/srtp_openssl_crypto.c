#include "csrtp_crypto.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>
#include <srtp2/cipher.h>
#include <srtp2/auth.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

/* ---- AES-128 counter mode, as SRTP keys it (RFC 3711 4.1.1) ----------

   libsrtp2 hands init() the 16-byte key followed by the 14-byte salt, and
   set_iv() a 16-byte block per packet; the counter block is that block
   XOR the salt (in its first 14 bytes). OpenSSL's CTR mode then
   increments the whole block big-endian, which is the same as SRTP's
   16-bit block counter for any packet under 1 MiB. */

enum { AES_KEY = 16, SALT = 14, KEY_WITH_SALT = AES_KEY + SALT, BLOCK = 16 };

typedef struct {
    EVP_CIPHER_CTX *ctx;
    uint8_t salt[BLOCK]; /* the salt, then two zero bytes */
} aes_cm_state;

static _Atomic unsigned long contexts_created;
static EVP_CIPHER *aes_128_ctr;
static EVP_MAC *hmac;
static const srtp_cipher_type_t aes_cm_type;
static const srtp_auth_type_t hmac_sha1_type;

static srtp_err_status_t aes_cm_alloc(srtp_cipher_pointer_t *cp, int key_len, int tag_len) {
    (void)tag_len;
    if (key_len != KEY_WITH_SALT) return srtp_err_status_bad_param;
    srtp_cipher_t *cipher = calloc(1, sizeof *cipher);
    aes_cm_state *state = calloc(1, sizeof *state);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (cipher == NULL || state == NULL || ctx == NULL) {
        free(cipher);
        free(state);
        EVP_CIPHER_CTX_free(ctx);
        return srtp_err_status_alloc_fail;
    }
    state->ctx = ctx;
    cipher->type = &aes_cm_type;
    cipher->state = state;
    cipher->key_len = key_len;
    cipher->algorithm = SRTP_AES_ICM_128;
    *cp = cipher;
    atomic_fetch_add(&contexts_created, 1);
    return srtp_err_status_ok;
}

static srtp_err_status_t aes_cm_dealloc(srtp_cipher_pointer_t cipher) {
    if (cipher == NULL) return srtp_err_status_bad_param;
    aes_cm_state *state = cipher->state;
    if (state != NULL) {
        EVP_CIPHER_CTX_free(state->ctx);
        OPENSSL_cleanse(state, sizeof *state);
        free(state);
    }
    free(cipher);
    return srtp_err_status_ok;
}

static srtp_err_status_t aes_cm_init(void *opaque, const uint8_t *key) {
    aes_cm_state *state = opaque;
    memset(state->salt, 0, BLOCK);
    memcpy(state->salt, key + AES_KEY, SALT);
    if (EVP_EncryptInit_ex2(state->ctx, aes_128_ctr, key, NULL, NULL) != 1) return srtp_err_status_init_fail;
    return srtp_err_status_ok;
}

static srtp_err_status_t aes_cm_set_iv(void *opaque, uint8_t *iv, srtp_cipher_direction_t direction) {
    (void)direction;
    aes_cm_state *state = opaque;
    uint8_t counter[BLOCK];
    for (int i = 0; i < BLOCK; i++) counter[i] = iv[i] ^ state->salt[i];
    if (EVP_EncryptInit_ex2(state->ctx, NULL, NULL, counter, NULL) != 1) return srtp_err_status_cipher_fail;
    return srtp_err_status_ok;
}

static srtp_err_status_t aes_cm_crypt(void *opaque, uint8_t *buffer, unsigned int *length) {
    aes_cm_state *state = opaque;
    if (*length > (1u << 20)) return srtp_err_status_bad_param;
    int out = 0;
    if (EVP_EncryptUpdate(state->ctx, buffer, &out, buffer, (int)*length) != 1 || out != (int)*length)
        return srtp_err_status_cipher_fail;
    return srtp_err_status_ok;
}

/* RFC 3711 B.2: the session key and salt, a zero IV, and the first 32
   bytes of keystream (the encryption of zeros). */
static const uint8_t aes_cm_test_key[KEY_WITH_SALT] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd};
static uint8_t aes_cm_test_iv[BLOCK];
static const uint8_t aes_cm_test_zeros[32];
static const uint8_t aes_cm_test_keystream[32] = {
    0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80, 0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
    0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7, 0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab};
static const srtp_cipher_test_case_t aes_cm_test = {
    KEY_WITH_SALT, aes_cm_test_key, aes_cm_test_iv, 32, aes_cm_test_zeros, 32, aes_cm_test_keystream,
    0, NULL, 0, NULL};

static const srtp_cipher_type_t aes_cm_type = {
    aes_cm_alloc, aes_cm_dealloc, aes_cm_init, NULL, aes_cm_crypt, aes_cm_crypt, aes_cm_set_iv, NULL,
    "AES-128 counter mode (OpenSSL)", &aes_cm_test, SRTP_AES_ICM_128};

/* ---- HMAC-SHA1 (RFC 2104), truncated to the tag length -------------- */

enum { SHA1_LEN = 20 };

static srtp_err_status_t hmac_alloc(srtp_auth_pointer_t *ap, int key_len, int out_len) {
    if (key_len < 0 || key_len > SHA1_LEN || out_len < 0 || out_len > SHA1_LEN) return srtp_err_status_bad_param;
    srtp_auth_t *auth = calloc(1, sizeof *auth);
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac);
    if (auth == NULL || ctx == NULL) {
        free(auth);
        EVP_MAC_CTX_free(ctx);
        return srtp_err_status_alloc_fail;
    }
    auth->type = &hmac_sha1_type;
    auth->state = ctx;
    auth->out_len = out_len;
    auth->key_len = key_len;
    auth->prefix_len = 0;
    *ap = auth;
    atomic_fetch_add(&contexts_created, 1);
    return srtp_err_status_ok;
}

static srtp_err_status_t hmac_dealloc(srtp_auth_pointer_t auth) {
    if (auth == NULL) return srtp_err_status_bad_param;
    EVP_MAC_CTX_free(auth->state);
    free(auth);
    return srtp_err_status_ok;
}

static srtp_err_status_t hmac_init(void *opaque, const uint8_t *key, int key_len) {
    char digest[] = "SHA1";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (key_len <= 0 || EVP_MAC_init(opaque, key, (size_t)key_len, params) != 1) return srtp_err_status_auth_fail;
    return srtp_err_status_ok;
}

/* A new message under the same key: OpenSSL keeps the keyed inner and
   outer states, so this costs no key schedule. */
static srtp_err_status_t hmac_start(void *opaque) {
    return EVP_MAC_init(opaque, NULL, 0, NULL) == 1 ? srtp_err_status_ok : srtp_err_status_auth_fail;
}

static srtp_err_status_t hmac_update(void *opaque, const uint8_t *buffer, int length) {
    if (length < 0) return srtp_err_status_bad_param;
    return EVP_MAC_update(opaque, buffer, (size_t)length) == 1 ? srtp_err_status_ok : srtp_err_status_auth_fail;
}

static srtp_err_status_t hmac_compute(void *opaque, const uint8_t *buffer, int length, int tag_len, uint8_t *tag) {
    if (length < 0 || tag_len < 0 || tag_len > SHA1_LEN) return srtp_err_status_bad_param;
    uint8_t full[SHA1_LEN];
    size_t out = 0;
    if (EVP_MAC_update(opaque, buffer, (size_t)length) != 1 || EVP_MAC_final(opaque, full, &out, sizeof full) != 1 ||
        out != SHA1_LEN)
        return srtp_err_status_auth_fail;
    memcpy(tag, full, (size_t)tag_len);
    return srtp_err_status_ok;
}

/* RFC 2202 test case 1. */
static const uint8_t hmac_test_key[20] = {
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b};
static const uint8_t hmac_test_data[8] = {'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e'};
static const uint8_t hmac_test_tag[20] = {
    0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b, 0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00};
static const srtp_auth_test_case_t hmac_test = {20, hmac_test_key, 8, hmac_test_data, 20, hmac_test_tag, NULL};

static const srtp_auth_type_t hmac_sha1_type = {
    hmac_alloc, hmac_dealloc, hmac_init, hmac_compute, hmac_update, hmac_start,
    "HMAC-SHA1 (OpenSSL)", &hmac_test, SRTP_HMAC_SHA1};

unsigned long csrtp_openssl_contexts_created(void) { return atomic_load(&contexts_created); }

int csrtp_use_openssl_crypto(void) {
    aes_128_ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
    hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (aes_128_ctr == NULL || hmac == NULL) return srtp_err_status_init_fail;
    srtp_err_status_t status = srtp_replace_cipher_type(&aes_cm_type, SRTP_AES_ICM_128);
    if (status != srtp_err_status_ok) return (int)status;
    return (int)srtp_replace_auth_type(&hmac_sha1_type, SRTP_HMAC_SHA1);
}
