//! Real-browser smoke test of the reader site: Debian's chromium driven through
//! chromedriver (WebDriver, via fantoccini) against the demo outlet served on a real
//! loopback listener.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (`apt-get install chromium chromium-driver`).
//! Without them the tests print a note and pass, unless `CI` is set: then they fail.
//!
//! `BYLINE_SCREENSHOTS=1 cargo test -p byline_web --test browser` also writes the README
//! screenshots to `docs/screenshots/`.

mod common;

use byline_content::ArticleInput;
use byline_core::ArticleStatus;
use common::TestSite;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHROMIUM: &str = "/usr/bin/chromium";
/// How long an explicit wait polls before it fails.
const WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);

/// Records what is on `<html>` when its class first appears, and whether the HTML was
/// still being parsed then (so before the deferred byline.js could run). Installed with CDP
/// `Page.addScriptToEvaluateOnNewDocument`, so it runs before any script of the page.
const EARLY_PROBE: &str = r#"(function () {
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

// ------------------------------------------------------------------ the browser

/// chromedriver (and the chromium it starts) as a child process group; killed on drop,
/// also when the test panics. The browser profile and temp files live in a temp dir
/// removed after.
struct Driver {
    child: Child,
    port: u16,
    _scratch: TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole process group: chromedriver and the browser processes it started.
        let group = format!("-{}", self.child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !killed {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

struct Browser {
    client: Client,
    driver: Driver,
}

fn chromedriver_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([
            PathBuf::from("/usr/bin"),
            PathBuf::from("/usr/lib/chromium"),
        ])
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// Starts chromedriver and a headless chromium session; `None` (with a printed note)
    /// when they are not installed and this is not CI.
    async fn start() -> Option<Browser> {
        let chromedriver = chromedriver_path();
        let Some(chromedriver) = chromedriver.filter(|_| Path::new(CHROMIUM).is_file()) else {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "chromium/chromedriver not installed, and CI is set: the browser test must run in CI (apt-get install chromium chromium-driver)"
                );
            }
            println!(
                "skipped: chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
            );
            return None;
        };

        // Everything the two write to disk (profile, their own temp dirs) stays in here.
        let scratch = tempfile::tempdir().unwrap();
        let profile = scratch.path().join("profile");
        let tmp = scratch.path().join("tmp");
        std::fs::create_dir_all(&profile).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        let port = free_port();
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(&chromedriver)
                .arg(format!("--port={port}"))
                .env("TMPDIR", &tmp)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .expect("chromedriver starts")
        };
        let driver = Driver {
            child,
            port,
            _scratch: scratch,
        };

