//! View models: what templates receive (see the theme's CONTEXT.md). Built from domain
//! types here, so templates never see database rows.

use super::head::{self, Head};
use super::urls;
use crate::state::AppState;
use axum::http::StatusCode;
use byline_content::Catalog;
use byline_core::{ArticleSummary, Cover};
use byline_render::RenderError;
use minijinja::Value;
use serde::Serialize;
use serde_json::{Map, Value as Json, json};

/// Head metadata of a page.
#[derive(Default)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub path: String,
    pub section_slug: Option<String>,
    /// Alternates, feeds, social cards and structured data (see `head.rs`).
    pub head: Head,
}

/// Where the language switcher leads from this page: `(edition, url)`; editions not
/// listed lead to their front page.
pub type SwitcherTargets = Vec<(String, String)>;

#[derive(Serialize)]
pub struct CoverView<'a> {
    url: &'a str,
    alt: &'a str,
    caption: &'a str,
    credit: &'a str,
    width: u32,
    height: u32,
    srcset: &'a str,
    sizes: &'static str,
}

pub fn cover(c: &Cover) -> CoverView<'_> {
    CoverView {
        url: &c.url,
        alt: &c.alt,
        caption: &c.caption,
        credit: &c.credit,
        width: c.width,
        height: c.height,
        srcset: &c.srcset,
        sizes: byline_render::COVER_SIZES,
    }
}

/// The context every page shares, with `extra` merged in.
pub fn page_context(
    state: &AppState,
    lang: &str,
    meta: &PageMeta,
    switcher: &SwitcherTargets,
    extra: Json,
) -> Value {
    let catalog = state.content.catalog();
    let settings = &catalog.settings;
    let editions: Vec<Json> = settings
        .editions
        .iter()
        .map(|e| {
            let url = switcher
                .iter()
                .find(|(code, _)| code == &e.code)
                .map(|(_, u)| u.clone())
                .unwrap_or_else(|| urls::front(&e.code));
            json!({
                "code": e.code, "label": e.code.to_uppercase(), "name": e.name,
                "url": url, "current": e.code == lang,
            })
        })
        .collect();
    let nav: Vec<Json> = catalog
        .sections
        .iter()
        .map(|s| {
            json!({
                "slug": s.slug.as_str(), "name": s.name.get(lang),
                "url": urls::section(lang, s.slug.as_str()),
                "current": meta.section_slug.as_deref() == Some(s.slug.as_str()),
            })
        })
        .collect();
    let year = state
        .content
        .clock()
        .now()
        .to_zoned(catalog.timezone.clone())
        .year();
    let mut ctx = json!({
        "lang": lang,
        "site": {
            "name": settings.name,
            "tagline": settings.tagline.get(lang),
            "logo_url": settings.logo_url,
            "attribution": settings.attribution.get(lang),
            "copyright": settings.copyright,
            "social": settings.social,
            "apps": settings.apps,
        },
        "year": year,
        "home_url": urls::front(lang),
        "search_url": urls::search(lang),
        "editions": editions,
        "nav": nav,
        "page": {
            "title": meta.title,
            "description": meta.description,
            "canonical": state.absolute(&meta.path),
            "section_slug": meta.section_slug,
        },
        "head": head::render(state, &catalog, lang, &meta.title, &meta.description, &meta.head),
    });
    if let (Some(base), Json::Object(more)) = (ctx.as_object_mut(), extra) {
        base.extend(more);
    }
    Value::from_serialize(&ctx)
}

/// One article in a list.
pub fn card(state: &AppState, catalog: &Catalog, lang: &str, a: &ArticleSummary) -> Json {
    let section = catalog.section(a.section);
    let section_slug = section.map(|s| s.slug.as_str()).unwrap_or("news");
    let dates = state.dates(lang);
    json!({
        "id": a.id.0,
        "url": urls::article(&a.edition, section_slug, a.slug.as_str()),
        "title": a.title,
        "subtitle": a.subtitle,
        "date": dates.date_time(a.published_at, &catalog.timezone),
        "date_iso": iso(a.published_at, catalog),
        "section_name": section.map(|s| s.name.get(lang)).unwrap_or(""),
        "section_url": urls::section(&a.edition, section_slug),
        "views": state.content.views_of(a.id).unwrap_or(a.views),
        "cover": a.cover.as_ref().map(cover),
    })
}

pub fn cards(state: &AppState, lang: &str, list: &[ArticleSummary]) -> Vec<Json> {
    let catalog = state.content.catalog();
    list.iter()
        .map(|a| card(state, &catalog, lang, a))
        .collect()
}

/// RFC 3339 in the site's zone, with its offset (`2026-11-20T09:40:00+04:00`).
pub fn iso(at: jiff::Timestamp, catalog: &Catalog) -> String {
    at.to_zoned(catalog.timezone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Pagination links for page `page` of `pages` of the list at `base`; `more_base` is the
/// fragment endpoint for the same list.
pub fn pagination(base: &str, more_base: &str, page: u32, pages: u32) -> Json {
    let prev = (page > 1).then(|| {
        if page == 2 {
            base.to_owned()
        } else {
            urls::with_page(base, page - 1)
        }
    });
    let next = (page < pages).then(|| urls::with_page(base, page + 1));
    let more = (page < pages).then(|| urls::with_page(more_base, page + 1));
    json!({ "page": page, "pages": pages, "prev_url": prev, "next_url": next, "more_url": more })
}

/// Renders the localized error page.
pub fn error_page(
    state: &AppState,
    lang: &str,
    status: StatusCode,
    detail: Option<String>,
) -> Result<String, RenderError> {
    let key = match status.as_u16() {
        403 => "403",
        404 => "404",
        413 => "413",
        s if s >= 500 => "500",
        _ => "400",
    };
    let heading = state.theme.t(lang, &format!("error-{key}-heading"));
    let message = detail.unwrap_or_else(|| state.theme.t(lang, &format!("error-{key}-message")));
    let meta = PageMeta {
        title: format!("{heading} — {}", state.content.catalog().settings.name),
        description: message.clone(),
        path: urls::front(lang),
        ..Default::default()
    };
    let mut extra = Map::new();
    extra.insert("status".into(), json!(status.as_u16()));
    extra.insert("heading".into(), json!(heading));
    extra.insert("message".into(), json!(message));
    let ctx = page_context(state, lang, &meta, &Vec::new(), Json::Object(extra));
    state.theme.render("error.html", &ctx)
}
