/* modules: site config fm yaml md l10n l10n_msg hash url util diag */
/*
 * test_site.c: the scan pass and the site graph on small sites written to
 * a temporary folder: sort order, URLs, sections, tags, audiences,
 * translations, pagination and link resolution.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "l10n.h"
#include "site.h"
#include "util.h"
#include "testutil.h"

struct fixture {
	char		 dir[64];
	struct arena	*arena;
	struct config	 cfg;
	struct l10n	*l10n[2];
	struct site	 site;
	int		 threads;	/* the scan's; 0 means 4 */
};

static void
put(const char *dir, const char *rel, const char *text)
{
	char	*path = path_join(dir, rel), *parent = path_dirname(path);

	assert_int_equal(mkdir_p(parent), 0);
	assert_int_equal(file_write(path, text, strlen(text)), 0);
	free(parent);
	free(path);
}

static int
load(struct fixture *f)
{
	struct l10n_opts	o;
	size_t			i;
	char			*theme;

	f->arena = arena_new();
	theme = path_join(f->dir, "themes/t");
	mkdir_p(theme);
	free(theme);
	if (config_load(&f->cfg, f->dir, NULL, f->arena) == -1)
		return -1;
	for (i = 0; i < f->cfg.nlangs; i++) {
		memset(&o, 0, sizeof(o));
		o.locale = f->cfg.langs[i].locale;
		f->l10n[i] = l10n_new(&o);
	}
	if (site_scan(&f->site, &f->cfg, f->l10n, false,
	    f->threads ? f->threads : 4, f->arena) == -1)
		return -1;
	return site_resolve(&f->site);
}

static void
unload(struct fixture *f)
{
	char	*cmd = xasprintf("rm -rf '%s'", f->dir);
	size_t	 i;

	assert_int_equal(system(cmd), 0);
	free(cmd);
	for (i = 0; i < f->cfg.nlangs; i++)
		l10n_free(f->l10n[i]);
	strmap_release(&f->site.by_rel);
	strmap_release(&f->site.by_url);
	free(f->site.pages);
	free(f->site.jobs);
	free(f->site.res_src);
	free(f->site.res_url);
	arena_free(f->arena);
	diag_reset();
}

static void
mkfixture(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/awaaz-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	put(f->dir, "site.yaml", "title: T\ntheme: t\npage_size: 2\n"
	    "languages: [{code: en, locale: en}, {code: ur, locale: ur-PK}]\n");
}