        // Wait until chromedriver listens (it is the first thing it does).
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "chromedriver did not listen on port {port}"
            );
            tokio::time::sleep(POLL).await;
        }

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1440,1000",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a chromium session through chromedriver");
        Some(Browser { client, driver })
    }

    async fn close(self) {
        let Browser { client, driver } = self;
        let _ = client.close().await;
        drop(driver);
    }

    async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    async fn reload(&self) {
        self.client.refresh().await.unwrap();
        self.wait_js(
            "the reloaded page to load",
            "return document.readyState === 'complete'",
        )
        .await;
    }

    async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    /// Runs `script` (a function body: use `return`) in the page.
    async fn js(&self, script: &str) -> Json {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    async fn js_string(&self, script: &str) -> String {
        match self.js(script).await {
            Json::String(s) => s,
            Json::Null => String::new(),
            other => other.to_string(),
        }
    }

    async fn js_count(&self, script: &str) -> u64 {
        self.js(script)
            .await
            .as_u64()
            .unwrap_or_else(|| panic!("not a count: {script}"))
    }

    /// Polls `script` until it returns something truthy; fails after `WAIT`.
    async fn wait_js(&self, what: &str, script: &str) -> Json {
        let started = Instant::now();
        loop {
            let value = self.js(script).await;
            let truthy = match &value {
                Json::Null => false,
                Json::Bool(b) => *b,
                Json::Number(n) => n.as_f64() != Some(0.0),
                Json::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            if started.elapsed() > WAIT {
                panic!("timed out after {WAIT:?} waiting for {what} (last value: {value})");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn click(&self, testid: &str) {
        let selector = format!("[data-testid='{testid}']");
        let element = match self.client.find(Locator::Css(&selector)).await {
            Ok(element) => element,
            Err(e) => panic!("no {selector} on {}: {e}", self.url().await),
        };
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// `dark` or `light`, from the class of `<html>`.
    async fn theme(&self) -> String {
        let class = self
            .js_string("return document.documentElement.className")
            .await;
        let dark = class.split_whitespace().any(|c| c == "dark");
        let light = class.split_whitespace().any(|c| c == "light");
        assert!(
            dark != light,
            "<html class={class:?}> must carry exactly one of dark/light"
        );
        if dark { "dark" } else { "light" }.to_owned()
    }

    async fn font(&self) -> String {
        self.js_string("return document.documentElement.dataset.font")
            .await
    }

    /// The href of the first card's title link on the current page.
    async fn first_card_url(&self) -> String {
        let href = self
            .js_string("var a = document.querySelector(\"[data-testid='card'] .card-title a\"); return a ? a.href : null")
            .await;
        assert!(!href.is_empty(), "no card link on {}", self.url().await);
        href
    }

    /// A Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`
    /// endpoint (fantoccini has no wrapper for it, so a plain HTTP/1.1 request).
    async fn cdp(&self, cmd: &str, params: Json) -> Json {
        let session = self.client.session_id().await.unwrap().expect("a session");
        let body = json!({ "cmd": cmd, "params": params }).to_string();
        let port = self.driver.port;
        let request = format!(
            "POST /session/{session}/goog/cdp/execute HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        // Read the head, then exactly Content-Length bytes (chromedriver may keep the
        // connection open).
        let read = async {
            let mut response = Vec::new();
            let mut chunk = [0u8; 8192];
            loop {
                let n = stream.read(&mut chunk).await.unwrap();
                response.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&response).into_owned();
                if let Some((head, payload)) = text.split_once("\r\n\r\n") {
                    let length = head.lines().find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().ok())?
                    });
                    if n == 0 || length.is_some_and(|len| payload.len() >= len) {
                        return (head.to_owned(), payload.to_owned());
                    }
                }
                assert!(n > 0, "chromedriver closed the connection: {text}");
            }
        };
        let (head, payload) = tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .expect("chromedriver answers a CDP command");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "CDP {cmd} failed: {head}\n{payload}"
        );
        serde_json::from_str::<Json>(&payload)
            .map(|v| v["value"].clone())
            .unwrap_or(Json::Null)
    }

    /// Saves a PNG of the viewport once the visible images and the web fonts are in.
    async fn screenshot(&self, dir: &Path, name: &str) {
        self.wait_js(
            "the visible images to load",
            "return document.fonts.status === 'loaded' && Array.prototype.every.call(document.images, function (i) { \
               var r = i.getBoundingClientRect(); \
               return r.bottom < 0 || r.top > innerHeight || (i.complete && i.naturalWidth > 0); })",
        )
        .await;
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        std::fs::write(dir.join(name), png).unwrap();
        println!("wrote docs/screenshots/{name}");
    }

    /// Sets the stored theme and reloads, as a returning reader would see the page.
    async fn with_theme(&self, theme: &str) {
        self.js(&format!(
            "localStorage.setItem('byline-theme', '{theme}'); return true"
        ))
        .await;
        self.reload().await;
        assert_eq!(self.theme().await, theme);
    }
}

/// The value of `key` in a Fluent file of the built-in theme (a simple one-line message).
fn fluent(lang: &str, key: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../byline_render/theme/locales")
        .join(lang)
        .join("site.ftl");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .find_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no {key} in {}", path.display()))
}

// ------------------------------------------------------------------ tests

/// Night theme and font size are remembered across a reload, and are already on `<html>`
/// while the page is parsed (set by the inline head script, before byline.js).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_and_font_size_survive_reload() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = TestSite::demo().await;
    let served = site.serve().await;
    let base = &served.base_url;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": EARLY_PROBE }),
        )
        .await;

    browser.goto(&format!("{base}/en/")).await;
    let article = browser.first_card_url().await;
    assert!(
        article.starts_with(base.as_str()),
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

    browser.close().await;
    served.stop().await;
}

