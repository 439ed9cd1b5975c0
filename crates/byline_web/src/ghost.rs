//! A Ghost-compatible subset of the Content API at `/ghost/api/content/`, so front-ends,
//! site generators and the official `@tryghost/content-api` client work unchanged:
//! posts (`filter`, `limit`, `page`, `order`, `include`, `fields`, `formats`), a post by
//! id or slug, tags, authors and settings, in Ghost's response shapes, with `?key=`.
//!
//! Ghost has no editions: this serves the site's default edition. Errors have Ghost's
//! shape (`{"errors": [{"message", "type"}]}`), which its client turns into exceptions.

use crate::api::auth_key;
use crate::site::urls;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use byline_content::{ArticleFilter, ArticleWindow, Catalog, ContentError};
use byline_core::limits::MAX_GHOST_FILTER_CLAUSES;
use byline_core::{Article, ArticleId, PageNumber};
use serde_json::{Map, Value, json};

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for (path, handler) in [
        ("/ghost/api/content/posts", get(posts)),
        ("/ghost/api/content/posts/{id}", get(post_by_id)),
        ("/ghost/api/content/posts/slug/{slug}", get(post_by_slug)),
        ("/ghost/api/content/tags", get(tags)),
        ("/ghost/api/content/authors", get(authors)),
        ("/ghost/api/content/settings", get(settings)),
    ] {
        router = router
            .route(&format!("{path}/"), handler.clone())
            .route(path, handler);
    }
    router
}

/// A Ghost error answer.
pub struct GhostError {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl GhostError {
    fn bad(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "BadRequestError",
            message: message.into(),
        }
    }

    pub fn for_status(status: StatusCode) -> Self {
        let (kind, message) = match status.as_u16() {
            401 => ("UnauthorizedError", "Authorization failed"),
            404 => ("NotFoundError", "Resource not found"),
            413 => ("RequestEntityTooLargeError", "Request is too large"),
            429 => ("TooManyRequestsError", "Too many requests"),
            400..=499 => ("BadRequestError", "Bad request"),
            _ => ("InternalServerError", "Internal server error"),
        };
        Self {
            status,
            kind,
            message: message.to_owned(),
        }
    }
}

impl From<ContentError> for GhostError {
    fn from(e: ContentError) -> Self {
        let status = crate::WebError::from(e).status();
        Self::for_status(status)
    }
}

impl From<crate::api::problem::Problem> for GhostError {
    fn from(p: crate::api::problem::Problem) -> Self {
        let mut e = Self::for_status(p.status());
        if let Some(detail) = p.detail {
            e.message = detail;
        }
        e
    }
}

impl IntoResponse for GhostError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            axum::Json(json!({"errors": [{
                "message": self.message, "context": null, "type": self.kind,
            }]})),
        )
            .into_response();
        response.extensions_mut().insert(crate::error::Finished);
        response
    }
}

type Answer = Result<Response, GhostError>;

