# Command-line cases, sourced by tests/run: each case_* function is one
# test, run in a scratch folder with "set -e"; $AWAAZ and $REPO are set.

SITE="$REPO/tests/sites/basic"

# A copy of the basic site that may be edited, its theme found by path.
edit_copy() {
	cp -R "$SITE" site
	rm -rf site/expect site/expect.stderr
	sed -i "s|themes_dir: .*|themes_dir: $REPO/tests/themes|" site/site.yaml
}

# Fails the case when the command succeeds ("! cmd" never stops set -e).
refute() {
	if "$@"; then
		echo "unexpectedly true: $*"
		return 1
	fi
}

tree_sum() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }

case_help_lists_build() {
	"$AWAAZ" --help | grep -q '^  build '
	"$AWAAZ" --help | grep -q '^  translations '
	"$AWAAZ" translations --help | grep -q -- '--mark PATH'
	"$AWAAZ" build --help | grep -q -- '--base-url URL'
	"$AWAAZ" --version | grep -q '^awaaz [0-9]'
}

case_usage_errors_exit_2() {
	set +e
	"$AWAAZ" 2>/dev/null; [ $? -eq 2 ] || return 1
	"$AWAAZ" frobnicate 2>err; [ $? -eq 2 ] || return 1
	grep -q "unknown command 'frobnicate'" err || return 1
	"$AWAAZ" build --nope 2>/dev/null; [ $? -eq 2 ] || return 1
	"$AWAAZ" build -j 0 2>/dev/null; [ $? -eq 2 ] || return 1
	"$AWAAZ" build --base-url ftp://x 2>/dev/null; [ $? -eq 2 ] || return 1
	"$AWAAZ" build extra 2>/dev/null; [ $? -eq 2 ] || return 1
}

case_script_never_markup() {
	"$AWAAZ" build -C "$SITE" -o out -q
	refute grep -rqi '<script' out
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' \
	    out/en/handouts/safe-migration-checklist/index.html
	grep -q 'Test &lt;campaign&gt; &amp; friends' out/en/index.html
}

case_rebuild_and_jobs_identical() {
	"$AWAAZ" build -C "$SITE" -o a -q -j1
	"$AWAAZ" build -C "$SITE" -o b -q -j8
	"$AWAAZ" build -C "$SITE" -o b -q -j8
	diff -r a b
	[ ! -e .b.staging ]
}

case_example_campaign_identical_for_any_jobs() {
	"$AWAAZ" build -C "$REPO" -o a -q -j1
	"$AWAAZ" build -C "$REPO" -o b -q -j8
	diff -r a b
}

