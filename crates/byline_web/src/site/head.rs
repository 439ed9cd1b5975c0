//! What goes in every page's `<head>` besides the title: hreflang alternates, feed
//! autodiscovery, Open Graph and Twitter cards, and JSON-LD. Built here as data; the
//! theme's `base.html` writes it out (see the theme's CONTEXT.md, `head`).

use super::urls;
use super::view::iso;
use crate::state::AppState;
use byline_content::{ArticleFilter, Catalog, ContentError, Translation};
use byline_core::{Article, Cover, PageNumber, SiteSettings};
use byline_render::og_locale;
use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Value as Json, json};

/// One `<link rel="alternate" hreflang>`: the language (or `x-default`) and a site path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternate {
    pub hreflang: String,
    pub path: String,
}

/// The hreflang set of a story: every published edition of it, in the editions' order,
/// and `x-default` (the default edition's version, else the first). Every translation
/// computes the same set from the same group, so the links are always reciprocal.
/// Empty when the story exists in one edition only.
pub fn story_alternates(catalog: &Catalog, translations: &[Translation]) -> Vec<Alternate> {
    let mut out: Vec<Alternate> = catalog
        .settings
        .editions
        .iter()
        .filter_map(|e| {
            let t = translations.iter().find(|t| t.edition == e.code)?;
            let section = catalog.section(t.section)?;
            Some(Alternate {
                hreflang: e.code.clone(),
                path: urls::article(&t.edition, section.slug.as_str(), &t.slug),
            })
        })
        .collect();
    with_default(&catalog.settings, &mut out, None);
    out
}

/// The hreflang set of a list page (front, section, tag, author): `path_for(edition)`
/// for each edition in `only` (every edition when `None`), and `x-default`
/// (`x_default`, else the default edition's).
pub fn list_alternates(
    settings: &SiteSettings,
    only: Option<&[String]>,
    path_for: impl Fn(&str) -> String,
    x_default: Option<String>,
) -> Vec<Alternate> {
    let mut out: Vec<Alternate> = settings
        .editions
        .iter()
        .filter(|e| only.is_none_or(|only| only.contains(&e.code)))
        .map(|e| Alternate {
            hreflang: e.code.clone(),
            path: path_for(&e.code),
        })
        .collect();
    with_default(settings, &mut out, x_default);
    out
}

/// The editions in which `filter` (its edition aside) finds published articles. A tag
/// or author page is only an alternate where it has something to show, and every
/// edition's page computes the same list, so the links stay reciprocal.
pub async fn editions_having(
    state: &AppState,
    filter: &ArticleFilter,
) -> Result<Vec<String>, ContentError> {
    let mut out = Vec::new();
    for e in &state.content.catalog().settings.editions {
        let one = ArticleFilter {
            edition: Some(e.code.clone()),
            ..filter.clone()
        };
        if state
            .content
            .list_sized(one, PageNumber::FIRST, 1)
            .await?
            .total
            > 0
        {
            out.push(e.code.clone());
        }
    }
    Ok(out)
}

fn with_default(settings: &SiteSettings, out: &mut Vec<Alternate>, x_default: Option<String>) {
    if out.len() < 2 {
        out.clear();
        return;
    }
    let path = x_default.unwrap_or_else(|| {
        out.iter()
            .find(|a| a.hreflang == settings.default_edition())
            .unwrap_or(&out[0])
            .path
            .clone()
    });
    out.push(Alternate {
        hreflang: "x-default".into(),
        path,
    });
}