/// The query as Ghost's client sends it (`key` included), unknown names refused.
fn params(query: Option<&str>, known: &[&str]) -> Result<Vec<(String, String)>, GhostError> {
    let pairs = crate::api::params::query_pairs(query)?;
    if let Some((unknown, _)) = pairs
        .iter()
        .find(|(k, _)| k != "key" && !known.contains(&k.as_str()))
    {
        return Err(GhostError::bad(format!("unknown parameter {unknown:?}")));
    }
    Ok(pairs)
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A comma-separated parameter (at most `MAX_LIST_ITEMS` items).
fn list(pairs: &[(String, String)], name: &str) -> Result<Vec<String>, GhostError> {
    Ok(crate::api::params::list_items(name, param(pairs, name))?)
}

fn answer(headers: &HeaderMap, state: &AppState, body: Value) -> Response {
    crate::api::cached_json(headers, &body, &state.cdn_cache_control)
}

fn iso(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string()
}

/// Text of an HTML fragment (for `plaintext` and the excerpt).
fn plaintext(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tag_json(state: &AppState, lang: &str, t: &byline_core::Tag) -> Value {
    json!({
        "id": t.id.0.to_string(), "name": t.name.get(lang), "slug": t.slug.as_str(),
        "description": null, "feature_image": null, "visibility": "public",
        "og_image": null, "og_title": null, "og_description": null,
        "twitter_image": null, "twitter_title": null, "twitter_description": null,
        "meta_title": null, "meta_description": null,
        "codeinjection_head": null, "codeinjection_foot": null, "canonical_url": null,
        "accent_color": null,
        "url": state.absolute(&urls::tag(lang, t.slug.as_str())),
    })
}

fn author_json(state: &AppState, lang: &str, a: &byline_core::Author) -> Value {
    let bio = a.bio.get(lang);
    json!({
        "id": a.id.0.to_string(), "name": a.name.get(lang), "slug": a.slug.as_str(),
        "profile_image": null, "cover_image": null,
        "bio": if bio.is_empty() { Value::Null } else { Value::from(bio) },
        "website": null, "location": null, "facebook": null, "twitter": null,
        "meta_title": null, "meta_description": null,
        "url": state.absolute(&urls::author(lang, a.slug.as_str())),
    })
}

/// What a post answer holds besides the always-present members.
struct Shape {
    tags: bool,
    authors: bool,
    html: bool,
    plaintext: bool,
    fields: Vec<String>,
}

impl Shape {
    fn from(pairs: &[(String, String)]) -> Result<Self, GhostError> {
        let include = list(pairs, "include")?;
        if let Some(other) = include.iter().find(|i| *i != "tags" && *i != "authors") {
            return Err(GhostError::bad(format!(
                "include may name tags and authors, not {other:?}"
            )));
        }
        let formats = list(pairs, "formats")?;
        if let Some(other) = formats.iter().find(|f| *f != "html" && *f != "plaintext") {
            return Err(GhostError::bad(format!(
                "formats may be html and plaintext, not {other:?}"
            )));
        }
        Ok(Self {
            tags: include.iter().any(|i| i == "tags"),
            authors: include.iter().any(|i| i == "authors"),
            html: formats.is_empty() || formats.iter().any(|f| f == "html"),
            plaintext: formats.iter().any(|f| f == "plaintext"),
            fields: list(pairs, "fields")?,
        })
    }
}

fn post_json(state: &AppState, catalog: &Catalog, a: &Article, shape: &Shape) -> Value {
    let lang = a.edition.as_str();
    let section = catalog
        .section(a.section)
        .map(|s| s.slug.to_string())
        .unwrap_or_else(|| "news".into());
    let text = plaintext(&a.body_html);
    let words = text.split_whitespace().count();
    let excerpt = if a.subtitle.is_empty() {
        text.chars().take(500).collect()
    } else {
        a.subtitle.clone()
    };
    let published = a.published_at.map(iso);
    let mut post = json!({
        "id": a.id.0.to_string(),
        "uuid": format!("00000000-0000-4000-8000-{:012x}", a.id.0),
        "title": a.title,
        "slug": a.slug.as_str(),
        "comment_id": a.id.0.to_string(),
        "feature_image": a.cover.as_ref().map(|c| state.absolute(&c.url)),
        "feature_image_alt": a.cover.as_ref().map(|c| c.alt.clone()),
        "feature_image_caption": a.cover.as_ref().map(|c| c.caption.clone()),
        "featured": a.featured,
        "visibility": "public",
        "created_at": iso(a.created_at),
        "updated_at": a.updated_at.map(iso).or(published.clone()),
        "published_at": published,
        "custom_excerpt": if a.subtitle.is_empty() { Value::Null } else { Value::from(a.subtitle.clone()) },
        "codeinjection_head": null, "codeinjection_foot": null, "custom_template": null,
        "canonical_url": null,
        "url": state.absolute(&urls::article(lang, &section, a.slug.as_str())),
        "excerpt": excerpt,
        "reading_time": words.div_ceil(275),
        "access": true,
        "comments": false,
        "og_image": null, "og_title": null, "og_description": null,
        "twitter_image": null, "twitter_title": null, "twitter_description": null,
        "meta_title": a.seo.title, "meta_description": a.seo.description,
        "email_subject": null, "frontmatter": null,
        "feature_image_width": a.cover.as_ref().map(|c| c.width),
        "feature_image_height": a.cover.as_ref().map(|c| c.height),
    });
    let map = post.as_object_mut().expect("an object");
    if shape.html {
        map.insert("html".into(), Value::from(a.body_html.clone()));
    }
    if shape.plaintext {
        map.insert("plaintext".into(), Value::from(text));
    }
    if shape.tags {
        let tags: Vec<Value> = a
            .tags
            .iter()
            .filter_map(|id| catalog.tag(*id))
            .map(|t| tag_json(state, lang, t))
            .collect();
        map.insert(
            "primary_tag".into(),
            tags.first().cloned().unwrap_or(Value::Null),
        );
        map.insert("tags".into(), Value::from(tags));
    }
    if shape.authors {
        let authors: Vec<Value> = a
            .authors
            .iter()
            .filter_map(|id| catalog.author(*id))
            .map(|x| author_json(state, lang, x))
            .collect();
        map.insert(
            "primary_author".into(),
            authors.first().cloned().unwrap_or(Value::Null),
        );
        map.insert("authors".into(), Value::from(authors));
    }
    if !shape.fields.is_empty() {
        map.retain(|k, _| shape.fields.iter().any(|f| f == k));
    }
    post
}

/// Ghost's `filter` (NQL), the part that maps onto Byline's lists: clauses joined by
/// `+`, each `tag:`/`tags:`/`tags.slug:`/`primary_tag:` or `author:`/`authors:`/
/// `authors.slug:`/`primary_author:` with a slug. Anything else is refused.
fn filter(
    raw: Option<&str>,
    catalog: &Catalog,
    edition: &str,
) -> Result<ArticleFilter, GhostError> {
    let mut filter = ArticleFilter {
        edition: Some(edition.to_owned()),
        ..Default::default()
    };
    let Some(raw) = raw else {
        return Ok(filter);
    };
    let clauses: Vec<&str> = raw
        .split('+')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if clauses.len() > MAX_GHOST_FILTER_CLAUSES {
        return Err(GhostError::bad(format!(
            "a filter may have at most {MAX_GHOST_FILTER_CLAUSES} clauses"
        )));
    }
    for clause in clauses {
        let (key, value) = clause
            .split_once(':')
            .ok_or_else(|| GhostError::bad(format!("cannot read the filter {clause:?}")))?;
        let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
        match key.trim() {
            "tag" | "tags" | "tags.slug" | "primary_tag" | "primary_tag.slug" => {
                let tag = catalog
                    .tag_by_slug(value)
                    .ok_or_else(|| GhostError::bad(format!("there is no tag {value:?}")))?;
                filter.tag = Some(tag.id);
            }
            "author" | "authors" | "authors.slug" | "primary_author" | "primary_author.slug" => {
                let author = catalog
                    .author_by_slug(value)
                    .ok_or_else(|| GhostError::bad(format!("there is no author {value:?}")))?;
                filter.author = Some(author.id);
            }
            other => {
                return Err(GhostError::bad(format!(
                    "filtering by {other:?} is not supported (tag and author are)"
                )));
            }
        }
    }
    Ok(filter)
}

const POST_PARAMS: [&str; 7] = [
    "filter", "limit", "page", "order", "include", "fields", "formats",
];

async fn posts(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    auth_key(&state, query.as_deref()).await?;
    let pairs = params(query.as_deref(), &POST_PARAMS)?;
    let shape = Shape::from(&pairs)?;
    let catalog = state.content.catalog();
    let edition = catalog.settings.default_edition().to_owned();
    let filter = filter(param(&pairs, "filter"), &catalog, &edition)?;
    if let Some(order) = param(&pairs, "order") {
        let order = order.to_lowercase();
        if order != "published_at desc" && order != "published_at" {
            return Err(GhostError::bad(format!(
                "order may only be \"published_at desc\", not {order:?}"
            )));
        }
    }
    let limit = match param(&pairs, "limit") {
        None => 15,
        Some("all") => 100,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| GhostError::bad("limit must be a number from 1 to 100, or all"))?,
    };
    let page =
        PageNumber::parse(param(&pairs, "page")).map_err(|e| GhostError::bad(e.to_string()))?;
    let listing = state.content.list_sized(filter, page, limit).await?;
    let ids: Vec<ArticleId> = listing.articles.iter().map(|a| a.id).collect();
    let mut whole = if ids.is_empty() {
        Vec::new()
    } else {
        state
            .content
            .article_window(
                &ArticleWindow {
                    ids: ids.clone(),
                    ..Default::default()
                },
                limit,
            )
            .await?
    };
    whole.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    let posts: Vec<Value> = whole
        .iter()
        .map(|a| post_json(&state, &catalog, a, &shape))
        .collect();
    let page = listing.page.get();
    let pages = listing.pages.max(1);
    Ok(answer(
        &headers,
        &state,
        json!({
            "posts": posts,
            "meta": {"pagination": {
                "page": page, "limit": limit, "pages": pages, "total": listing.total,
                "next": if page < pages { Value::from(page + 1) } else { Value::Null },
                "prev": if page > 1 { Value::from(page - 1) } else { Value::Null },
            }},
        }),
    ))
}

async fn one_post(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    found: Result<(Article, Vec<byline_content::Translation>), ContentError>,
) -> Answer {
    auth_key(state, query).await?;
    let pairs = params(query, &["include", "fields", "formats", "slug"])?;
    let shape = Shape::from(&pairs)?;
    let (article, _) = found?;
    let catalog = state.content.catalog();
    Ok(answer(
        headers,
        state,
        json!({"posts": [post_json(state, &catalog, &article, &shape)]}),
    ))
}

async fn post_by_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    let found = match id.parse::<i64>() {
        Ok(id) => state.content.published_article_by_id(ArticleId(id)).await,
        Err(_) => Err(ContentError::NotFound),
    };
    one_post(&state, &headers, query.as_deref(), found).await
}

