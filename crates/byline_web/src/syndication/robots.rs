//! `/robots.txt`, from the site settings: the sitemap index, and the paths that are no
//! pages for a search engine (API, search results, load-more fragments).

use crate::error::WebError;
use crate::site::respond::{Rendered, cached};
use crate::site::urls;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use std::fmt::Write;

pub async fn robots_txt(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    cached(&state, &headers, "/robots.txt".into(), || async {
        Ok(Rendered {
            body: render(&state).into(),
            content_type: "text/plain; charset=utf-8",
            last_modified: None,
            // Built from settings only: a settings change clears the whole cache.
            deps: Vec::new(),
        })
    })
    .await
}

fn render(state: &AppState) -> String {
    let catalog = state.content.catalog();
    let settings = &catalog.settings;
    let mut out = String::from("User-agent: *\n");
    if settings.robots.block_all {
        out.push_str("Disallow: /\n");
    } else {
        let mut paths = vec!["/api/".to_owned()];
        for e in &settings.editions {
            paths.push(urls::search(&e.code));
            paths.push(format!("/{}/more/", e.code));
        }
        // Settings text goes into a line-based format: a value with a line break (or
        // any space or control character) could start a directive of its own, so such
        // a value is no path and is left out.
        paths.extend(
            settings
                .robots
                .disallow
                .iter()
                .map(|p| p.trim())
                .filter(|p| {
                    p.starts_with('/') && !p.chars().any(|c| c.is_whitespace() || c.is_control())
                })
                .map(str::to_owned),
        );
        for p in paths {
            let _ = writeln!(out, "Disallow: {p}");
        }
    }
    let _ = writeln!(out, "\nSitemap: {}", state.absolute(urls::SITEMAP_INDEX));
    out
}
