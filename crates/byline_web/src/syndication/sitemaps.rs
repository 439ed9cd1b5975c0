//! Sitemaps (sitemaps.org 0.9): an index, one sub-sitemap per edition and month (split
//! further past 50,000 URLs), one per edition for its list pages, and the Google News
//! sitemap of the last 48 hours. Articles carry hreflang alternates (`xhtml:link`).

use super::xml::{Xml, clean_line};
use super::{SyndicationError, XML};
use crate::cache::deps;
use crate::error::WebError;
use crate::site::head::{self, Alternate};
use crate::site::respond::{Rendered, cached};
use crate::site::{urls, view};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use byline_content::{ArticleFilter, Catalog, SitemapFilter};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NS_XHTML: &str = "http://www.w3.org/1999/xhtml";
const NS_NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// sitemaps.org: at most 50,000 URLs in a sitemap and 50,000 sitemaps in an index.
pub const MAX_URLS: u32 = 50_000;
/// Google News: at most 1,000 articles, from the last two days.
const NEWS_MAX: u32 = 1_000;
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
/// The news sitemap depends on the clock, so its cache entry lasts at most this long.
const NEWS_CACHE_SECONDS: i64 = 600;

pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    // Whether the news sitemap has anything changes with the clock as articles age out
    // of its window, so the index is also kept no longer than the news sitemap is.
    let now = state.content.clock().now();
    // A key no request names (a request target has no space): the front door answers
    // cached pages by their address, and this one is cached per time window.
    let key = format!(
        "{} @{}",
        urls::SITEMAP_INDEX,
        now.as_second().div_euclid(NEWS_CACHE_SECONDS)
    );
    cached(&state, &headers, key, || async {
        let catalog = state.content.catalog();
        let months = state.content.sitemap_months().await?;
        let any_news = !state
            .content
            .sitemap_entries(&news_window(now), 0, 1)
            .await?
            .is_empty();
        let mut x = Xml::new();
        x.open("sitemapindex", &[("xmlns", NS)]);
        let mut newest: Option<Timestamp> = None;
        let mut written = 0usize;
        let mut entry = |x: &mut Xml, path: &str, lastmod: Option<Timestamp>| {
            if written < MAX_URLS as usize {
                written += 1;
                x.open("sitemap", &[]);
                x.text("loc", &[], &state.absolute(path));
                if let Some(t) = lastmod {
                    x.text("lastmod", &[], &view::iso(t, &catalog));
                }
                x.close("sitemap");
            }
        };
        // Listed while it has articles: an empty `urlset` is not a valid sitemap (the
        // schema wants at least one URL). Its lastmod moves with the clock (articles
        // age out), so none is claimed.
        if any_news {
            entry(&mut x, urls::NEWS_SITEMAP, None);
        }
        for edition in &catalog.settings.editions {
            let own: Vec<_> = months
                .iter()
                .filter(|m| m.edition == edition.code)
                .collect();
            let edition_newest = own.iter().map(|m| m.lastmod).max();
            // The pages sitemap also lists the edition's static pages.
            let pages_newest = edition_newest.max(
                catalog
                    .edition_pages(&edition.code)
                    .map(|p| p.updated_at)
                    .max(),
            );
            newest = newest.max(pages_newest);
            entry(&mut x, &urls::sitemap(&edition.code, "pages"), pages_newest);
            for m in own {
                for chunk in 1..=m.count.div_ceil(u64::from(MAX_URLS)) {
                    let name = month_name(m.year, m.month, chunk);
                    entry(
                        &mut x,
                        &urls::sitemap(&edition.code, &name),
                        Some(m.lastmod),
                    );
                }
            }
        }
        if written >= MAX_URLS as usize {
            tracing::warn!("the sitemap index is full; the oldest months are left out");
        }
        x.close("sitemapindex");
        Ok(Rendered {
            body: x.finish().map_err(SyndicationError::from)?.into(),
            content_type: XML,
            last_modified: newest,
            deps: vec![deps::SITE.to_owned()],
        })
    })
    .await
}

