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

mod lexical;
mod mobiledoc;
mod stream;

use crate::error::ImportError;
use crate::html;
use crate::links::LinkMap;
use crate::model::{
    Author, Cover, Document, DocumentKind, ImportStatus, Options, Planned, Source, Target, Term,
    slugify,
};
use crate::report::{Counted, Report};
use crate::sink::{Resolve, Sink, SinkError};
use jiff::Timestamp;
use serde::de::DeserializeSeed;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead};
use stream::{Root, Tables};

/// Ghost writes its own address in exports as this placeholder (Ghost 4+).
const GHOST_URL: &str = "__GHOST_URL__";

fn str_of<'a>(row: &'a Value, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Ids are strings in Ghost 1+; numbers in very old exports.
fn id_of(row: &Value, key: &str) -> String {
    match row.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn time_of(row: &Value, key: &str) -> Option<Timestamp> {
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
struct Meta {
    title: String,
    description: String,
    image_alt: String,
    image_caption: String,
}

/// Pass 1's collector.
#[derive(Default)]
struct Shape {
    tags: HashMap<String, (Term, bool)>,
    users: HashMap<String, Author>,
    post_tags: HashMap<String, Vec<(i64, String)>>,
    post_authors: HashMap<String, Vec<(i64, String)>>,
    meta: HashMap<String, Meta>,
    posts: Vec<(String, String, DocumentKind, String)>,
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
fn walk<R: BufRead, T: Tables>(mut input: R, tables: &mut T) -> Result<(), ImportError> {
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
    open: F,
    options: Options,
    pub authors: Vec<Author>,
    /// Public tags (`#internal` tags are left out).
    pub tags: Vec<Term>,
    pub links: LinkMap,
    pub report: Report,
    shape: Shape,
    slugs: HashMap<String, (String, DocumentKind)>,
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

/// Pass 2's collector: converts each post as it is read.
struct Convert<'c, F> {
    catalog: &'c Catalog<F>,
    sink: &'c mut dyn Sink,
    resolve: &'c dyn Resolve,
    report: Report,
    stop: Option<String>,
}

impl<F> Tables for Convert<'_, F> {
    fn wants(&self, table: &str) -> bool {
        table == "posts"
    }

    fn row(&mut self, _: &str, row: Value) {
        if self.stop.is_some() {
            return;
        }
        let id = id_of(&row, "id");
        let what = format!(
            "{} {id}",
            if str_of(&row, "type") == "page" {
                "page"
            } else {
                "post"
            }
        );
        match self
            .catalog
            .document(&row, &id, self.resolve, &mut self.report)
        {
            Ok(None) => {}
            Ok(Some(mut document)) => {
                for field in document.cap_fields() {
                    self.report.skip(
                        what.clone(),
                        format!("its {field} was too long and was cut"),
                    );
                }
                let counted = if document.kind == DocumentKind::Page {
                    Counted::Pages
                } else {
                    Counted::Articles
                };
                match self.sink.document(document) {
                    Ok(()) => self.report.count(counted, 1),
                    Err(SinkError::Item(m)) => self.report.error(what, m),
                    Err(SinkError::Stop(m)) => self.stop = Some(m),
                }
            }
            Err(message) => self.report.error(what, message),
        }
    }
}

/// Where a Ghost address points: its own site's files and pages by path.
fn local(url: &str) -> String {
    url.replace(GHOST_URL, "")
}

impl<F, R> Catalog<F>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    /// Pass 2: converts every post and page and hands each to `sink`; body links to
    /// the old site are rewritten with `resolve`.
    pub fn documents(
        &self,
        sink: &mut dyn Sink,
        resolve: &dyn Resolve,
    ) -> Result<Report, ImportError> {
        let mut convert = Convert {
            catalog: self,
            sink,
            resolve,
            report: self.report.clone(),
            stop: None,
        };
        walk((self.open)()?, &mut convert)?;
        if let Some(m) = convert.stop {
            return Err(ImportError::Sink(m));
        }
        Ok(convert.report)
    }
}

impl<F> Catalog<F> {
    /// Where the post or page with this Ghost id will live.
    pub fn planned(&self, source_id: &str) -> Option<Planned> {
        let (slug, kind) = self.slugs.get(source_id)?.clone();
        Some(Planned {
            kind,
            slug,
            edition: self.options.edition.clone(),
        })
    }

    /// What an old address (or an upload path) in a Ghost body stands for.
    fn target_of(&self, url: &str) -> Option<Target> {
        let path = crate::links::path_of(url);
        let path = if url.starts_with('/') {
            url.split(['?', '#']).next().unwrap_or(url).to_owned()
        } else {
            path
        };
        if let Some(file) = path.strip_prefix("/content/images/") {
            // Resized copies (`size/w600/2024/05/a.jpg`) stand for the original.
            let file = match file.strip_prefix("size/") {
                Some(rest) => rest.split_once('/').map(|(_, f)| f).unwrap_or(rest),
                None => file,
            };
            if self.links.is_own(url) {
                return Some(Target::File(file.to_owned()));
            }
        }
        self.links.lookup(url).cloned()
    }

    fn document(
        &self,
        row: &Value,
        id: &str,
        resolve: &dyn Resolve,
        report: &mut Report,
    ) -> Result<Option<Document>, String> {
        let kind = if str_of(row, "type") == "page" || row.get("page") == Some(&Value::Bool(true)) {
            DocumentKind::Page
        } else {
            DocumentKind::Article
        };
        let published_at = time_of(row, "published_at");
        let public = matches!(str_of(row, "visibility"), "" | "public");
        let status = match str_of(row, "status") {
            "published" if public => ImportStatus::Published,
            "published" => {
                report.skip(
                    format!("post {id}"),
                    "members-only in Ghost: imported as a draft",
                );
                ImportStatus::Draft
            }
            "scheduled" => published_at
                .map(ImportStatus::Scheduled)
                .unwrap_or(ImportStatus::Draft),
            "draft" | "sent" => ImportStatus::Draft,
            other => {
                report.skip(format!("post {id}"), format!("unknown status {other}"));
                return Ok(None);
            }
        };
        let (slug, _) = self
            .slugs
            .get(id)
            .cloned()
            .ok_or("the export changed between the two passes")?;
        let mut title = str_of(row, "title").trim().to_owned();
        if title.is_empty() {
            title = format!("Untitled ({slug})");
        }

        let mut untranslated = Vec::new();
        let body_html = match row
            .get("html")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
        {
            Some(html) => html.to_owned(),
            None => match (
                row.get("lexical").and_then(Value::as_str),
                row.get("mobiledoc").and_then(Value::as_str),
            ) {
                (Some(lexical), _) if !lexical.is_empty() => {
                    lexical::to_html(lexical, &mut untranslated)?
                }
                (_, Some(mobiledoc)) if !mobiledoc.is_empty() => {
                    mobiledoc::to_html(mobiledoc, &mut untranslated)?
                }
                _ => String::new(),
            },
        };
        let body_html = local(&body_html);
        let rewritten = html::rewrite_links(&body_html, &|url| {
            self.target_of(url).and_then(|t| resolve.address(&t))
        });
        let converted = html::to_markdown(&rewritten).map_err(|e| e.to_string())?;
        for what in untranslated.iter().chain(&converted.untranslated) {
            report.untranslated(what);
        }

        let sorted = |rel: Option<&Vec<(i64, String)>>| {
            let mut v = rel.cloned().unwrap_or_default();
            v.sort_by_key(|(order, _)| *order);
            v.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        };
        let tags: Vec<String> = sorted(self.shape.post_tags.get(id))
            .iter()
            .filter_map(|t| self.shape.tags.get(t))
            .filter(|(_, internal)| !internal)
            .map(|(t, _)| t.slug.clone())
            .collect();
        let authors = sorted(self.shape.post_authors.get(id))
            .iter()
            .filter_map(|a| self.shape.users.get(a))
            .map(|a| a.slug.clone())
            .collect::<Vec<_>>();
        let authors = if authors.is_empty() {
            self.shape
                .users
                .get(&id_of(row, "author_id"))
                .map(|a| vec![a.slug.clone()])
                .unwrap_or_default()
        } else {
            authors
        };
        let meta = self.shape.meta.get(id).cloned().unwrap_or_default();
        let or_post = |meta: String, key: &str| {
            Some(meta)
                .filter(|m| !m.is_empty())
                .or_else(|| Some(str_of(row, key).to_owned()).filter(|m| !m.is_empty()))
        };
        let cover = Some(local(str_of(row, "feature_image")))
            .filter(|u| !u.is_empty())
            .map(|url| Cover {
                url,
                alt: or_post(meta.image_alt.clone(), "feature_image_alt").unwrap_or_default(),
                caption: or_post(meta.image_caption.clone(), "feature_image_caption")
                    .map(|c| {
                        html::to_markdown(&c)
                            .map(|c| byline_render::markdown::plain_text(&c.markdown))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                attachment_id: None,
            });
        let section = tags
            .first()
            .and_then(|t| self.options.section_map.get(t))
            .cloned();
        Ok(Some(Document {
            source: Source::Ghost,
            source_id: id.to_owned(),
            kind,
            title,
            slug,
            subtitle: str_of(row, "custom_excerpt").trim().to_owned(),
            body_markdown: converted.markdown,
            status,
            edition: self.options.edition.clone(),
            translation_group: None,
            section: (kind == DocumentKind::Article).then_some(section).flatten(),
            tags,
            authors,
            cover,
            seo_title: or_post(meta.title, "meta_title"),
            seo_description: or_post(meta.description, "meta_description"),
            canonical_url: Some(str_of(row, "canonical_url").to_owned()).filter(|c| !c.is_empty()),
            published_at,
            updated_at: time_of(row, "updated_at"),
        }))
    }
}
