//! The reader site's own behaviour in a real browser: theme, font size, copy link,
//! load more, search, print, the view beacon, what it fetches.

use crate::common::{BROWSER_UA, TestSite, fluent};
use crate::driver::{Browser, Reader};
use byline_content::ArticleInput;
use byline_core::ArticleStatus;
use fantoccini::key::Key;
use serde_json::{Value as Json, json};

/// Records what is on `<html>` when its class first appears, and whether the HTML was
/// still being parsed then (so before the deferred byline.js could run). Installed with CDP
/// `Page.addScriptToEvaluateOnNewDocument`, so it runs before any script of the page.
pub const EARLY_PROBE: &str = r#"(function () {
  // Mutation callbacks run at the microtask checkpoint after each parser-inserted script,
  // so the first one that sees a class on <html> runs right after the inline head script
  // (readyState still "loading"); without that script the class would only appear once
  // the deferred byline.js runs, after parsing ("interactive").
  new MutationObserver(function (_, observer) {
    var html = document.documentElement;
    if (!html || !html.className) return;
    observer.disconnect();
    window.__bylineEarly = {
      readyState: document.readyState,
      className: html.className,
      font: html.getAttribute("data-font")
    };
  }).observe(document, { childList: true, subtree: true, attributes: true });
})();"#;

// ------------------------------------------------------------------ tests

/// Night theme and font size are remembered across a reload, and are already on `<html>`
/// while the page is parsed (set by the inline head script, before byline.js).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_and_font_size_survive_reload() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let base = reader.base();
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": EARLY_PROBE }),
        )
        .await;

    let article = reader.an_article().await;
    assert!(
        article.starts_with(base),
        "card link {article} is not on this site"
    );
    browser.goto(&article).await;
    browser
        .wait_js(
            "the story",
            "return document.querySelector(\"[data-testid='title']\")",
        )
        .await;

    // ---- theme
    let before = browser.theme().await;
    browser.click("theme-toggle").await;
    let after = browser.theme().await;
    assert_ne!(before, after, "theme-toggle must flip the theme");
    assert_eq!(
        browser
            .js_string("return localStorage.getItem('byline-theme')")
            .await,
        after
    );
    assert_eq!(
        browser.js_string("return document.querySelector(\"[data-testid='theme-toggle']\").getAttribute('aria-pressed')").await,
        if after == "dark" { "true" } else { "false" }
    );

    browser.reload().await;
    assert_eq!(
        browser.theme().await,
        after,
        "the chosen theme must survive a reload"
    );
    assert_eq!(
        browser
            .js_string("return localStorage.getItem('byline-theme')")
            .await,
        after
    );
    let early = browser
        .wait_js("the early probe", "return window.__bylineEarly")
        .await;
    assert_eq!(
        early["readyState"], "loading",
        "the probe must run while the HTML is parsed: {early}"
    );
    let early_class = early["className"].as_str().unwrap_or_default();
    assert!(
        early_class.split_whitespace().any(|c| c == after),
        "the theme class must be on <html> before byline.js runs (got {early_class:?}, want {after})"
    );

    // And back.
    browser.click("theme-toggle").await;
    assert_eq!(browser.theme().await, before);
    browser.reload().await;
    assert_eq!(
        browser.theme().await,
        before,
        "switching back must survive a reload too"
    );

    // ---- font size
    let start: u8 = browser.font().await.parse().expect("data-font is a number");
    assert_eq!(start, 2, "the default font step");
    browser.click("font-up").await;
    browser.click("font-up").await;
    let up = (start + 2).min(4);
    assert_eq!(browser.font().await, up.to_string());
    assert_eq!(
        browser
            .js("return document.querySelector(\"[data-testid='font-up']\").disabled")
            .await,
        json!(up == 4),
        "font-up is disabled exactly at the largest step"
    );
    browser.click("font-up").await;
    assert_eq!(
        browser.font().await,
        (up + 1).min(4).to_string(),
        "the font size is clamped at 4"
    );
    let up = (up + 1).min(4);
    browser.reload().await;
    assert_eq!(
        browser.font().await,
        up.to_string(),
        "the font size must survive a reload"
    );
    assert_eq!(
        browser
            .js_string("return localStorage.getItem('byline-font')")
            .await,
        up.to_string()
    );
    let early = browser
        .wait_js("the early probe", "return window.__bylineEarly")
        .await;
    assert_eq!(
        early["font"],
        up.to_string(),
        "data-font must be set before byline.js runs: {early}"
    );

    browser.click("font-down").await;
    assert_eq!(browser.font().await, (up - 1).to_string());
    browser.reload().await;
    assert_eq!(
        browser.font().await,
        (up - 1).to_string(),
        "font-down must survive a reload"
    );

    reader.finish().await;
}

