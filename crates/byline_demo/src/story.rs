//! Parsing one story file: TOML front matter between `+++` lines, then Markdown.

use anyhow::{Context, Result, bail};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub section: String,
    pub slug: String,
    pub title: String,
    pub subtitle: String,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    #[serde(deserialize_with = "timestamp")]
    pub published: jiff::Timestamp,
    #[serde(default)]
    pub featured: bool,
    pub cover_alt: String,
    pub cover_caption: String,
    pub cover_credit: String,
    /// What search engines show instead of the title / subtitle.
    #[serde(default)]
    pub seo_title: Option<String>,
    #[serde(default)]
    pub seo_description: Option<String>,
    /// Public correction notes added after publication (`[[corrections]]` tables).
    #[serde(default)]
    pub corrections: Vec<NoteMeta>,
    /// Entries of a live blog (`[live]` with `[[live.entries]]`).
    #[serde(default)]
    pub live: Option<LiveMeta>,
}

/// A demo story that was covered live.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveMeta {
    /// When the live coverage ended (still live without it).
    #[serde(default, deserialize_with = "optional_timestamp")]
    pub ended: Option<jiff::Timestamp>,
    pub entries: Vec<EntryMeta>,
}

/// One entry of a demo live blog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryMeta {
    #[serde(deserialize_with = "timestamp")]
    pub at: jiff::Timestamp,
    #[serde(default)]
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub key_event: bool,
    #[serde(default)]
    pub pinned: bool,
}

fn optional_timestamp<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<jiff::Timestamp>, D::Error> {
    timestamp(d).map(Some)
}

/// A public note on a demo story: correction, update or clarification.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteMeta {
    pub kind: byline_core::CorrectionKind,
    pub text: String,
    #[serde(deserialize_with = "timestamp")]
    pub at: jiff::Timestamp,
}

pub struct Story {
    pub meta: Meta,
    pub body: String,
}

pub(crate) fn timestamp<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<jiff::Timestamp, D::Error> {
    let raw = String::deserialize(d)?;
    raw.parse::<jiff::Timestamp>()
        .map_err(serde::de::Error::custom)
}

pub fn parse(text: &str) -> Result<Story> {
    let (meta, body) = front_matter(text)?;
    Ok(Story { meta, body })
}

/// TOML front matter between `+++` lines, then the Markdown body (stories and pages).
pub fn front_matter<T: serde::de::DeserializeOwned>(text: &str) -> Result<(T, String)> {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text.strip_prefix("+++") else {
        bail!("front matter must start with +++")
    };
    let Some((front, body)) = rest.split_once("\n+++") else {
        bail!("front matter is not closed by +++")
    };
    let meta: T = toml::from_str(front).context("front matter")?;
    Ok((meta, body.trim_start_matches(['\r', '\n']).to_owned()))
}

/// Replaces `](figure:NAME` links with generated chart images, calling `make(name, n)`
/// to write each picture and return its URL.
pub fn place_figures<E: std::error::Error + Send + Sync + 'static>(
    body: &str,
    story: &str,
    mut make: impl FnMut(&str, u64) -> Result<String, E>,
) -> Result<String> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut n = 0;
    while let Some(at) = rest.find("](figure:") {
        out.push_str(&rest[..at + 2]);
        let after = &rest[at + "](figure:".len()..];
        let end = after.find([' ', ')']).unwrap_or(after.len());
        let name = format!("{story}-{}", &after[..end]);
        n += 1;
        let url = make(&name, n).with_context(|| format!("figure {name}"))?;
        out.push_str(&url);
        rest = &after[end..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_body() {
        let s = parse("+++\nsection = \"news\"\nslug = \"a\"\ntitle = \"T\"\nsubtitle = \"S\"\nauthors = []\ntags = []\npublished = \"2026-11-20T09:40:00+04:00\"\ncover_alt = \"\"\ncover_caption = \"\"\ncover_credit = \"\"\n+++\nBody\n").unwrap();
        assert_eq!(s.meta.slug, "a");
        assert_eq!(s.meta.published.to_string(), "2026-11-20T05:40:00Z");
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn replaces_figures() {
        let out = place_figures::<std::io::Error>("x ![a](figure:prices \"c\") y", "s1", |n, _| {
            Ok(format!("/m/{n}.png"))
        })
        .unwrap();
        assert_eq!(out, "x ![a](/m/s1-prices.png \"c\") y");
    }
}