/// `2026-06` for the first 50,000 articles of a month, `2026-06-2` for the next, ….
fn month_name(year: i16, month: i8, chunk: u64) -> String {
    if chunk <= 1 {
        format!("{year:04}-{month:02}")
    } else {
        format!("{year:04}-{month:02}-{chunk}")
    }
}

/// The inverse of [`month_name`]; only the canonical spelling parses (no `-1`, no
/// leading zeros), so each sub-sitemap has exactly one URL.
fn parse_month(name: &str) -> Option<(i16, i8, u64)> {
    let mut parts = name.split('-');
    let (year, month) = (parts.next()?, parts.next()?);
    let chunk = match parts.next() {
        None => 1,
        Some(c) => {
            let n: u64 = c.parse().ok()?;
            if n < 2 || n.to_string() != c {
                return None;
            }
            n
        }
    };
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) {
        return None;
    }
    let (year, month): (i16, i8) = (year.parse().ok()?, month.parse().ok()?);
    Date::new(year, month, 1).ok()?;
    Some((year, month, chunk))
}

/// `/sitemap/{ed}/pages.xml` and `/sitemap/{ed}/{YYYY-MM[-N]}.xml`.
pub async fn edition_file(
    State(state): State<AppState>,
    Path((ed, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if !state.content.catalog().settings.has_edition(&ed) {
        return Err(WebError::NotFound);
    }
    let name = file
        .strip_suffix(".xml")
        .ok_or(SyndicationError::UnknownPath)?;
    if name == "pages" {
        return pages(&state, &headers, &ed).await;
    }
    let (year, month, chunk) = parse_month(name).ok_or(SyndicationError::UnknownPath)?;
    let key = urls::sitemap(&ed, name);
    cached(&state, &headers, key, || async {
        let catalog = state.content.catalog();
        let from = month_start(year, month)?;
        let until = if month == 12 {
            month_start(year.saturating_add(1), 1)?
        } else {
            month_start(year, month + 1)?
        };
        let filter = SitemapFilter {
            edition: Some(ed.clone()),
            from,
            until,
        };
        let offset = (chunk - 1) * u64::from(MAX_URLS);
        let entries = state
            .content
            .sitemap_entries(&filter, offset, MAX_URLS)
            .await?;
        if entries.is_empty() {
            // Not in the index: a month (or chunk) with nothing published is no sitemap.
            return Err(SyndicationError::UnknownPath.into());
        }
        let mut x = Xml::new();
        x.open("urlset", &[("xmlns", NS), ("xmlns:xhtml", NS_XHTML)]);
        let mut newest: Option<Timestamp> = None;
        for e in &entries {
            let Some(section) = catalog.section(e.section) else {
                continue;
            };
            let lastmod = e
                .updated_at
                .map_or(e.published_at, |u| u.max(e.published_at));
            newest = newest.max(Some(lastmod));
            let path = urls::article(&e.edition, section.slug.as_str(), &e.slug);
            let alternates = head::story_alternates(&catalog, &e.translations);
            url(&mut x, &state, &catalog, &path, Some(lastmod), &alternates);
        }
        x.close("urlset");
        Ok(Rendered {
            body: x.finish().map_err(SyndicationError::from)?.into(),
            content_type: XML,
            last_modified: newest,
            deps: vec![deps::edition(&ed)],
        })
    })
    .await
}

fn month_start(year: i16, month: i8) -> Result<Timestamp, SyndicationError> {
    Date::new(year, month, 1)
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC))
        .map(|z| z.timestamp())
        .map_err(|_| SyndicationError::UnknownPath)
}