# Every relative href and src in the output names a file that exists, so
# the site works from file:// and a USB stick.
case_links_resolve_on_disk() {
	"$AWAAZ" build -C "$REPO" -o out -q
	"$AWAAZ" build -C "$SITE" -o out2 -q
	for root in out out2; do
		find "$root" -name '*.html' | while read -r f; do
			dir=$(dirname "$f")
			grep -o -E '(href|src)="[^"#?]*' "$f" | sed 's/^[a-z]*="//' |
			while read -r u; do
				case "$u" in
				''|http:*|https:*|mailto:*|tel:*) continue ;;
				/*) t="$root$u" ;;	# 404 pages: from the root
				*) t="$dir/$u" ;;
				esac
				[ -e "$t" ] || { echo "$f: broken $u"; exit 1; }
			done
		done
	done
}

case_base_url_makes_absolute_links() {
	"$AWAAZ" build -C "$SITE" -o out -q --base-url https://example.org/c/
	grep -q 'href="https://example.org/c/en/handouts/"' out/en/index.html
	grep -q '<link rel="canonical" href="https://example.org/c/en/"' out/en/index.html
	# An empty one: relative links, whatever site.yaml says.
	edit_copy
	echo 'base_url: https://example.org/site' >> site/site.yaml
	"$AWAAZ" build -C site -o rel -q --base-url ''
	grep -q 'href="handouts/index.html"' rel/en/index.html
	refute grep -q 'example.org' rel/en/index.html
	"$AWAAZ" build -C site -o abs -q
	grep -q 'href="https://example.org/site/en/handouts/"' abs/en/index.html
}

case_refuses_site_folder_as_output() {
	edit_copy
	set +e
	"$AWAAZ" build -C site -o site 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "error: output folder 'site' is the site folder" err
	"$AWAAZ" build -C site -o . 2>err || true
	grep -q "contains the site folder" err
	"$AWAAZ" build -C site -o site/content/out 2>err || true
	grep -q "inside the site's 'content' folder" err
	[ ! -e site/content/out ]
}

case_refuses_foreign_folder() {
	mkdir mine
	echo precious > mine/notes.txt
	set +e
	"$AWAAZ" build -C "$SITE" -o mine 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "not empty and was not made by awaaz" err
	[ "$(cat mine/notes.txt)" = precious ]
	[ "$(ls -A mine)" = notes.txt ]
}

case_failed_build_keeps_previous_output() {
	edit_copy
	"$AWAAZ" build -C site -o out -q
	before=$(tree_sum out)
	printf -- '---\ntitle: [\n---\n' > site/content/en/broken.md
	set +e
	"$AWAAZ" build -C site -o out 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "^content/en/broken.md:2:8: error: '\[' is never closed" err
	[ "$before" = "$(tree_sum out)" ]
	[ ! -e .out.staging ]
}

case_drafts_only_with_flag() {
	"$AWAAZ" build -C "$SITE" -o out -q
	[ ! -e out/en/handouts/draft/index.html ]
	"$AWAAZ" build -C "$SITE" -o out -q --drafts
	[ -e out/en/handouts/draft/index.html ]
}

case_install_finds_theme() {
	make -s -C "$REPO" install DESTDIR="$PWD/dest" PREFIX=/opt/aw >/dev/null
	[ -x dest/opt/aw/bin/awaaz ]
	[ -f dest/opt/aw/share/awaaz/themes/default/templates/page.html ]
	mkdir -p s/content/en
	printf 'title: T\n' > s/site.yaml
	printf -- '---\ntitle: Home\n---\nHi\n' > s/content/en/_index.md
	dest/opt/aw/bin/awaaz build -C s -o out -q
	[ -f out/assets/site.css ]
	make -s -C "$REPO" uninstall DESTDIR="$PWD/dest" PREFIX=/opt/aw >/dev/null
	[ ! -e dest/opt/aw/bin/awaaz ]
}

# Diagnostics come out in the same order whatever the number of workers.
case_diagnostics_identical_for_any_jobs() {
	S="$REPO/tests/sites/stress"
	"$AWAAZ" build -C "$S" -o a -j1 -v 2>a.err
	"$AWAAZ" build -C "$S" -o b -j8 -v 2>b.err
	sed -i '/^awaaz: seconds:/d' a.err b.err
	sed -i 's/into .*$//' a.err b.err
	[ "$(wc -l < a.err)" -gt 20 ]
	diff a.err b.err
	diff -r a b
}

# Headless Chromium parses the pages as we meant them: the DOM it builds
# from file:// has one h1, the landmarks, lang and dir, the stylesheet
# applied, and no element swallowed by a void element written wrong.
chromium_dom() {
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$PWD/profile" --dump-dom "file://$1" 2>/dev/null
}

case_browser_parses_pages() {
	command -v chromium >/dev/null || { echo "chromium missing: make deps"; return 1; }
	"$AWAAZ" build -C "$REPO" -o out -q
	"$AWAAZ" build -C "$SITE" -o out2 -q
	for p in out/en/index.html out/en/handouts/index.html \
	    out/en/handouts/know-the-signs/index.html out2/ur/handouts/know-the-signs/index.html; do
		chromium_dom "$PWD/$p" > dom.html
		[ "$(grep -o '<h1' dom.html | wc -l)" -eq 1 ] || { echo "$p: h1"; return 1; }
		grep -q '<main' dom.html || { echo "$p: main"; return 1; }
		# Every element awaaz wrote is in the browser's DOM, in order:
		# compare the sequence of start tags (the browser adds none here).
		grep -o '<[a-z][a-z0-9]*' "$p" | grep -v '^<html$' > ours
		grep -o '<[a-z][a-z0-9]*' dom.html | grep -v -e '^<html$' > theirs
		diff ours theirs || { echo "$p: DOM differs"; return 1; }
	done
	grep -q '<html lang="ur-PK" dir="rtl">' dom.html
}


case_translations_report_and_mark() {
	edit_copy
	T=content/ur/handouts/know-the-signs.md
	"$AWAAZ" translations -C site >report 2>/dev/null
	grep -q "^ur (اردو): 0 originals, 0 translated, 0 outdated, 2 unmarked, 6 missing$" report
	grep -q "^  missing   content/en/lessons/classroom.md$" report
	set +e
	"$AWAAZ" translations -C site --strict >/dev/null 2>&1; st=$?
	set -e
	[ "$st" -eq 1 ]
	"$AWAAZ" translations -C site --mark "$T" >/dev/null 2>&1
	grep -q "^translatedFrom: [0-9a-f]\{12\}$" "site/$T"
	"$AWAAZ" translations -C site 2>/dev/null | grep -q "1 translated, 0 outdated"
	# The source changes: the translation is outdated, and says so.
	echo "One more sentence." >> site/content/en/handouts/know-the-signs.md
	"$AWAAZ" translations -C site 2>/dev/null |
	    grep -q "^  outdated  $T (from content/en/handouts/know-the-signs.md)$"
	"$AWAAZ" build -C site -o out -q
	grep -q 'class="outdated"' out/ur/handouts/know-the-signs/index.html
	# Marking again replaces the line; the rest of the file stays.
	cp "site/$T" before
	"$AWAAZ" translations -C site --mark "$T" >/dev/null 2>&1
	[ "$(grep -c translatedFrom "site/$T")" -eq 1 ]
	diff before "site/$T" | grep -c '^[<>]' | grep -qx 2
	"$AWAAZ" translations -C site 2>/dev/null | grep -q "1 translated, 0 outdated"
	# Line endings and normal form do not make a translation outdated.
	sed -i 's/$/\r/' site/content/en/handouts/know-the-signs.md
	"$AWAAZ" translations -C site 2>/dev/null | grep -q "1 translated, 0 outdated"
	set +e
	"$AWAAZ" translations -C site --mark content/en/_index.md 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "is an original, not a translation" err
}

case_fallback_page_notice_and_canonical() {
	"$AWAAZ" build -C "$SITE" -o out -q --base-url https://example.org
	f=out/ur/lessons/classroom/index.html
	grep -q 'class="fallback">ابھی ترجمہ نہیں ہوا: یہ English میں اصل متن ہے۔' $f
	grep -q '<link rel="canonical" href="https://example.org/en/lessons/classroom/">' $f
	refute grep -q 'rel="alternate"' $f
	grep -q '<div class="body" lang="en" dir="ltr">' $f
	grep -q '<html lang="ur-PK" dir="rtl">' $f
	# The English page does not list the fallback as an alternate.
	refute grep -q 'rel="alternate" hreflang="ur-PK"' out/en/lessons/classroom/index.html
	refute grep -q '/ur/lessons/classroom/' out/sitemap.xml
}

# An untranslated page's link to a heading of a page that is translated:
# in the fallback, the translation's heading has another id, so the link
# goes to the top of the translation, and nothing is reported.
case_fallback_link_to_translated_heading() {
	edit_copy
	printf '%s\n' '---' 'title: Lesson' '---' \
	    'See [the signs](../handouts/know-the-signs.md#warning-signs).' \
	    > site/content/en/lessons/classroom.md
	"$AWAAZ" build -C site -o out -q --no-pdf 2>err
	test ! -s err
	grep -q 'href="../../handouts/know-the-signs/index.html#warning-signs"' \
	    out/en/lessons/classroom/index.html
	grep -q 'href="../../handouts/know-the-signs/index.html"' \
	    out/ur/lessons/classroom/index.html
	# Written in the page itself, a missing anchor is still an error.
	sed -i 's/#warning-signs/#no-such-heading/' \
	    site/content/en/lessons/classroom.md
	refute "$AWAAZ" build -C site -o out2 -q --no-pdf 2>err
	grep -q "^content/en/lessons/classroom.md:4:5: error: anchor '#no-such-heading' not found in 'content/en/handouts/know-the-signs.md'$" err
	test "$(wc -l < err)" = 1
}

# A long list's pager links the first and last pages and two either side
# of the current one, "…" where pages are left out; a gap of one page
# shows that page instead.
case_pager_window() {
	mkdir -p site/content/en/news
	printf '%s\n' 'title: Pager' "themes_dir: $REPO/themes" \
	    'languages: [{code: en, locale: en}]' 'page_size: 1' \
	    > site/site.yaml
	for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
		printf '%s\n' '---' "title: News $i" "date: 2024-01-$i" \
		    '---' 'Text.' > site/content/en/news/n$i.md
	done
	"$AWAAZ" build -C site -o out -q --no-pdf
	pager() {
		sed -n '/class="pager"/,/<\/nav>/p' "out/en/news/$1" |
		    grep -oE '>([0-9]+|…)<' | tr -d '><' | paste -sd ' '
	}
	[ "$(pager index.html)" = "1 2 3 … 15" ]
	[ "$(pager page/4/index.html)" = "1 2 3 4 5 6 … 15" ]
	[ "$(pager page/5/index.html)" = "1 2 3 4 5 6 7 … 15" ]
	[ "$(pager page/8/index.html)" = "1 … 6 7 8 9 10 … 15" ]
	[ "$(pager page/15/index.html)" = "1 … 13 14 15" ]
	grep -q '<li class="gap" aria-hidden="true">…</li>' \
	    out/en/news/page/8/index.html
}

# Every alternate of every sitemap entry lists the same alternates back,
# and the pages' own hreflang links agree with the sitemap.
case_hreflang_reciprocal() {
	command -v xmllint >/dev/null || { echo "xmllint missing: make deps"; return 1; }
	"$AWAAZ" build -C "$SITE" -o out -q --base-url https://example.org
	xmllint --noout out/sitemap.xml
	awk '/<loc>/ { gsub(/.*<loc>|<\/loc>.*/, ""); loc = $0 }
	    /xhtml:link/ { h = $0; sub(/.*href="/, "", h); sub(/".*/, "", h);
	        l = $0; sub(/.*hreflang="/, "", l); sub(/".*/, "", l);
	        print loc, l, h }' out/sitemap.xml | sort > alt
	[ "$(wc -l < alt)" -gt 6 ]
	# For each (page, lang, target) with lang != x-default, the target
	# must list the same set of (lang, target).
	while read -r loc lang href; do
		[ "$lang" = x-default ] && continue
		a=$(awk -v p="$loc" '$1 == p { print $2, $3 }' alt)
		b=$(awk -v p="$href" '$1 == p { print $2, $3 }' alt)
		[ "$a" = "$b" ] || { echo "not reciprocal: $loc $href"; return 1; }
		f=out${loc#https://example.org}index.html
		grep -q "<link rel=\"alternate\" hreflang=\"$lang\" href=\"$href\">" "$f" ||
		    { echo "$f lacks $lang"; return 1; }
	done < alt
	# Without a base URL: no sitemap, no canonical, no alternates.
	"$AWAAZ" build -C "$SITE" -o rel -q
	[ ! -e rel/sitemap.xml ]
	refute grep -rq 'rel="canonical"\|rel="alternate"' rel
}

