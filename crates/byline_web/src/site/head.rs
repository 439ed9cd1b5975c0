//! What goes in every page's `<head>` besides the title: hreflang alternates, feed
//! autodiscovery, Open Graph and Twitter cards, and JSON-LD. Built here as data; the
//! theme's `base.html` writes it out (see the theme's CONTEXT.md, `head`).

use super::json_ld::{self, CONTEXT};
use super::urls;
use super::view::iso;
use crate::state::AppState;
use byline_content::{ArticleFilter, Catalog, ContentError, Translation};
use byline_core::{Article, Cover, PageNumber, SiteSettings};
use byline_render::og_locale;
use jiff::Timestamp;
use minijinja::Value;
use minijinja::value::{Enumerator, Object};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Arc;

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
    /// JSON-LD documents, each the text of its own `<script type="application/ld+json">`
    /// (`json_ld::script`).
    pub json_ld: Vec<String>,
}

/// The `head` object of the template context (see the theme's CONTEXT.md).
/// An hreflang alternate (`head.alternates`).
#[derive(Debug, Serialize)]
pub struct AlternateLink {
    hreflang: String,
    href: String,
}

/// A feed for autodiscovery (`head.feeds`).
#[derive(Debug, Serialize)]
pub struct FeedLink {
    #[serde(rename = "type")]
    mime: &'static str,
    title: String,
    href: String,
}

/// What `base.html` writes into `<head>` (the theme's CONTEXT.md, `head.*`): a template
/// object whose `link_tags` and `meta_tags` are the items written as tags here, and
/// whose lists (`alternates`, `feeds`, `og`, `twitter`, `json_ld`) become template
/// values only when a template reads them.
///
/// Why: looping over some forty items in the template cost 12 % of an uncached
/// article's instructions (the template engine's loop and lookups, some 3,000
/// instructions an item); writing them here saved 100,000 of its 143,000 instructions
/// a render. The lists stay for themes that write their own.
#[derive(Debug)]
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

impl HeadView {
    /// The hreflang alternates and the feeds, as `base.html` wrote them from the lists:
    /// one tag a line (the template's line break ends the last). Never empty: every
    /// page links its edition's two feeds, as every page's `meta_tags` has `og:type`
    /// and `og:locale` (`render`); an empty string would leave `base.html` a blank line.
    fn link_tags(&self) -> String {
        let mut out = String::with_capacity(256 * (self.alternates.len() + self.feeds.len()));
        for a in &self.alternates {
            let (lang, href) = (Html(&a.hreflang), Html(&a.href));
            let _ = writeln!(
                out,
                r#"<link rel="alternate" hreflang="{lang}" href="{href}">"#
            );
        }
        for f in &self.feeds {
            let (mime, title, href) = (Html(f.mime), Html(&f.title), Html(&f.href));
            let _ = writeln!(
                out,
                r#"<link rel="alternate" type="{mime}" title="{title}" href="{href}">"#
            );
        }
        out.pop();
        out
    }

    /// The Open Graph and Twitter/X pairs and the JSON-LD documents, as `base.html`
    /// wrote them from the lists: one tag a line (the template's line break ends the
    /// last).
    fn meta_tags(&self) -> String {
        let json: usize = self.json_ld.iter().map(String::len).sum();
        let mut out = String::with_capacity(json + 160 * (self.og.len() + self.twitter.len()));
        for (property, content) in &self.og {
            let (property, content) = (Html(property), Html(content));
            let _ = writeln!(out, r#"<meta property="{property}" content="{content}">"#);
        }
        for (name, content) in &self.twitter {
            let (name, content) = (Html(name), Html(content));
            let _ = writeln!(out, r#"<meta name="{name}" content="{content}">"#);
        }
        for data in &self.json_ld {
            // Already safe inside <script> (`json_ld::script`).
            let _ = writeln!(out, r#"<script type="application/ld+json">{data}</script>"#);
        }
        out.pop();
        out
    }
}

/// Text escaped for HTML as the theme's templates escape it (writing to a `String`,
/// as here, cannot fail).
struct Html<'a>(&'a str);

impl std::fmt::Display for Html<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        byline_render::escape::write_html(f, self.0)
    }
}

