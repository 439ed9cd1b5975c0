//! The search page's and the search API's query parameters, read once for both.
//!
//! `q` is cleaned (control characters dropped, whitespace collapsed, length capped), a
//! filter naming something that does not exist or a malformed date is a 400 with a
//! message that says what to fix, and `page` follows the site's rule.

use super::page_param;
use super::urls;
use crate::error::WebError;
use byline_content::{Catalog, SearchQuery, SortOrder};
use byline_core::{Author, PageNumber, Section, Tag};
use jiff::civil::Date;
use std::collections::HashMap;

/// Longest search query we look at; longer input is cut at a character boundary.
const MAX_QUERY_CHARS: usize = byline_core::limits::MAX_SEARCH_QUERY_CHARS;

/// The search query from `q`: control characters dropped, whitespace collapsed, length capped.
pub(crate) fn clean_query(raw: Option<&String>) -> String {
    let cleaned: String = raw
        .map(|s| {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        })
        .unwrap_or_default();
    cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect()
}

#[derive(Debug, Clone)]
pub struct SearchParams {
    pub q: String,
    pub section: Option<Section>,
    pub author: Option<Author>,
    pub tag: Option<Tag>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub order: SortOrder,
    pub page: PageNumber,
    /// The page searches every edition (`in=all`), not only its own.
    pub all_editions: bool,
}

fn bad(key: &'static str, detail: String) -> WebError {
    WebError::BadInput { key, detail }
}

fn date(query: &HashMap<String, String>, name: &str) -> Result<Option<Date>, WebError> {
    match query.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => raw.parse::<Date>().map(Some).map_err(|_| {
            bad(
                "search-bad-date",
                format!(
                    "{name} must be a date like 2024-03-01, not {:?}",
                    raw.chars().take(40).collect::<String>()
                ),
            )
        }),
    }
}

fn named<'a, T>(
    query: &HashMap<String, String>,
    name: &'static str,
    find: impl Fn(&str) -> Option<&'a T>,
) -> Result<Option<T>, WebError>
where
    T: Clone + 'a,
{
    match query.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(slug) => find(slug).cloned().map(Some).ok_or_else(|| {
            bad(
                "search-bad-filter",
                format!(
                    "there is no {name} {:?}",
                    slug.chars().take(60).collect::<String>()
                ),
            )
        }),
    }
}

impl SearchParams {
    pub fn parse(query: &HashMap<String, String>, catalog: &Catalog) -> Result<Self, WebError> {
        let from = date(query, "from")?;
        let to = date(query, "to")?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(bad(
                "search-bad-date",
                "from must not be after to".to_owned(),
            ));
        }
        let order = match query.get("sort").map(String::as_str) {
            None | Some("") | Some("relevance") => SortOrder::Relevance,
            Some("newest") => SortOrder::Newest,
            Some(other) => {
                return Err(bad(
                    "search-bad-filter",
                    format!(
                        "sort must be relevance or newest, not {:?}",
                        other.chars().take(40).collect::<String>()
                    ),
                ));
            }
        };
        Ok(Self {
            q: clean_query(query.get("q")),
            section: named(query, "section", |s| catalog.section_by_slug(s))?,
            author: named(query, "author", |s| catalog.author_by_slug(s))?,
            tag: named(query, "tag", |s| catalog.tag_by_slug(s))?,
            from,
            to,
            order,
            page: page_param(query)?,
            all_editions: query.get("in").is_some_and(|v| v == "all"),
        })
    }

    /// The content service's query, in `edition` (`None`: all editions).
    pub fn to_query(&self, edition: Option<&str>, catalog: &Catalog) -> SearchQuery {
        let tz = &catalog.timezone;
        let start = |d: Date| d.to_zoned(tz.clone()).ok().map(|z| z.timestamp());
        SearchQuery {
            text: self.q.clone(),
            edition: edition.map(str::to_owned),
            section: self.section.as_ref().map(|s| s.id),
            author: self.author.as_ref().map(|a| a.id),
            tag: self.tag.as_ref().map(|t| t.id),
            from: self.from.and_then(start),
            // Inclusive: up to the start of the next day.
            until: self.to.and_then(|d| d.tomorrow().ok()).and_then(start),
            order: self.order,
            page: Some(self.page),
            per_page: None,
        }
    }

    /// The query string for these parameters with some changed (`None` removes one),
    /// without `page`. Starts with `?`.
    pub fn query_string(&self, changes: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut put = |k: &'static str, v: Option<String>| {
            let v = changes
                .iter()
                .find(|(name, _)| *name == k)
                .map_or(v, |(_, changed)| changed.map(str::to_owned));
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k, v));
            }
        };
        put("q", Some(self.q.clone()));
        put(
            "section",
            self.section.as_ref().map(|s| s.slug.as_str().to_owned()),
        );
        put(
            "author",
            self.author.as_ref().map(|a| a.slug.as_str().to_owned()),
        );
        put("tag", self.tag.as_ref().map(|t| t.slug.as_str().to_owned()));
        put("from", self.from.map(|d| d.to_string()));
        put("to", self.to.map(|d| d.to_string()));
        put(
            "sort",
            (self.order == SortOrder::Newest).then(|| "newest".to_owned()),
        );
        put("in", self.all_editions.then(|| "all".to_owned()));
        let joined: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urls::q(v)))
            .collect();
        format!("?{}", joined.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_queries() {
        assert_eq!(clean_query(Some(&"  a\u{0}b \n c ".to_owned())), "a b c");
        assert_eq!(
            clean_query(Some(&"x".repeat(10_000))).len(),
            MAX_QUERY_CHARS
        );
        assert_eq!(clean_query(None), "");
    }
}