/// One `<url>` with its `lastmod` and hreflang alternates.
fn url(
    x: &mut Xml,
    state: &AppState,
    catalog: &Catalog,
    path: &str,
    lastmod: Option<Timestamp>,
    alternates: &[Alternate],
) {
    x.open("url", &[]);
    x.text("loc", &[], &state.absolute(path));
    if let Some(t) = lastmod {
        x.text("lastmod", &[], &view::iso(t, catalog));
    }
    for a in alternates {
        x.empty(
            "xhtml:link",
            &[
                ("rel", "alternate"),
                ("hreflang", &a.hreflang),
                ("href", &state.absolute(&a.path)),
            ],
        );
    }
    x.close("url");
}

/// The edition's list pages: front page, sections, and the tags and authors that have
/// articles in it; then its published static pages. `lastmod` is the newest change
/// among what the page's first screen shows (a static page's: its last save).
async fn pages(state: &AppState, headers: &HeaderMap, ed: &str) -> Result<Response, WebError> {
    let key = urls::sitemap(ed, "pages");
    cached(state, headers, key, || async {
        let catalog = state.content.catalog();
        let settings = &catalog.settings;
        let per_page = state.content.options().per_page;
        let edition = ArticleFilter {
            edition: Some(ed.to_owned()),
            ..Default::default()
        };
        let newest = |filter: ArticleFilter| async move {
            let articles = state.content.recent_articles(&filter, per_page).await?;
            Ok::<_, WebError>(
                articles
                    .iter()
                    .filter_map(|a| {
                        let p = a.published_at?;
                        Some(a.updated_at.map_or(p, |u| u.max(p)))
                    })
                    .max(),
            )
        };
        let mut x = Xml::new();
        x.open("urlset", &[("xmlns", NS), ("xmlns:xhtml", NS_XHTML)]);
        let front = newest(edition.clone()).await?;
        let alternates = head::list_alternates(settings, None, urls::front, Some("/".into()));
        url(
            &mut x,
            state,
            &catalog,
            &urls::front(ed),
            front,
            &alternates,
        );
        let mut last = front;
        for s in &catalog.sections {
            let slug = s.slug.as_str();
            let filter = ArticleFilter {
                section: Some(s.id),
                ..edition.clone()
            };
            let lastmod = newest(filter).await?;
            let alternates =
                head::list_alternates(settings, None, |e| urls::section(e, slug), None);
            url(
                &mut x,
                state,
                &catalog,
                &urls::section(ed, slug),
                lastmod,
                &alternates,
            );
            last = last.max(lastmod);
        }
        for t in &catalog.tags {
            let slug = t.slug.as_str();
            let filter = ArticleFilter {
                tag: Some(t.id),
                ..edition.clone()
            };
            // A tag with nothing in this edition is a thin page: not worth a crawl.
            if let Some(lastmod) = newest(filter.clone()).await? {
                let present = head::editions_having(state, &filter).await?;
                let alternates =
                    head::list_alternates(settings, Some(&present), |e| urls::tag(e, slug), None);
                url(
                    &mut x,
                    state,
                    &catalog,
                    &urls::tag(ed, slug),
                    Some(lastmod),
                    &alternates,
                );
            }
        }
        for w in &catalog.authors {
            let slug = w.slug.as_str();
            let filter = ArticleFilter {
                author: Some(w.id),
                ..edition.clone()
            };
            if let Some(lastmod) = newest(filter.clone()).await? {
                let present = head::editions_having(state, &filter).await?;
                let alternates = head::list_alternates(
                    settings,
                    Some(&present),
                    |e| urls::author(e, slug),
                    None,
                );
                url(
                    &mut x,
                    state,
                    &catalog,
                    &urls::author(ed, slug),
                    Some(lastmod),
                    &alternates,
                );
            }
        }
        // The outlet's own pages (About, Contacts, …): each in its one edition.
        for p in catalog.edition_pages(ed) {
            let path = urls::static_page(ed, p.slug.as_str());
            url(&mut x, state, &catalog, &path, Some(p.updated_at), &[]);
            last = last.max(Some(p.updated_at));
        }
        x.close("urlset");
        Ok(Rendered {
            body: x.finish().map_err(SyndicationError::from)?.into(),
            content_type: XML,
            last_modified: last,
            deps: vec![deps::edition(ed)],
        })
    })
    .await
}

