//! RSS 2.0 and Atom 1.0 feeds of the whole site, an edition, a section, a tag and an
//! author. Both formats are written from one model, so they always agree.

use super::xml::{Xml, clean_line};
use super::{ATOM, RSS, SyndicationError, absolute, image_type, media_length};
use crate::cache::deps;
use crate::error::WebError;
use crate::site::respond::{Rendered, cached};
use crate::site::{urls, view};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use byline_content::{ArticleFilter, Catalog};
use byline_core::{Article, FeedContent};
use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
}

impl Format {
    /// The format a feed path asks for; routes only exist for these two endings.
    fn of(path: &str) -> Result<Self, SyndicationError> {
        if path.ends_with("/feed.rss") {
            Ok(Self::Rss)
        } else if path.ends_with("/feed.atom") {
            Ok(Self::Atom)
        } else {
            Err(SyndicationError::UnknownPath)
        }
    }
}

/// What one feed lists and how it presents itself.
struct Channel {
    title: String,
    description: String,
    /// The HTML page showing the same list.
    html_path: String,
    /// `None` for the whole-site feed, which mixes editions.
    lang: Option<String>,
    filter: ArticleFilter,
}

/// What a feed depends on: the list it mirrors (a newly published article may join it)
/// and the articles it shows (a correction or an unpublish changes it).
fn feed_deps(filter: &ArticleFilter, shown: &[Article]) -> Vec<String> {
    let mut out = Vec::with_capacity(shown.len() + 1);
    out.push(
        match (&filter.edition, filter.section, filter.tag, filter.author) {
            (Some(ed), Some(s), _, _) => deps::list("section", s.0, ed),
            (Some(ed), _, Some(t), _) => deps::list("tag", t.0, ed),
            (Some(ed), _, _, Some(a)) => deps::list("author", a.0, ed),
            (Some(ed), _, _, _) => deps::edition(ed),
            _ => deps::SITE.to_owned(),
        },
    );
    out.extend(shown.iter().map(|a| deps::shows(a.id.0)));
    out
}

/// Longest excerpt, in characters, when an article has no subtitle.
const EXCERPT_CHARS: usize = 300;

pub async fn site(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let s = &catalog.settings;
    let channel = Channel {
        title: s.name.clone(),
        description: or(s.tagline.get(s.default_edition()), &s.name),
        html_path: "/".into(),
        lang: None,
        filter: ArticleFilter::default(),
    };
    serve(&state, &headers, uri.path(), channel).await
}

pub async fn edition(
    State(state): State<AppState>,
    Path(ed): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let s = &catalog.settings;
    if !s.has_edition(&ed) {
        return Err(WebError::NotFound);
    }
    let channel = Channel {
        title: s.name.clone(),
        description: or(s.tagline.get(&ed), &s.name),
        html_path: urls::front(&ed),
        lang: Some(ed.clone()),
        filter: edition_filter(&ed),
    };
    serve(&state, &headers, uri.path(), channel).await
}

pub async fn section(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let section = catalog.section_by_slug(&slug);
    let (Some(section), true) = (section, catalog.settings.has_edition(&ed)) else {
        return Err(WebError::NotFound);
    };
    let title = titled(&catalog, section.name.get(&ed));
    let channel = Channel {
        description: or(section.description.get(&ed), &title),
        title,
        html_path: urls::section(&ed, &slug),
        lang: Some(ed.clone()),
        filter: ArticleFilter {
            section: Some(section.id),
            ..edition_filter(&ed)
        },
    };
    serve(&state, &headers, uri.path(), channel).await
}

pub async fn tag(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let tag = catalog.tag_by_slug(&slug);
    let (Some(tag), true) = (tag, catalog.settings.has_edition(&ed)) else {
        return Err(WebError::NotFound);
    };
    let heading = state.theme.t_args(
        &ed,
        "tag-title",
        &[("name", tag.name.get(&ed).to_owned().into())],
    );
    let channel = Channel {
        title: titled(&catalog, &heading),
        description: heading,
        html_path: urls::tag(&ed, &slug),
        lang: Some(ed.clone()),
        filter: ArticleFilter {
            tag: Some(tag.id),
            ..edition_filter(&ed)
        },
    };
    serve(&state, &headers, uri.path(), channel).await
}