static void
test_order_and_lists(void **state)
{
	struct fixture	 f;
	struct site_lang *sl;
	const char	*want[] = {
		/* The collator, not bytes: Äpfel < apple (f < p) < Zebra. */
		"Weighted two", "Weighted five", "Newest", "Äpfel", "apple",
		"Zebra",
	};
	size_t		 i, jobs_section = 0;

	(void)state;
	mkfixture(&f);
	put(f.dir, "content/en/a/z.md", "---\ntitle: Zebra\n---\n");
	put(f.dir, "content/en/a/ap.md", "---\ntitle: apple\n---\n");
	put(f.dir, "content/en/a/ae.md", "---\ntitle: Äpfel\n---\n");
	put(f.dir, "content/en/b/w5.md", "---\ntitle: Weighted five\n"
	    "weight: 5\ndate: 2020-01-01\n---\n");
	put(f.dir, "content/en/b/w2.md", "---\ntitle: Weighted two\n"
	    "weight: 2\n---\n");
	put(f.dir, "content/en/b/new.md", "---\ntitle: Newest\n"
	    "date: 2024-05-01\ntags: [Safe migration]\n"
	    "audience: schools\n---\n");
	put(f.dir, "content/en/b/old.md", "---\ntitle: Zebra\n"
	    "date: 2001-05-01\nslug: older\ntags: [safe  migration]\n---\n");
	put(f.dir, "content/en/b/_index.md", "---\ntitle: Bee\nweight: 1\n"
	    "---\n");
	assert_int_equal(load(&f), 0);
	sl = &f.site.langs[0];
	assert_int_equal(sl->npages, 7);
	/* Dated pages before undated ones, so "Zebra" (2001) is 4th. */
	assert_string_equal(sl->pages[0]->title, want[0]);
	assert_string_equal(sl->pages[1]->title, want[1]);
	assert_string_equal(sl->pages[2]->title, want[2]);
	assert_string_equal(sl->pages[3]->url, "/en/b/older/");
	for (i = 3; i < nitems(want); i++)
		assert_string_equal(sl->pages[i + 1]->title, want[i]);
	/* Sections: weighted "b" first; its title from _index.md. */
	assert_int_equal(sl->nsections, 2);
	assert_string_equal(sl->sections[0].title, "Bee");
	assert_string_equal(sl->sections[1].url, "/en/a/");
	assert_int_equal(sl->sections[0].npages, 4);
	/* Two spellings of one tag are one tag, with both pages. */
	assert_int_equal(sl->ntags, 1);
	assert_string_equal(sl->tags[0].slug, "safe-migration");
	assert_int_equal(sl->tags[0].npages, 2);
	assert_int_equal(sl->aud_npages[2], 1);	/* schools */
	/* Section b, 4 pages at 2 a page: /en/b/ and /en/b/page/2/. */
	for (i = 0; i < f.site.njobs; i++)
		if (f.site.jobs[i].kind == PAGE_SECTION &&
		    strcmp(f.site.jobs[i].list_url, "/en/b/") == 0) {
			jobs_section++;
			if (f.site.jobs[i].pager_no == 2) {
				assert_string_equal(f.site.jobs[i].url,
				    "/en/b/page/2/");
				assert_int_equal(f.site.jobs[i].first, 2);
				assert_int_equal(f.site.jobs[i].count, 2);
			}
		}
	assert_int_equal(jobs_section, 2);
	unload(&f);
}

static void
test_translations_and_links(void **state)
{
	struct fixture	 f;
	struct page	*en, *ur, *k;
	struct arena	*a = arena_new();

	(void)state;
	mkfixture(&f);
	put(f.dir, "content/en/h/x.md", "---\ntitle: X\n---\n");
	put(f.dir, "content/ur/h/x.md", "---\ntitle: ایکس\n---\n");
	put(f.dir, "content/en/h/key.md", "---\ntitle: K\n"
	    "translationKey: k1\n---\n## Top\n");
	put(f.dir, "content/ur/h/other-name.md", "---\ntitle: کے\n"
	    "translationKey: k1\n---\n");
	put(f.dir, "content/en/h/pic.svg", "<svg/>");
	put(f.dir, "static/images/s.svg", "<svg/>");
	assert_int_equal(load(&f), 0);
	en = site_find(&f.site, &f.site.langs[0], "h/x.md");
	ur = site_find(&f.site, &f.site.langs[1], "h/x.md");
	k = site_find(&f.site, &f.site.langs[1], "h/other-name.md");
	assert_non_null(en);
	assert_non_null(ur);
	assert_ptr_equal(en->translations[1], ur);
	assert_ptr_equal(ur->translations[0], en);
	assert_string_equal(k->translations[0]->rel, "h/key.md");
	assert_string_equal(site_resolve_link(&f.site, en, "key.md#top",
	    false, 1, 1, a), "/en/h/key/#top");
	/* h has no _index.md: an error, and the link stays as written. */
	assert_null(site_resolve_link(&f.site, en, "../h/_index.md", false,
	    1, 1, a));
	assert_string_equal(site_resolve_link(&f.site, en, "pic.svg",
	    true, 1, 1, a), "/en/h/pic.svg");
	assert_string_equal(site_resolve_link(&f.site, en, "images/s.svg",
	    true, 1, 1, a), "/images/s.svg");
	assert_string_equal(site_resolve_link(&f.site, en,
	    "../../../static/images/s.svg", true, 1, 1, a), "/images/s.svg");
	assert_null(site_resolve_link(&f.site, en, "https://x.org/a.md",
	    false, 1, 1, a));
	assert_null(site_resolve_link(&f.site, en, "#frag", false, 1, 1, a));
	/* A missing page, a missing anchor, a missing image: errors. */
	assert_string_equal(site_resolve_link(&f.site, en, "key.md#nowhere",
	    false, 3, 4, a), "/en/h/key/#nowhere");
	assert_null(site_resolve_link(&f.site, en, "#nothing-here", false,
	    5, 6, a));
	assert_null(site_resolve_link(&f.site, en, "gone.png", true, 7, 8,
	    a));
	assert_diags(
	    "content/en/h/x.md:1:1: error: anchor '#frag' not found in "
	    "this page\n"
	    "content/en/h/x.md:1:1: error: link target '../h/_index.md' "
	    "not found\n"
	    "content/en/h/x.md:3:4: error: anchor '#nowhere' not found in "
	    "'content/en/h/key.md'\n"
	    "content/en/h/x.md:5:6: error: anchor '#nothing-here' not found "
	    "in this page\n"
	    "content/en/h/x.md:7:8: error: image 'gone.png' not found\n");
	assert_int_equal(f.site.nres, 1);
	assert_string_equal(f.site.res_url[0], "/en/h/pic.svg");
	arena_free(a);
	unload(&f);
}