# awaaz new: the page it writes, from the site folder or with -C.
case_new_writes_page() {
	edit_copy
	d1=$(date +%Y-%m-%d)
	"$AWAAZ" new handouts/road-safety -C site --handout a5 >printed
	d2=$(date +%Y-%m-%d)
	f=site/content/en/handouts/road-safety.md
	[ "$(cat printed)" = "$f" ]
	[ "$(head -1 $f)" = --- ]
	grep -qx 'title: "Road safety"' $f
	grep -qx -e "date: $d1" -e "date: $d2" $f
	grep -qx 'summary: ""' $f
	grep -qx '# Who the page is for: communities, journalists or schools.' $f
	grep -qx 'audience: TODO' $f
	grep -qx 'tags: \[\]' $f
	grep -qx 'handout: a5' $f
	[ "$(grep -c '^---$' $f)" -eq 2 ]
	grep -q '^## ' $f
	# The placeholder stops the build, at its line, until someone chooses.
	set +e
	"$AWAAZ" build -C site -o out 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "^content/en/handouts/road-safety.md:8:11: error: unknown audience 'TODO' (communities, journalists, schools)$" err
	sed -i 's/^audience: TODO$/audience: communities/' $f
	"$AWAAZ" build -C site -o out -q
	grep -q '<h1 [^>]*>Road safety</h1>' out/en/handouts/road-safety/index.html
	# Another language, from inside the site folder; ".md" is allowed.
	(cd site && "$AWAAZ" new handouts/road-safety.md --lang ur) >printed \
	    2>err
	[ "$(cat printed)" = content/ur/handouts/road-safety.md ]
	refute grep -q '^handout:' site/content/ur/handouts/road-safety.md
	grep -q "note: a translation of 'content/en/handouts/road-safety.md'" err
	# A section's own page.
	"$AWAAZ" new stories/_index -C site >/dev/null
	grep -qx 'title: "Stories"' site/content/en/stories/_index.md
	refute grep -q '^audience:' site/content/en/stories/_index.md
}