/// "Copy link" shows the toast, in English and in Russian.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_link_shows_toast() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = TestSite::demo().await;
    let served = site.serve().await;
    let base = &served.base_url;

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

    browser.close().await;
    served.stop().await;
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
            .create_article(ArticleInput {
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

/// The README screenshots (only with `BYLINE_SCREENSHOTS=1`, so ordinary runs leave the
/// tree clean).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_screenshots() {
    if std::env::var("BYLINE_SCREENSHOTS").as_deref() != Ok("1") {
        println!(
            "screenshots not written (set BYLINE_SCREENSHOTS=1 to write docs/screenshots/*.png)"
        );
        return;
    }
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = TestSite::demo().await;
    let served = site.serve().await;
    // Headless chromium draws classic scrollbars; a reader's phone or laptop mostly does not.
    browser
        .cdp("Emulation.setScrollbarsHidden", json!({ "hidden": true }))
        .await;
    let base = &served.base_url;
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/screenshots"
    ));
    std::fs::create_dir_all(dir).unwrap();

    let front = format!("{base}/en/");
    browser.goto(&front).await;
    let article = browser.first_card_url().await;
    browser.with_theme("light").await;
    browser.screenshot(dir, "front-light.png").await;
    browser.with_theme("dark").await;
    browser.screenshot(dir, "front-dark.png").await;

    browser.goto(&format!("{base}/en/analytics")).await;
    browser.with_theme("light").await;
    browser.screenshot(dir, "section-light.png").await;

    browser.goto(&article).await;
    browser.with_theme("light").await;
    browser.screenshot(dir, "article-light.png").await;
    browser.with_theme("dark").await;
    browser.screenshot(dir, "article-dark.png").await;

    browser.client.set_window_size(360, 780).await.unwrap();
    browser.reload().await;
    let width = browser.js_count("return window.innerWidth").await;
    assert_eq!(width, 360, "the mobile viewport");
    browser.with_theme("dark").await;
    browser.screenshot(dir, "article-mobile-dark.png").await;

    browser.close().await;
    served.stop().await;
}

// ------------------------------------------------------------------ the newsroom

impl Browser {
    /// Logs in through the real form (a fresh session: cookies of the last one go).
    async fn newsroom_login(&self, base: &str, email: &str, password: &str) {
        self.client.delete_all_cookies().await.unwrap();
        self.goto(&format!("{base}/newsroom/login")).await;
        self.client
            .find(Locator::Id("email"))
            .await
            .unwrap()
            .send_keys(email)
            .await
            .unwrap();
        self.client
            .find(Locator::Id("password"))
            .await
            .unwrap()
            .send_keys(password)
            .await
            .unwrap();
        self.js("document.querySelector('form.nr-form').submit(); return true")
            .await;
        self.wait_js(
            "the newsroom after logging in",
            "return !location.pathname.endsWith('/login') && document.readyState === 'complete' && !!document.querySelector('[data-testid=me]')",
        )
        .await;
    }

    /// Clicks the submit button matching `selector` and waits for the next page.
    async fn submit(&self, selector: &str) {
        self.js(&format!(
            "window.__leaving = true; document.querySelector({selector:?}).click(); return true"
        ))
        .await;
        self.wait_js(
            "the next page",
            "return !window.__leaving && document.readyState === 'complete'",
        )
        .await;
    }
}

