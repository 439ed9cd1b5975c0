//! Ghost: a JSON export of Ghost 4–6, read twice as a stream. [`scan`] reads the
//! tags, users and the posts' relations; [`Catalog::documents`] then converts posts
//! and pages one at a time (from `html`, or from `lexical`/`mobiledoc` without it).
//!
//! A Ghost export lists no uploads: pictures are met as bodies are converted. Each
//! `/content/images/…` address (resized copies too) reaches the resolver as
//! [`Target::File`] with its path under `content/images`, so the integration can take
//! the file from the media directory then; covers keep their root-relative URL.
//! The export does not hold the site's address either: give it as
//! [`Options::site_url`] for absolute links to be recognized (`__GHOST_URL__` links,
//! what Ghost 4+ writes, always are).

mod documents;
mod lexical;
mod mobiledoc;
mod stream;

use crate::error::ImportError;
use crate::links::LinkMap;
use crate::model::{Author, DocumentKind, Options, Target, Term, slugify};
use crate::report::{Counted, Report};
use jiff::Timestamp;
use serde::de::DeserializeSeed;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead};
use stream::{Root, Tables};

/// Ghost writes its own address in exports as this placeholder (Ghost 4+).
pub(super) const GHOST_URL: &str = "__GHOST_URL__";

pub(super) fn str_of<'a>(row: &'a Value, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Ids are strings in Ghost 1+; numbers in very old exports.
pub(super) fn id_of(row: &Value, key: &str) -> String {
    match row.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

pub(super) fn time_of(row: &Value, key: &str) -> Option<Timestamp> {
    let s = str_of(row, key);
    s.parse::<Timestamp>().ok().or_else(|| {
        s.replace(' ', "T")
            .parse::<jiff::civil::DateTime>()
            .ok()?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })
}

/// Per post: its SEO and cover fields from `posts_meta` (Ghost 4+).
#[derive(Debug, Clone, Default)]
pub(super) struct Meta {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) image_alt: String,
    pub(super) image_caption: String,
}

/// Pass 1's collector.
#[derive(Default)]
pub(super) struct Shape {
    pub(super) tags: HashMap<String, (Term, bool)>,
    pub(super) users: HashMap<String, Author>,
    pub(super) post_tags: HashMap<String, Vec<(i64, String)>>,
    pub(super) post_authors: HashMap<String, Vec<(i64, String)>>,
    pub(super) meta: HashMap<String, Meta>,
    pub(super) posts: Vec<(String, String, DocumentKind, String)>,
}

impl Tables for Shape {
    fn wants(&self, table: &str) -> bool {
        matches!(
            table,
            "posts" | "tags" | "users" | "posts_tags" | "posts_authors" | "posts_meta"
        )
    }

    fn row(&mut self, table: &str, row: Value) {
        let order = row.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
        match table {
            "tags" => {
                let name = str_of(&row, "name");
                let internal = str_of(&row, "visibility") == "internal" || name.starts_with('#');
                let term = Term {
                    source_id: id_of(&row, "id"),
                    slug: slugify(str_of(&row, "slug")),
                    name: name.to_owned(),
                    description: str_of(&row, "description").to_owned(),
                };
                self.tags.insert(term.source_id.clone(), (term, internal));
            }
            "users" => {
                let author = Author {
                    source_id: id_of(&row, "id"),
                    slug: slugify(str_of(&row, "slug")),
                    name: str_of(&row, "name").to_owned(),
                    email: Some(str_of(&row, "email").to_owned()).filter(|e| !e.is_empty()),
                    bio: str_of(&row, "bio").to_owned(),
                };
                self.users.insert(author.source_id.clone(), author);
            }
            "posts_tags" => self
                .post_tags
                .entry(id_of(&row, "post_id"))
                .or_default()
                .push((order, id_of(&row, "tag_id"))),
            "posts_authors" => self
                .post_authors
                .entry(id_of(&row, "post_id"))
                .or_default()
                .push((order, id_of(&row, "author_id"))),
            "posts_meta" => {
                self.meta.insert(
                    id_of(&row, "post_id"),
                    Meta {
                        title: str_of(&row, "meta_title").to_owned(),
                        description: str_of(&row, "meta_description").to_owned(),
                        image_alt: str_of(&row, "feature_image_alt").to_owned(),
                        image_caption: str_of(&row, "feature_image_caption").to_owned(),
                    },
                );
            }
            "posts" => {
                let kind = if str_of(&row, "type") == "page"
                    || row.get("page") == Some(&Value::Bool(true))
                {
                    DocumentKind::Page
                } else {
                    DocumentKind::Article
                };
                self.posts.push((
                    id_of(&row, "id"),
                    str_of(&row, "slug").to_owned(),
                    kind,
                    str_of(&row, "uuid").to_owned(),
                ));
            }
            _ => {}
        }
    }
}

