//! The reader site's URL scheme, in one place. The edition is always the first segment.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

pub fn front(ed: &str) -> String {
    format!("/{ed}/")
}

pub fn section(ed: &str, section: &str) -> String {
    format!("/{ed}/{section}")
}

pub fn article(ed: &str, section: &str, slug: &str) -> String {
    format!("/{ed}/{section}/{slug}")
}

pub fn tag(ed: &str, slug: &str) -> String {
    format!("/{ed}/tag/{slug}")
}

pub fn author(ed: &str, slug: &str) -> String {
    format!("/{ed}/author/{slug}")
}

/// A static page (About, Contacts, …).
pub fn static_page(ed: &str, slug: &str) -> String {
    format!("/{ed}/page/{slug}")
}

pub fn search(ed: &str) -> String {
    format!("/{ed}/search")
}

/// The feed of the list at `list_path` (`/` for the whole site, `/en/` for an edition,
/// `/en/analytics` for a section, …) in `format` (`rss` or `atom`).
pub fn feed(list_path: &str, format: &str) -> String {
    format!("{}/feed.{format}", list_path.trim_end_matches('/'))
}

pub const SITEMAP_INDEX: &str = "/sitemap.xml";
pub const NEWS_SITEMAP: &str = "/sitemap/news.xml";

/// An edition's sub-sitemap, e.g. `/sitemap/en/2026-06.xml` or `/sitemap/en/pages.xml`.
pub fn sitemap(ed: &str, name: &str) -> String {
    format!("/sitemap/{ed}/{name}.xml")
}

pub fn beacon(id: i64) -> String {
    format!("/api/v1/views/{id}")
}

/// Percent-encodes a query value.
pub fn q(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

/// Appends `page=N` to a URL that may already have a query.
pub fn with_page(base: &str, page: u32) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}page={page}")
}

/// The page-cache key of page `page` of the list at `base`: page 1 is the bare URL,
/// so `/en/news` and `/en/news?page=1` share one cached page.
pub fn page_key(base: &str, page: u32) -> String {
    if page <= 1 {
        base.to_owned()
    } else {
        with_page(base, page)
    }
}
