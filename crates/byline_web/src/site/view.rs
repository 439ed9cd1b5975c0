//! View models: what templates receive (see the theme's CONTEXT.md). Built from domain
//! types here, so templates never see database rows.

use super::head::{self, Head};
use super::urls;
use crate::state::AppState;
use axum::http::StatusCode;
use byline_content::{APP_KEYS, Catalog, SOCIAL_KEYS};
use byline_core::{ArticleSummary, Cover, Section, SiteSettings};
use byline_render::RenderError;
use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// A library cover's crops around its focal point (cards use the 16:9 one).
    crops: Option<&'a byline_core::CoverCrops>,
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
        crops: c.crops.as_ref(),
    }
}

/// The outlet as every page shows it (`site`).
#[derive(Serialize)]
pub struct SiteView<'a> {
    name: &'a str,
    tagline: &'a str,
    logo_url: Option<&'a str>,
    attribution: &'a str,
    copyright: &'a str,
    social: &'a BTreeMap<String, String>,
    apps: &'a BTreeMap<String, String>,
    /// The set ones of `social`, in the order pages show them.
    social_links: Vec<PlatformLink<'a>>,
    /// The set ones of `apps`, in the order pages show them.
    app_links: Vec<PlatformLink<'a>>,
}

/// The outlet's page on a social network, or its app in a store: `key` names the
/// platform (`x`, `ios` …), for the template's label and icon.
#[derive(Serialize)]
pub struct PlatformLink<'a> {
    key: &'static str,
    url: &'a str,
}

/// The platforms of `platforms` (the settings' keys in the order pages show them:
/// `byline_content::SOCIAL_KEYS`, `APP_KEYS`) that `urls` sets; an empty URL is not set.
/// Listed here rather than looked up key by key in the template: the header and the
/// footer each show them, and in minijinja those four macro calls were 12 % of an
/// article's render, 3 points less with the lists.
fn platform_links<'a>(
    urls: &'a BTreeMap<String, String>,
    platforms: &[(&'static str, &str)],
) -> Vec<PlatformLink<'a>> {
    platforms
        .iter()
        .filter_map(|&(key, _)| {
            let url = urls.get(key).filter(|url| !url.is_empty())?;
            Some(PlatformLink { key, url })
        })
        .collect()
}

impl<'a> SiteView<'a> {
    pub fn new(settings: &'a SiteSettings, lang: &str) -> Self {
        SiteView {
            name: &settings.name,
            tagline: settings.tagline.get(lang),
            logo_url: settings.logo_url.as_deref(),
            attribution: settings.attribution.get(lang),
            copyright: &settings.copyright,
            social: &settings.social,
            apps: &settings.apps,
            social_links: platform_links(&settings.social, &SOCIAL_KEYS),
            app_links: platform_links(&settings.apps, &APP_KEYS),
        }
    }
}

/// An edition in the language switcher (`editions`).
#[derive(Serialize)]
pub struct EditionLink<'a> {
    code: &'a str,
    label: String,
    name: &'a str,
    url: String,
    current: bool,
}

/// A section in the navigation (`nav`).
#[derive(Serialize)]
pub struct NavItem<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    current: bool,
}

impl<'a> NavItem<'a> {
    /// The sections of edition `lang` in order, the one `current` (a slug) marked.
    pub fn all(catalog: &'a Catalog, lang: &str, current: Option<&str>) -> Vec<Self> {
        catalog
            .sections
            .iter()
            .map(|s| NavItem {
                slug: s.slug.as_str(),
                name: s.name.get(lang),
                url: urls::section(lang, s.slug.as_str()),
                current: current == Some(s.slug.as_str()),
            })
            .collect()
    }
}

/// A static page linked from the footer (`footer_pages`).
#[derive(Serialize)]
pub struct FooterPage<'a> {
    title: &'a str,
    url: String,
    current: bool,
}

/// The page's own title, description and address (`page`).
#[derive(Serialize)]
pub struct PageInfo<'a> {
    title: &'a str,
    description: &'a str,
    canonical: String,
    section_slug: Option<&'a str>,
}