/// What a page adds to its head; [`render`] adds what every page shares.
#[derive(Debug, Default)]
pub struct Head {
    /// Open Graph type: `website` unless set (`article` on article pages).
    pub og_type: Option<&'static str>,
    /// hreflang alternates (site paths); empty for pages in one language only.
    pub alternates: Vec<Alternate>,
    /// The page's own list feeds, `(list path, list title)` (section, tag, author).
    pub feed: Option<(String, String)>,
    /// The picture for social cards.
    pub image: Option<Cover>,
    /// More Open Graph properties in order (`article:published_time`, …).
    pub og: Vec<(&'static str, String)>,
    /// JSON-LD objects, each written as its own `<script type="application/ld+json">`.
    pub json_ld: Vec<Json>,
}

/// The `head` object of the template context (see the theme's CONTEXT.md).
/// An hreflang alternate (`head.alternates`).
#[derive(Serialize)]
pub struct AlternateLink {
    hreflang: String,
    href: String,
}

/// A feed for autodiscovery (`head.feeds`).
#[derive(Serialize)]
pub struct FeedLink {
    #[serde(rename = "type")]
    mime: &'static str,
    title: String,
    href: String,
}

/// What `base.html` writes into `<head>` (the theme's CONTEXT.md, `head.*`).
#[derive(Serialize)]
pub struct HeadView {
    alternates: Vec<AlternateLink>,
    feeds: Vec<FeedLink>,
    /// `[property, content]` pairs.
    og: Vec<(&'static str, String)>,
    /// `[name, content]` pairs.
    twitter: Vec<(&'static str, String)>,
    /// JSON-LD documents, already safe inside `<script>`.
    json_ld: Vec<String>,
}

pub fn render(
    state: &AppState,
    catalog: &Catalog,
    lang: &str,
    title: &str,
    description: &str,
    head: &Head,
) -> HeadView {
    let settings = &catalog.settings;
    let alternates = head
        .alternates
        .iter()
        .map(|a| AlternateLink {
            hreflang: a.hreflang.clone(),
            href: state.absolute(&a.path),
        })
        .collect();

    let mut feeds = Vec::new();
    let edition_feed = (urls::front(lang), settings.name.clone());
    for (path, name) in head.feed.iter().chain(std::iter::once(&edition_feed)) {
        for (format, mime, label) in [
            ("rss", "application/rss+xml", "RSS"),
            ("atom", "application/atom+xml", "Atom"),
        ] {
            feeds.push(FeedLink {
                mime,
                title: format!("{name} ({label})"),
                href: state.absolute(&urls::feed(path, format)),
            });
        }
    }

    let mut og: Vec<(&'static str, String)> = vec![
        ("og:type", head.og_type.unwrap_or("website").to_owned()),
        ("og:locale", og_locale(lang)),
    ];
    og.extend(
        head.alternates
            .iter()
            .filter(|a| a.hreflang != lang && a.hreflang != "x-default")
            .map(|a| ("og:locale:alternate", og_locale(&a.hreflang))),
    );
    let mut twitter: Vec<(&'static str, String)> = vec![(
        "twitter:card",
        if head.image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        }
        .to_owned(),
    )];
    if let Some(handle) = settings.social.get("x").and_then(|u| x_handle(u)) {
        twitter.push(("twitter:site", handle));
    }
    twitter.push(("twitter:title", title.to_owned()));
    twitter.push(("twitter:description", description.to_owned()));
    if let Some(image) = &head.image {
        // A library picture's 1200×630 crop around its focal point (what link previews
        // show), else the picture as it is.
        let (url, width, height) = match &image.crops {
            Some(crops) => (absolute(state, &crops.social), 1200, 630),
            None => (absolute(state, &image.url), image.width, image.height),
        };
        og.push(("og:image", url.clone()));
        og.push(("og:image:width", width.to_string()));
        og.push(("og:image:height", height.to_string()));
        og.push(("og:image:alt", image.alt.clone()));
        twitter.push(("twitter:image", url));
        twitter.push(("twitter:image:alt", image.alt.clone()));
    }
    og.extend(head.og.iter().map(|(k, v)| (*k, v.clone())));

    HeadView {
        alternates,
        feeds,
        og,
        twitter,
        json_ld: head.json_ld.iter().map(script_json).collect(),
    }
}

/// JSON-LD for inside `<script>` (`byline_render::escape::script_json`).
pub fn script_json(value: &Json) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    byline_render::escape::script_json(&text)
}

