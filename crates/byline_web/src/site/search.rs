//! The search page. (A plain substring query for now; the search issue replaces the
//! engine with tantivy.)

use super::lists::edition;
use super::respond::HTML;
use super::view::{self, PageMeta};
use super::{page_param, urls};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use byline_content::{ArticleFilter, Listing};
use serde_json::json;
use std::collections::HashMap;

/// Longest search query we look at; longer input is cut at a character boundary.
const MAX_QUERY_CHARS: usize = 200;

/// The search query from `q`: control characters dropped, whitespace collapsed, length capped.
pub(crate) fn clean_query(raw: Option<&String>) -> String {
    let cleaned: String = raw
        .map(|s| {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        })
        .unwrap_or_default();
    cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect()
}

pub async fn search_page(
    State(state): State<AppState>,
    Path(ed): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let q = clean_query(query.get("q"));
    let page = page_param(&query)?;
    let base = format!("{}?q={}", urls::search(&ed), urls::q(&q));
    let listing = if q.is_empty() {
        Listing {
            articles: Vec::new(),
            total: 0,
            page,
            pages: 1,
        }
    } else {
        let filter = ArticleFilter {
            edition: Some(ed.clone()),
            text: Some(q.clone()),
            ..Default::default()
        };
        state.content.list(filter, page).await?
    };
    let title = if q.is_empty() {
        state.theme.t(&ed, "search-page-title")
    } else {
        format!("{q} — {}", state.theme.t(&ed, "search-page-title"))
    };
    let meta = PageMeta {
        title: format!("{title} — {}", state.content.catalog().settings.name),
        description: state.theme.t(&ed, "search-page-title"),
        path: urls::search(&ed),
        ..Default::default()
    };
    let ctx = view::page_context(
        &state,
        &ed,
        &meta,
        &Vec::new(),
        json!({
            "query": q,
            "results": view::cards(&state, &ed, &listing.articles),
            "total": listing.total,
            "pagination": view::pagination(&base, &format!("/{ed}/more/search/results?q={}", urls::q(&q)), listing.page.get(), listing.pages),
        }),
    );
    let html = state.theme.render("search.html", &ctx)?;
    // Results change with every publish and queries are endless: never cached.
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(HTML)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        html,
    )
        .into_response())
}
