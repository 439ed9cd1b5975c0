//! The Content API (read-only, for apps and headless front-ends): articles with cursor
//! pagination, one article, sections, tags, authors, most read, latest and the site's
//! settings. Every answer has an ETag (304 on a match) and the CDN cache policy.

use super::auth::AppKey;
use super::params::{Params, bad_value, cached_json};
use super::problem::{KeyRefusals, Kind, Problem};
use crate::site::{urls, view};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use byline_content::{ArticleFilter, ArticleWindow, Catalog};
use byline_core::{Article, ArticleId, Localized};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Articles per page by default and at most.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// A section, tag or author as an article names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

/// One size of a cover picture.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverVariant {
    pub url: String,
    pub width: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverOut {
    pub url: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub width: u32,
    pub height: u32,
    /// The `srcset` attribute value (empty for a picture without sizes).
    pub srcset: String,
    /// The sizes in `srcset`, smallest first.
    pub variants: Vec<CoverVariant>,
}

/// Another published edition of the same story.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationOut {
    pub id: i64,
    pub edition: String,
    pub slug: String,
    pub url: String,
}

/// An article. Lists leave out `body_html` unless `fields` asks for it; with `fields`
/// only the named members (and `id`) are present.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOut {
    pub id: i64,
    #[schema(required = false)]
    pub edition: String,
    #[schema(required = false)]
    pub slug: String,
    /// The article's page on the reader site.
    #[schema(required = false)]
    pub url: String,
    #[schema(required = false)]
    pub title: String,
    #[schema(required = false)]
    pub subtitle: String,
    #[schema(required = false)]
    pub section: Named,
    #[schema(required = false)]
    pub authors: Vec<Named>,
    #[schema(required = false)]
    pub tags: Vec<Named>,
    /// RFC 3339, in the site's time zone.
    #[schema(required = false)]
    pub published_at: String,
    /// Set when a published article was corrected.
    #[schema(required = false)]
    pub updated_at: Option<String>,
    #[schema(required = false)]
    pub featured: bool,
    #[schema(required = false)]
    pub views: u64,
    #[schema(required = false)]
    pub cover: Option<CoverOut>,
    #[schema(required = false)]
    pub body_html: Option<String>,
    #[schema(required = false)]
    pub translations: Vec<TranslationOut>,
}

/// Members `fields` may name.
pub const ARTICLE_FIELDS: [&str; 16] = [
    "id",
    "edition",
    "slug",
    "url",
    "title",
    "subtitle",
    "section",
    "authors",
    "tags",
    "published_at",
    "updated_at",
    "featured",
    "views",
    "cover",
    "body_html",
    "translations",
];

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticlePage {
    #[schema(value_type = Vec<ArticleOut>)]
    pub articles: Vec<serde_json::Value>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOne {
    #[schema(value_type = ArticleOut)]
    pub article: serde_json::Value,
}

/// A position in the newest-first order: base64url of `published_at.id` (seconds).
pub fn encode_cursor(at: jiff::Timestamp, id: ArticleId) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{}", at.as_second(), id.0))
}

pub fn decode_cursor(raw: &str) -> Result<(jiff::Timestamp, ArticleId), Problem> {
    let bad = || {
        Problem::new(
            Kind::BadCursor,
            "cursor is not one this API gave out; start again without it".to_owned(),
        )
        .naming(vec!["cursor".into()])
    };
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (at, id) = text.split_once('.').ok_or_else(bad)?;
    let at = at
        .parse::<i64>()
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .ok_or_else(bad)?;
    let id = id.parse::<i64>().map_err(|_| bad())?;
    Ok((at, ArticleId(id)))
}