/// Reads an export through `tables`, mapping serde_json's errors to clear ones.
pub(super) fn walk<R: BufRead, T: Tables>(mut input: R, tables: &mut T) -> Result<(), ImportError> {
    let first = input
        .fill_buf()?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    if first != Some(b'{') {
        return Err(ImportError::WrongFormat {
            expected: "Ghost (JSON)",
            found: match first {
                None => "an empty file".into(),
                Some(b'<') => "an XML or HTML document".into(),
                Some(_) => "not a JSON object".into(),
            },
        });
    }
    let mut de = serde_json::Deserializer::from_reader(input);
    let found = Root(tables).deserialize(&mut de).map_err(json_error)?;
    de.end().map_err(json_error)?;
    if !found {
        return Err(ImportError::WrongFormat {
            expected: "Ghost (JSON)",
            found: "a JSON document without Ghost's db/data/posts".into(),
        });
    }
    Ok(())
}

fn json_error(e: serde_json::Error) -> ImportError {
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        serde_json::error::Category::Io => ImportError::Io(io::Error::other(e.to_string())),
        serde_json::error::Category::Eof => ImportError::Truncated { at },
        _ if e.to_string().contains("unicode") || e.to_string().contains("UTF-8") => {
            ImportError::NotUtf8 { at }
        }
        _ => ImportError::Malformed {
            at,
            message: e.to_string(),
        },
    }
}

/// The shape of a Ghost site, from the first pass over its export.
pub struct Catalog<F> {
    pub(super) open: F,
    pub(super) options: Options,
    pub authors: Vec<Author>,
    /// Public tags (`#internal` tags are left out).
    pub tags: Vec<Term>,
    pub links: LinkMap,
    pub report: Report,
    pub(super) shape: Shape,
    pub(super) slugs: HashMap<String, (String, DocumentKind)>,
}

/// Pass 1: reads the export opened by `open`.
pub fn scan<F, R>(open: F, options: Options) -> Result<Catalog<F>, ImportError>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    let mut shape = Shape::default();
    walk(open()?, &mut shape)?;
    let mut report = Report::default();
    let mut links = LinkMap::new(&[options.site_url.as_deref().unwrap_or("")]);
    links.insert("/", Target::Home);
    links.insert("/rss/", Target::Feed(None));
    let mut tags: Vec<Term> = shape
        .tags
        .values()
        .filter(|(_, internal)| !internal)
        .map(|(t, _)| t.clone())
        .collect();
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    for t in &tags {
        links.insert(&format!("/tag/{}/", t.slug), Target::Tag(t.slug.clone()));
        links.insert(
            &format!("/tag/{}/rss/", t.slug),
            Target::Feed(Some(Box::new(Target::Tag(t.slug.clone())))),
        );
    }
    let mut authors: Vec<Author> = shape.users.values().cloned().collect();
    authors.sort_by(|a, b| a.slug.cmp(&b.slug));
    for a in &authors {
        links.insert(
            &format!("/author/{}/", a.slug),
            Target::Author(a.slug.clone()),
        );
        links.insert(
            &format!("/author/{}/rss/", a.slug),
            Target::Feed(Some(Box::new(Target::Author(a.slug.clone())))),
        );
    }
    let mut slugs = HashMap::new();
    let mut taken = HashSet::new();
    for (id, slug, kind, uuid) in &shape.posts {
        let mut base = slugify(slug);
        if base.is_empty() {
            base = format!("post-{}", slugify(id));
        }
        let mut unique = base.clone();
        let mut n = 2;
        while !taken.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        if unique != base {
            report.skip(
                format!(
                    "{} {id}",
                    if *kind == DocumentKind::Page {
                        "page"
                    } else {
                        "post"
                    }
                ),
                format!(
                    "its slug {base} was taken; imported as {unique} (the old address redirects)"
                ),
            );
        }
        let target = Target::Document(id.clone());
        links.insert(&format!("/{slug}/"), target.clone());
        if !uuid.is_empty() {
            links.insert(&format!("/p/{uuid}/"), target);
        }
        slugs.insert(id.clone(), (unique, *kind));
    }
    report.count(Counted::Tags, tags.len() as u64);
    report.count(Counted::Authors, authors.len() as u64);
    report.count(Counted::Redirects, links.len() as u64);
    Ok(Catalog {
        open,
        options,
        authors,
        tags,
        links,
        report,
        shape,
        slugs,
    })
}
