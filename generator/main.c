/*
 * main.c: the awaaz command line.  One table names the commands; each
 * parses its own options and returns the exit status: 0 ok, 1 content
 * errors, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "build.h"
#include "cmd.h"
#include "check.h"
#include "diag.h"
#include "l10n.h"
#include "pdf.h"
#include "new.h"
#include "serve.h"
#include "translations.h"
#include "util.h"

struct command {
	const char	*name;
	int		(*run)(int, char **);
	const char	*summary;
};

static int	cmd_build(int, char **);

static const struct command commands[] = {
	{ "build", cmd_build, "build the site into public/" },
	{ "check", cmd_check, "find problems in the content, write nothing" },
	{ "new", cmd_new, "start a page with its front matter filled in" },
	{ "serve", cmd_serve,
	    "preview the site, rebuilt and reloaded on every change" },
	{ "translations", cmd_translations,
	    "list translated, outdated and missing pages per language" },
};

static const char build_usage[] =
"usage: awaaz build [-C DIR] [-o OUT] [--drafts] [--base-url URL] [--no-pdf]\n"
"                   [-j N] [-q | -v]\n"
"\n"
"Builds the site in DIR (the folder holding site.yaml) into OUT: a static\n"
"site that works from any web server, a USB stick or file://.  The output\n"
"is replaced only when the build succeeds; on errors it stays as it was.\n"
"\n"
"  -C, --dir DIR        the site folder (default: the current folder)\n"
"  -o, --output OUT     the output folder (default: DIR/public); awaaz\n"
"                       refuses a non-empty folder it did not make\n"
"      --drafts         include pages with 'draft: true'\n"
"      --base-url URL   absolute links under URL, e.g. https://example.org\n"
"                       (default: site.yaml's base_url; none: relative links;\n"
"                       --base-url '': relative links whatever site.yaml says)\n"
"      --no-pdf         skip PDF handouts (pages still link to them)\n"
"  -j, --jobs N         read files on N threads and render on N worker\n"
"                       processes (default: one per core)\n"
"  -q, --quiet          print errors only\n"
"  -v, --verbose        print notes too, and the time each stage took\n"
"  -h, --help           print this help\n"
"\n"
"Problems are printed as 'path:line:col: error: message', paths relative to\n"
"the site folder.  Exit status: 0 built, 1 content errors or an output folder\n"
"that cannot be replaced (the old output is kept), 2 usage.\n";

static void
usage(FILE *fp)
{
	size_t	i;

	fputs("usage: awaaz COMMAND [OPTIONS]\n"
	    "       awaaz --help | --version\n"
	    "\n"
	    "awaaz builds multilingual campaign sites from Markdown.\n"
	    "\n"
	    "Commands:\n", fp);
	for (i = 0; i < nitems(commands); i++)
		fprintf(fp, "  %-12s %s\n", commands[i].name,
		    commands[i].summary);
	fputs("\n'awaaz COMMAND --help' describes a command's options.\n"
	    "The reference for content, templates and the command is in\n"
	    "docs/ beside the awaaz source (README.md starts the tour).\n", fp);
}

int
cmd_no_operands(int argc, char **argv, const char *usage)
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "awaaz: error: unexpected argument '%s'\n",
	    argv[optind]);
	fputs(usage, stderr);
	return 2;
}

static int
parse_jobs(const char *s, int *n)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 256)
		return -1;
	*n = (int)v;
	return 0;
}

static int
cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "drafts", no_argument, NULL, 'D' },
		{ "base-url", required_argument, NULL, 'B' },
		{ "no-pdf", no_argument, NULL, 'P' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts	o;
	int			ch;

	memset(&o, 0, sizeof(o));
	o.root = ".";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:o:j:qvh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			o.root = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'D':
			o.drafts = true;
			break;
		case 'B':
			if (*optarg != '\0' &&
			    strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				fprintf(stderr, "awaaz: error: --base-url "
				    "must start with http:// or https:// (or "
				    "be empty, for relative links)\n");
				return 2;
			}
			o.base_url = optarg;
			break;
		case 'P':
			o.no_pdf = true;
			break;
		case 'j':
			if (parse_jobs(optarg, &o.jobs) == -1) {
				fprintf(stderr, "awaaz: error: -j takes a "
				    "number from 1 to 256\n");
				return 2;
			}
			break;
		case 'q':
			o.verbosity = -1;
			break;
		case 'v':
			o.verbosity = 1;
			break;
		case 'h':
			fputs(build_usage, stdout);
			return 0;
		default:
			fputs(build_usage, stderr);
			return 2;
		}
	}
	if (cmd_no_operands(argc, argv, build_usage) != 0)
		return 2;
	return build_run(&o);
}

int
main(int argc, char **argv)
{
	size_t	i;
	int	rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("awaaz %s\n", AWAAZ_VERSION);
		return 0;
	}
	for (i = 0; i < nitems(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			break;
	if (i == nitems(commands)) {
		fprintf(stderr, "awaaz: error: unknown command '%s'\n",
		    argv[1]);
		usage(stderr);
		return 2;
	}
	xmlInitParser();
	rc = commands[i].run(argc - 1, argv + 1);
	diag_reset();
	l10n_cleanup();
	pdf_cleanup();
	xmlCleanupParser();
	return rc;
}
