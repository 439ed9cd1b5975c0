//! Published articles: a filtered page with a cursor, one by id or by slug, the newest
//! and the most read.

use super::cursor::{decode_cursor, encode_cursor};
use super::representation::{
    ArticleOne, ArticlePage, article_out, chosen_fields, list_out, select,
};
use super::{edition, edition_or_default};
use crate::api::auth::AppKey;
use crate::api::params::{bad_value, cached_json, list_items, read};
use crate::api::problem::{KeyRefusals, Problem};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use byline_content::{ArticleFilter, ArticleWindow, Catalog, ContentError, Translation};
use byline_core::{Article, ArticleId};
use serde::Deserialize;
use utoipa::IntoParams;

/// Articles per page by default and at most.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// Query parameters of `GET /api/v1/articles`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// Edition code, e.g. `en`
    edition: Option<String>,
    /// Section slug
    section: Option<String>,
    /// Tag slug
    tag: Option<String>,
    /// Author slug
    author: Option<String>,
    /// Published at or after (date or RFC 3339)
    since: Option<String>,
    /// Published before (date or RFC 3339)
    until: Option<String>,
    /// Comma-separated article ids (at most 100)
    ids: Option<String>,
    /// Comma-separated members to return
    fields: Option<String>,
    /// `next_cursor` of the previous page
    cursor: Option<String>,
    /// Articles per page (default 20)
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// `since`/`until`: an RFC 3339 time or a date (midnight in the site's time zone).
fn time_param(
    raw: Option<&str>,
    name: &str,
    catalog: &Catalog,
) -> Result<Option<jiff::Timestamp>, Problem> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    if let Ok(at) = raw.parse::<jiff::Timestamp>() {
        return Ok(Some(at));
    }
    raw.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(catalog.timezone.clone()).ok())
        .map(|z| Some(z.timestamp()))
        .ok_or_else(|| {
            bad_value(
                name,
                format!(
                    "{name} must be a date (2026-03-01) or an RFC 3339 time (2026-03-01T09:00:00Z)"
                ),
            )
        })
}

/// The filters of the article list, checked.
fn window(params: &ArticleListParams, catalog: &Catalog) -> Result<ArticleWindow, Problem> {
    let unknown_slug = |name: &str, slug: &str| {
        bad_value(
            name,
            format!(
                "there is no {name} {:?}",
                slug.chars().take(40).collect::<String>()
            ),
        )
    };
    let section = match params.section.as_deref() {
        None => None,
        Some(slug) => Some(
            catalog
                .section_by_slug(slug)
                .ok_or_else(|| unknown_slug("section", slug))?
                .id,
        ),
    };
    let tag = match params.tag.as_deref() {
        None => None,
        Some(slug) => Some(
            catalog
                .tag_by_slug(slug)
                .ok_or_else(|| unknown_slug("tag", slug))?
                .id,
        ),
    };
    let author = match params.author.as_deref() {
        None => None,
        Some(slug) => Some(
            catalog
                .author_by_slug(slug)
                .ok_or_else(|| unknown_slug("author", slug))?
                .id,
        ),
    };
    let ids = list_items("ids", params.ids.as_deref())?
        .iter()
        .map(|raw| raw.parse::<i64>().map(ArticleId))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| bad_value("ids", "ids must be comma-separated article ids".into()))?;
    if ids.len() > MAX_LIMIT as usize {
        return Err(bad_value("ids", format!("at most {MAX_LIMIT} ids")));
    }
    Ok(ArticleWindow {
        filter: ArticleFilter {
            edition: edition(params.edition.as_deref(), catalog)?,
            section,
            tag,
            author,
            ..Default::default()
        },
        since: time_param(params.since.as_deref(), "since", catalog)?,
        until: time_param(params.until.as_deref(), "until", catalog)?,
        ids,
        after: params.cursor.as_deref().map(decode_cursor).transpose()?,
    })
}