/// What every page template receives (the theme's CONTEXT.md, "Variables on every
/// page"); the template's own members are beside them (`byline_render::layered`).
#[derive(Serialize)]
pub struct PageView<'a> {
    lang: &'a str,
    /// UI strings in `lang`: the theme's `t` bound to it, found here before the global.
    t: Value,
    site: SiteView<'a>,
    /// The parts of the page that are the same on every page of the edition, rendered
    /// (`super::chrome`).
    chrome: Value,
    year: i16,
    home_url: String,
    search_url: String,
    editions: Vec<EditionLink<'a>>,
    nav: Vec<NavItem<'a>>,
    footer_pages: Vec<FooterPage<'a>>,
    page: PageInfo<'a>,
    /// A `head::HeadView`.
    head: Value,
    /// The edition's breaking-news banner, while one is up (null otherwise).
    alert: Option<AlertView>,
    /// The VAPID public key readers' browsers subscribe with (null: Web Push is off).
    push_key: Option<&'a str>,
}

/// The breaking-news banner.
#[derive(Serialize)]
struct AlertView {
    id: i64,
    text: String,
    url: String,
}

/// The context of a page: what every page shares, and `body`, the template's own view.
pub fn page_context<T: Serialize>(
    state: &AppState,
    lang: &str,
    meta: &PageMeta,
    switcher: &SwitcherTargets,
    body: T,
) -> Result<Value, RenderError> {
    let catalog = state.content.catalog();
    let settings = &catalog.settings;
    let editions = settings
        .editions
        .iter()
        .map(|e| EditionLink {
            code: &e.code,
            label: e.code.to_uppercase(),
            name: &e.name,
            url: switcher
                .iter()
                .find(|(code, _)| code == &e.code)
                .map(|(_, u)| u.clone())
                .unwrap_or_else(|| urls::front(&e.code)),
            current: e.code == lang,
        })
        .collect();
    let nav = NavItem::all(&catalog, lang, meta.section_slug.as_deref());
    let footer_pages = catalog
        .footer_pages(lang)
        .map(|p| {
            let url = urls::static_page(lang, p.slug.as_str());
            FooterPage {
                title: &p.title,
                current: url == meta.path,
                url,
            }
        })
        .collect();
    let year = state
        .content
        .clock()
        .now()
        .to_zoned(catalog.timezone.clone())
        .year();
    let view = PageView {
        lang,
        t: state.theme.translator(lang),
        site: SiteView::new(settings, lang),
        chrome: state.chrome.for_page(state, &catalog, lang, year)?,
        year,
        home_url: urls::front(lang),
        search_url: urls::search(lang),
        editions,
        nav,
        footer_pages,
        page: PageInfo {
            title: &meta.title,
            description: &meta.description,
            canonical: state.absolute(&meta.path),
            section_slug: meta.section_slug.as_deref(),
        },
        head: Value::from_object(head::render(
            state,
            &catalog,
            lang,
            &meta.title,
            &meta.description,
            &meta.head,
        )),
        alert: state.content.live_alert(lang).map(|a| AlertView {
            id: a.id,
            text: a.text,
            url: a.url,
        }),
        push_key: state.content.push_public_key(),
    };
    Ok(byline_render::layered(
        Value::from_serialize(&body),
        Value::from_serialize(&view),
    ))
}

/// One article in a list.
#[derive(Serialize)]
pub struct Card<'a> {
    id: i64,
    url: String,
    title: &'a str,
    subtitle: &'a str,
    date: String,
    date_iso: String,
    section_name: String,
    section_url: String,
    views: u64,
    cover: Option<CoverView<'a>>,
    /// The highlighted match, on search results only.
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet_html: Option<&'a str>,
}

impl<'a> Card<'a> {
    /// A search result's card: the highlighted match added.
    pub fn with_snippet(self, snippet_html: &'a str) -> Self {
        Card {
            snippet_html: Some(snippet_html),
            ..self
        }
    }
}