pub async fn author(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let catalog = state.content.catalog();
    let author = catalog.author_by_slug(&slug);
    let (Some(author), true) = (author, catalog.settings.has_edition(&ed)) else {
        return Err(WebError::NotFound);
    };
    let title = titled(&catalog, author.name.get(&ed));
    let channel = Channel {
        description: or(author.bio.get(&ed), &title),
        title,
        html_path: urls::author(&ed, &slug),
        lang: Some(ed.clone()),
        filter: ArticleFilter {
            author: Some(author.id),
            ..edition_filter(&ed)
        },
    };
    serve(&state, &headers, uri.path(), channel).await
}

fn edition_filter(ed: &str) -> ArticleFilter {
    ArticleFilter {
        edition: Some(ed.to_owned()),
        ..Default::default()
    }
}

fn titled(catalog: &Catalog, heading: &str) -> String {
    format!("{heading} — {}", catalog.settings.name)
}

fn or(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback
    } else {
        text
    }
    .to_owned()
}

async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    channel: Channel,
) -> Result<Response, WebError> {
    let format = Format::of(path)?;
    let feed_path = path.to_owned();
    cached(state, headers, feed_path.clone(), || async move {
        let catalog = state.content.catalog();
        let limit = catalog.settings.feeds.items;
        let articles = state
            .content
            .recent_articles(&channel.filter, limit)
            .await?;
        let mut items = Vec::with_capacity(articles.len());
        for article in &articles {
            // An article whose section vanished has no URL; the site 404s it too.
            if let Some(item) = item(state, &catalog, article).await {
                items.push(item);
            }
        }
        let updated = items.iter().map(|i| i.updated).max();
        let feed = Feed {
            state,
            catalog: &catalog,
            channel: &channel,
            self_url: state.absolute(&feed_path),
            items,
            updated,
        };
        let (body, content_type) = match format {
            Format::Rss => (feed.rss()?, RSS),
            Format::Atom => (feed.atom()?, ATOM),
        };
        Ok(Rendered {
            body: body.into(),
            content_type,
            last_modified: updated,
            deps: feed_deps(&channel.filter, &articles),
        })
    })
    .await
}

/// One article as both formats need it.
struct Item {
    /// Stable for the article's life: built from its id and creation date only.
    id: String,
    title: String,
    url: String,
    summary: String,
    /// The whole body (links made absolute) when the outlet publishes full text.
    content_html: Option<String>,
    published: Timestamp,
    updated: Timestamp,
    /// `(name, absolute URL of the author page)`.
    authors: Vec<(String, String)>,
    /// Section first, then tags.
    categories: Vec<String>,
    cover: Option<Media>,
    lang: String,
}

struct Media {
    url: String,
    mime: &'static str,
    length: u64,
    width: u32,
    height: u32,
    alt: String,
    credit: String,
}

async fn item(state: &AppState, catalog: &Catalog, a: &Article) -> Option<Item> {
    let ed = &a.edition;
    let section = catalog.section(a.section)?;
    let published = a.published_at.unwrap_or(a.created_at);
    let cover = match &a.cover {
        Some(c) => Some(Media {
            url: absolute(state, &c.url),
            mime: image_type(&c.url),
            length: media_length(state, &c.url).await,
            width: c.width,
            height: c.height,
            alt: c.alt.clone(),
            credit: c.credit.clone(),
        }),
        None => None,
    };
    let content_html = if catalog.settings.feeds.content == FeedContent::FullText {
        let mut html = a.body_html.clone();
        if a.live.is_some() {
            html.push_str(&crate::live::feed_entries(state, a).await);
        }
        Some(absolute_links(&html, &state.config.site_url))
    } else {
        None
    };
    Some(Item {
        id: entry_id(&state.config.site_url, a),
        title: a.title.clone(),
        url: state.absolute(&urls::article(ed, section.slug.as_str(), a.slug.as_str())),
        summary: excerpt(a),
        content_html,
        published,
        updated: a.updated_at.filter(|u| *u > published).unwrap_or(published),
        authors: a
            .authors
            .iter()
            .filter_map(|id| catalog.author(*id))
            .map(|w| {
                (
                    w.name.get(ed).to_owned(),
                    state.absolute(&urls::author(ed, w.slug.as_str())),
                )
            })
            .collect(),
        categories: std::iter::once(section.name.get(ed).to_owned())
            .chain(
                a.tags
                    .iter()
                    .filter_map(|id| catalog.tag(*id))
                    .map(|t| t.name.get(ed).to_owned()),
            )
            .collect(),
        cover,
        lang: ed.clone(),
    })
}