/// A page of published articles, newest first.
#[utoipa::path(
    get, path = "/api/v1/articles", tag = "content",
    params(ArticleListParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticlePage),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Unknown parameter or field, bad value, bad cursor", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn articles(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let params: ArticleListParams = read(query.as_deref())?;
    page(&state, &headers, &params).await
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    params: &ArticleListParams,
) -> Result<Response, Problem> {
    let catalog = state.content.catalog();
    let window = window(params, &catalog)?;
    let fields = chosen_fields(params.fields.as_deref())?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    // One more than asked: whether there is a next page.
    let mut found = state.content.article_window(&window, limit + 1).await?;
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    let next_cursor = found
        .last()
        .filter(|_| more)
        .and_then(|a| Some(encode_cursor(a.published_at?, a.id)));
    let articles = list_out(state, &catalog, &found, fields.as_deref());
    Ok(cached_json(
        headers,
        &ArticlePage {
            articles,
            next_cursor,
        },
        &state.cdn_cache_control,
    ))
}

/// Query parameters of one article.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OneArticleParams {
    /// Comma-separated members to return
    fields: Option<String>,
}

async fn one(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    found: Result<(Article, Vec<Translation>), ContentError>,
) -> Result<Response, Problem> {
    let params: OneArticleParams = read(query)?;
    let fields = chosen_fields(params.fields.as_deref())?;
    let (article, translations) = found?;
    let catalog = state.content.catalog();
    let out = article_out(state, &catalog, &article, &translations, true);
    Ok(cached_json(
        headers,
        &ArticleOne {
            article: select(&out, fields.as_deref()),
        },
        &state.cdn_cache_control,
    ))
}

/// One published article by id, with its body and translations.
#[utoipa::path(
    get, path = "/api/v1/articles/{id}", tag = "content",
    params(
        ("id" = i64, Path, description = "Article id"),
        OneArticleParams,
    ),
    responses(
        (status = 200, description = "The article", body = ArticleOne),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter or field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published article", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn article_by_id(
    State(state): State<AppState>,
    _key: AppKey,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let found = match id.parse::<i64>() {
        Ok(id) => state.content.published_article_by_id(ArticleId(id)).await,
        Err(_) => Err(ContentError::NotFound),
    };
    one(&state, &headers, query.as_deref(), found).await
}

/// One published article by edition and slug.
#[utoipa::path(
    get, path = "/api/v1/articles/{edition}/{slug}", tag = "content",
    params(
        ("edition" = String, Path, description = "Edition code"),
        ("slug" = String, Path, description = "The article's slug in its edition"),
        OneArticleParams,
    ),
    responses(
        (status = 200, description = "The article", body = ArticleOne),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter or field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published article", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn article_by_slug(
    State(state): State<AppState>,
    _key: AppKey,
    Path((edition, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let found = state.content.published_article(&edition, &slug).await;
    one(&state, &headers, query.as_deref(), found).await
}

/// Query parameters of `GET /api/v1/latest`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LatestParams {
    /// Edition code
    edition: Option<String>,
    /// Comma-separated members to return
    fields: Option<String>,
    /// How many (default 20)
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// The newest published articles (the first page of `/articles`, without a cursor).
#[utoipa::path(
    get, path = "/api/v1/latest", tag = "content",
    params(LatestParams),
    responses(
        (status = 200, description = "Newest first", body = ArticlePage),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter or bad value", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn latest(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let LatestParams {
        edition,
        fields,
        limit,
    } = read(query.as_deref())?;
    let params = ArticleListParams {
        edition,
        fields,
        limit,
        ..Default::default()
    };
    page(&state, &headers, &params).await
}

/// Query parameters of `GET /api/v1/most-read`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MostReadParams {
    /// Edition code (default: the site's first)
    edition: Option<String>,
    /// Comma-separated members to return
    fields: Option<String>,
    /// How many (default 5)
    #[param(minimum = 1, maximum = 20)]
    limit: Option<u32>,
}

/// The most read articles of an edition in the last days (as on the front page).
#[utoipa::path(
    get, path = "/api/v1/most-read", tag = "content",
    params(MostReadParams),
    responses(
        (status = 200, description = "Most read first", body = ArticlePage),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter or bad value", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn most_read(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let params: MostReadParams = read(query.as_deref())?;
    let catalog = state.content.catalog();
    let lang = edition_or_default(params.edition.as_deref(), &catalog)?;
    let fields = chosen_fields(params.fields.as_deref())?;
    let found = state
        .content
        .most_read_articles(&lang, params.limit.unwrap_or(5))
        .await?;
    Ok(cached_json(
        &headers,
        &ArticlePage {
            articles: list_out(&state, &catalog, &found, fields.as_deref()),
            next_cursor: None,
        },
        &state.cdn_cache_control,
    ))
}