pub fn card<'a>(
    state: &AppState,
    catalog: &Catalog,
    lang: &str,
    a: &'a ArticleSummary,
) -> Card<'a> {
    let section = catalog.section(a.section);
    let section_slug = section.map(|s| s.slug.as_str()).unwrap_or("news");
    let dates = state.dates(lang);
    Card {
        id: a.id.0,
        url: urls::article(&a.edition, section_slug, a.slug.as_str()),
        title: &a.title,
        subtitle: &a.subtitle,
        date: dates.date_time(a.published_at, &catalog.timezone),
        date_iso: iso(a.published_at, catalog),
        section_name: section.map(|s| s.name.get(lang)).unwrap_or("").to_owned(),
        section_url: urls::section(&a.edition, section_slug),
        views: state.content.views_of(a.id).unwrap_or(a.views),
        cover: a.cover.as_ref().map(cover),
        snippet_html: None,
    }
}

pub fn cards<'a>(state: &AppState, lang: &str, list: &'a [ArticleSummary]) -> Vec<Card<'a>> {
    let catalog = state.content.catalog();
    list.iter()
        .map(|a| card(state, &catalog, lang, a))
        .collect()
}

/// A section as a page shows it: heading, link and description.
#[derive(Serialize)]
pub struct SectionView<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    description: &'a str,
}

impl<'a> SectionView<'a> {
    pub fn of(section: &'a Section, lang: &str) -> Self {
        SectionView {
            slug: section.slug.as_str(),
            name: section.name.get(lang),
            url: urls::section(lang, section.slug.as_str()),
            description: section.description.get(lang),
        }
    }
}

/// Cards and the link to the next ones: the "load more" fragment
/// (`partials/cards.html`) and the article page's "more from the section".
#[derive(Serialize)]
pub struct CardsView<'a> {
    pub articles: Vec<Card<'a>>,
    pub more_url: Option<String>,
}

/// RFC 3339 in the site's zone, with its offset (`2026-11-20T09:40:00+04:00`).
pub fn iso(at: jiff::Timestamp, catalog: &Catalog) -> String {
    at.to_zoned(catalog.timezone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Links between the pages of a list (`pagination`).
#[derive(Serialize)]
pub struct Pagination {
    page: u32,
    pages: u32,
    prev_url: Option<String>,
    next_url: Option<String>,
    more_url: Option<String>,
}

/// Pagination links for page `page` of `pages` of the list at `base`; `more_base` is the
/// fragment endpoint for the same list.
pub fn pagination(base: &str, more_base: &str, page: u32, pages: u32) -> Pagination {
    let prev_url = (page > 1).then(|| {
        if page == 2 {
            base.to_owned()
        } else {
            urls::with_page(base, page - 1)
        }
    });
    let next_url = (page < pages).then(|| urls::with_page(base, page + 1));
    let more_url = (page < pages).then(|| urls::with_page(more_base, page + 1));
    Pagination {
        page,
        pages,
        prev_url,
        next_url,
        more_url,
    }
}

/// The error page's own members (`error.html`).
#[derive(Serialize)]
struct ErrorView {
    status: u16,
    heading: String,
    message: String,
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
        410 => "410",
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
    let body = ErrorView {
        status: status.as_u16(),
        heading,
        message,
    };
    let ctx = page_context(state, lang, &meta, &Vec::new(), body)?;
    state.theme.render("error.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's order, not the map's; unset and empty URLs and unknown platforms left
    /// out.
    #[test]
    fn platform_links_follow_the_page_order_and_skip_what_is_not_set() {
        let urls: BTreeMap<String, String> = [
            ("facebook", "https://facebook.example/o"),
            ("telegram", ""),
            ("x", "https://x.example/o"),
            ("myspace", "https://myspace.example/o"),
            ("youtube", "https://youtube.example/o"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let links = platform_links(&urls, &SOCIAL_KEYS);
        let got: Vec<(&str, &str)> = links.iter().map(|l| (l.key, l.url)).collect();
        assert_eq!(
            got,
            [
                ("x", "https://x.example/o"),
                ("youtube", "https://youtube.example/o"),
                ("facebook", "https://facebook.example/o"),
            ]
        );
        assert!(platform_links(&BTreeMap::new(), &APP_KEYS).is_empty());
    }
}