/// "Copy link" shows the toast, in English and in Russian.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_link_shows_toast() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let base = reader.base();

    for lang in ["en", "ru"] {
        let expected = fluent(lang, "link-copied");
        browser.goto(&format!("{base}/{lang}/")).await;
        let article = browser.first_card_url().await;
        assert!(
            article.contains(&format!("/{lang}/")),
            "{article} is not a /{lang}/ page"
        );
        browser.goto(&article).await;
        browser.click("copy-link").await;
        let text = browser
            .wait_js(
                &format!("the {lang} toast"),
                "var t = document.querySelector(\"[data-testid='toast']\"); \
                 return t && t.classList.contains('is-visible') && parseFloat(getComputedStyle(t).opacity) > 0.9 \
                   && t.getBoundingClientRect().height > 0 && t.textContent",
            )
            .await;
        assert_eq!(
            text.as_str().unwrap_or_default().trim(),
            expected,
            "toast text on {article}"
        );
    }

    reader.finish().await;
}

/// "Load more" appends the next page in place, and the section block under an article
/// keeps loading as the reader scrolls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_more_and_infinite_scroll_append_cards() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = TestSite::demo().await;

    // The demo has at most 6 stories per section, fewer than a list page (12): add 20
    // older ones, so the section has a second page and the block under a story has more
    // to load.
    let start = jiff::Timestamp::from_second(1_735_689_600).unwrap(); // 2025-01-01
    for i in 1..=20_i64 {
        site.content()
            .import_article(ArticleInput {
                edition: "en".into(),
                section: "analytics".into(),
                slug: format!("archive-note-{i}"),
                title: format!("Archive note {i}: what the numbers said"),
                subtitle: "A short note from the archive.".into(),
                body_markdown: format!(
                    "Archive note number {i}.\n\nIt exists to fill a second page."
                ),
                cover: None,
                authors: vec![],
                tags: vec![],
                status: ArticleStatus::Published,
                featured: false,
                published_at: Some(start + jiff::SignedDuration::from_hours(24 * i)),
                translation_of: None,
                seo: Default::default(),
            })
            .await
            .unwrap();
    }
    site.settle().await;
    let served = site.serve().await;
    let base = &served.base_url;

    // ---- load more on the section page
    let per_page = u64::from(site.content().options().per_page);
    let section = format!("{base}/en/analytics");
    browser.goto(&section).await;
    let cards = "return document.querySelectorAll(\"[data-testid='card']\").length";
    let before = browser.js_count(cards).await;
    assert_eq!(before, per_page, "the first page holds per_page cards");
    browser.click("load-more").await;
    let wait_more =
        format!("return document.querySelectorAll(\"[data-testid='card']\").length > {before}");
    browser
        .wait_js("load-more to append cards", &wait_more)
        .await;
    let after = browser.js_count(cards).await;
    assert_eq!(
        after,
        2 * per_page,
        "load-more appends the whole second page"
    );
    assert_eq!(browser.url().await, section, "load-more must not navigate");
    let unique = browser
        .js_count("return new Set(Array.prototype.map.call(document.querySelectorAll(\"[data-testid='card'] .card-title a\"), function (a) { return a.href; })).size")
        .await;
    assert_eq!(unique, after, "no card appears twice");

    // ---- infinite scroll under an article of the same section
    let article = browser.first_card_url().await;
    browser.goto(&article).await;
    let more_cards =
        "return document.querySelectorAll(\"[data-testid='more'] [data-testid='card']\").length";
    let before = browser.js_count(more_cards).await;
    assert!(before > 0, "the block under the story has cards");
    assert_eq!(
        browser
            .js("return !!document.querySelector('[data-feed-auto][data-more-url]')")
            .await,
        json!(true),
        "the block under the story has a next page to scroll to"
    );
    let wait_more = format!(
        "window.scrollTo(0, document.documentElement.scrollHeight); \
         return document.querySelectorAll(\"[data-testid='more'] [data-testid='card']\").length > {before}"
    );
    browser
        .wait_js("scrolling to append cards under the story", &wait_more)
        .await;
    assert_eq!(
        browser.url().await,
        article,
        "infinite scroll must not navigate"
    );
    // Count and distinct links in one go: more pages may still be arriving.
    let seen = browser
        .js("var links = Array.prototype.map.call(document.querySelectorAll(\"[data-testid='more'] [data-testid='card'] .card-title a\"), function (a) { return a.href; }); \
             return [links.length, new Set(links).size]")
        .await;
    assert_eq!(seen[0], seen[1], "no card appears twice under the story");
    let listed_itself = browser
        .js("return Array.prototype.some.call(document.querySelectorAll(\"[data-testid='more'] .card-title a\"), \
             function (a) { return a.href === location.href; })")
        .await;
    assert_eq!(
        listed_itself,
        json!(false),
        "the story itself is not listed under it"
    );

    browser.close().await;
    served.stop().await;
}

