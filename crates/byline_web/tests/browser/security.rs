//! Issue 13 in a real browser: the Content-Security-Policy stops an injected inline
//! script and the browser reports it; the embed script cannot be turned into a
//! `javascript:` frame by page data.

use crate::driver::Reader;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// What the page recorded of `securitypolicyviolation` events.
const LISTEN: &str = "window.__violations = []; \
    document.addEventListener('securitypolicyviolation', function (e) { \
      window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI); });";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_injected_inline_script_is_blocked_and_reported() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let article = reader.an_article().await;
    browser.goto(&article).await;
    browser.js(LISTEN).await;
    // What a stored or reflected injection would put into the page.
    browser
        .js("var s = document.createElement('script'); \
             s.textContent = 'window.__injected = true'; \
             document.body.appendChild(s);")
        .await;
    let seen = browser
        .wait_js(
            "the violation event",
            "return window.__violations.length ? window.__violations : null",
        )
        .await;
    assert!(
        seen.to_string().contains("script-src"),
        "a script-src violation: {seen}"
    );
    assert_eq!(
        browser.js("return window.__injected === true").await,
        serde_json::Value::Bool(false),
        "the injected script did not run"
    );
    // The browser sent the report to the site.
    let reports = &reader.site.state.csp_reports.received;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while reports.load(Ordering::Relaxed) == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        reports.load(Ordering::Relaxed) >= 1,
        "the report reached /csp-report"
    );
    reader.finish_expecting_reports().await;
}

/// Finding 1: with `data-embed="constructor"` the old script found `Object` as the
/// "player" and framed `javascript:…`. The sanitizer no longer lets such values in; this
/// puts them into the page directly and runs the reader script again over them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embed_script_only_builds_known_players_from_valid_ids() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    let article = reader.an_article().await;
    browser.goto(&article).await;
    let script = browser
        .js_string("return document.querySelector('script[src*=\"byline.js\"]').src")
        .await;
    browser
        .js(&format!(
            "var body = document.querySelector(\"[data-testid='body']\"); \
             body.insertAdjacentHTML('beforeend', \
               '<figure id=\"bad1\" data-embed=\"constructor\" data-embed-id=\"javascript:window.__pwned=1\"></figure>' + \
               '<figure id=\"bad2\" data-embed=\"__proto__\" data-embed-id=\"x\"></figure>' + \
               '<figure id=\"bad3\" data-embed=\"youtube\" data-embed-id=\"javascript:alert(1)\"></figure>' + \
               '<figure id=\"good\" data-embed=\"youtube\" data-embed-id=\"dQw4w9WgXcQ\"></figure>'); \
             var s = document.createElement('script'); s.src = '{script}&again'; \
             s.onload = function () {{ window.__rerun = true; }}; document.body.appendChild(s);"
        ))
        .await;
    browser
        .wait_js("the script ran again", "return window.__rerun || null")
        .await;
    for bad in ["bad1", "bad2", "bad3"] {
        assert_eq!(
            browser
                .js_count(&format!(
                    "return document.querySelectorAll('#{bad} button, #{bad} iframe').length"
                ))
                .await,
            0,
            "{bad} gets no player"
        );
    }
    assert_eq!(
        browser
            .js_count("return document.querySelectorAll('#good button.embed-load').length")
            .await,
        1,
        "a valid embed still gets its button"
    );
    reader.finish().await;
}