impl Object for HeadView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(match key.as_str()? {
            "link_tags" => Value::from_safe_string(self.link_tags()),
            "meta_tags" => Value::from_safe_string(self.meta_tags()),
            "alternates" => Value::from_serialize(&self.alternates),
            "feeds" => Value::from_serialize(&self.feeds),
            "og" => Value::from_serialize(&self.og),
            "twitter" => Value::from_serialize(&self.twitter),
            "json_ld" => Value::from_serialize(&self.json_ld),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&[
            "link_tags",
            "meta_tags",
            "alternates",
            "feeds",
            "og",
            "twitter",
            "json_ld",
        ])
    }
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
        json_ld: head.json_ld.clone(),
    }
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
pub fn organization<'a>(state: &AppState, catalog: &'a Catalog) -> json_ld::Organization<'a> {
    let settings = &catalog.settings;
    json_ld::Organization {
        context: None,
        kind: "Organization",
        logo: logo_url(state, catalog).map(|url| json_ld::Logo {
            kind: "ImageObject",
            url,
        }),
        name: &settings.name,
        same_as: settings
            .social
            .values()
            .filter(|u| !u.is_empty())
            .map(String::as_str)
            .collect(),
        url: state.absolute("/"),
    }
}

/// Organization and WebSite (with its search box) for an edition's front page.
pub fn front_json_ld(state: &AppState, catalog: &Catalog, lang: &str) -> Vec<String> {
    let org = json_ld::Organization {
        context: Some(CONTEXT),
        ..organization(state, catalog)
    };
    let name = catalog.settings.name.as_str();
    let site = json_ld::WebSite {
        context: CONTEXT,
        kind: "WebSite",
        in_language: lang,
        name,
        potential_action: json_ld::SearchAction {
            kind: "SearchAction",
            query_input: "required name=search_term_string",
            target: json_ld::EntryPoint {
                kind: "EntryPoint",
                url_template: format!(
                    "{}?q={{search_term_string}}",
                    state.absolute(&urls::search(lang))
                ),
            },
        },
        publisher: json_ld::NamedOrganization {
            kind: "Organization",
            name,
        },
        url: state.absolute(&urls::front(lang)),
    };
    vec![json_ld::script(&org), json_ld::script(&site)]
}