/// A reader who has not chosen gets the OS's colour scheme, and already while the HTML is
/// parsed (the inline head script), so a phone in dark mode never flashes a white page.
/// The page follows the OS while it is open, until the reader chooses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn night_theme_follows_the_os_until_the_reader_chooses() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": EARLY_PROBE }),
        )
        .await;
    let article = reader.an_article().await;

    let mut brightness = Vec::new();
    for scheme in ["dark", "light"] {
        browser.prefer_scheme(scheme).await;
        browser.goto(&article).await;
        let early = browser
            .wait_js("the early probe", "return window.__bylineEarly")
            .await;
        assert_eq!(
            early["readyState"], "loading",
            "the probe must run while the HTML is parsed: {early}"
        );
        let early_class = early["className"].as_str().unwrap_or_default();
        assert!(
            early_class.split_whitespace().any(|c| c == scheme),
            "with the OS in {scheme} mode, <html> must be {scheme} before byline.js runs (got {early_class:?})"
        );
        assert_eq!(browser.theme().await, scheme);
        assert_eq!(
            browser
                .js("return localStorage.getItem('byline-theme')")
                .await,
            Json::Null,
            "following the OS is not a choice: nothing is stored"
        );
        brightness.push(browser.js_count(BACKGROUND_BRIGHTNESS).await);
    }
    // The class alone proves nothing if the stylesheet ignored it.
    assert!(
        brightness[0] < brightness[1],
        "the night theme paints a darker page (dark {}, light {})",
        brightness[0],
        brightness[1]
    );

    // The OS switches to dark while the page is open: the page follows.
    browser.prefer_scheme("dark").await;
    browser
        .wait_js(
            "the open page to follow the OS to dark",
            "return document.documentElement.classList.contains('dark')",
        )
        .await;
    // The reader picks light: that beats the OS's dark, also on the next visit.
    browser.click("theme-toggle").await;
    assert_eq!(browser.theme().await, "light");
    browser.reload().await;
    assert_eq!(
        browser.theme().await,
        "light",
        "the reader's choice beats the OS"
    );

    reader.finish().await;
}

/// r + g + b of the page's background (0 black … 765 white).
const BACKGROUND_BRIGHTNESS: &str = "var c = getComputedStyle(document.body).backgroundColor.match(/\\d+/g); \
     return +c[0] + +c[1] + +c[2]";