async fn post_by_slug(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    let edition = state
        .content
        .catalog()
        .settings
        .default_edition()
        .to_owned();
    let found = state.content.published_article(&edition, &slug).await;
    one_post(&state, &headers, query.as_deref(), found).await
}

/// Ghost's pagination for a list that is always complete on one page.
fn one_page(total: usize) -> Value {
    json!({"pagination": {"page": 1, "limit": "all", "pages": 1, "total": total, "next": null, "prev": null}})
}

async fn tags(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    auth_key(&state, query.as_deref()).await?;
    let pairs = params(
        query.as_deref(),
        &["limit", "page", "fields", "include", "filter", "order"],
    )?;
    let catalog = state.content.catalog();
    let lang = catalog.settings.default_edition().to_owned();
    let fields = list(&pairs, "fields")?;
    let tags: Vec<Value> = catalog
        .tags
        .iter()
        .map(|t| pick(tag_json(&state, &lang, t), &fields))
        .collect();
    let total = tags.len();
    Ok(answer(
        &headers,
        &state,
        json!({"tags": tags, "meta": one_page(total)}),
    ))
}

async fn authors(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    auth_key(&state, query.as_deref()).await?;
    let pairs = params(
        query.as_deref(),
        &["limit", "page", "fields", "include", "filter", "order"],
    )?;
    let catalog = state.content.catalog();
    let lang = catalog.settings.default_edition().to_owned();
    let fields = list(&pairs, "fields")?;
    let authors: Vec<Value> = catalog
        .authors
        .iter()
        .map(|a| pick(author_json(&state, &lang, a), &fields))
        .collect();
    let total = authors.len();
    Ok(answer(
        &headers,
        &state,
        json!({"authors": authors, "meta": one_page(total)}),
    ))
}

