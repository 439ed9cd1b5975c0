//! The search page: results with snippets, per-section counts as filter links, sort and
//! edition toggles, "did you mean", and plain `?page=N` links (no JavaScript needed).

use super::lists::edition;
use super::respond::{HTML, Rendered, cached_kept};
use super::search_params::SearchParams;
use super::urls;
use super::view::{self, Card, CardsView, PageMeta, Pagination};
use crate::cache::Keeping;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use byline_content::{SearchPage, SortOrder};
use serde::Serialize;
use std::collections::HashMap;

/// The "load more" fragment is not kept: it is asked for once per reader scrolling.
fn uncached(html: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(HTML)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        html,
    )
        .into_response()
}

async fn run(
    state: &AppState,
    ed: &str,
    params: &SearchParams,
) -> Result<Option<SearchPage>, WebError> {
    if params.q.is_empty() {
        return Ok(None);
    }
    let catalog = state.content.catalog();
    let scope = (!params.all_editions).then_some(ed);
    Ok(Some(
        state
            .content
            .search(params.to_query(scope, &catalog))
            .await?,
    ))
}

/// Result cards: the usual card plus the highlighted snippet.
fn result_cards<'a>(state: &AppState, ed: &str, page: &'a SearchPage) -> Vec<Card<'a>> {
    let catalog = state.content.catalog();
    page.hits
        .iter()
        .map(|h| view::card(state, &catalog, ed, &h.article).with_snippet(&h.snippet_html))
        .collect()
}

/// A section among the results, with its count and a link that narrows to it.
#[derive(Serialize)]
struct Facet<'a> {
    name: &'a str,
    count: u64,
    url: String,
    current: bool,
}

/// "Did you mean", with the link that searches it.
#[derive(Serialize)]
struct DidYouMean<'a> {
    word: &'a str,
    url: String,
}

/// What the search did with the query.
#[derive(Serialize)]
struct SearchNotes {
    empty_query: bool,
    relaxed: bool,
    beyond_limit: bool,
}

/// A filter in force, with the link that removes it.
#[derive(Serialize)]
struct ActiveFilter {
    label: String,
    value: String,
    remove_url: String,
}

/// A filter the search form carries along.
#[derive(Serialize)]
struct HiddenInput {
    name: &'static str,
    value: String,
}

/// The sort switch.
#[derive(Serialize)]
struct SortView {
    newest: bool,
    relevance_url: String,
    newest_url: String,
}

/// The scope switch: this edition or all.
#[derive(Serialize)]
struct ScopeView {
    all: bool,
    edition_url: String,
    all_url: String,
}

/// `search.html`'s own members.
#[derive(Serialize)]
struct SearchView<'a> {
    query: &'a str,
    results: Vec<Card<'a>>,
    total: u64,
    pagination: Option<Pagination>,
    facets: Vec<Facet<'a>>,
    all_sections_url: Option<String>,
    filters: Vec<ActiveFilter>,
    did_you_mean: Option<DidYouMean<'a>>,
    notes: Option<SearchNotes>,
    sort: SortView,
    scope: ScopeView,
    hidden: Vec<HiddenInput>,
}

/// The page-cache key of a search: the search page's address with its parameters as
/// the page itself writes them (so `?q=rail&utm_source=x` and `?q=rail&page=1` share
/// the page of `?q=rail`, which the front door can then answer as sent).
fn cache_key(ed: &str, params: &SearchParams) -> String {
    let search = urls::search(ed);
    let query = params.query_string(&[]);
    let base = if query == "?" {
        search
    } else {
        format!("{search}{query}")
    };
    urls::page_key(&base, params.page.get())
}

/// The search page, cached by its parameters while the search index and the site
/// stay as they were (see `cache`'s module comment).
pub async fn search_page(
    State(state): State<AppState>,
    Path(ed): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let params = SearchParams::parse(&query, &state.content.catalog())?;
    let key = cache_key(&ed, &params);
    cached_kept(&state, &headers, key, Keeping::ByStamp, || async {
        Ok(Rendered::html(
            render_page(&state, &ed, &params).await?,
            Vec::new(),
        ))
    })
    .await
}