/// Printed, a story is its title, text and pictures: no site header or footer, no buttons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn print_shows_the_story_without_the_site_chrome() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    browser.goto(&reader.an_article().await).await;
    let hidden = [
        ("site header", ".site-header"),
        ("site footer", ".site-footer"),
        ("share links", "[data-testid='share']"),
        ("theme toggle", "[data-testid='theme-toggle']"),
        ("A+ button", "[data-testid='font-up']"),
        ("A− button", "[data-testid='font-down']"),
        ("print button", "[data-testid='print']"),
        ("copy-link button", "[data-testid='copy-link']"),
        ("search button", "[data-testid='search-open']"),
        ("language switcher", "[data-testid='lang-switcher']"),
        ("stories under it", "[data-testid='more']"),
    ];
    let kept = [
        ("title", "[data-testid='title']"),
        ("text", "[data-testid='body']"),
    ];
    // On screen everything is there, or "hidden in print" would prove nothing.
    for (what, selector) in hidden.iter().chain(&kept) {
        let by = browser.hidden_by(selector).await;
        assert_eq!(by, "", "on screen the {what} ({selector}) is shown");
    }
    browser.emulate_media("print", json!([])).await;
    for (what, selector) in hidden {
        let by = browser.hidden_by(selector).await;
        assert!(
            !by.is_empty() && by != "missing",
            "printed, the {what} ({selector}) must be display:none"
        );
    }
    for (itself, selector) in [
        ("header.site-header", ".site-header"),
        ("footer.site-footer", ".site-footer"),
    ] {
        assert!(
            browser.hidden_by(selector).await.starts_with(itself),
            "{selector} itself is display:none in print"
        );
    }
    for (what, selector) in kept {
        let by = browser.hidden_by(selector).await;
        assert_eq!(by, "", "printed, the {what} ({selector}) stays");
    }

    reader.finish().await;
}

/// The search button opens the overlay with the focus in its field, Esc closes it and
/// gives the focus back, and a query typed there lands on the results page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_overlay_opens_closes_and_searches() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    reader.open("/en/").await;
    let is_open = "return document.querySelector(\"[data-testid='search-overlay']\").open";

    browser.click("search-open").await;
    browser.wait_js("the overlay to open", is_open).await;
    assert_eq!(browser.focused().await, "search-overlay-q");
    assert_eq!(
        browser
            .js_string("return document.activeElement.placeholder")
            .await,
        fluent("en", "search-placeholder")
    );
    // The field's accessible name is the overlay's heading.
    assert_eq!(
        browser
            .js_string("return document.activeElement.labels[0].textContent.trim()")
            .await,
        fluent("en", "search-title")
    );

    browser.keys(&Key::Escape).await;
    browser
        .wait_js(
            "Esc to close the overlay",
            &is_open.replace("return ", "return !"),
        )
        .await;
    assert_eq!(
        browser.focused().await,
        "search-open",
        "closing gives the focus back to the search button"
    );

    browser.click("search-open").await;
    browser.wait_js("the overlay to open again", is_open).await;
    browser.keys("grid").await;
    browser.keys(&Key::Enter).await;
    browser
        .wait_js(
            "the search results page",
            "return location.pathname === '/en/search' && document.readyState === 'complete' \
             && document.querySelectorAll(\"[data-testid='card']\").length > 0",
        )
        .await;
    assert!(
        browser.url().await.contains("q=grid"),
        "{}",
        browser.url().await
    );
    assert_eq!(
        browser
            .js_string("return document.getElementById('search-q').value")
            .await,
        "grid",
        "the results page shows what was asked"
    );

    reader.finish().await;
}