case_new_refuses_to_overwrite() {
	edit_copy
	f=site/content/en/handouts/know-the-signs.md
	before=$(sha256sum < $f)
	set +e
	"$AWAAZ" new handouts/know-the-signs -C site >out 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	[ ! -s out ]
	grep -qx "$f: error: already exists: awaaz new never overwrites a page" err
	[ "$before" = "$(sha256sum < $f)" ]
}

case_new_bad_names_exit_2() {
	edit_copy
	before=$(tree_sum site)
	for args in '../x' 'handouts/../x' 'x/..' 'a/b c' 'x/ü' '/x' 'x/' \
	    'x//y' 'x/index' 'x/_index/y' '_index' '_x/y' 'x/.hidden' \
	    'x/y --lang xx' 'x/y --handout a3' 'x/_index --handout a4' '' \
	    'x/y z/w'; do
		set +e
		# shellcheck disable=SC2086
		"$AWAAZ" new $args -C site >out 2>err; st=$?
		set -e
		[ "$st" -eq 2 ] || { echo "'$args': exit $st"; return 1; }
		[ ! -s out ] || { echo "'$args': printed $(cat out)"; return 1; }
		grep -q '^awaaz: error: ' err || { echo "'$args'"; return 1; }
	done
	[ "$before" = "$(tree_sum site)" ]
}