static void
test_duplicate_url(void **state)
{
	struct fixture	f;

	(void)state;
	mkfixture(&f);
	put(f.dir, "content/en/a.md", "---\ntitle: A\nslug: b\n---\n");
	put(f.dir, "content/en/b.md", "---\ntitle: B\n---\n");
	put(f.dir, "content/en/c.md", "---\ntitle: C\naliases: [/en/b/]\n"
	    "---\n");
	assert_int_equal(load(&f), -1);
	assert_int_equal(diag_count(DIAG_ERROR), 2);
	unload(&f);
}

/*
 * The scan reads files on several threads: the pages, their order and
 * what was read from them do not depend on how many.
 */
static void
test_scan_threads(void **state)
{
	struct fixture	 f[2];
	char		 rel[64], text[256];
	struct page	*p, *q;
	size_t		 i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		mkfixture(&f[k]);
		f[k].threads = k == 0 ? 1 : 8;
		for (i = 0; i < 60; i++) {
			snprintf(rel, sizeof(rel), "content/%s/s%zu/p%02zu.md",
			    i % 2 ? "ur" : "en", i % 3, i);
			snprintf(text, sizeof(text), "---\ntitle: Page %zu\n"
			    "date: 2024-01-%02zu\n---\nWords %.*s here.\n",
			    i, i % 28 + 1, (int)(i % 7) * 2, "a b c d e f g h "
			    "i j k l m n");
			put(f[k].dir, rel, text);
		}
		assert_int_equal(load(&f[k]), 0);
	}
	/* 60 pages, and each one's fallback in the other language. */
	assert_int_equal(f[0].site.npages, 120);
	assert_int_equal(f[1].site.npages, f[0].site.npages);
	for (i = 0; i < f[0].site.npages; i++) {
		p = f[0].site.pages[i];
		q = f[1].site.pages[i];
		assert_string_equal(p->src, q->src);
		assert_string_equal(p->title, q->title);
		assert_string_equal(p->summary, q->summary);
		assert_int_equal(p->words, q->words);
		assert_int_equal(p->fm.date.epoch, q->fm.date.epoch);
	}
	for (k = 0; k < 2; k++)
		unload(&f[k]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_lists),
		cmocka_unit_test(test_scan_threads),
		cmocka_unit_test(test_translations_and_links),
		cmocka_unit_test(test_duplicate_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
