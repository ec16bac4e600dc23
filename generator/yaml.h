/*
 * yaml.h: YAML documents as a small tree with positions.
 *
 * The only module that sees libfyaml.  It parses one document into nodes
 * allocated from the caller's arena, each with its 1-based line and byte
 * column in the file as written, and reports libfyaml's errors (malformed
 * YAML, duplicate keys) as our own "path:line:col: error: message".
 */
#ifndef AWAAZ_YAML_H
#define AWAAZ_YAML_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum yaml_kind {
	YAML_SCALAR,
	YAML_SEQ,
	YAML_MAP,
};

struct yaml_pair;

struct yaml_node {
	enum yaml_kind		 kind;
	int			 line;	/* 1-based, in the file */
	int			 col;	/* 1-based, in bytes */
	/* YAML_SCALAR: the text, NUL-terminated (may hold NUL if quoted). */
	const char		*str;
	size_t			 len;
	bool			 plain;	/* unquoted: may be a number, bool, null */
	/* YAML_SEQ: items; YAML_MAP: pairs, in document order. */
	struct yaml_node	**items;
	struct yaml_pair	*pairs;
	size_t			 n;
};

struct yaml_pair {
	struct yaml_node	*key;	/* always a scalar */
	struct yaml_node	*value;
};

/*
 * Parses text[0..len) as one YAML document.  line0 is the number of lines
 * in the file before text (front matter starts after its "---" line), so
 * positions refer to the whole file.  Returns the root node, an empty
 * YAML_MAP for an empty document, or NULL after printing diagnostics.
 * Errors: more than one document, non-scalar and duplicate keys, merge
 * keys ("<<"), tags outside the core schema, nesting deeper than 128.
 * Aliases are resolved by sharing the anchored node (which keeps the
 * anchor's position); at most 100000 nodes may come from aliases.  All
 * memory comes from the arena.
 */
struct yaml_node	*yaml_parse(const char *path, const char *text,
			    size_t len, int line0, struct arena *);

/*
 * Warns at each key of map not among known[0..nknown): "unknown key 'k'
 * in WHERE", so a typo in a setting is said, not silently ignored.
 */
void	yaml_warn_unknown(const char *path, const struct yaml_node *map,
	    const char *const *known, size_t nknown, const char *where);

/* The value for key in a map, or NULL. */
const struct yaml_node	*yaml_get(const struct yaml_node *, const char *);

/* A plain scalar that YAML 1.2's core schema reads as null ("", ~, null). */
bool	yaml_is_null(const struct yaml_node *);
/* Bool (true/false/yes/no/on/off, any case): 0 ok, -1 not a bool. */
int	yaml_bool(const struct yaml_node *, bool *);
/* Integer, decimal only: 0 ok, -1 not an integer or out of range. */
int	yaml_int(const struct yaml_node *, long *);

/*
 * Text fit for quoting in a one-line message: s[0..len) with control
 * characters as '?', cut with "..." to fit buf[size].  Returns buf.
 */
const char	*yaml_excerpt(const char *s, size_t len, char *buf,
		    size_t size);

#endif