# awaaz serve: a private folder, MIME types, 404s, no way out of the folder,
# a rebuild on every change announced to open pages, the problems page
# while the site does not build, and a clean stop.
serve_get() {	# serve_get PATH [curl options]: status, type and body
	p=$1
	shift
	curl -s --max-time 10 -o body -w '%{http_code} %{content_type}\n' \
	    "$@" "$U$p"
}

serve_wait() {	# serve_wait PATH STATUS GREP: until it is served
	for _ in $(seq 200); do
		if [ "$(serve_get "$1" | cut -d' ' -f1)" = "$2" ] &&
		    grep -q -- "$3" body; then
			return 0
		fi
		sleep 0.1
	done
	echo "timed out waiting for $1 $2 $3"
	tail -20 serve.err
	return 1
}

serve_start() {	# serve_start [OPTION...]: serves ./site, sets pid and U
	"$AWAAZ" serve -C "$PWD/site" --port 0 "$@" 2>serve.err &
	pid=$!
	for _ in $(seq 600); do
		grep -q '^awaaz: serving ' serve.err && break
		kill -0 $pid || { cat serve.err; return 1; }
		sleep 0.1
	done
	U=$(sed -n 's|^awaaz: serving \(http://127.0.0.1:[0-9]*\)/ .*|\1|p' \
	    serve.err)
	[ -n "$U" ] || { cat serve.err; return 1; }
}

serve_stop() {	# serve_stop: Ctrl-C, a clean exit, nothing left running
	kill -INT $pid
	set +e
	wait $pid; st=$?
	set -e
	[ "$st" -eq 0 ] || { echo "serve exit $st"; cat serve.err; return 1; }
	grep -q '^awaaz: stopping$' serve.err
	# A build's helper deleting an old site may take a moment.
	for _ in $(seq 50); do
		pgrep -f -- "serve -C $PWD/site" >/dev/null || break
		sleep 0.1
	done
	refute pgrep -f -- "serve -C $PWD/site" >/dev/null
}