/// `@name` from an X profile URL (`https://x.com/name`).
fn x_handle(url: &str) -> Option<String> {
    let name = url.trim_end_matches('/').rsplit('/').next()?;
    let valid = !name.is_empty()
        && name.len() <= 15
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    valid.then(|| format!("@{name}"))
}

fn absolute(state: &AppState, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        state.absolute(url)
    } else {
        url.to_owned()
    }
}

/// The publisher's logo: the one in the settings, else the theme's `logo.svg`.
fn logo_url(state: &AppState, catalog: &Catalog) -> Option<String> {
    match &catalog.settings.logo_url {
        Some(url) => Some(absolute(state, url)),
        None => state
            .theme
            .asset("logo.svg")
            .map(|a| state.absolute(&format!("/static/logo.svg?v={}", a.hash))),
    }
}

/// The outlet as a schema.org Organization (publisher of every article).
pub fn organization(state: &AppState, catalog: &Catalog) -> Json {
    let settings = &catalog.settings;
    let mut org = json!({
        "@type": "Organization",
        "name": settings.name,
        "url": state.absolute("/"),
    });
    if let Some(logo) = logo_url(state, catalog) {
        org["logo"] = json!({ "@type": "ImageObject", "url": logo });
    }
    let same_as: Vec<&String> = settings.social.values().filter(|u| !u.is_empty()).collect();
    if !same_as.is_empty() {
        org["sameAs"] = json!(same_as);
    }
    org
}

/// Organization and WebSite (with its search box) for an edition's front page.
pub fn front_json_ld(state: &AppState, catalog: &Catalog, lang: &str) -> Vec<Json> {
    let mut org = organization(state, catalog);
    org["@context"] = json!("https://schema.org");
    let site = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": catalog.settings.name,
        "url": state.absolute(&urls::front(lang)),
        "inLanguage": lang,
        "publisher": { "@type": "Organization", "name": catalog.settings.name },
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{}?q={{search_term_string}}", state.absolute(&urls::search(lang))),
            },
            "query-input": "required name=search_term_string",
        },
    });
    vec![org, site]
}

/// A BreadcrumbList from the edition's front page down: `(name, site path)` each.
pub fn breadcrumbs(
    state: &AppState,
    catalog: &Catalog,
    lang: &str,
    trail: &[(&str, &str)],
) -> Json {
    let home = (catalog.settings.name.as_str(), urls::front(lang));
    let items: Vec<Json> = std::iter::once((home.0, home.1.as_str()))
        .chain(trail.iter().copied())
        .enumerate()
        .map(|(i, (name, path))| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": state.absolute(path),
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    })
}

/// Google shows at most this many characters of a headline.
const HEADLINE_CHARS: usize = 110;

/// What an article page tells search engines and social networks about itself.
pub struct ArticleFacts<'a> {
    pub article: &'a Article,
    pub path: &'a str,
    pub description: &'a str,
    pub section_name: &'a str,
    pub section_path: &'a str,
    /// `(name, site path)` of each author.
    pub authors: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub published: Timestamp,
    pub modified: Timestamp,
    pub translations: &'a [Translation],
    /// A live blog's newest entries (empty for other articles).
    pub live_entries: &'a [byline_core::LiveEntry],
}

/// How many entries a live blog's structured data lists (newest first).
const LIVE_UPDATES: usize = 50;

