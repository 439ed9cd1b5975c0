//! The browser under test: chromedriver and the headless chromium it starts, and the
//! small helpers every test drives it with.

use crate::common::{Served, TestSite};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub const CHROMIUM: &str = "/usr/bin/chromium";
/// How long an explicit wait polls before it fails.
pub const WAIT: Duration = Duration::from_secs(5);
pub const POLL: Duration = Duration::from_millis(50);

/// See [`Browser::hidden_by`].
const HIDDEN_BY: &str = "var e = document.querySelector(arguments[0]); \
     if (!e) return 'missing'; \
     for (var n = e; n && n.nodeType === 1; n = n.parentElement) { \
       if (getComputedStyle(n).display === 'none') return n.tagName.toLowerCase() + '.' + n.className; \
     } \
     return e.getClientRects().length ? '' : 'no box'";

// ------------------------------------------------------------------ the browser

/// chromedriver (and the chromium it starts) as a child process group; killed on drop,
/// also when the test panics. The browser profile and temp files live in a temp dir
/// removed after.
pub struct Driver {
    child: Child,
    pub port: u16,
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

pub struct Browser {
    pub client: Client,
    pub driver: Driver,
    /// Held while the browser runs; see [`BROWSER_SLOTS`].
    _slot: OwnedSemaphorePermit,
}

/// How many browsers run at once. The tests of this binary run in parallel, and a
/// chromium loading a page takes a core: a dozen at once on a two-core CI machine make
/// the page waits time out.
const BROWSERS_AT_ONCE: usize = 2;
static BROWSER_SLOTS: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(BROWSERS_AT_ONCE)));

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
    pub async fn start() -> Option<Browser> {
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

        let slot = BROWSER_SLOTS.clone().acquire_owned().await.unwrap();
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
        Some(Browser {
            client,
            driver,
            _slot: slot,
        })
    }

    pub async fn close(self) {
        let Browser { client, driver, .. } = self;
        let _ = client.close().await;
        drop(driver);
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub async fn reload(&self) {
        self.client.refresh().await.unwrap();
        self.wait_js(
            "the reloaded page to load",
            "return document.readyState === 'complete'",
        )
        .await;
    }

    pub async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    /// Runs `script` (a function body: use `return`) in the page.
    pub async fn js(&self, script: &str) -> Json {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    pub async fn js_string(&self, script: &str) -> String {
        match self.js(script).await {
            Json::String(s) => s,
            Json::Null => String::new(),
            other => other.to_string(),
        }
    }

    pub async fn js_count(&self, script: &str) -> u64 {
        self.js(script)
            .await
            .as_u64()
            .unwrap_or_else(|| panic!("not a count: {script}"))
    }

    /// Polls `script` until it returns something truthy; fails after `WAIT`.
    pub async fn wait_js(&self, what: &str, script: &str) -> Json {
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

    pub async fn click(&self, testid: &str) {
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
    pub async fn theme(&self) -> String {
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

    pub async fn font(&self) -> String {
        self.js_string("return document.documentElement.dataset.font")
            .await
    }

    /// The href of the first card's title link on the current page.
    pub async fn first_card_url(&self) -> String {
        let href = self
            .js_string("var a = document.querySelector(\"[data-testid='card'] .card-title a\"); return a ? a.href : null")
            .await;
        assert!(!href.is_empty(), "no card link on {}", self.url().await);
        href
    }

    /// A Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`
    /// endpoint (fantoccini has no wrapper for it, so a plain HTTP/1.1 request).
    pub async fn cdp(&self, cmd: &str, params: Json) -> Json {
        self.try_cdp(cmd, params)
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd} failed: {e}"))
    }

    /// [`cdp`](Self::cdp), returning the failure instead of failing the test.
    pub async fn try_cdp(&self, cmd: &str, params: Json) -> Result<Json, String> {
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
        if !head.starts_with("HTTP/1.1 200") {
            return Err(format!("{head}\n{payload}"));
        }
        Ok(serde_json::from_str::<Json>(&payload)
            .map(|v| v["value"].clone())
            .unwrap_or(Json::Null))
    }

    /// Saves a PNG of the viewport once the visible images and the web fonts are in.
    pub async fn screenshot(&self, dir: &Path, name: &str) {
        self.wait_for_visible_images().await;
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        std::fs::write(dir.join(name), png).unwrap();
        println!("wrote docs/screenshots/{name}");
    }

    /// Waits until the web fonts and the images in the viewport are in (lazy images
    /// further down are not asked for yet, so they are not waited for).
    pub async fn wait_for_visible_images(&self) {
        self.wait_for_images("loaded", "i.complete && i.naturalWidth > 0")
            .await;
    }

    /// Like [`wait_for_visible_images`](Self::wait_for_visible_images), but a failed image
    /// counts as done: for looking at what a page asked for, not at how it looks.
    pub async fn wait_for_visible_images_settled(&self) {
        self.wait_for_images("loaded or failed", "i.complete").await;
    }

    async fn wait_for_images(&self, what: &str, done: &str) {
        self.wait_js(
            &format!("the visible images to be {what}"),
            &format!(
                "return document.fonts.status === 'loaded' && Array.prototype.every.call(document.images, function (i) {{ \
                   var r = i.getBoundingClientRect(); \
                   return r.bottom < 0 || r.top > innerHeight || ({done}); }})"
            ),
        )
        .await;
    }

    /// Emulates a CSS media type (`print`; `""` for the screen) and media features, as
    /// the media queries of the page see them.
    pub async fn emulate_media(&self, media: &str, features: Json) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": media, "features": features }),
        )
        .await;
    }

    /// Emulates an OS colour scheme (`dark` or `light`) for `prefers-color-scheme`.
    pub async fn prefer_scheme(&self, scheme: &str) {
        self.emulate_media(
            "",
            json!([{ "name": "prefers-color-scheme", "value": scheme }]),
        )
        .await;
    }

    /// Resizes the window and waits until the page's viewport has that width.
    pub async fn set_width(&self, width: u32) {
        self.client.set_window_size(width, 900).await.unwrap();
        self.wait_js(
            &format!("a viewport {width} px wide"),
            &format!("return window.innerWidth === {width}"),
        )
        .await;
    }

    /// Types `text` (or WebDriver key codes such as `Key::Tab`) as a keyboard would.
    /// Key presses through the WebDriver actions API, not "send keys to an element": that
    /// one focuses its element first, and a keyboard user's Tab starts from wherever the
    /// focus is (the page itself at first).
    pub async fn keys(&self, text: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for value in text.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("type {text:?}: {e}"));
    }

    /// Types `text` into the element with id `id` (WebDriver's keys: a file input gets
    /// the file at that path).
    pub async fn type_into(&self, id: &str, text: &str) {
        self.client
            .find(fantoccini::Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"))
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into #{id}: {e}"));
    }

    /// What has the keyboard focus: its `data-testid`, else its id, else its tag.
    pub async fn focused(&self) -> String {
        self.js_string(
            "var e = document.activeElement; \
             return e ? (e.getAttribute('data-testid') || e.id || e.tagName.toLowerCase()) : ''",
        )
        .await
    }

    /// `""` when the element matching `selector` is rendered, else the element (it or an
    /// ancestor) whose computed `display` is `none`: a control inside a hidden header keeps
    /// its own `display`, so its own style alone would not tell.
    pub async fn hidden_by(&self, selector: &str) -> String {
        let found = self
            .client
            .execute(HIDDEN_BY, vec![json!(selector)])
            .await
            .unwrap_or_else(|e| panic!("hidden_by({selector}): {e}"));
        found.as_str().unwrap_or_default().to_owned()
    }

    /// Sets the stored theme and reloads, as a returning reader would see the page.
    pub async fn with_theme(&self, theme: &str) {
        self.js(&format!(
            "localStorage.setItem('byline-theme', '{theme}'); return true"
        ))
        .await;
        self.reload().await;
        assert_eq!(self.theme().await, theme);
    }
}

/// A browser on the demo outlet served on a loopback listener: what most tests start
/// from, and stop in the right order with [`Reader::finish`].
pub struct Reader {
    pub browser: Browser,
    pub site: TestSite,
    pub served: Served,
}

impl Reader {
    /// `None` (the test is skipped) when there is no browser; see [`Browser::start`].
    pub async fn demo() -> Option<Reader> {
        // The browser first: without one there is no point building the outlet.
        let browser = Browser::start().await?;
        let site = TestSite::demo().await;
        let served = site.serve().await;
        Some(Reader {
            browser,
            site,
            served,
        })
    }

    pub fn base(&self) -> &str {
        &self.served.base_url
    }

    /// Opens `path` (e.g. `/en/`) on the served outlet.
    pub async fn open(&self, path: &str) {
        self.browser.goto(&format!("{}{path}", self.base())).await;
    }

    /// The URL of the first story listed on the English front page.
    pub async fn an_article(&self) -> String {
        self.open("/en/").await;
        self.browser.first_card_url().await
    }

    /// Closes the browser and stops the site, asserting that no page broke its
    /// Content-Security-Policy meanwhile (every browser test is also a check that the
    /// site works under it).
    pub async fn finish(self) {
        self.browser.close().await;
        self.served.stop().await;
        let reports = self
            .site
            .state
            .csp_reports
            .received
            .load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            reports, 0,
            "pages reported Content-Security-Policy violations"
        );
    }

    /// [`finish`](Self::finish) for a test that provokes violations on purpose.
    pub async fn finish_expecting_reports(self) {
        self.browser.close().await;
        self.served.stop().await;
    }
}