case_serve_preview() {
	command -v curl >/dev/null ||
	    { echo "curl missing: make deps"; return 1; }
	edit_copy
	S="$PWD/site"
	pid=""
	ev=""
	trap 'kill $pid $ev 2>/dev/null || true' EXIT
	serve_start

	# A second preview of the same site would build into the same folder.
	set +e
	"$AWAAZ" serve -C site --port 0 2>err2; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "another 'awaaz serve' is previewing this site" err2

	[ "$(serve_get /en/)" = "200 text/html; charset=utf-8" ]
	grep -q '<h1>Know the signs</h1>' body
	grep -q 'new EventSource("/__awaaz/events")' body
	# Just before </body>, once.
	[ "$(grep -c EventSource body)" -eq 1 ]
	grep -A1 EventSource body | tail -1 | grep -q '^</body>'
	[ "$(serve_get /en -D hdr)" = "302 text/plain; charset=utf-8" ]
	grep -qi '^location: /en/' hdr
	[ "$(serve_get /assets/mini.css)" = "200 text/css; charset=utf-8" ]
	refute grep -q EventSource body
	[ "$(serve_get /ur/no-such-page/ | cut -d' ' -f1)" = 404 ]
	grep -q '<html lang="ur-PK" dir="rtl">' body
	grep -q 'EventSource' body
	[ "$(serve_get /nothing/here | cut -d' ' -f1)" = 404 ]
	grep -q '<html lang="en" dir="ltr">' body
	[ "$(serve_get /../site.yaml --path-as-is | cut -d' ' -f1)" = 403 ]
	serve_get /en/%2e%2e/%2E%2E/site.yaml --path-as-is | grep -q '^403 '
	[ "$(serve_get /.awaaz-output | cut -d' ' -f1)" = 404 ]
	ln -s "$S" site/.awaaz-cache/serve/public/out
	[ "$(serve_get /out/site.yaml | cut -d' ' -f1)" = 403 ]
	rm site/.awaaz-cache/serve/public/out
	# Private: not public/, and the reload script is never on disk.
	[ ! -e site/public ]
	refute grep -rq EventSource site/.awaaz-cache

	# An edit is built and announced to open pages.
	curl -sN --max-time 60 "$U/__awaaz/events" > events &
	ev=$!
	for _ in $(seq 100); do
		grep -q '^data: ' events && break
		sleep 0.1
	done
	grep -q '^event: build$' events
	sed -i 's/^title: Know the signs$/title: Signs, edited/' \
	    site/content/en/_index.md
	serve_wait /en/ 200 '<h1>Signs, edited</h1>'
	for _ in $(seq 100); do
		[ "$(grep -c '^data: ' events)" -ge 2 ] && break
		sleep 0.1
	done
	[ "$(grep '^data: ' events | sort -u | wc -l)" -ge 2 ]

	# Broken YAML: the problems page, its lines escaped; the rest stays.
	printf -- '---\ntitle: [broken\n---\nText.\n' \
	    > site/content/en/broken.md
	sed -i 's/^audience: .*/audience: "<b>x<\/b>"/' \
	    site/content/en/handouts/know-the-signs.md
	serve_wait /en/ 500 'content/en/broken.md:[0-9]*:[0-9]*: error: '
	grep -q "unknown audience '&lt;b&gt;x&lt;/b&gt;'" body
	refute grep -q '<b>x</b>' body
	grep -q 'EventSource' body
	[ "$(serve_get /assets/mini.css | cut -d' ' -f1)" = 200 ]
	serve_get '/en/?awaaz=last-good' >/dev/null
	grep -q '<h1>Signs, edited</h1>' body
	rm site/content/en/broken.md
	sed -i 's/^audience: .*/audience: communities/' \
	    site/content/en/handouts/know-the-signs.md
	serve_wait /en/ 200 '<h1>Signs, edited</h1>'

	# A new folder is watched too.
	mkdir -p site/content/en/stories/local
	sleep 1
	printf -- '---\ntitle: Deep page\n---\nText.\n' \
	    > site/content/en/stories/local/deep.md
	serve_wait /en/stories/local/deep/ 200 '>Deep page</h1>'

	# site.yaml, in the site folder itself.
	sed -i 's/^title: .*/title: "Retitled campaign"/' site/site.yaml
	serve_wait /en/ 200 'Retitled campaign'
	refute grep -q 'looking at the files' serve.err

	# A change inotify cannot see (the target of a link, outside the
	# site) is found by the look every two seconds, which then takes
	# over.
	echo one > outside.txt
	ln -s "$PWD/outside.txt" site/static/linked.txt
	serve_wait /linked.txt 200 '^one$'
	echo two > outside.txt
	serve_wait /linked.txt 200 '^two$'
	grep -q "^awaaz: note: no change to 'static/linked.txt' was reported by the file system: looking at the files every 0.5 s instead$" serve.err
	sed -i 's/^title: .*/title: "Looked at"/' site/site.yaml
	serve_wait /en/ 200 'Looked at'

	serve_stop
	wait $ev || true	# the stream ends with the server
}

