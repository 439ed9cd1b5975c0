//! Fuzz targets through the real router: API query strings (every `/api/v1` read, the
//! search API) and Ghost's `filter` and parameters. Any query string is answered with
//! a result or a 4xx that says what is wrong (JSON either way), never a 5xx or a panic.
//! Case counts as in `byline_fuzz` (`PROPTEST_CASES`, `BYLINE_FUZZ_SECS`).

use crate::client::key;
use crate::common::TestSite;
use byline_fuzz::{fuzz, text};
use proptest::prelude::*;

/// Characters that may stand in a URI's query as they are; the rest is %-encoded.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn value() -> impl Strategy<Value = String> {
    let fixed = proptest::sample::select(vec![
        "tag:energy+author:lena-arakelova",
        "tags:[energy,grid]",
        "tag:'energy'+tag:\"x\"+",
        "(((((((((((",
        "published_at:>'2020-01-01'",
        "title,id,body_html,nope",
        "tags,authors,x",
        "html,plaintext,mobiledoc",
        "published_at desc",
        "all",
        "-1",
        "2024-02-30",
        "relevance",
        "newest",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        3 => fixed.boxed(),
        3 => text().boxed(),
        1 => (0u64..u64::MAX).prop_map(|n| n.to_string()).boxed(),
        1 => ("[a-z+:,]{1,20}", 1usize..1000).prop_map(|(s, n)| s.repeat(n)).boxed(),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            "filter", "limit", "page", "order", "include", "fields", "formats", "edition",
            "section", "author", "tag", "cursor", "ids", "q", "from", "to", "sort", "in",
            "since", "key",
        ])
        .prop_map(str::to_owned)
        .boxed(),
        1 => text().boxed(),
    ]
}

/// A query string: encoded pairs, sometimes raw (malformed %-escapes, a flood of `&`).
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::collection::vec((name(), value()), 0..8).prop_map(|pairs: Vec<(String, String)>| {
            pairs
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        }),
        1 => "[a-z0-9%&=+;,.:-]{0,200}".boxed(),
        1 => (1usize..10_000).prop_map(|n| "a=1&".repeat(n)).boxed(),
    ]
}

const PATHS: [&str; 8] = [
    "/api/v1/articles",
    "/api/v1/sections",
    "/api/v1/tags",
    "/api/v1/search",
    "/api/v1/suggest",
    "/ghost/api/content/posts/",
    "/ghost/api/content/tags/",
    "/ghost/api/content/authors/",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn any_query_string_is_answered_or_refused_never_a_server_error() {
    let site = TestSite::demo_with_web(|web| {
        web.api.rate_per_minute = u32::MAX / 2;
        web.api.rate_burst = u32::MAX / 2;
    })
    .await;
    let key = key(&site).await;
    let runtime = tokio::runtime::Handle::current();
    let cases = (0..PATHS.len(), query());
    tokio::task::block_in_place(|| {
        fuzz("api-query", cases, |(path, query)| {
            let path = PATHS[path];
            let uri = if path.starts_with("/ghost") {
                format!("{path}?key={key}&{query}")
            } else {
                format!("{path}?{query}")
            };
            if uri.len() > 60_000 {
                return Ok(()); // past what the `http` crate takes in a URI
            }
            let r =
                runtime.block_on(site.get_with(&uri, "authorization", &format!("Bearer {key}")));
            prop_assert!(
                r.status.is_success() || r.status.is_client_error(),
                "{uri}: {} {}",
                r.status,
                r.body
            );
            let json: Result<serde_json::Value, _> = serde_json::from_str(&r.body);
            prop_assert!(json.is_ok(), "{uri}: {}", r.body);
            Ok(())
        });
    });
}