fn pick(mut value: Value, fields: &[String]) -> Value {
    if let (false, Some(map)) = (fields.is_empty(), value.as_object_mut()) {
        map.retain(|k, _| fields.iter().any(|f| f == k));
    }
    value
}

async fn settings(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    auth_key(&state, query.as_deref()).await?;
    params(query.as_deref(), &[])?;
    let catalog = state.content.catalog();
    let s = &catalog.settings;
    let lang = s.default_edition();
    let navigation: Vec<Value> = catalog
        .sections
        .iter()
        .map(|x| json!({"label": x.name.get(lang), "url": state.absolute(&urls::section(lang, x.slug.as_str()))}))
        .collect();
    let mut settings = Map::new();
    for (k, v) in [
        ("title", json!(s.name)),
        ("description", json!(s.tagline.get(lang))),
        ("logo", json!(s.logo_url)),
        ("icon", Value::Null),
        ("accent_color", Value::Null),
        ("cover_image", Value::Null),
        ("facebook", json!(s.social.get("facebook"))),
        (
            "twitter",
            json!(s.social.get("x").or(s.social.get("twitter"))),
        ),
        ("lang", json!(lang)),
        ("locale", json!(lang)),
        ("timezone", json!(s.timezone)),
        ("codeinjection_head", Value::Null),
        ("codeinjection_foot", Value::Null),
        ("navigation", json!(navigation)),
        ("secondary_navigation", json!([])),
        ("meta_title", Value::Null),
        ("meta_description", Value::Null),
        ("og_image", Value::Null),
        ("og_title", Value::Null),
        ("og_description", Value::Null),
        ("twitter_image", Value::Null),
        ("twitter_title", Value::Null),
        ("twitter_description", Value::Null),
        ("members_support_address", Value::Null),
        ("url", json!(state.absolute("/"))),
    ] {
        settings.insert(k.to_owned(), v);
    }
    Ok(answer(
        &headers,
        &state,
        json!({"settings": settings, "meta": {}}),
    ))
}