# --poll: looking at the files, never told of changes by inotify.
case_serve_poll() {
	command -v curl >/dev/null ||
	    { echo "curl missing: make deps"; return 1; }
	edit_copy
	pid=""
	trap 'kill $pid 2>/dev/null || true' EXIT
	serve_start --poll
	[ "$(serve_get /en/ | cut -d' ' -f1)" = 200 ]
	grep -q '<h1>Know the signs</h1>' body
	sed -i 's/^title: Know the signs$/title: Polled/' \
	    site/content/en/_index.md
	serve_wait /en/ 200 '<h1>Polled</h1>'
	grep -q '^awaaz: content/en/_index.md changed: rebuilding$' serve.err
	mkdir -p site/content/en/later/deeper
	printf -- '---\ntitle: Found later\n---\nText.\n' \
	    > site/content/en/later/deeper/found.md
	serve_wait /en/later/deeper/found/ 200 '>Found later</h1>'
	rm site/content/en/later/deeper/found.md
	serve_wait /en/later/deeper/found/ 404 'lang="en"'
	# Hidden files and editors' backups are not the site's.
	n=$(grep -c 'changed: rebuilding$' serve.err)
	touch site/content/en/.swap site/content/en/_index.md~
	sleep 1.5
	[ "$(grep -c 'changed: rebuilding$' serve.err)" -eq "$n" ]
	serve_stop
}

case_new_and_serve_help_and_usage() {
	"$AWAAZ" --help | grep -q '^  new '
	"$AWAAZ" --help | grep -q '^  serve '
	"$AWAAZ" new --help | grep -q -- '--handout a4|a5|letter'
	"$AWAAZ" serve --help | grep -q -- '--bind ADDRESS'
	for args in '--port 70000' '--port x' '--nope' 'extra' \
	    '--bind nowhere'; do
		set +e
		# shellcheck disable=SC2086
		"$AWAAZ" serve -C "$SITE" $args 2>/dev/null; st=$?
		set -e
		[ "$st" -eq 2 ] || { echo "serve $args: exit $st"; return 1; }
	done
	# Not a site: nothing is written there.
	mkdir empty
	set +e
	"$AWAAZ" serve -C empty --port 0 2>err; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "^awaaz: error: 'empty' has no site.yaml" err
	[ -z "$(ls -A empty)" ]
	[ ! -e "$SITE/.awaaz-cache" ]
}

# The example campaign passes the strictest check.
case_example_campaign_checks_clean() {
	"$AWAAZ" check -C "$REPO" --strict 2>err
	grep -q "^awaaz: 0 errors, 0 warnings, [0-9]* notes$" err
}

# Facts on one line are separated by the language's separator: a middle
# dot beside Arabic-Indic digits reads as a zero (٢٠٢٤ · ...).
case_separator_per_language() {
	"$AWAAZ" build -C "$REPO" -o out -q --no-pdf
	f=out/ar/handouts/know-the-signs/index.html
	grep -q '<span class="sep" aria-hidden="true">، </span>' $f
	for code in ar fa ps ur; do
		refute grep -rq ' · ' out/$code
	done
	grep -q '<span class="sep" aria-hidden="true"> · </span>' \
	    out/en/handouts/know-the-signs/index.html
	grep -q '<span class="sep" aria-hidden="true"> · </span>' \
	    out/bn/handouts/know-the-signs/index.html
}

# Handouts: a PDF per language beside each handout page, linked with its
# size, tagged and titled; --no-pdf leaves them out.
case_handouts_built_and_linked() {
	"$AWAAZ" build -C "$REPO" -o out -q
	for l in en ur ps fa ar bn; do
		f=out/$l/handouts/know-the-signs/know-the-signs-$l.pdf
		[ -s "$f" ]
		pdfinfo "$f" | grep -q '^Tagged: *yes'
		grep -q "href=\"know-the-signs-$l.pdf\"" \
		    out/$l/handouts/know-the-signs/index.html
	done
	grep -q 'Print this handout: A4 PDF, [0-9]* kB' \
	    out/en/handouts/know-the-signs/index.html
	grep -q 'know-the-signs-en.pdf' out/en/downloads/index.html
	# Every page's footer links to the language's downloads page.
	grep -q 'href="downloads/index.html">Handouts to print</a>' \
	    out/en/index.html
	grep -q 'href="../../downloads/index.html"' \
	    out/en/news/2015-islamabad-sessions/index.html
	# A fallback offers the original's PDF.
	grep -q 'href="../../../en/factsheets/reporting-guide/reporting-guide-en.pdf"' \
	    out/ps/factsheets/reporting-guide/index.html
	"$AWAAZ" build -C "$REPO" -o nopdf -q --no-pdf
	[ -z "$(find nopdf -name '*.pdf')" ]
}

