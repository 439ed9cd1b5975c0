//! Accessibility of the reader pages: axe-core's WCAG 2 A and AA rules in both themes at a
//! phone's and a laptop's width, no sideways scrolling on a phone, and every control of a
//! story reachable with the keyboard.

use crate::driver::Reader;
use fantoccini::key::Key;
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::path::Path;

/// axe-core's browser build, as `npm install` in tests/a11y puts it (`.ci/run` does).
/// `None` (with a printed note) when it is not installed and this is not CI.
fn axe_source() -> Option<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) if std::env::var_os("CI").is_some() => panic!(
            "{}: {e}; CI is set, so the accessibility check must run (npm install in crates/byline_web/tests/a11y)",
            path.display()
        ),
        Err(_) => {
            println!(
                "skipped: axe-core not installed (cd crates/byline_web/tests/a11y && npm install)"
            );
            None
        }
    }
}

/// Runs axe on the page: the WCAG 2.0/2.1 A and AA rules, violations only, each flattened
/// to what a reader of the failure needs.
const RUN_AXE: &str = "return axe.run(document, { \
       runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, \
       resultTypes: ['violations'] \
     }).then(function (r) { return { \
       passed: r.passes.map(function (p) { return p.id; }), \
       violations: r.violations.map(function (v) { \
         return v.id + ' (' + v.impact + '): ' + v.help + v.nodes.map(function (n) { \
           return '\\n      ' + n.target.join(' ') + ': ' + n.html.slice(0, 200) \
             + '\\n        ' + (n.failureSummary || '').replace(/\\n\\s*/g, ' '); \
         }).join(''); \
       }) }; })";

/// Runs axe (its `source` first) on the page the browser shows; its violations, each
/// headed by `label`.
async fn axe_violations(
    browser: &crate::driver::Browser,
    source: &str,
    label: &str,
) -> Vec<String> {
    browser.js(source).await;
    let found = browser.js(RUN_AXE).await;
    // A run that checked nothing would find nothing: the rules that matter most must
    // have run and passed somewhere on the page.
    let passed = found["passed"].as_array().expect("axe's passes");
    for rule in ["color-contrast", "document-title", "html-has-lang"] {
        assert!(
            passed.iter().any(|p| p == rule),
            "{label}: axe did not check {rule}: {found}"
        );
    }
    found["violations"]
        .as_array()
        .expect("axe's violations")
        .iter()
        .map(|v| format!("{label}: {}", v.as_str().unwrap_or_default()))
        .collect()
}

/// Every reader page, light and night, at 360 and 1440 px: axe finds no violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_pages_pass_axe_in_both_themes_and_widths() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let article = reader.an_article().await;
    browser.goto(&article).await;
    let link = |selector: &str| {
        let script = format!(
            "var a = document.querySelector({selector:?}); return a ? a.getAttribute('href') : ''"
        );
        async move { browser.js_string(&script).await }
    };
    let tag = link("a.tag").await;
    let author = link("a.author").await;
    assert!(
        !tag.is_empty() && !author.is_empty(),
        "{article} links a tag and an author"
    );
    let path = article.trim_start_matches(reader.base());
    let pages = [
        "/en/",
        "/en/analytics",
        path,
        // A story with a public clarification note (the demo has one).
        "/en/economy/third-quarter-inflation-report-2026",
        // The demo's live blog (ended: its entries, key events and pinned entry).
        crate::common::LIVE_BLOG,
        "/en/search?q=grid",
        tag.as_str(),
        author.as_str(),
        "/en/page/about",
        "/ru/page/o-redakcii",
        "/en/no-such-page",
    ];

    let mut violations = Vec::new();
    for width in [360, 1440] {
        browser.set_width(width).await;
        for page in pages {
            reader.open(page).await;
            for theme in ["light", "dark"] {
                browser.with_theme(theme).await;
                let label = format!("{page} ({theme}, {width} px)");
                violations.extend(axe_violations(browser, &axe, &label).await);
            }
        }
    }
    assert!(
        violations.is_empty(),
        "axe found {} violations:\n  {}",
        violations.len(),
        violations.join("\n  ")
    );

    reader.finish().await;
}