async fn render_page(
    state: &AppState,
    ed: &str,
    params: &SearchParams,
) -> Result<String, WebError> {
    let catalog = state.content.catalog();
    let found = run(state, ed, params).await?;
    let search = urls::search(ed);
    let link =
        |changes: &[(&str, Option<&str>)]| format!("{search}{}", params.query_string(changes));
    let base = link(&[]);
    let title = if params.q.is_empty() {
        state.theme.t(ed, "search-page-title")
    } else {
        format!("{} — {}", params.q, state.theme.t(ed, "search-page-title"))
    };
    let meta = PageMeta {
        title: format!("{title} — {}", catalog.settings.name),
        description: state.theme.t(ed, "search-page-title"),
        path: search.clone(),
        ..Default::default()
    };
    let (results, total, pagination, facets, did_you_mean, notes) = match &found {
        None => (Vec::new(), 0, None, Vec::new(), None, None),
        Some(page) => {
            let more = format!("/{ed}/more/search/results{}", params.query_string(&[]));
            let facets = page
                .sections
                .iter()
                .map(|(s, n)| Facet {
                    name: s.name.get(ed),
                    count: *n,
                    url: link(&[("section", Some(s.slug.as_str()))]),
                    current: params.section.as_ref().is_some_and(|c| c.id == s.id),
                })
                .collect();
            let did_you_mean = page.did_you_mean.as_deref().map(|w| DidYouMean {
                word: w,
                url: link(&[("q", Some(w))]),
            });
            (
                result_cards(state, ed, page),
                page.total,
                Some(view::pagination(&base, &more, page.page.get(), page.pages)),
                facets,
                did_you_mean,
                Some(SearchNotes {
                    empty_query: page.empty_query,
                    relaxed: page.relaxed,
                    beyond_limit: page.beyond_limit,
                }),
            )
        }
    };
    let filters = active_filters(state, ed, params, &search);
    let ctx = view::page_context(
        state,
        ed,
        &meta,
        &Vec::new(),
        SearchView {
            query: &params.q,
            results,
            total,
            pagination,
            facets,
            all_sections_url: params.section.as_ref().map(|_| link(&[("section", None)])),
            filters,
            did_you_mean,
            notes,
            sort: SortView {
                newest: params.order == SortOrder::Newest,
                relevance_url: link(&[("sort", None)]),
                newest_url: link(&[("sort", Some("newest"))]),
            },
            scope: ScopeView {
                all: params.all_editions,
                edition_url: link(&[("in", None)]),
                all_url: link(&[("in", Some("all"))]),
            },
            hidden: hidden_inputs(params),
        },
    )?;
    Ok(state.theme.render("search.html", &ctx)?)
}

/// The filters in force, each with a link that removes it.
fn active_filters(
    state: &AppState,
    ed: &str,
    params: &SearchParams,
    search: &str,
) -> Vec<ActiveFilter> {
    let link =
        |changes: &[(&str, Option<&str>)]| format!("{search}{}", params.query_string(changes));
    let mut out = Vec::new();
    if let Some(a) = &params.author {
        out.push(ActiveFilter {
            label: state.theme.t(ed, "search-filter-author"),
            value: a.name.get(ed).to_owned(),
            remove_url: link(&[("author", None)]),
        });
    }
    if let Some(t) = &params.tag {
        out.push(ActiveFilter {
            label: state.theme.t(ed, "search-filter-tag"),
            value: t.name.get(ed).to_owned(),
            remove_url: link(&[("tag", None)]),
        });
    }
    if let Some(d) = params.from {
        out.push(ActiveFilter {
            label: state.theme.t(ed, "search-filter-from"),
            value: d.to_string(),
            remove_url: link(&[("from", None)]),
        });
    }
    if let Some(d) = params.to {
        out.push(ActiveFilter {
            label: state.theme.t(ed, "search-filter-to"),
            value: d.to_string(),
            remove_url: link(&[("to", None)]),
        });
    }
    out
}

/// Filters the search form carries along when the reader types a new query.
fn hidden_inputs(params: &SearchParams) -> Vec<HiddenInput> {
    let mut out = Vec::new();
    let mut put = |name: &'static str, value: Option<String>| {
        if let Some(value) = value {
            out.push(HiddenInput { name, value });
        }
    };
    put(
        "section",
        params.section.as_ref().map(|s| s.slug.as_str().to_owned()),
    );
    put(
        "author",
        params.author.as_ref().map(|a| a.slug.as_str().to_owned()),
    );
    put(
        "tag",
        params.tag.as_ref().map(|t| t.slug.as_str().to_owned()),
    );
    put("from", params.from.map(|d| d.to_string()));
    put("to", params.to.map(|d| d.to_string()));
    put(
        "sort",
        (params.order == SortOrder::Newest).then(|| "newest".into()),
    );
    put("in", params.all_editions.then(|| "all".into()));
    out
}

/// The "load more" fragment of a search: the next page's cards.
pub async fn more_fragment(
    state: &AppState,
    ed: &str,
    query: &HashMap<String, String>,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let params = SearchParams::parse(query, &catalog)?;
    if params.q.is_empty() {
        return Err(WebError::BadRequest("the search query is empty".into()));
    }
    let page = run(state, ed, &params).await?.ok_or(WebError::NotFound)?;
    let more_url = (page.page.get() < page.pages).then(|| {
        urls::with_page(
            &format!("/{ed}/more/search/results{}", params.query_string(&[])),
            page.page.get() + 1,
        )
    });
    let ctx = view::page_context(
        state,
        ed,
        &PageMeta {
            title: String::new(),
            description: String::new(),
            path: urls::front(ed),
            ..Default::default()
        },
        &Vec::new(),
        CardsView {
            articles: result_cards(state, ed, &page),
            more_url,
        },
    )?;
    Ok(uncached(state.theme.render("partials/cards.html", &ctx)?))
}