/// A JPEG of `w`×`h` pixels.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    use image::{ImageEncoder, Rgb, RgbImage};
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(&img, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[tokio::test]
async fn a_story_goes_from_the_editor_to_the_site_at_its_time() {
    use byline_content::accounts::{UserInput, create_user};
    use byline_content::{Clock, ContentOptions};
    use byline_core::Role;

    let Some(browser) = Browser::start().await else {
        return;
    };
    let clock = Clock::manual(jiff::Timestamp::now());
    let site = TestSite::demo_with(ContentOptions {
        clock: clock.clone(),
        schedule_poll: Duration::from_millis(100),
        ..ContentOptions::default()
    })
    .await;
    const PASSWORD: &str = "correct horse battery";
    for (email, role) in [
        ("writer@example.org", Role::Contributor),
        ("desk@example.org", Role::Editor),
    ] {
        create_user(
            site.store().as_ref(),
            UserInput {
                email: email.into(),
                display_name: String::new(),
                role,
                password: Some(PASSWORD.into()),
            },
        )
        .await
        .unwrap();
    }
    let served = site.serve().await;
    let base = served.base_url.clone();

    // The contributor writes a story with a picture uploaded from the editor.
    browser
        .newsroom_login(&base, "writer@example.org", PASSWORD)
        .await;
    browser.goto(&format!("{base}/newsroom/articles/new")).await;
    browser
        .client
        .find(Locator::Id("title"))
        .await
        .unwrap()
        .send_keys("Harbour lights return")
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Id("body"))
        .await
        .unwrap()
        .send_keys("The lights are back on the pier.\n\nhttps://youtu.be/dQw4w9WgXcQ\n")
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Id("upload-alt"))
        .await
        .unwrap()
        .send_keys("The pier at night")
        .await
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let picture = scratch.path().join("pier.jpg");
    std::fs::write(&picture, jpeg(1200, 800)).unwrap();
    browser
        .client
        .find(Locator::Id("upload-file"))
        .await
        .unwrap()
        .send_keys(picture.to_str().unwrap())
        .await
        .unwrap();
    let body = browser
        .wait_js(
            "the uploaded picture in the text",
            "var v = document.getElementById('body').value; return v.indexOf('](media:') > 0 ? v : ''",
        )
        .await;
    assert!(
        body.as_str()
            .unwrap()
            .contains("![The pier at night](media:"),
        "{body}"
    );

    // Dropped on the text and pasted into it, pictures upload the same way; pasted rich
    // text becomes Markdown on the server.
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(jpeg(640, 480));
    browser
        .js(&format!(
            "var bytes = Uint8Array.from(atob({encoded:?}), function (c) {{ return c.charCodeAt(0); }});
             function files(name) {{
               var d = new DataTransfer();
               d.items.add(new File([bytes], name, {{ type: 'image/jpeg' }}));
               return d;
             }}
             var body = document.getElementById('body');
             body.dispatchEvent(new DragEvent('drop', {{ dataTransfer: files('dropped.jpg'), bubbles: true, cancelable: true }}));
             body.dispatchEvent(new ClipboardEvent('paste', {{ clipboardData: files('pasted.jpg'), bubbles: true, cancelable: true }}));
             return true"
        ))
        .await;
    browser
        .wait_js(
            "three pictures in the text (button, drop, paste)",
            "return document.getElementById('body').value.split('](media:').length - 1 >= 3",
        )
        .await;
    browser
        .js(
            "var d = new DataTransfer();
             d.setData('text/html', '<p>Quoted from a <b>word processor</b>.</p>');
             var body = document.getElementById('body');
             body.selectionStart = body.selectionEnd = body.value.length;
             body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d, bubbles: true, cancelable: true }));
             return true",
        )
        .await;
    browser
        .wait_js(
            "pasted rich text as Markdown",
            "return document.getElementById('body').value.indexOf('**word processor**') >= 0",
        )
        .await;

    browser.submit("#article-form button[type=submit]").await;
    assert!(
        browser.url().await.contains("?saved=1"),
        "{}",
        browser.url().await
    );
    let article_url = browser.url().await.replace("?saved=1", "");
    browser.submit(".nr-move-submit").await;
    assert!(
        browser
            .js_string("return document.querySelector('[data-testid=status]').textContent")
            .await
            .contains("In review")
    );

    // Usable on a phone: at 360 px nothing is wider than the screen.
    browser.client.set_window_size(360, 740).await.unwrap();
    let editor_page = article_url.trim_start_matches(&base).to_owned();
    for page in ["/newsroom/articles/new", "/newsroom", editor_page.as_str()] {
        browser.goto(&format!("{base}{page}")).await;
        let overflow = browser
            .js_count(
                "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)",
            )
            .await;
        assert_eq!(overflow, 0, "{page} is wider than a 360 px phone");
    }
    browser.client.set_window_size(1280, 900).await.unwrap();

    // An editor schedules it for an hour from now (typed in the site's time zone).
    browser
        .newsroom_login(&base, "desk@example.org", PASSWORD)
        .await;
    browser.goto(&article_url).await;
    let at = clock.now() + jiff::SignedDuration::from_hours(1);
    let typed = site.content().site_time(at);
    browser
        .js(&format!(
            "document.getElementById('publish_at').value = {typed:?}; return true"
        ))
        .await;
    browser.submit(".nr-move-schedule").await;
    assert!(
        browser
            .js_string("return document.querySelector('[data-testid=status]').textContent")
            .await
            .contains("Scheduled")
    );
    let id: i64 = article_url.rsplit('/').next().unwrap().parse().unwrap();
    let article = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap();
    let public = format!("{base}/en/{}/{}", "analytics", article.slug);
    let section = site
        .content()
        .catalog()
        .section(article.section)
        .unwrap()
        .slug
        .to_string();
    let public = public.replace("/analytics/", &format!("/{section}/"));
    browser.goto(&public).await;
    assert!(
        browser
            .js_string("return document.title")
            .await
            .contains("404")
            || !browser
                .js_string("return document.body.textContent")
                .await
                .contains("The lights are back on the pier."),
        "not on the site before its time"
    );

    // Its time comes: the scheduler publishes it, and readers see it with the picture.
    clock.advance(jiff::SignedDuration::from_mins(61));
    let started = Instant::now();
    while site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap()
        .status
        != ArticleStatus::Published
    {
        assert!(
            // A guard against a stuck scheduler, not a timing claim: the manual clock
            // stands at the article's time + 1 min while we wait.
            started.elapsed() < Duration::from_secs(30),
            "the scheduler never published it"
        );
        tokio::time::sleep(POLL).await;
    }
    browser.goto(&public).await;
    browser
        .wait_js(
            "the story on the site",
            "return document.body.textContent.indexOf('The lights are back on the pier.') >= 0",
        )
        .await;
    let img = browser
        .js_string(
            "var i = document.querySelector('[data-testid=body] img[srcset]'); return i ? i.getAttribute('alt') + '|' + i.getAttribute('srcset') : ''",
        )
        .await;
    assert!(img.starts_with("The pier at night|/media/lib/"), "{img}");

    // The embedded video is a link and a button: nothing was fetched from elsewhere.
    let foreign = browser
        .js_string(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; }).filter(function (n) { return n.indexOf(location.origin) !== 0; }).join(' ')",
        )
        .await;
    assert_eq!(foreign, "", "no third-party request on load");
    assert_eq!(
        browser
            .js_count(
                "return document.querySelectorAll('figure[data-embed=youtube] iframe').length"
            )
            .await,
        0
    );
    browser
        .js("document.querySelector('figure[data-embed=youtube] .embed-load').click(); return true")
        .await;
    let src = browser
        .wait_js(
            "the player after the click",
            "var f = document.querySelector('figure[data-embed=youtube] iframe'); return f ? f.src : ''",
        )
        .await;
    assert!(
        src.as_str()
            .unwrap()
            .starts_with("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        "{src}"
    );
    browser.close().await;
    served.stop().await;
}