/// `fields=`: the chosen members, or `None` for the default set.
pub fn fields_param(params: &Params) -> Result<Option<Vec<String>>, Problem> {
    let fields = params.list("fields")?;
    if fields.is_empty() {
        return Ok(None);
    }
    let unknown: Vec<String> = fields
        .iter()
        .filter(|f| !ARTICLE_FIELDS.contains(&f.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(Problem::new(
            Kind::UnknownField,
            format!(
                "unknown field{} {} in fields; articles have {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                ARTICLE_FIELDS.join(", ")
            ),
        )
        .naming(unknown));
    }
    Ok(Some(fields))
}

fn named(slug: &str, name: &Localized, lang: &str) -> Named {
    Named {
        slug: slug.to_owned(),
        name: name.get(lang).to_owned(),
    }
}

/// `srcset` ("url 320w, url 640w") as a list of sizes.
fn variants(srcset: &str) -> Vec<CoverVariant> {
    let mut out: Vec<CoverVariant> = srcset
        .split(',')
        .filter_map(|item| {
            let (url, width) = item.trim().rsplit_once(' ')?;
            let width = width.strip_suffix('w')?.parse().ok()?;
            Some(CoverVariant {
                url: url.trim().to_owned(),
                width,
            })
        })
        .collect();
    out.sort_by_key(|v| v.width);
    out
}

/// An article as the API shows it (`translations` of its story, itself left out).
pub fn article_out(
    state: &AppState,
    catalog: &Catalog,
    a: &Article,
    translations: &[byline_content::Translation],
    with_body: bool,
) -> ArticleOut {
    let lang = a.edition.as_str();
    let section = catalog.section(a.section);
    let section_slug = section.map(|s| s.slug.as_str()).unwrap_or("news");
    let section_slug_of = |id| {
        catalog
            .section(id)
            .map(|s| s.slug.to_string())
            .unwrap_or_else(|| "news".into())
    };
    ArticleOut {
        id: a.id.0,
        edition: a.edition.clone(),
        slug: a.slug.to_string(),
        url: state.absolute(&urls::article(&a.edition, section_slug, a.slug.as_str())),
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        section: Named {
            slug: section_slug.to_owned(),
            name: section.map(|s| s.name.get(lang)).unwrap_or("").to_owned(),
        },
        authors: a
            .authors
            .iter()
            .filter_map(|id| catalog.author(*id))
            .map(|x| named(x.slug.as_str(), &x.name, lang))
            .collect(),
        tags: a
            .tags
            .iter()
            .filter_map(|id| catalog.tag(*id))
            .map(|t| named(t.slug.as_str(), &t.name, lang))
            .collect(),
        published_at: a
            .published_at
            .map(|at| view::iso(at, catalog))
            .unwrap_or_default(),
        updated_at: a.updated_at.map(|at| view::iso(at, catalog)),
        featured: a.featured,
        views: state.content.views_of(a.id).unwrap_or(a.views),
        cover: a.cover.as_ref().map(|c| CoverOut {
            url: state.absolute(&c.url),
            alt: c.alt.clone(),
            caption: c.caption.clone(),
            credit: c.credit.clone(),
            width: c.width,
            height: c.height,
            variants: variants(&c.srcset)
                .into_iter()
                .map(|v| CoverVariant {
                    url: state.absolute(&v.url),
                    width: v.width,
                })
                .collect(),
            srcset: c.srcset.clone(),
        }),
        body_html: with_body.then(|| a.body_html.clone()),
        translations: translations
            .iter()
            .filter(|t| t.id != a.id)
            .map(|t| TranslationOut {
                id: t.id.0,
                edition: t.edition.clone(),
                slug: t.slug.clone(),
                url: state.absolute(&urls::article(
                    &t.edition,
                    &section_slug_of(t.section),
                    &t.slug,
                )),
            })
            .collect(),
    }
}

/// Keeps the chosen members (always `id`).
pub fn select(article: &ArticleOut, fields: Option<&[String]>) -> serde_json::Value {
    let mut value = serde_json::to_value(article).unwrap_or_default();
    if let (Some(fields), Some(map)) = (fields, value.as_object_mut()) {
        map.retain(|k, _| k == "id" || fields.iter().any(|f| f == k));
    } else if let Some(map) = value.as_object_mut()
        && map.get("body_html").is_some_and(|v| v.is_null())
    {
        map.remove("body_html");
    }
    value
}

fn edition(params: &Params, catalog: &Catalog) -> Result<Option<String>, Problem> {
    match params.get("edition") {
        None => Ok(None),
        Some(code) if catalog.settings.has_edition(code) => Ok(Some(code.to_owned())),
        Some(other) => Err(bad_value(
            "edition",
            format!(
                "edition must be one of {}, not {:?}",
                catalog
                    .settings
                    .editions
                    .iter()
                    .map(|e| e.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                other.chars().take(20).collect::<String>()
            ),
        )),
    }
}

/// `since`/`until`: an RFC 3339 time or a date (midnight in the site's time zone).
fn time_param(
    params: &Params,
    name: &str,
    catalog: &Catalog,
) -> Result<Option<jiff::Timestamp>, Problem> {
    let Some(raw) = params.get(name) else {
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

const LIST_PARAMS: [&str; 11] = [
    "edition", "section", "tag", "author", "since", "until", "ids", "fields", "cursor", "limit",
    "key",
];

/// The filters of the article list, checked.
fn window(params: &Params, catalog: &Catalog) -> Result<ArticleWindow, Problem> {
    let unknown_slug = |name: &str, slug: &str| {
        bad_value(
            name,
            format!(
                "there is no {name} {:?}",
                slug.chars().take(40).collect::<String>()
            ),
        )
    };
    let section = match params.get("section") {
        None => None,
        Some(slug) => Some(
            catalog
                .section_by_slug(slug)
                .ok_or_else(|| unknown_slug("section", slug))?
                .id,
        ),
    };
    let tag = match params.get("tag") {
        None => None,
        Some(slug) => Some(
            catalog
                .tag_by_slug(slug)
                .ok_or_else(|| unknown_slug("tag", slug))?
                .id,
        ),
    };
    let author = match params.get("author") {
        None => None,
        Some(slug) => Some(
            catalog
                .author_by_slug(slug)
                .ok_or_else(|| unknown_slug("author", slug))?
                .id,
        ),
    };
    let ids = params
        .list("ids")?
        .iter()
        .map(|raw| raw.parse::<i64>().map(ArticleId))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| bad_value("ids", "ids must be comma-separated article ids".into()))?;
    if ids.len() > MAX_LIMIT as usize {
        return Err(bad_value("ids", format!("at most {MAX_LIMIT} ids")));
    }
    Ok(ArticleWindow {
        filter: ArticleFilter {
            edition: edition(params, catalog)?,
            section,
            tag,
            author,
            ..Default::default()
        },
        since: time_param(params, "since", catalog)?,
        until: time_param(params, "until", catalog)?,
        ids,
        after: params.get("cursor").map(decode_cursor).transpose()?,
    })
}

/// A page of published articles, newest first.
#[utoipa::path(
    get, path = "/api/v1/articles", tag = "content",
    params(
        ("edition" = Option<String>, Query, description = "Edition code, e.g. `en`"),
        ("section" = Option<String>, Query, description = "Section slug"),
        ("tag" = Option<String>, Query, description = "Tag slug"),
        ("author" = Option<String>, Query, description = "Author slug"),
        ("since" = Option<String>, Query, description = "Published at or after (date or RFC 3339)"),
        ("until" = Option<String>, Query, description = "Published before (date or RFC 3339)"),
        ("ids" = Option<String>, Query, description = "Comma-separated article ids (at most 100)"),
        ("fields" = Option<String>, Query, description = "Comma-separated members to return"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Articles per page (default 20)"),
    ),
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
    let params = Params::parse(query.as_deref(), &LIST_PARAMS)?;
    let catalog = state.content.catalog();
    let window = window(&params, &catalog)?;
    let fields = fields_param(&params)?;
    let limit = params.number("limit", DEFAULT_LIMIT, 1..=MAX_LIMIT)?;
    // One more than asked: whether there is a next page.
    let mut found = state.content.article_window(&window, limit + 1).await?;
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    let with_body = fields
        .as_ref()
        .is_some_and(|f| f.iter().any(|x| x == "body_html"));
    let next_cursor = found
        .last()
        .filter(|_| more)
        .and_then(|a| Some(encode_cursor(a.published_at?, a.id)));
    let articles = found
        .iter()
        .map(|a| {
            select(
                &article_out(&state, &catalog, a, &[], with_body),
                fields.as_deref(),
            )
        })
        .collect();
    Ok(cached_json(
        &headers,
        &ArticlePage {
            articles,
            next_cursor,
        },
        &state.cdn_cache_control,
    ))
}

async fn one(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    found: Result<(Article, Vec<byline_content::Translation>), byline_content::ContentError>,
) -> Result<Response, Problem> {
    let params = Params::parse(query, &["fields", "key"])?;
    let fields = fields_param(&params)?;
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
        ("fields" = Option<String>, Query, description = "Comma-separated members to return"),
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
        Err(_) => Err(byline_content::ContentError::NotFound),
    };
    one(&state, &headers, query.as_deref(), found).await
}

/// One published article by edition and slug.
#[utoipa::path(
    get, path = "/api/v1/articles/{edition}/{slug}", tag = "content",
    params(
        ("edition" = String, Path, description = "Edition code"),
        ("slug" = String, Path, description = "The article's slug in its edition"),
        ("fields" = Option<String>, Query, description = "Comma-separated members to return"),
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

/// A section, tag or author with its names in every edition.
#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    pub slug: String,
    /// The name in the requested edition (the default edition without `edition`).
    pub name: String,
    /// Names by edition code.
    pub names: BTreeMap<String, String>,
    /// Description (sections) or bio (authors) in the requested edition.
    pub description: String,
    /// The term's page on the reader site, in the requested edition.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermList {
    pub items: Vec<Term>,
}

#[derive(Clone, Copy)]
enum Taxonomy {
    Sections,
    Tags,
    Authors,
}

fn terms(
    state: &AppState,
    query: Option<&str>,
    headers: &HeaderMap,
    which: Taxonomy,
) -> Result<Response, Problem> {
    let params = Params::parse(query, &["edition", "key"])?;
    let catalog = state.content.catalog();
    let lang = edition(&params, &catalog)?
        .unwrap_or_else(|| catalog.settings.default_edition().to_owned());
    let term = |slug: &str, name: &Localized, description: &Localized, url: String| Term {
        slug: slug.to_owned(),
        name: name.get(&lang).to_owned(),
        names: name.0.clone(),
        description: description.get(&lang).to_owned(),
        url: state.absolute(&url),
    };
    let none = Localized::default();
    let items = match which {
        Taxonomy::Sections => catalog
            .sections
            .iter()
            .map(|s| {
                term(
                    s.slug.as_str(),
                    &s.name,
                    &s.description,
                    urls::section(&lang, s.slug.as_str()),
                )
            })
            .collect(),
        Taxonomy::Tags => catalog
            .tags
            .iter()
            .map(|t| {
                term(
                    t.slug.as_str(),
                    &t.name,
                    &none,
                    urls::tag(&lang, t.slug.as_str()),
                )
            })
            .collect(),
        Taxonomy::Authors => catalog
            .authors
            .iter()
            .map(|a| {
                term(
                    a.slug.as_str(),
                    &a.name,
                    &a.bio,
                    urls::author(&lang, a.slug.as_str()),
                )
            })
            .collect(),
    };
    Ok(cached_json(
        headers,
        &TermList { items },
        &state.cdn_cache_control,
    ))
}

macro_rules! term_operation {
    ($name:ident, $path:literal, $which:expr, $what:literal) => {
        #[utoipa::path(
            get, path = $path, tag = "content",
            description = "All of them, with their names in every edition.",
            params(("edition" = Option<String>, Query, description = "Edition for `name`, `description` and `url`")),
            responses(
                (status = 200, description = $what, body = TermList),
                (status = 304, description = "Not modified"),
                (status = 400, description = "Unknown parameter or edition", body = Problem, content_type = "application/problem+json"),
                KeyRefusals,
            ),
            security(("api_key" = []), ("api_key_query" = []))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            _key: AppKey,
            RawQuery(query): RawQuery,
            headers: HeaderMap,
        ) -> Result<Response, Problem> {
            terms(&state, query.as_deref(), &headers, $which)
        }
    };
}

term_operation!(sections, "/api/v1/sections", Taxonomy::Sections, "sections");
term_operation!(tags, "/api/v1/tags", Taxonomy::Tags, "tags");
term_operation!(authors, "/api/v1/authors", Taxonomy::Authors, "authors");

/// The newest published articles (the first page of `/articles`, without a cursor).
#[utoipa::path(
    get, path = "/api/v1/latest", tag = "content",
    params(
        ("edition" = Option<String>, Query, description = "Edition code"),
        ("fields" = Option<String>, Query, description = "Comma-separated members to return"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "How many (default 20)"),
    ),
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
    key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    Params::parse(query.as_deref(), &["edition", "fields", "limit", "key"])?;
    articles(State(state), key, RawQuery(query), headers).await
}