/// A breaking-news banner: axe finds nothing in either theme at a phone's and a
/// laptop's width, it fits a 360 px screen, its dismiss button is reachable and named,
/// and a dismissed alert stays dismissed on the next page (a new one shows again).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_breaking_banner_passes_axe_and_stays_dismissed() {
    use byline_content::AlertInput;
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let site = &reader.site;
    let editor = crate::newsroom::desk_editor(site).await;
    let raise = |text: &'static str| {
        let content = site.content().clone();
        let editor = editor.clone();
        async move {
            content
                .raise_alert(
                    &editor,
                    AlertInput {
                        edition: "en".into(),
                        text: text.into(),
                        url: "/en/analytics".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
        }
    };
    raise("Parliament approves the budget after an all-night session; the vote was 71 to 30").await;
    site.settle().await;
    let browser = &reader.browser;
    let mut violations = Vec::new();
    for width in [360, 1440] {
        browser.set_width(width).await;
        for page in [
            "/en/",
            "/en/analytics/grid-interconnectors-learning-to-share",
        ] {
            reader.open(page).await;
            assert_eq!(browser.js_count("return document.querySelectorAll('[data-testid=breaking]:not([hidden])').length").await, 1);
            for theme in ["light", "dark"] {
                browser.with_theme(theme).await;
                let label = format!("{page} with a banner ({theme}, {width} px)");
                violations.extend(axe_violations(browser, &axe, &label).await);
            }
            if width == 360 {
                let wide = browser
                    .js("var d = document.documentElement; return d.scrollWidth > d.clientWidth")
                    .await;
                assert_eq!(wide, Json::Bool(false), "{page}: the banner fits 360 px");
            }
        }
    }
    assert!(
        violations.is_empty(),
        "axe found:\n  {}",
        violations.join("\n  ")
    );

    // Dismissed: gone on this page and the next; a new alert shows again.
    reader.open("/en/").await;
    browser
        .js("document.querySelector('[data-dismiss-alert]').click(); return null")
        .await;
    let shown = "return document.querySelectorAll('[data-testid=breaking]:not([hidden])').length";
    assert_eq!(browser.js_count(shown).await, 0, "dismissed");
    reader.open("/en/analytics").await;
    assert_eq!(
        browser.js_count(shown).await,
        0,
        "still dismissed on the next page"
    );
    raise("A second alert").await;
    site.settle().await;
    reader.open("/en/analytics").await;
    assert_eq!(browser.js_count(shown).await, 1, "a new alert shows");
    assert!(
        browser
            .js_string("return document.querySelector('[data-testid=breaking]').textContent")
            .await
            .contains("A second alert")
    );
    reader.finish().await;
}

/// At 360 px the reader pages are no wider than the screen (no sideways scrolling).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_pages_fit_a_360_px_phone() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let article = reader.an_article().await;
    let path = article.trim_start_matches(reader.base());
    browser.set_width(360).await;
    for page in [
        "/en/",
        "/en/analytics",
        path,
        "/en/search?q=grid",
        "/en/page/about",
        // Armenian and Russian titles have the longest words.
        "/hy/",
        "/ru/",
    ] {
        reader.open(page).await;
        browser.wait_for_visible_images().await;
        let overflow = browser
            .js("var d = document.documentElement; \
                 if (d.scrollWidth <= d.clientWidth) return null; \
                 var wide = Array.prototype.filter.call(document.querySelectorAll('body *'), function (e) { \
                   return e.getBoundingClientRect().right > d.clientWidth + 0.5; }) \
                   .slice(0, 8).map(function (e) { return e.tagName.toLowerCase() + '.' + e.className; }); \
                 return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, widest: wide }")
            .await;
        assert_eq!(overflow, Json::Null, "{page} scrolls sideways at 360 px");
    }
    reader.finish().await;
}

/// Tab from the top of a story reaches every control: search, theme, languages, font
/// size, share links, print and copy link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_reaches_every_control_of_a_story() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    browser.goto(&reader.an_article().await).await;
    let wanted: BTreeSet<&str> = [
        "search-open",
        "theme-toggle",
        "lang-switcher",
        "font-up",
        "font-down",
        "share-x",
        "share-facebook",
        "share-telegram",
        "share-whatsapp",
        "share-email",
        "print",
        "copy-link",
    ]
    .into();
    // What a focused element is, in the names above.
    let name = "var e = document.activeElement; \
        if (e.closest(\"[data-testid='lang-switcher']\")) return 'lang-switcher'; \
        if (e.classList.contains('share-btn')) return e.classList[1]; \
        return e.getAttribute('data-testid') || e.tagName.toLowerCase() + ' ' + (e.getAttribute('href') || '')";

    let mut order = Vec::new();
    // The controls come before the stories under the article; the bound only stops a
    // page whose focus never gets there.
    for _ in 0..120 {
        browser.keys(&Key::Tab).await;
        order.push(browser.js_string(name).await);
        if wanted.iter().all(|w| order.iter().any(|o| o == w)) {
            break;
        }
    }
    let missing: Vec<_> = wanted
        .iter()
        .filter(|w| !order.iter().any(|o| o == *w))
        .collect();
    assert!(
        missing.is_empty(),
        "Tab never reached {missing:?}; it went: {order:?}"
    );
    reader.finish().await;
}

