/*
 * fm.h: a content file's front matter.
 *
 * Splits a Markdown file into YAML front matter (between "---" lines) and
 * body, and reads the keys DESIGN.md names into a struct with the position
 * of each.  Hugo's names where Hugo has one: title, date, draft, weight,
 * slug, summary, tags, translationKey, aliases, layout; ours: audience,
 * handout, translatedFrom.  As in Hugo, key names match in any case; a
 * null value counts as absent.  Other keys stay in map for templates.
 * TOML ("+++") and JSON ("{") front matter are reported, not guessed at.
 */
#ifndef AWAAZ_FM_H
#define AWAAZ_FM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct yaml_node;

struct fm_pos {
	int	line;	/* 1-based; 0 when the key is absent */
	int	col;	/* 1-based byte column */
};

struct fm_date {
	int	year, month, day;
	int	hour, min, sec;
	bool	has_time;
	int	tz_min;		/* offset east of UTC, minutes */
	int64_t	epoch;		/* seconds since 1970 UTC (midnight UTC
				   when there is no time) */
	char	iso[32];	/* "2024-02-01" or "2024-02-01T10:00:00+05:00" */
};

/* A string value with the position of its value in the file. */
struct fm_str {
	const char	*s;
	struct fm_pos	 pos;
};

struct fm_list {
	struct fm_str	*v;
	size_t		 n;
};

struct fm {
	struct fm_str	 title;
	struct fm_date	 date;
	bool		 has_date;
	struct fm_pos	 date_pos;
	bool		 draft;
	long		 weight;
	struct fm_str	 slug;
	struct fm_str	 summary;
	struct fm_list	 tags;
	struct fm_list	 audience;	/* a name or a list of names */
	struct fm_str	 translation_key;
	struct fm_list	 aliases;
	struct fm_str	 layout;
	struct fm_str	 handout;	/* "a4", "a5", "letter" (any case in
					   the file) or NULL */
	struct fm_str	 translated_from;
	/* The whole front matter mapping (NULL when there is none). */
	const struct yaml_node	*map;
	/* Body: byte offset in the file, and lines before it. */
	size_t		 body_off;
	int		 body_line0;
};

/*
 * Reads the front matter of text[0..len) (a whole file, NUL-terminated):
 * after an optional UTF-8 BOM, a "---" line, YAML, then a "---" or "..."
 * line (blanks and '\r' may end either line).  A file without front
 * matter is a body only (body_off 0).  Slugs, aliases and layouts are
 * checked so that none can name a path outside the site.  Returns 0, or
 * -1 after printing every problem found.  Strings come from the arena.
 */
int	fm_parse(struct fm *, const char *path, const char *text, size_t len,
	    struct arena *);

/*
 * Parses a date or date-time as YAML writes them ("2024-02-01",
 * "2024-02-01T10:00:00Z", "2024-02-01 10:00:00 +05:00"); rejects impossible
 * dates (2024-02-30).  A time without a zone is UTC, as in YAML; seconds
 * may be left out and a fraction is dropped.  iso ends in "Z" for UTC.
 * Returns 0 or -1 (no diagnostic).
 */
int	fm_date_parse(const char *, struct fm_date *);

/* Keys fm knows (in any case); the others are params for templates. */
bool	fm_is_known_key(const char *);

#endif
