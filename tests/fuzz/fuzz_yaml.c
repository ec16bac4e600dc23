/*
 * fuzz_yaml.c: yaml_parse on arbitrary bytes.
 *
 * The input is the YAML text, given without a terminating NUL so that a
 * read past len is caught, as if it were front matter after two lines.  A
 * tree that parses is walked the way its readers walk it, and checked
 * against yaml.h: every node has a position inside the text, scalars are
 * NUL-terminated at len, map keys are scalars, nesting (aliases included)
 * stays within 128 levels and aliases add at most 100000 nodes.  The
 * accessors (yaml_get, yaml_bool, yaml_int, yaml_excerpt) run on every
 * node.  Oracles (fuzz.h): "depth" (through aliases) and "diag".
 */
/* modules: yaml util diag */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "util.h"
#include "yaml.h"

#define LINE0		2
#define MAX_DEPTH	128		/* yaml.h: "nesting deeper than 128" */
#define MAX_ALIASED	100000		/* yaml.h: nodes from aliases */

struct walk {
	const struct fuzz_file	*f;
	size_t			 visits;
	size_t			 limit;
	int			 maxdepth;
};

static void
check_node(struct walk *w, const struct yaml_node *n, int depth)
{
	char	buf[64], where[64];
	long	len, iv;
	bool	bv;
	size_t	i;

	snprintf(where, sizeof(where), "node at %d:%d", n->line, n->col);
	if (++w->visits > w->limit)
		fuzz_fail("aliases expand to more than 100000 nodes", where);
	if (depth > w->maxdepth)
		w->maxdepth = depth;
	if (depth > MAX_DEPTH + 1 && fuzz_oracle("depth"))
		fuzz_fail("tree deeper than 128 levels (through aliases)",
		    where);
	if ((len = fuzz_line_len(w->f, n->line)) < 0 || n->col < 1 ||
	    n->col > len + 1)
		fuzz_fail("node position outside the text", where);
	switch (n->kind) {
	case YAML_SCALAR:
		if (n->str == NULL || n->str[n->len] != '\0')
			fuzz_fail("scalar not NUL-terminated at len", where);
		yaml_excerpt(n->str, n->len, buf, sizeof(buf));
		if (strlen(buf) >= sizeof(buf))
			fuzz_fail("yaml_excerpt overflows", where);
		(void)yaml_is_null(n);
		(void)yaml_bool(n, &bv);
		(void)yaml_int(n, &iv);
		break;
	case YAML_SEQ:
		for (i = 0; i < n->n; i++)
			check_node(w, n->items[i], depth + 1);
		break;
	case YAML_MAP:
		for (i = 0; i < n->n; i++) {
			if (n->pairs[i].key == NULL ||
			    n->pairs[i].key->kind != YAML_SCALAR)
				fuzz_fail("map key is not a scalar", where);
			check_node(w, n->pairs[i].key, depth + 1);
			check_node(w, n->pairs[i].value, depth + 1);
			/* The first pair of a key is the one found. */
			if (strlen(n->pairs[i].key->str) ==
			    n->pairs[i].key->len &&
			    yaml_get(n, n->pairs[i].key->str) == NULL)
				fuzz_fail("yaml_get misses a key", where);
		}
		break;
	default:
		fuzz_fail("unknown node kind", where);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a;
	struct yaml_node	*root;
	struct fuzz_file	 f;
	struct walk		 w;

	a = arena_new();
	memset(&f, 0, sizeof(f));
	f.path = "fuzz.yaml";
	f.text = (const char *)data;
	f.len = size;
	f.line0 = LINE0;
	root = yaml_parse(f.path, f.text, size, LINE0, a);
	if (fuzz_oracles()) {
		if (root == NULL && diag_count(DIAG_ERROR) == 0)
			fuzz_fail("yaml_parse", "failed without an error");
		if (root != NULL && diag_count(DIAG_ERROR) != 0)
			fuzz_fail("yaml_parse", "errors but a tree");
		if (root != NULL) {
			memset(&w, 0, sizeof(w));
			w.f = &f;
			/* Each byte makes at most a few nodes. */
			w.limit = MAX_ALIASED + 4 * size + 16;
			check_node(&w, root, 1);
		}
		fuzz_check_diags(&f, 1);
	}
	fuzz_end();
	arena_free(a);
	return 0;
}