/// Opening a story sends the view beacon; the page shows the count it answered, which is
/// the stored count plus this view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_beacon_counts_the_visit_and_shows_the_new_count() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    // Headless chromium says "HeadlessChrome", which the counter rightly takes for a bot.
    browser
        .cdp(
            "Emulation.setUserAgentOverride",
            json!({ "userAgent": BROWSER_UA }),
        )
        .await;
    let article = reader.an_article().await;
    let slug = article.rsplit('/').next().unwrap();
    let id = reader.site.article_id("en", slug).await;
    let before = reader.site.stored_views(id).await;

    browser.goto(&article).await;
    let shown = browser
        .wait_js(
            &format!("the page to show {} views", before + 1),
            &format!(
                "var n = document.querySelector('[data-views]'); \
                 return n.textContent.trim() === '{}' && n.closest(\"[data-testid='views']\").textContent.trim()",
                before + 1
            ),
        )
        .await;
    assert_eq!(
        shown
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        [fluent("en", "views-label"), (before + 1).to_string()],
        "the views line"
    );
    reader.site.content().flush_views().await.unwrap();
    assert_eq!(
        reader.site.stored_views(id).await,
        before + 1,
        "the store counted exactly this one view"
    );

    reader.finish().await;
}

/// Reader pages load nothing from another host: no web fonts, analytics or CDN scripts
/// (a reader's visit is nobody else's business).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_pages_request_nothing_from_other_hosts() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let article = reader.an_article().await;
    let origin = reader.base().to_owned();
    for page in [
        format!("{origin}/en/"),
        format!("{origin}/en/analytics"),
        article,
        format!("{origin}/en/search?q=grid"),
    ] {
        browser.goto(&page).await;
        // Down to the bottom, so lazy images and anything loaded on scroll are asked for.
        browser
            .js("window.scrollTo(0, document.documentElement.scrollHeight); return true")
            .await;
        browser.wait_for_visible_images_settled().await;
        let urls = browser
            .js("return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }))")
            .await;
        let urls: Vec<&str> = urls
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Json::as_str)
            .collect();
        // Else an empty list would pass: the page's own stylesheet must be among them.
        assert!(
            urls.iter().any(|u| u.contains(".css")),
            "{page}: the resource list is not complete: {urls:?}"
        );
        let foreign: Vec<&&str> = urls
            .iter()
            .filter(|u| !u.starts_with(&format!("{origin}/")))
            .collect();
        assert!(
            foreign.is_empty(),
            "{page} fetched from other hosts: {foreign:?}"
        );
    }

    reader.finish().await;
}

/// All five font steps: A− stops at the smallest, A+ at the largest, each step changes the
/// size of the story's text, and the last one chosen is back after a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn font_size_has_five_steps_that_change_the_text() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    browser.goto(&reader.an_article().await).await;
    let text_size = "return parseFloat(getComputedStyle(document.querySelector(\"[data-testid='body']\")).fontSize)";
    let disabled = |testid: &str| {
        format!("return document.querySelector(\"[data-testid='{testid}']\").disabled")
    };

    assert_eq!(browser.font().await, "2", "the default step");
    browser.click("font-down").await;
    browser.click("font-down").await;
    assert_eq!(browser.font().await, "0");
    assert_eq!(browser.js(&disabled("font-down")).await, json!(true));
    browser.click("font-down").await;
    assert_eq!(browser.font().await, "0", "A− stops at the smallest step");

    let mut sizes = vec![browser.js(text_size).await.as_f64().unwrap()];
    for step in 1..=4 {
        assert_eq!(browser.js(&disabled("font-up")).await, json!(false));
        browser.click("font-up").await;
        assert_eq!(browser.font().await, step.to_string());
        sizes.push(browser.js(text_size).await.as_f64().unwrap());
    }
    assert!(
        sizes.windows(2).all(|w| w[0] < w[1]),
        "every step makes the text larger: {sizes:?} px"
    );
    assert_eq!(browser.js(&disabled("font-up")).await, json!(true));
    browser.click("font-up").await;
    assert_eq!(browser.font().await, "4", "A+ stops at the largest step");

    browser.reload().await;
    assert_eq!(browser.font().await, "4");
    assert_eq!(
        browser.js(text_size).await.as_f64().unwrap(),
        sizes[4],
        "the text keeps the largest size after a reload"
    );

    reader.finish().await;
}
