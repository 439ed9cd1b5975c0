//! Bytes on the wire (issue 18): every text answer goes out compressed to a client that
//! accepts brotli or gzip — theme files precompressed once at the best settings, the
//! rest (search and error pages, JSON, the newsroom) on the way out; event streams and
//! pictures as they are. And the icons and manifest browsers ask for are there.

use crate::common::TestSite;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use std::io::Read;

async fn fetch(site: &TestSite, path: &str, accept: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    if !accept.is_empty() {
        request = request.header("accept-encoding", accept);
    }
    site.request_raw(request.body(Body::empty()).unwrap()).await
}

fn decoded(headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match headers.get("content-encoding").map(|v| v.to_str().unwrap()) {
        Some("br") => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        None => out = body.to_vec(),
        Some(other) => panic!("unexpected encoding {other}"),
    }
    out
}

/// The theme's fingerprinted URL of `name`, from a page.
async fn asset_url(site: &TestSite, name: &str) -> String {
    let page = site.get("/en/").await.body;
    let at = page
        .find(&format!("/static/{name}?v="))
        .unwrap_or_else(|| panic!("{name} is linked"));
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn theme_files_go_out_precompressed_and_revalidate() {
    let site = TestSite::demo().await;
    for name in ["byline.css", "byline.js"] {
        let url = asset_url(&site, name).await;
        let (_, plain_headers, plain) = fetch(&site, &url, "").await;
        assert_eq!(plain_headers.get("content-encoding"), None);
        for (accept, coding) in [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")] {
            let (status, headers, body) = fetch(&site, &url, accept).await;
            assert_eq!(status, 200);
            assert_eq!(headers["content-encoding"], coding, "{name} {accept}");
            assert_eq!(headers["vary"], "accept-encoding");
            assert_eq!(
                headers["cache-control"],
                "public, max-age=31536000, immutable"
            );
            assert!(
                body.len() * 3 < plain.len(),
                "{name} as {coding}: {} of {} bytes",
                body.len(),
                plain.len()
            );
            assert_eq!(decoded(&headers, &body), plain, "the same file");
        }
        // Brotli at its best setting: smaller than gzip's best.
        let (_, _, br) = fetch(&site, &url, "br").await;
        let (_, _, gz) = fetch(&site, &url, "gzip").await;
        assert!(
            br.len() < gz.len(),
            "{name}: br {} gzip {}",
            br.len(),
            gz.len()
        );
        let etag = plain_headers["etag"].to_str().unwrap().to_owned();
        let again = site
            .request_raw(
                Request::get(&url)
                    .header("if-none-match", &etag)
                    .header("accept-encoding", "br")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(again.0, 304);
        assert!(again.2.is_empty());
    }
    // A client refusing both gets the file as it is.
    let url = asset_url(&site, "byline.css").await;
    let (_, headers, _) = fetch(&site, &url, "br;q=0, gzip;q=0").await;
    assert_eq!(headers.get("content-encoding"), None);
}

#[tokio::test]
async fn every_text_answer_is_compressed_for_clients_that_accept_it() {
    let site = TestSite::demo().await;
    for (path, kind) in [
        ("/en/search?q=grid", "text/html"),
        ("/en/no-such-page", "text/html"),
        ("/api/v1/search?q=grid", "application/json"),
        ("/api/v1/openapi.json", "application/json"),
        ("/sw.js", "text/javascript"),
        ("/manifest.webmanifest", "application/manifest+json"),
    ] {
        let (_, plain_headers, plain) = fetch(&site, path, "").await;
        assert_eq!(plain_headers.get("content-encoding"), None, "{path}");
        let (status, headers, body) = fetch(&site, path, "br, gzip").await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert!(
            headers["content-type"].to_str().unwrap().starts_with(kind),
            "{path}: {:?}",
            headers["content-type"]
        );
        assert_eq!(headers["content-encoding"], "br", "{path}");
        let text = decoded(&headers, &body);
        assert!(body.len() < text.len(), "{path}: smaller");
        // The same representation, whatever the encoding (pages carry the time of
        // rendering only in what is cached, so compare JSON and files exactly).
        if !kind.starts_with("text/html") {
            assert_eq!(text, plain, "{path}");
        }
        let (_, headers, _) = fetch(&site, path, "gzip").await;
        assert_eq!(headers["content-encoding"], "gzip", "{path}");
    }
    // The live event stream goes out as it is written (a compressor would hold frames):
    // the demo's live blog's stream, its head read and the stream dropped.
    let live = site
        .article_id("en", "glacier-conference-monitoring-pact-without-funding")
        .await;
    let editor = crate::common::add_editor(&site, "desk@example.org").await;
    site.content()
        .set_live(&editor, byline_core::ArticleId(live), true)
        .await
        .unwrap();
    use tower::ServiceExt as _;
    let response = byline_web::app(site.state.clone())
        .oneshot(
            Request::get(format!("/api/v1/live/{live}/events"))
                .header("accept-encoding", "br, gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert_eq!(response.headers().get("content-encoding"), None);
}

/// The window a brotli stream was made with (RFC 7932, 9.1: the stream's first bits).
fn brotli_window_bits(stream: &[u8]) -> u32 {
    let bits = u32::from(stream[0]) | (u32::from(stream[1]) << 8);
    if bits & 1 == 0 {
        return 16;
    }
    match (bits >> 1) & 0b111 {
        0 => match (bits >> 4) & 0b111 {
            0 => 17,
            n => 8 + n,
        },
        n => 17 + n,
    }
}

/// How many `Vary` values name Accept-Encoding.
fn vary_accept_encoding(headers: &HeaderMap) -> usize {
    headers
        .get_all("vary")
        .iter()
        .filter(|v| {
            v.to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")
        })
        .count()
}

/// Brotli's encoder allocates and zeroes buffers by its window: answers compressed once
/// per render (cached pages) or on the way out use the smallest window that covers the
/// body (brotli's default, 2^22, cost some 10 MB per answer), and say that they vary by
/// Accept-Encoding.
#[tokio::test]
async fn compressed_answers_fit_brotlis_window_to_the_body() {
    let site = TestSite::demo().await;
    let cached = {
        let page = site.get("/en/").await.body;
        assert!(page.len() < (1 << 17) - 16, "the front page fits 2^17");
        "/en/"
    };
    for path in [
        "/en/search?q=grid",
        "/api/v1/search?q=grid",
        "/en/no-such-page",
        cached,
    ] {
        let (_, headers, body) = fetch(&site, path, "br").await;
        assert_eq!(headers["content-encoding"], "br", "{path}");
        assert_eq!(brotli_window_bits(&body), 17, "{path}");
        // Once, whoever said it first (a handler that varies by it says so itself).
        let varies = vary_accept_encoding(&headers);
        assert_eq!(varies, 1, "{path}: {:?}", headers.get_all("vary"));
    }
    // A client that accepts no encoding is told the answer varies by it too, once (the
    // front page's handler says so itself, as cached pages do).
    for path in ["/en/search?q=grid", "/en/", "/api/v1/openapi.json"] {
        let (_, headers, _) = fetch(&site, path, "").await;
        let varies = vary_accept_encoding(&headers);
        assert_eq!(varies, 1, "{path}: {:?}", headers.get_all("vary"));
    }
    // HEAD: the headers a GET gets, encoding and length included, and no body.
    for path in ["/api/v1/openapi.json", "/en/search?q=grid"] {
        let (_, get, get_body) = fetch(&site, path, "br").await;
        let (status, head, body) = site
            .request_raw(
                Request::head(path)
                    .header("accept-encoding", "br")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, 200, "{path}");
        assert!(body.is_empty(), "{path}");
        assert_eq!(head["content-encoding"], "br", "{path}");
        assert_eq!(get["content-encoding"], "br", "{path}");
        if path.starts_with("/api/") {
            assert_eq!(head["content-length"], get_body.len().to_string().as_str());
        }
    }
}

/// The newsroom's pages carry the session's CSRF token beside text a request chooses:
/// compressed, their sizes would leak it (BREACH). They go out as they are.
#[tokio::test]
async fn the_newsroom_is_never_compressed() {
    let site = TestSite::demo().await;
    for path in ["/newsroom/login", "/newsroom", "/newsroom/no-such-page"] {
        let (status, headers, _) = fetch(&site, path, "br, gzip").await;
        assert!(status.as_u16() < 500, "{path}: {status}");
        assert_eq!(headers.get("content-encoding"), None, "{path}");
    }
}

#[tokio::test]
async fn with_the_cache_off_pages_go_out_as_rendered() {
    let site = TestSite::demo_with_web(|web| web.page_cache = false).await;
    let (status, headers, _) = fetch(&site, "/en/", "br, gzip").await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-encoding"), None);
}

#[tokio::test]
async fn the_icons_and_the_manifest_are_there() {
    let site = TestSite::demo().await;
    let page = site.get("/en/").await;
    let html = page.html();
    let href = |selector: &str| {
        let found = crate::common::html::select(&html, selector);
        crate::common::html::attr(
            *found.first().unwrap_or_else(|| panic!("{selector}")),
            "href",
        )
    };
    for (selector, kind) in [
        ("link[rel=icon][sizes]", "image/x-icon"),
        ("link[rel=icon][type='image/svg+xml']", "image/svg+xml"),
        ("link[rel=apple-touch-icon]", "image/png"),
        ("link[rel=manifest]", "application/manifest+json"),
    ] {
        let url = href(selector);
        let (status, headers, body) = fetch(&site, &url, "").await;
        assert_eq!(status, 200, "{selector} {url}");
        assert_eq!(headers["content-type"], kind, "{url}");
        assert!(!body.is_empty());
    }
    let (_, _, favicon) = fetch(&site, "/favicon.ico", "").await;
    assert_eq!(&favicon[..4], &[0, 0, 1, 0], "an ICO file");
    let (_, _, touch) = fetch(&site, "/apple-touch-icon.png", "").await;
    assert_eq!(&touch[..8], b"\x89PNG\r\n\x1a\n");
    let manifest: serde_json::Value =
        serde_json::from_slice(&fetch(&site, "/manifest.webmanifest", "").await.2).unwrap();
    assert_eq!(
        manifest["name"],
        site.content().catalog().settings.name.as_str()
    );
    assert_eq!(manifest["start_url"], "/en/");
    let icons = manifest["icons"].as_array().unwrap();
    assert!(
        icons
            .iter()
            .any(|i| i["sizes"] == "512x512" && i["purpose"] == "maskable")
    );
    for icon in icons {
        let (status, headers, body) = fetch(&site, icon["src"].as_str().unwrap(), "").await;
        assert_eq!(status, 200, "{icon}");
        assert_eq!(headers["content-type"], "image/png");
        let png = image::load_from_memory(&body).unwrap();
        let size = icon["sizes"].as_str().unwrap();
        assert_eq!(format!("{}x{}", png.width(), png.height()), size);
    }
}