# Colour and progress only on a terminal, never with NO_COLOR.
case_colour_only_on_a_terminal() {
	command -v script >/dev/null || { echo "script (bsdutils) missing"; return 1; }
	cp -R "$REPO/tests/check/seeded" s
	sed -i "s|themes_dir: .*|themes_dir: $REPO/tests/themes|" s/site.yaml
	"$AWAAZ" check -C s 2>plain || true
	refute grep -q "$(printf '\033')" plain
	NO_COLOR= script -qc "$AWAAZ check -C s" /dev/null > tty || true
	grep -q "$(printf '\033')\[1;31merror:" tty
	NO_COLOR=1 script -qc "$AWAAZ check -C s" /dev/null > nc || true
	refute grep -q "$(printf '\033')\[1;31m" nc
	# A build on a terminal counts pages as they are done, then clears
	# the line for the summary.
	cp -R "$SITE" b
	sed -i "s|themes_dir: .*|themes_dir: $REPO/tests/themes|" b/site.yaml
	script -qc "$AWAAZ build -C b -o $PWD/out -j2" /dev/null > bt
	grep -q 'awaaz: rendering: 0 of 40 pages, 0 handouts, on 2 workers' bt
	grep -q 'awaaz: rendering: 40 of 40 pages, 0 handouts, on 2 workers' bt
	grep -q "$(printf '\r\033')\[Kcontent/en/handouts/safe-migration.md:8:1: " bt
	grep -q '^awaaz: built 39 pages' bt
	"$AWAAZ" build -C b -o "$PWD/out" -j2 2>plain
	refute grep -q 'rendering' plain
}

# Handouts: an unchanged one is copied from the cache (same bytes), an
# edited one laid out again; a damaged cache entry is not used; entries
# no build uses any more are pruned.
case_handout_cache() {
	mkdir -p s/content/en s/content/ur
	printf 'title: Cache\nthemes_dir: %s/themes\nlanguages:\n  - {code: en, locale: en}\n  - {code: ur, locale: ur-PK}\n' \
	    "$REPO" > s/site.yaml
	for l in en ur; do
		for n in one two; do
			printf -- '---\ntitle: Page %s\nhandout: a4\n---\nText %s.\n' \
			    "$n" "$n" > "s/content/$l/$n.md"
		done
	done
	"$AWAAZ" build -C s -o "$PWD/a" 2>err
	grep -q ', 4 handouts, 0 warnings' err
	[ "$(ls s/.awaaz-cache/handouts | wc -l)" -eq 4 ]
	"$AWAAZ" build -C s -o "$PWD/b" 2>err
	grep -q ', 4 handouts (4 unchanged), 0 warnings' err
	diff -r a b
	sed -i 's/^Text one\./Text one, edited./' s/content/en/one.md
	"$AWAAZ" build -C s -o "$PWD/b" 2>err
	grep -q ', 4 handouts (3 unchanged), 0 warnings' err
	pdftotext b/en/one/one-en.pdf - | grep -q 'Text one, edited.'
	# A cut-off entry is laid out again and replaced.
	for f in s/.awaaz-cache/handouts/*.pdf; do
		head -c 100 "$f" > t && mv t "$f"
	done
	"$AWAAZ" build -C s -o "$PWD/b" 2>err
	grep -q ', 4 handouts, 0 warnings' err
	pdfinfo b/ur/two/two-ur.pdf | grep -q '^Pages: *1'
	# The entry of the text before the edit is used by no build: it goes
	# once it is older than the build (the dates allow two seconds).
	[ "$(ls s/.awaaz-cache/handouts | wc -l)" -eq 5 ]
	touch -d '1 hour ago' s/.awaaz-cache/handouts/*.pdf
	"$AWAAZ" build -C s -o "$PWD/b" -q
	[ "$(ls s/.awaaz-cache/handouts | wc -l)" -eq 4 ]
	# check uses the cache too, and writes no output.
	"$AWAAZ" check -C s 2>err
	[ ! -e s/public ]
}