/// A tag URI (RFC 4151): `tag:meridian.example,2026-06-09:article:42`. Built from the
/// article id and its creation date, so it survives edits to the title, slug, section
/// and publish time, and is the same in every feed the article appears in.
fn entry_id(site_url: &str, a: &Article) -> String {
    let host = site_url
        .split_once("://")
        .map_or(site_url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    // The tag authority is a DNS name: no port.
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = if host.is_empty() { "localhost" } else { host };
    let date = a.created_at.to_zoned(jiff::tz::TimeZone::UTC).date();
    format!("tag:{host},{date}:article:{}", a.id)
}

/// The subtitle, else the search description, else the body's first sentences.
fn excerpt(a: &Article) -> String {
    if !a.subtitle.trim().is_empty() {
        return a.subtitle.clone();
    }
    if let Some(d) = &a.seo.description {
        return d.clone();
    }
    let text = byline_render::plain_text(&a.body_markdown);
    let text = clean_line(&text);
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Root-relative `src`/`href` values made absolute: a feed is read far from the site,
/// and readers resolve relative links inconsistently. (Bodies are sanitized by ammonia,
/// which always writes double-quoted attributes.)
fn absolute_links(html: &str, base: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = rest.find("=\"/") {
        let (before, after) = rest.split_at(i + 2);
        out.push_str(before);
        let link = before.ends_with(" src=\"") || before.ends_with(" href=\"");
        if link && !after.starts_with("//") {
            out.push_str(base);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

struct Feed<'a> {
    state: &'a AppState,
    catalog: &'a Catalog,
    channel: &'a Channel,
    self_url: String,
    items: Vec<Item>,
    updated: Option<Timestamp>,
}

impl Feed<'_> {
    fn rfc3339(&self, t: Timestamp) -> String {
        view::iso(t, self.catalog)
    }

    /// RFC 822 (as updated by RFC 2822), in the site's zone with its offset.
    fn rfc822(&self, t: Timestamp) -> String {
        let zoned = t.to_zoned(self.catalog.timezone.clone());
        jiff::fmt::rfc2822::DateTimePrinter::new()
            .zoned_to_string(&zoned)
            .unwrap_or_else(|_| zoned.strftime("%a, %d %b %Y %H:%M:%S %z").to_string())
    }

    fn rss(&self) -> Result<String, SyndicationError> {
        let ch = self.channel;
        let mut x = Xml::new();
        x.open(
            "rss",
            &[
                ("version", "2.0"),
                ("xmlns:atom", "http://www.w3.org/2005/Atom"),
                ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:media", "http://search.yahoo.com/mrss/"),
            ],
        );
        x.open("channel", &[]);
        x.text("title", &[], &clean_line(&ch.title));
        x.text("link", &[], &self.state.absolute(&ch.html_path));
        x.text("description", &[], &ch.description);
        if let Some(lang) = &ch.lang {
            x.text("language", &[], lang);
        }
        if let Some(updated) = self.updated {
            x.text("lastBuildDate", &[], &self.rfc822(updated));
        }
        x.text("generator", &[], "Byline");
        x.empty(
            "atom:link",
            &[
                ("href", &self.self_url),
                ("rel", "self"),
                ("type", "application/rss+xml"),
            ],
        );
        if let Some(logo) = &self.catalog.settings.logo_url {
            x.open("image", &[]);
            x.text("url", &[], &absolute(self.state, logo));
            x.text("title", &[], &clean_line(&ch.title));
            x.text("link", &[], &self.state.absolute(&ch.html_path));
            x.close("image");
        }
        for item in &self.items {
            x.open("item", &[]);
            x.text("title", &[], &clean_line(&item.title));
            x.text("link", &[], &item.url);
            x.text("guid", &[("isPermaLink", "false")], &item.id);
            x.text("pubDate", &[], &self.rfc822(item.published));
            x.text("description", &[], &item.summary);
            if let Some(html) = &item.content_html {
                x.text("content:encoded", &[], html);
            }
            for (name, _) in &item.authors {
                x.text("dc:creator", &[], &clean_line(name));
            }
            for category in &item.categories {
                x.text("category", &[], &clean_line(category));
            }
            if let Some(m) = &item.cover {
                x.empty(
                    "enclosure",
                    &[
                        ("url", &m.url),
                        ("length", &m.length.to_string()),
                        ("type", m.mime),
                    ],
                );
                media_content(&mut x, m);
            }
            x.close("item");
        }
        x.close("channel");
        x.close("rss");
        Ok(x.finish()?)
    }

    fn atom(&self) -> Result<String, SyndicationError> {
        let ch = self.channel;
        let settings = &self.catalog.settings;
        let mut x = Xml::new();
        let mut root = vec![
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xmlns:media", "http://search.yahoo.com/mrss/"),
        ];
        if let Some(lang) = &ch.lang {
            root.push(("xml:lang", lang));
        }
        x.open("feed", &root);
        x.text("id", &[], &self.self_url);
        x.text("title", &[("type", "text")], &clean_line(&ch.title));
        x.text("subtitle", &[("type", "text")], &ch.description);
        // An empty feed still needs <updated>; "now" is honest for a list with nothing in it.
        let updated = self
            .updated
            .unwrap_or_else(|| self.state.content.clock().now());
        x.text("updated", &[], &self.rfc3339(updated));
        x.empty(
            "link",
            &[
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", &self.state.absolute(&ch.html_path)),
            ],
        );
        x.empty(
            "link",
            &[
                ("rel", "self"),
                ("type", "application/atom+xml"),
                ("href", &self.self_url),
            ],
        );
        // Entries without a byline need a feed-level author (RFC 4287 §4.1.1).
        x.open("author", &[]);
        x.text("name", &[], &clean_line(&settings.name));
        x.text("uri", &[], &self.state.absolute("/"));
        x.close("author");
        x.text("generator", &[], "Byline");
        if let Some(logo) = &settings.logo_url {
            x.text("logo", &[], &absolute(self.state, logo));
        }
        for item in &self.items {
            x.open("entry", &[("xml:lang", &item.lang)]);
            x.text("id", &[], &item.id);
            x.text("title", &[("type", "text")], &clean_line(&item.title));
            x.empty(
                "link",
                &[
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", &item.url),
                ],
            );
            x.text("published", &[], &self.rfc3339(item.published));
            x.text("updated", &[], &self.rfc3339(item.updated));
            for (name, uri) in &item.authors {
                x.open("author", &[]);
                x.text("name", &[], &clean_line(name));
                x.text("uri", &[], uri);
                x.close("author");
            }
            for category in &item.categories {
                let term = clean_line(category);
                x.empty("category", &[("term", &term), ("label", &term)]);
            }
            x.text("summary", &[("type", "text")], &item.summary);
            if let Some(html) = &item.content_html {
                x.text("content", &[("type", "html")], html);
            }
            if let Some(m) = &item.cover {
                x.empty(
                    "link",
                    &[
                        ("rel", "enclosure"),
                        ("type", m.mime),
                        ("length", &m.length.to_string()),
                        ("href", &m.url),
                    ],
                );
                media_content(&mut x, m);
            }
            x.close("entry");
        }
        x.close("feed");
        Ok(x.finish()?)
    }
}

/// Media RSS: the cover with its size, alt text and credit (what aggregators show).
fn media_content(x: &mut Xml, m: &Media) {
    x.open(
        "media:content",
        &[
            ("url", &m.url),
            ("type", m.mime),
            ("medium", "image"),
            ("width", &m.width.to_string()),
            ("height", &m.height.to_string()),
        ],
    );
    if !m.alt.trim().is_empty() {
        x.text("media:description", &[("type", "plain")], &m.alt);
    }
    if !m.credit.trim().is_empty() {
        x.text("media:credit", &[], &clean_line(&m.credit));
    }
    x.close("media:content");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_links_become_absolute() {
        let html = r#"<p><a href="/en/news/x">x</a> <img src="/media/a.png" alt="a"> <a href="//cdn.example/y">y</a> <a href="https://other.example/">o</a> data-x="/keep"</p>"#;
        assert_eq!(
            absolute_links(html, "https://site.example"),
            r#"<p><a href="https://site.example/en/news/x">x</a> <img src="https://site.example/media/a.png" alt="a"> <a href="//cdn.example/y">y</a> <a href="https://other.example/">o</a> data-x="/keep"</p>"#
        );
    }

    #[test]
    fn formats_come_from_the_path() {
        assert_eq!(Format::of("/en/feed.rss").unwrap(), Format::Rss);
        assert_eq!(Format::of("/feed.atom").unwrap(), Format::Atom);
        assert!(Format::of("/en/feed.json").is_err());
    }
}