/// The most read articles of an edition in the last days (as on the front page).
#[utoipa::path(
    get, path = "/api/v1/most-read", tag = "content",
    params(
        ("edition" = Option<String>, Query, description = "Edition code (default: the site's first)"),
        ("fields" = Option<String>, Query, description = "Comma-separated members to return"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "How many (default 5)"),
    ),
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
    let params = Params::parse(query.as_deref(), &["edition", "fields", "limit", "key"])?;
    let catalog = state.content.catalog();
    let lang = edition(&params, &catalog)?
        .unwrap_or_else(|| catalog.settings.default_edition().to_owned());
    let fields = fields_param(&params)?;
    let limit = params.number("limit", 5, 1..=20)?;
    let found = state.content.most_read_articles(&lang, limit).await?;
    let with_body = fields
        .as_ref()
        .is_some_and(|f| f.iter().any(|x| x == "body_html"));
    let articles = found
        .iter()
        .map(|a| {
            select(
                &article_out(&state, &catalog, a, &[], with_body),
                fields.as_deref(),
            )
        })
        .collect();
    Ok(cached_json(
        &headers,
        &ArticlePage {
            articles,
            next_cursor: None,
        },
        &state.cdn_cache_control,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EditionOut {
    pub code: String,
    pub name: String,
    /// The edition's front page.
    pub url: String,
    pub tagline: String,
}

/// The outlet's public settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteOut {
    pub name: String,
    pub url: String,
    pub logo_url: Option<String>,
    pub timezone: String,
    pub copyright: String,
    /// Social profiles by network.
    pub social: BTreeMap<String, String>,
    /// App store links by platform.
    pub apps: BTreeMap<String, String>,
    pub editions: Vec<EditionOut>,
    pub default_edition: String,
}

/// Site name, links and editions.
#[utoipa::path(
    get, path = "/api/v1/settings", tag = "content",
    responses(
        (status = 200, description = "The outlet", body = SiteOut),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        KeyRefusals,
    ),
    security(("api_key" = []), ("api_key_query" = []))
)]
pub async fn settings(
    State(state): State<AppState>,
    _key: AppKey,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    Params::parse(query.as_deref(), &["key"])?;
    let catalog = state.content.catalog();
    let s = &catalog.settings;
    let out = SiteOut {
        name: s.name.clone(),
        url: state.absolute("/"),
        logo_url: s.logo_url.clone(),
        timezone: s.timezone.clone(),
        copyright: s.copyright.clone(),
        social: s.social.clone(),
        apps: s.apps.clone(),
        editions: s
            .editions
            .iter()
            .map(|e| EditionOut {
                code: e.code.clone(),
                name: e.name.clone(),
                url: state.absolute(&format!("/{}/", e.code)),
                tagline: s.tagline.get(&e.code).to_owned(),
            })
            .collect(),
        default_edition: s.default_edition().to_owned(),
    };
    Ok(cached_json(&headers, &out, &state.cdn_cache_control))
}