/// A BreadcrumbList from the edition's front page down: `(name, site path)` each; the
/// `<script>`'s text.
pub fn breadcrumbs(
    state: &AppState,
    catalog: &Catalog,
    lang: &str,
    trail: &[(&str, &str)],
) -> String {
    let home = urls::front(lang);
    let items = std::iter::once((catalog.settings.name.as_str(), home.as_str()))
        .chain(trail.iter().copied())
        .enumerate()
        .map(|(i, (name, path))| json_ld::ListItem {
            kind: "ListItem",
            item: state.absolute(path),
            name,
            position: i + 1,
        })
        .collect();
    json_ld::script(&json_ld::BreadcrumbList {
        context: CONTEXT,
        kind: "BreadcrumbList",
        items,
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
    let author = if facts.authors.is_empty() {
        vec![json_ld::Author::Organization(organization(state, catalog))]
    } else {
        facts
            .authors
            .iter()
            .map(|(name, path)| {
                json_ld::Author::Person(json_ld::Person {
                    kind: "Person",
                    name,
                    url: state.absolute(path),
                })
            })
            .collect()
    };
    let mut image = Vec::new();
    if let Some(c) = &a.cover {
        let caption = if c.caption.is_empty() {
            &c.alt
        } else {
            &c.caption
        };
        image.push(json_ld::ImageObject {
            kind: "ImageObject",
            caption,
            height: c.height,
            url: absolute(state, &c.url),
            width: c.width,
        });
        // Search engines ask for several shapes (16:9, 4:3, 1:1); a library cover has
        // them cut around its focal point.
        if let Some(crops) = &c.crops {
            for (url, width, height) in [(&crops.social, 1200, 630), (&crops.square, 1200, 1200)] {
                image.push(json_ld::ImageObject {
                    kind: "ImageObject",
                    caption,
                    height,
                    url: absolute(state, url),
                    width,
                });
            }
        }
    }
    let news = json_ld::NewsArticle {
        context: CONTEXT,
        // A live blog is a LiveBlogPosting (a kind of NewsArticle): its coverage times
        // and newest entries, each a BlogPosting at its own anchor.
        kind: if a.live.is_some() {
            "LiveBlogPosting"
        } else {
            "NewsArticle"
        },
        article_section: facts.section_name,
        author,
        // schema.org's `correction`: each public note as a CorrectionComment with its
        // date (updates and clarifications too: they are what readers were told
        // afterwards).
        correction: a
            .corrections
            .iter()
            .map(|c| json_ld::CorrectionComment {
                kind: "CorrectionComment",
                date_published: iso(c.at, catalog),
                text: &c.text,
            })
            .collect(),
        coverage_end_time: a
            .live
            .and_then(|live| live.until)
            .map(|until| iso(until, catalog)),
        coverage_start_time: a.live.map(|live| iso(live.since, catalog)),
        date_modified: &modified,
        date_published: &published,
        description: facts.description,
        headline,
        image,
        in_language: lang,
        keywords: &facts.tags,
        live_blog_update: a.live.map(|_| {
            facts
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
                    json_ld::BlogPosting {
                        kind: "BlogPosting",
                        article_body: text,
                        date_modified: iso(e.updated_at, catalog),
                        date_published: iso(e.created_at, catalog),
                        headline,
                        url: format!("{url}#entry-{}", e.id),
                    }
                })
                .collect()
        }),
        main_entity_of_page: json_ld::WebPage {
            id: &url,
            kind: "WebPage",
        },
        publisher: organization(state, catalog),
        url: &url,
    };
    let documents = vec![
        json_ld::script(&news),
        breadcrumbs(
            state,
            catalog,
            lang,
            &[
                (facts.section_name, facts.section_path),
                (&a.title, facts.path),
            ],
        ),
    ];
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
        json_ld: documents,
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

#[cfg(test)]
mod tests {
    use super::{AlternateLink, FeedLink, HeadView};
    use minijinja::{Environment, Value, context};

    fn hostile() -> HeadView {
        HeadView {
            alternates: vec![AlternateLink {
                hreflang: "en".into(),
                href: "https://example.org/en/a?b=1&c=\"2\"".into(),
            }],
            feeds: vec![FeedLink {
                mime: "application/rss+xml",
                title: "<Ledger> & 'Co' (RSS)".into(),
                href: "https://example.org/en/feed.rss".into(),
            }],
            og: vec![("og:title", "\"><script>alert(1)</script>".into())],
            twitter: vec![("twitter:title", "Tom & 'Jerry'".into())],
            json_ld: vec![r#"{"name":"\u003c/script\u003e"}"#.into()],
        }
    }

    /// The tags made in Rust escape every value as the template did, and a theme's own
    /// template can still write them from the lists.
    #[test]
    fn head_tags_escape_what_the_lists_hold_and_the_lists_stay_readable() {
        let head = Value::from_object(hostile());
        let mut env = Environment::new();
        env.add_template(
            "t.html",
            "{{ head.link_tags }}|{{ head.meta_tags }}|{% for m in head.og %}{{ m[0] }}={{ m[1] }}{% endfor %}|{{ head.feeds[0].type }}|{{ head.json_ld|length }}",
        )
        .unwrap();
        let out = env
            .get_template("t.html")
            .unwrap()
            .render(context! { head })
            .unwrap();
        assert_eq!(
            out,
            concat!(
                "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/a?b=1&amp;c=&quot;2&quot;\">\n",
                "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"&lt;Ledger&gt; &amp; &#39;Co&#39; (RSS)\" href=\"https://example.org/en/feed.rss\">|",
                "<meta property=\"og:title\" content=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">\n",
                "<meta name=\"twitter:title\" content=\"Tom &amp; &#39;Jerry&#39;\">\n",
                "<script type=\"application/ld+json\">{\"name\":\"\\u003c/script\\u003e\"}</script>|",
                // minijinja's own escaping here (the test's environment has no theme formatter).
                "og:title=&quot;&gt;&lt;script&gt;alert(1)&lt;&#x2f;script&gt;|application&#x2f;rss+xml|1"
            )
        );
    }
}