pub fn article_head(state: &AppState, catalog: &Catalog, facts: &ArticleFacts<'_>) -> Head {
    let a = facts.article;
    let lang = a.edition.as_str();
    let url = state.absolute(facts.path);
    let published = iso(facts.published, catalog);
    let modified = iso(facts.modified, catalog);
    let headline: String = if a.title.chars().count() > HEADLINE_CHARS {
        let cut: String = a.title.chars().take(HEADLINE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        a.title.clone()
    };
    let authors: Vec<Json> = if facts.authors.is_empty() {
        vec![organization(state, catalog)]
    } else {
        facts
            .authors
            .iter()
            .map(|(name, path)| json!({ "@type": "Person", "name": name, "url": state.absolute(path) }))
            .collect()
    };
    let mut news = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "description": facts.description,
        "datePublished": published,
        "dateModified": modified,
        "author": authors,
        "publisher": organization(state, catalog),
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "url": url,
        "inLanguage": lang,
        "articleSection": facts.section_name,
    });
    if let Some(c) = &a.cover {
        let caption = if c.caption.is_empty() {
            &c.alt
        } else {
            &c.caption
        };
        let mut images = vec![json!({
            "@type": "ImageObject",
            "url": absolute(state, &c.url),
            "width": c.width,
            "height": c.height,
            "caption": caption,
        })];
        // Search engines ask for several shapes (16:9, 4:3, 1:1); a library cover has
        // them cut around its focal point.
        if let Some(crops) = &c.crops {
            for (url, width, height) in [(&crops.social, 1200, 630), (&crops.square, 1200, 1200)] {
                images.push(json!({
                    "@type": "ImageObject",
                    "url": absolute(state, url),
                    "width": width,
                    "height": height,
                    "caption": caption,
                }));
            }
        }
        news["image"] = json!(images);
    }
    if !facts.tags.is_empty() {
        news["keywords"] = json!(facts.tags);
    }
    // schema.org's `correction`: each public note as a CorrectionComment with its date
    // (updates and clarifications too: they are what readers were told afterwards).
    if !a.corrections.is_empty() {
        news["correction"] = a
            .corrections
            .iter()
            .map(|c| {
                json!({
                    "@type": "CorrectionComment",
                    "text": c.text,
                    "datePublished": iso(c.at, catalog),
                })
            })
            .collect();
    }
    // A live blog is a LiveBlogPosting (a kind of NewsArticle): its coverage times and
    // newest entries, each a BlogPosting at its own anchor.
    if let Some(live) = a.live {
        news["@type"] = json!("LiveBlogPosting");
        news["coverageStartTime"] = json!(iso(live.since, catalog));
        if let Some(until) = live.until {
            news["coverageEndTime"] = json!(iso(until, catalog));
        }
        news["liveBlogUpdate"] = facts
            .live_entries
            .iter()
            .take(LIVE_UPDATES)
            .map(|e| {
                let text = byline_render::plain_text(&e.body_markdown);
                let headline = if e.title.is_empty() {
                    text.chars().take(HEADLINE_CHARS).collect::<String>()
                } else {
                    e.title.clone()
                };
                json!({
                    "@type": "BlogPosting",
                    "headline": headline,
                    "datePublished": iso(e.created_at, catalog),
                    "dateModified": iso(e.updated_at, catalog),
                    "url": format!("{url}#entry-{}", e.id),
                    "articleBody": text,
                })
            })
            .collect();
    }
    let mut og = vec![
        ("article:published_time", published),
        ("article:modified_time", modified),
        ("article:section", facts.section_name.to_owned()),
    ];
    og.extend(
        facts
            .authors
            .iter()
            .map(|(_, path)| ("article:author", state.absolute(path))),
    );
    og.extend(facts.tags.iter().map(|t| ("article:tag", t.clone())));
    Head {
        og_type: Some("article"),
        alternates: story_alternates(catalog, facts.translations),
        feed: Some((
            facts.section_path.to_owned(),
            format!("{} — {}", facts.section_name, catalog.settings.name),
        )),
        image: a.seo.image.clone().or_else(|| a.cover.clone()),
        og,
        json_ld: vec![
            news,
            breadcrumbs(
                state,
                catalog,
                lang,
                &[
                    (facts.section_name, facts.section_path),
                    (&a.title, facts.path),
                ],
            ),
        ],
    }
}

/// The meta description of an article: its SEO description, else its subtitle, else
/// its title.
pub fn article_description(a: &Article) -> String {
    a.seo
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| {
            if a.subtitle.trim().is_empty() {
                a.title.clone()
            } else {
                a.subtitle.clone()
            }
        })
}