/// The Google News sitemap: every edition's articles of the last 48 hours, newest first.
pub async fn news(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    let now = state.content.clock().now();
    // Per time window, under a key no request names (see `index`).
    let key = format!(
        "{} @{}",
        urls::NEWS_SITEMAP,
        now.as_second().div_euclid(NEWS_CACHE_SECONDS)
    );
    cached(&state, &headers, key, || async {
        let catalog = state.content.catalog();
        let entries = state
            .content
            .sitemap_entries(&news_window(now), 0, NEWS_MAX)
            .await?;
        let mut x = Xml::new();
        x.open("urlset", &[("xmlns", NS), ("xmlns:news", NS_NEWS)]);
        let mut newest: Option<Timestamp> = None;
        for e in &entries {
            let Some(section) = catalog.section(e.section) else {
                continue;
            };
            newest = newest.max(Some(
                e.updated_at
                    .map_or(e.published_at, |u| u.max(e.published_at)),
            ));
            x.open("url", &[]);
            x.text(
                "loc",
                &[],
                &state.absolute(&urls::article(&e.edition, section.slug.as_str(), &e.slug)),
            );
            x.open("news:news", &[]);
            x.open("news:publication", &[]);
            x.text("news:name", &[], &clean_line(&catalog.settings.name));
            x.text("news:language", &[], &news_language(&e.edition));
            x.close("news:publication");
            x.text(
                "news:publication_date",
                &[],
                &view::iso(e.published_at, &catalog),
            );
            x.text("news:title", &[], &clean_line(&e.title));
            x.close("news:news");
            x.close("url");
        }
        x.close("urlset");
        Ok(Rendered {
            body: x.finish().map_err(SyndicationError::from)?.into(),
            content_type: XML,
            last_modified: newest,
            deps: vec![deps::SITE.to_owned()],
        })
    })
    .await
}

/// Google News wants an ISO 639 code (`en`, `hy`), except `zh-cn` / `zh-tw`.
/// What the news sitemap lists at `now`: every edition's articles of the last 48 hours.
fn news_window(now: Timestamp) -> SitemapFilter {
    SitemapFilter {
        edition: None,
        from: now.checked_sub(NEWS_WINDOW).unwrap_or(Timestamp::MIN),
        // Inclusive of this very second.
        until: now.checked_add(SignedDuration::from_secs(1)).unwrap_or(now),
    }
}

fn news_language(edition: &str) -> String {
    let code = edition.to_ascii_lowercase().replace('_', "-");
    let primary = code.split('-').next().unwrap_or("").to_owned();
    if primary == "zh" {
        let traditional = ["tw", "hk", "mo", "hant"]
            .iter()
            .any(|t| code.split('-').any(|s| s == *t));
        return if traditional { "zh-tw" } else { "zh-cn" }.into();
    }
    primary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_round_trip_and_only_the_canonical_spelling_parses() {
        assert_eq!(month_name(2026, 6, 1), "2026-06");
        assert_eq!(month_name(2026, 6, 3), "2026-06-3");
        assert_eq!(parse_month("2026-06"), Some((2026, 6, 1)));
        assert_eq!(parse_month("2026-06-3"), Some((2026, 6, 3)));
        for bad in [
            "2026-6",
            "2026-13",
            "2026-00",
            "2026-06-1",
            "2026-06-02",
            "2026-06-x",
            "26-06",
            "2026-06-2-2",
            "",
            "pages2",
            "２０２６-06",
            "2026-06-99999999999999999999",
        ] {
            assert_eq!(parse_month(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn news_languages() {
        assert_eq!(news_language("en"), "en");
        assert_eq!(news_language("hy"), "hy");
        assert_eq!(news_language("pt-BR"), "pt");
        assert_eq!(news_language("zh-Hant-TW"), "zh-tw");
        assert_eq!(news_language("zh"), "zh-cn");
    }
}
