/*
 * hash.h: content hashes, through OpenSSL's libcrypto (the only module
 * that includes it).
 */
#ifndef AWAAZ_HASH_H
#define AWAAZ_HASH_H

#include <stddef.h>

#define HASH_HEX	12	/* hex digits kept of a SHA-256 */

/* The first HASH_HEX hex digits of SHA-256 of data, NUL-terminated. */
void	hash_sha256_hex(const void *, size_t, char out[HASH_HEX + 1]);

#endif
