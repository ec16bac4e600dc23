/*
 * hash.c: SHA-256 from OpenSSL's libcrypto, cut to the prefix awaaz
 * records (translatedFrom: in front matter).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "hash.h"

void
hash_sha256_hex(const void *data, size_t len, char out[HASH_HEX + 1])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0;
	int		i;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		memset(md, 0, sizeof(md));
	for (i = 0; i < HASH_HEX / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[HASH_HEX] = '\0';
}
