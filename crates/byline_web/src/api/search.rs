//! `GET /api/v1/search` (the search page as JSON) and `GET /api/v1/suggest` (titles
//! as the reader types, for the search overlay).

use super::{ApiError, json};
use crate::site::search_params::SearchParams;
use crate::site::{urls, view};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use std::collections::HashMap;
use utoipa::IntoParams;

/// Suggestions offered at most.
const SUGGESTIONS: usize = 8;

/// `edition`: a code, or `all`; absent means the site's default edition.
fn edition_param(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<Option<String>, ApiError> {
    let settings = state.content.catalog().settings.clone();
    match query.get("edition").map(String::as_str) {
        None | Some("") => Ok(Some(settings.default_edition().to_owned())),
        Some("all") => Ok(None),
        Some(code) if settings.has_edition(code) => Ok(Some(code.to_owned())),
        Some(other) => Err(super::problem::Problem::new(
            super::problem::Kind::BadRequest,
            format!(
                "edition must be one of {} or all, not {:?}",
                settings
                    .editions
                    .iter()
                    .map(|e| e.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                other.chars().take(20).collect::<String>()
            ),
        )
        .naming(vec!["edition".into()])),
    }
}

/// Query parameters of `GET /api/v1/search`: the search page's (their values are read
/// by [`SearchParams`], shared with the page; this struct names and describes them).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // read by name, see above
pub struct SearchApiParams {
    /// Words, "a phrase", -excluded
    q: Option<String>,
    /// Edition code, or `all` (default: the site's first)
    edition: Option<String>,
    /// Section slug
    section: Option<String>,
    /// Author slug
    author: Option<String>,
    /// Tag slug
    tag: Option<String>,
    /// Published on or after (YYYY-MM-DD)
    from: Option<String>,
    /// Published on or before (YYYY-MM-DD)
    to: Option<String>,
    /// `relevance` (default) or `newest`
    sort: Option<String>,
    /// `all` to search every edition
    #[param(rename = "in")]
    in_: Option<String>,
    /// Page number from 1
    page: Option<String>,
}

/// Query parameters of `GET /api/v1/suggest`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // read by name, like the search's
pub struct SuggestParams {
    /// What was typed
    q: Option<String>,
    /// Edition code, or `all`
    edition: Option<String>,
}

/// Refuses parameters the operation does not take, naming them.
fn known_only<T: IntoParams>(query: &HashMap<String, String>) -> Result<(), ApiError> {
    let known = super::params::declared::<T>();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut unknown: Vec<String> = query
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .cloned()
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    unknown.sort();
    Err(super::problem::unknown_parameters(unknown, &known))
}

/// Full-text search of published articles, as on the search page (no key: the reader
/// site's own pages use it).
#[utoipa::path(
    get, path = "/api/v1/search", tag = "site",
    params(SearchApiParams),
    responses(
        (status = 200, description = "Results, counts per section, did-you-mean", body = serde_json::Value),
        (status = 400, description = "Unknown parameter or bad filter", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = super::params::query_map(query.as_deref())?;
    known_only::<SearchApiParams>(&query)?;
    let catalog = state.content.catalog();
    let edition = edition_param(&state, &query)?;
    let params = SearchParams::parse(&query, &catalog)?;
    let lang = edition
        .clone()
        .unwrap_or_else(|| catalog.settings.default_edition().to_owned());
    if params.q.is_empty() {
        return Ok(json(
            StatusCode::OK,
            json!({
                "query": "", "edition": edition, "total": 0, "page": 1, "pages": 1,
                "results": [], "sections": [], "did_you_mean": null,
                "hint": "empty_query",
            }),
        ));
    }
    let page = state
        .content
        .search(params.to_query(edition.as_deref(), &catalog))
        .await?;
    let results: Vec<_> = page
        .hits
        .iter()
        .map(|h| {
            let a = &h.article;
            let section = catalog.section(a.section);
            let section_slug = section.map(|s| s.slug.as_str()).unwrap_or("news");
            json!({
                "id": a.id.0,
                "edition": a.edition,
                "title": a.title,
                "subtitle": a.subtitle,
                "url": state.absolute(&urls::article(&a.edition, section_slug, a.slug.as_str())),
                "section": {"slug": section_slug, "name": section.map(|s| s.name.get(&a.edition)).unwrap_or("")},
                "published_at": view::iso(a.published_at, &catalog),
                "snippet_html": h.snippet_html,
            })
        })
        .collect();
    let sections: Vec<_> = page
        .sections
        .iter()
        .map(|(s, n)| json!({"slug": s.slug.as_str(), "name": s.name.get(&lang), "count": n}))
        .collect();
    let hint = if page.empty_query {
        Some("empty_query")
    } else if page.beyond_limit {
        Some("beyond_limit")
    } else if page.relaxed {
        Some("some_words")
    } else {
        None
    };
    Ok(json(
        StatusCode::OK,
        json!({
            "query": params.q,
            "edition": edition,
            "total": page.total,
            "page": page.page.get(),
            "pages": page.pages,
            "results": results,
            "sections": sections,
            "did_you_mean": page.did_you_mean,
            "hint": hint,
        }),
    ))
}

/// Titles matching what the reader has typed so far (the search overlay).
#[utoipa::path(
    get, path = "/api/v1/suggest", tag = "site",
    params(SuggestParams),
    responses(
        (status = 200, description = "Up to 8 titles with their URLs", body = serde_json::Value),
        (status = 400, description = "Unknown parameter or edition", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn suggest(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = super::params::query_map(query.as_deref())?;
    known_only::<SuggestParams>(&query)?;
    let edition = edition_param(&state, &query)?;
    let q = crate::site::search_params::clean_query(query.get("q"));
    let catalog = state.content.catalog();
    let found = if q.is_empty() {
        Vec::new()
    } else {
        state
            .content
            .suggest(&q, edition.as_deref(), SUGGESTIONS)
            .await?
    };
    let suggestions: Vec<_> = found
        .iter()
        .map(|s| {
            let section = catalog
                .section(s.section)
                .map(|c| c.slug.as_str())
                .unwrap_or("news");
            json!({"title": s.title, "url": urls::article(&s.edition, section, &s.slug), "edition": s.edition})
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        json!({ "query": q, "suggestions": suggestions }),
    ))
}
