/*
 * floor.c: the cmark-gfm floor of `make bench`.
 *
 * Parses and renders to HTML every Markdown file named on the command line,
 * one document per file, in this one process, with the options and
 * extensions awaaz parses bodies with (footnotes, UTF-8 validation, table,
 * strikethrough, autolink).  The HTML is thrown away; the total of its
 * bytes goes to standard output, so that the work cannot be skipped.
 *
 * This is what a generator cannot do less than: read each body and turn it
 * into HTML with the same library.  bench/run builds it with cc and splits
 * the bodies across as many processes as awaaz has workers.  (The
 * cmark-gfm command is no floor: given many files it parses them as one
 * document, which on this corpus took five times as long.)
 */
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*s = NULL, *t;
	size_t	 cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			if ((t = realloc(s, cap)) == NULL) {
				free(s);
				fclose(f);
				return NULL;
			}
			s = t;
		}
		n = fread(s + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	/* A read error is not the end of the file: no floor from half. */
	if (ferror(f)) {
		free(s);
		fclose(f);
		return NULL;
	}
	fclose(f);
	return s;
}

int
main(int argc, char *argv[])
{
	static const char *const names[] = {
		"table", "strikethrough", "autolink"
	};
	cmark_syntax_extension	*ext[3];
	cmark_parser		*p;
	cmark_node		*doc;
	char			*text, *html;
	size_t			 len, total = 0;
	int			 i, k;

	cmark_gfm_core_extensions_ensure_registered();
	for (k = 0; k < 3; k++)
		if ((ext[k] = cmark_find_syntax_extension(names[k])) == NULL) {
			fprintf(stderr, "floor: no %s extension\n", names[k]);
			return 1;
		}
	for (i = 1; i < argc; i++) {
		if ((text = slurp(argv[i], &len)) == NULL) {
			fprintf(stderr, "floor: %s: %s\n", argv[i],
			    strerror(errno));
			return 1;
		}
		p = cmark_parser_new(CMARK_OPT_FOOTNOTES |
		    CMARK_OPT_VALIDATE_UTF8);
		for (k = 0; k < 3; k++)
			cmark_parser_attach_syntax_extension(p, ext[k]);
		cmark_parser_feed(p, text, len);
		doc = cmark_parser_finish(p);
		html = cmark_render_html(doc, CMARK_OPT_DEFAULT,
		    cmark_parser_get_syntax_extensions(p));
		total += strlen(html);
		free(html);
		cmark_node_free(doc);
		cmark_parser_free(p);
		free(text);
	}
	printf("%zu\n", total);
	return 0;
}