/// Every newsroom page kind — the login form, the article list (filtered, paged and
/// refused), the dashboard, notifications, the editor, revisions and a revision's
/// changes, accounts, settings, static pages, redirects, imports (the form, a finished
/// run's report and a failed run's) — light and night, at
/// 360 and 1440 px: axe finds no violation, and nothing scrolls sideways on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_newsroom_page_passes_axe_in_both_themes_and_widths() {
    use crate::common::TestSite;
    use byline_content::accounts::{UserInput, create_user};
    use byline_core::Role;

    let Some(axe) = axe_source() else {
        return;
    };
    let Some(browser) = crate::driver::Browser::start().await else {
        return;
    };
    let imports = tempfile::tempdir().unwrap();
    let import_dir = imports.path().to_owned();
    let site = TestSite::demo_with_web(move |c| c.import_dir = import_dir).await;
    const PASSWORD: &str = "correct horse battery";
    create_user(
        site.store().as_ref(),
        UserInput {
            email: "admin@example.org".into(),
            display_name: String::new(),
            role: Role::Admin,
            password: Some(PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    let [finished_run, failed_run] = crate::common::import_reports(&site, imports.path()).await;
    let page_id = site.content().published_pages(Some("en")).await.unwrap()[0]
        .id
        .0;
    let article_id = site
        .content()
        .front_page("en")
        .await
        .unwrap()
        .lead
        .expect("the demo's front page has a lead story")
        .id
        .0;
    let admin = site
        .store()
        .credentials("admin@example.org")
        .await
        .unwrap()
        .user;
    // The admin's notifications list with one notice of each kind in it.
    crate::common::notices_for(&site, &admin).await;
    let served = site.serve().await;
    let base = served.base_url.clone();
    // The login form, signed out.
    let mut violations = Vec::new();
    browser.goto(&format!("{base}/newsroom/login")).await;
    for width in [360, 1440] {
        browser.set_width(width).await;
        for theme in ["light", "dark"] {
            browser.prefer_scheme(theme).await;
            browser.reload().await;
            let label = format!("/newsroom/login ({theme}, {width} px)");
            violations.extend(axe_violations(&browser, &axe, &label).await);
        }
    }
    browser
        .newsroom_login(&base, "admin@example.org", PASSWORD)
        .await;
    let media = crate::common::library_picture(&site).await;
    let mut pages =
        crate::common::newsroom_pages(article_id, page_id, media, [finished_run, failed_run]);
    // A revision's changes (an older one: with the button that restores it).
    pages.push(crate::common::revision_page(&site, &admin, article_id).await);
    // A live blog taking entries (the editor's live desk) and an entry's own page.
    pages.push(crate::common::live_blog(&site, &admin, article_id).await);
    // A refused filter too: its messages are part of the page.
    pages.push("/newsroom?from=yesterday&section=nowhere".to_owned());
    // An article with public correction notes.
    let corrected = site
        .article_id("en", "third-quarter-inflation-report-2026")
        .await;
    pages.push(format!("/newsroom/articles/{corrected}"));
    for width in [360, 1440] {
        browser.set_width(width).await;
        for page in &pages {
            browser.goto(&format!("{base}{page}")).await;
            for theme in ["light", "dark"] {
                // The newsroom follows the system's colour scheme.
                browser.prefer_scheme(theme).await;
                browser.reload().await;
                let label = format!("{page} ({theme}, {width} px)");
                violations.extend(axe_violations(&browser, &axe, &label).await);
            }
            if width == 360 {
                let overflow = browser
                    .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
                    .await;
                if overflow.as_i64().unwrap_or(0) > 0 {
                    violations.push(format!(
                        "{page} (360 px): scrolls sideways by {overflow} px"
                    ));
                }
            }
        }
    }
    // The page a save answers when the article was deleted meanwhile (reached by a
    // form, not an address): the newsroom's colours follow the system live.
    let writer = create_user(
        site.store().as_ref(),
        UserInput {
            email: "gone@example.org".into(),
            display_name: String::new(),
            role: Role::Author,
            password: Some(PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    let writer = site.store().user(writer.id).await.unwrap();
    let (gone, _) = site
        .content()
        .create_draft(
            &writer,
            &byline_content::ArticleForm {
                edition: "en".into(),
                section: "analytics".into(),
                title: "Soon deleted".into(),
                body: "Typed words.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    browser
        .newsroom_login(&base, "gone@example.org", PASSWORD)
        .await;
    browser
        .goto(&format!("{base}/newsroom/articles/{}", gone.0))
        .await;
    site.content()
        .transition(&admin, gone, byline_content::Transition::Delete)
        .await
        .unwrap();
    browser.submit("#article-form button[type=submit]").await;
    assert_eq!(
        browser
            .js_count("return document.querySelectorAll('[data-testid=deleted-while-open]').length")
            .await,
        1
    );
    for width in [360, 1440] {
        browser.set_width(width).await;
        for theme in ["light", "dark"] {
            browser.prefer_scheme(theme).await;
            let label = format!("deleted while open ({theme}, {width} px)");
            violations.extend(axe_violations(&browser, &axe, &label).await);
        }
    }
    assert!(
        violations.is_empty(),
        "axe found {} violations:\n  {}",
        violations.len(),
        violations.join("\n  ")
    );
    // Stopped as every browser test is, CSP reports checked.
    crate::driver::Reader {
        browser,
        site,
        served,
    }
    .finish()
    .await;
}

/// A live blog in Chromium: an entry posted while the page is open waits behind the
/// "Show new updates (1)" button (announced in the status line, the page not moved);
/// the button puts it on top and focuses it; an edit applies in place; the page passes
/// axe with the button up, in both themes; it keeps working under the CSP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_blog_offers_new_entries_without_moving_the_page() {
    use byline_content::EntryInput;
    use byline_core::ArticleId;
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let site = &reader.site;
    let editor = crate::newsroom::desk_editor(site).await;
    let path = "/en/analytics/grid-interconnectors-learning-to-share";
    let id = ArticleId(
        site.article_id("en", "grid-interconnectors-learning-to-share")
            .await,
    );
    let entry = |body: &str| EntryInput {
        body: body.into(),
        ..Default::default()
    };
    site.content().set_live(&editor, id, true).await.unwrap();
    let first = site
        .content()
        .post_entry(&editor, id, &entry("Already on the page"))
        .await
        .unwrap();
    site.settle().await;
    let browser = &reader.browser;
    reader.open(path).await;
    // The page's script has its stream open when this node's hub counts a reader.
    let started = std::time::Instant::now();
    while site.state.live.readers() == 0 {
        assert!(
            started.elapsed().as_secs() < 10,
            "the page never opened its stream"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let scroll = browser
        .js("window.scrollTo(0, 400); return window.scrollY")
        .await;

    site.content()
        .post_entry(&editor, id, &entry("Arrived while reading"))
        .await
        .unwrap();
    let label = browser
        .wait_js(
            "the new-updates button",
            "var b = document.querySelector('[data-testid=live-new-updates]'); return b && !b.closest('[hidden]') ? b.textContent : ''",
        )
        .await;
    assert!(label.as_str().unwrap().ends_with("(1)"), "{label}");
    assert_eq!(
        browser.js("return window.scrollY").await,
        scroll,
        "the page did not move"
    );
    assert_eq!(
        browser
            .js_count("return document.querySelectorAll('[data-testid=live-entry]').length")
            .await,
        1,
        "the new entry waits"
    );
    assert!(
        browser
            .js_string("return document.querySelector('[data-live-status]').textContent")
            .await
            .ends_with('1'),
        "announced politely"
    );
    browser.click("live-new-updates").await;
    let top = browser
        .js_string("return document.querySelector('[data-live-entries] [data-testid=live-entry]').textContent")
        .await;
    assert!(top.contains("Arrived while reading"), "newest first: {top}");
    assert!(
        browser
            .js_string("return document.activeElement.getAttribute('data-testid') || ''")
            .await
            == "live-entry",
        "focus moves to the new entry"
    );
    assert_eq!(
        browser
            .js_count("return document.querySelectorAll('[data-live-new]:not([hidden])').length")
            .await,
        0
    );
    // An edit applies in place, without the button.
    site.content()
        .edit_entry(
            &editor,
            id,
            first.id,
            &entry("Already on the page, corrected"),
        )
        .await
        .unwrap();
    browser
        .wait_js(
            "the edit",
            &format!("var e = document.getElementById('entry-{}'); return !!e && e.textContent.indexOf('corrected') >= 0", first.id),
        )
        .await;
    // axe with new updates waiting, both themes and widths (each theme reloads the
    // page, so each look gets an entry of its own to wait behind the button).
    let mut violations = Vec::new();
    let waiting = "var b = document.querySelector('[data-testid=live-new-updates]'); return b && !b.closest('[hidden]') ? b.textContent : ''";
    for width in [360, 1440] {
        browser.set_width(width).await;
        for theme in ["light", "dark"] {
            browser.with_theme(theme).await;
            let started = std::time::Instant::now();
            while site.state.live.readers() == 0 {
                assert!(started.elapsed().as_secs() < 10, "no stream after reload");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            site.content()
                .post_entry(&editor, id, &entry(&format!("For {theme} at {width} px")))
                .await
                .unwrap();
            browser.wait_js("the new-updates button", waiting).await;
            let label = format!("{path} live, new updates waiting ({theme}, {width} px)");
            violations.extend(axe_violations(browser, &axe, &label).await);
        }
    }
    assert!(
        violations.is_empty(),
        "axe found:\n  {}",
        violations.join("\n  ")
    );
    reader.finish().await;
}
