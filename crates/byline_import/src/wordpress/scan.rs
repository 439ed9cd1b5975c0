//! The two passes over a WXR export.

use super::body::{self, Context};
use super::xml::{Keep, Record, RecordKind, WxrReader};
use super::{parse_date, seo_text, status_of};
use crate::error::ImportError;
use crate::html;
use crate::links::{LinkMap, path_of};
use crate::model::{
    Attachment, Author, Cover, Document, DocumentKind, Options, Planned, Source, Target, Term,
    slugify,
};
use crate::report::{Counted, Report};
use crate::sink::{Resolve, Sink, SinkError};
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead};

/// Post types that are the site's machinery, not its content.
const MACHINERY: [&str; 12] = [
    "revision",
    "nav_menu_item",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "wp_font_family",
];

/// What pass 1 learned about one post or page.
#[derive(Debug, Clone)]
struct PostInfo {
    kind: DocumentKind,
    slug: String,
    edition: String,
}

/// What pass 1 keeps of an item until the whole export is read: only what its
/// addresses and slug need (a 100,000-post export is held as these, not records).
#[derive(Debug, Clone)]
struct Slim {
    id: u64,
    post_type: String,
    status: String,
    /// `wp:post_name` as written (percent-encoded for non-Latin slugs).
    name: String,
    /// The slug before duplicates are resolved.
    slug: String,
    link: String,
    guid: String,
    /// `YYYY-MM-DD` of `wp:post_date`.
    date: String,
    parent: u64,
    first_category: Option<String>,
    edition: String,
}

/// A category: its slug, name and parent.
#[derive(Debug, Clone)]
struct Category {
    id: String,
    nicename: String,
    name: String,
    parent: String,
    description: String,
}

/// The shape of a WordPress site, from the first pass over its export.
pub struct Catalog<F> {
    open: F,
    options: Options,
    pub site_url: String,
    pub authors: Vec<Author>,
    /// Top-level categories (and `section_map` targets).
    pub sections: Vec<Term>,
    /// Tags, and categories below the top level.
    pub tags: Vec<Term>,
    pub attachments: HashMap<u64, Attachment>,
    /// Every old address of the site and what it stands for.
    pub links: LinkMap,
    /// What pass 1 skipped (comments, menus, unknown post types, …).
    pub report: Report,
    posts: HashMap<u64, PostInfo>,
    children: HashMap<u64, Vec<u64>>,
    /// Category nicename → (section slug, tag slug when it is below the top level).
    category_terms: HashMap<String, (String, Option<String>)>,
    author_slugs: HashMap<String, String>,
}

/// Pass 1: reads the export opened by `open` and learns the site's shape. `open` is
/// called again by [`Catalog::documents`] for pass 2.
pub fn scan<F, R>(open: F, options: Options) -> Result<Catalog<F>, ImportError>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    let mut reader = WxrReader::open(open()?, Keep { bodies: false })?;
    let mut report = Report::default();
    let mut authors = Vec::new();
    let mut categories: Vec<Category> = Vec::new();
    let mut tags = Vec::new();
    // Tags' slugs as the old site wrote them (percent-encoded for non-Latin ones):
    // its addresses used these, the new ones are transliterated.
    let mut raw_tag_slugs = Vec::new();
    let mut attachments = HashMap::new();
    let mut items: Vec<Slim> = Vec::new();
    while let Some(rec) = reader.next_record()? {
        match rec.kind {
            RecordKind::Author => {
                let login = rec.get("wp:author_login").to_owned();
                let name = match rec.get("wp:author_display_name") {
                    "" => login.clone(),
                    n => n.to_owned(),
                };
                authors.push(Author {
                    source_id: login.clone(),
                    slug: slugify(&login),
                    name,
                    email: Some(rec.get("wp:author_email").to_owned()).filter(|e| !e.is_empty()),
                    bio: String::new(),
                });
            }
            RecordKind::Category => categories.push(Category {
                id: rec.get("wp:term_id").to_owned(),
                nicename: rec.get("wp:category_nicename").to_owned(),
                name: rec.get("wp:cat_name").to_owned(),
                parent: rec.get("wp:category_parent").to_owned(),
                description: rec.get("wp:category_description").to_owned(),
            }),
            RecordKind::Tag => {
                let raw = rec.get("wp:tag_slug").to_owned();
                tags.push(Term {
                    source_id: rec.get("wp:term_id").to_owned(),
                    slug: slugify(&raw),
                    name: rec.get("wp:tag_name").to_owned(),
                    description: rec.get("wp:tag_description").to_owned(),
                });
                raw_tag_slugs.push(raw);
            }
            RecordKind::Term => match rec.get("wp:term_taxonomy") {
                "nav_menu" => report.skip_bulk("menu (menus are set up in the newsroom)", 1),
                // Polylang's own bookkeeping: read from each post instead.
                "language" | "post_translations" | "term_language" | "term_translations" => {}
                other => report.skip_bulk(&format!("term of taxonomy {other}"), 1),
            },
            RecordKind::Item => {
                report.skip_bulk("comment (comments are not imported)", rec.comments);
                match rec.get("wp:post_type") {
                    "attachment" => {
                        let id = rec.get("wp:post_id").parse().unwrap_or(0);
                        let url = rec.get("wp:attachment_url").to_owned();
                        let file = rec.meta("_wp_attached_file").map(str::to_owned);
                        if url.is_empty() && file.is_none() {
                            report.skip(format!("attachment {id}"), "it has no file");
                            continue;
                        }
                        attachments.insert(
                            id,
                            Attachment {
                                id,
                                url,
                                file,
                                title: rec.get("title").to_owned(),
                                alt: rec
                                    .meta("_wp_attachment_image_alt")
                                    .unwrap_or("")
                                    .to_owned(),
                                caption: rec.get("excerpt:encoded").to_owned(),
                                parent: rec.get("wp:post_parent").parse().ok().filter(|p| *p != 0),
                            },
                        );
                        items.push(slim(&rec, &options));
                    }
                    "post" | "page" => items.push(slim(&rec, &options)),
                    t if MACHINERY.contains(&t) => {
                        report.skip_bulk(&format!("{t} (site machinery)"), 1)
                    }
                    t => report.skip_bulk(&format!("item of unknown post type {t}"), 1),
                }
            }
        }
    }

    let channel = reader.channel.clone();
    let site_url = [
        &channel.base_blog_url,
        &channel.link,
        &channel.base_site_url,
    ]
    .into_iter()
    .find(|u| !u.is_empty())
    .cloned()
    .unwrap_or_default();
    let base = path_of(&site_url).trim_end_matches('/').to_owned();
    let mut links = LinkMap::new(&[
        &channel.base_blog_url,
        &channel.link,
        &channel.base_site_url,
    ]);
    links.insert(&format!("{base}/"), Target::Home);
    for feed in ["/feed/", "/feed/rss2/", "/feed/atom/", "/?feed=rss2"] {
        links.insert(&format!("{base}{feed}"), Target::Feed(None));
    }

    // Categories: the top level are sections; below it, tags under their top section.
    let by_nicename: HashMap<&str, &Category> = categories
        .iter()
        .map(|c| (c.nicename.as_str(), c))
        .collect();
    let mut sections: Vec<Term> = Vec::new();
    let mut section_seen = HashSet::new();
    let mut category_terms = HashMap::new();
    for c in &categories {
        let mut chain = vec![c];
        while let Some(parent) = by_nicename.get(chain[chain.len() - 1].parent.as_str()) {
            if chain.len() > 64 || chain.iter().any(|x| x.nicename == parent.nicename) {
                break;
            }
            chain.push(parent);
        }
        let top = chain[chain.len() - 1];
        let mapped = options
            .section_map
            .get(&c.nicename)
            .or_else(|| options.section_map.get(&top.nicename));
        let section = mapped.cloned().unwrap_or_else(|| slugify(&top.nicename));
        if section_seen.insert(section.clone()) {
            let named = if mapped.is_some() && top.nicename != section {
                &section
            } else {
                &top.name
            };
            sections.push(Term {
                source_id: top.id.clone(),
                slug: section.clone(),
                name: named.clone(),
                description: top.description.clone(),
            });
        }
        let tag = (chain.len() > 1 && !options.section_map.contains_key(&c.nicename))
            .then(|| slugify(&c.nicename));
        if let Some(tag) = &tag {
            tags.push(Term {
                source_id: c.id.clone(),
                slug: tag.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
            });
        }
        let path: Vec<&str> = chain.iter().rev().map(|x| x.nicename.as_str()).collect();
        let target = match &tag {
            Some(tag) => Target::Tag(tag.clone()),
            None => Target::Section(section.clone()),
        };
        let path = path.join("/");
        links.insert(&format!("{base}/category/{path}/"), target.clone());
        links.insert(&format!("{base}/category/{}/", c.nicename), target.clone());
        links.insert(
            &format!("{base}/category/{path}/feed/"),
            Target::Feed(Some(Box::new(target.clone()))),
        );
        links.insert(&format!("{base}/?cat={}", c.id), target);
        category_terms.insert(c.nicename.clone(), (section, tag));
    }
    for (raw, t) in raw_tag_slugs.iter().zip(&tags) {
        links.insert(&format!("{base}/tag/{raw}/"), Target::Tag(t.slug.clone()));
        links.insert(
            &format!("{base}/tag/{raw}/feed/"),
            Target::Feed(Some(Box::new(Target::Tag(t.slug.clone())))),
        );
    }
    let mut author_slugs = HashMap::new();
    for a in &authors {
        // WordPress's author address uses the login made URL-safe (its "nicename").
        for name in [a.slug.clone(), a.source_id.to_lowercase().replace(' ', "-")] {
            links.insert(
                &format!("{base}/author/{name}/"),
                Target::Author(a.slug.clone()),
            );
        }
        author_slugs.insert(a.source_id.clone(), a.slug.clone());
    }

    // Posts and pages: final slugs (unique per edition) and every address.
    let mut posts = HashMap::new();
    let mut children: HashMap<u64, Vec<u64>> = HashMap::new();
    let mut taken: HashSet<(String, String)> = HashSet::new();
    let page_paths = page_paths(&items);
    for rec in &items {
        let id = rec.id;
        let post_type = rec.post_type.as_str();
        if post_type == "attachment" {
            if let Some(a) = attachments.get(&id) {
                if let Some(parent) = a.parent {
                    children.entry(parent).or_default().push(id);
                }
                links.insert(&format!("{base}/?attachment_id={id}"), Target::Upload(id));
                links.insert(&a.url, Target::Upload(id));
                if let Some(file) = &a.file {
                    links.insert(
                        &format!("{base}/wp-content/uploads/{file}"),
                        Target::Upload(id),
                    );
                }
                if !rec.link.contains("attachment_id=") {
                    links.insert(&rec.link, Target::Upload(id));
                }
            }
            continue;
        }
        if matches!(rec.status.as_str(), "trash" | "auto-draft" | "inherit") {
            continue;
        }
        let kind = if post_type == "page" {
            DocumentKind::Page
        } else {
            DocumentKind::Article
        };
        let edition = rec.edition.clone();
        let slug = rec.slug.clone();
        let mut unique = slug.clone();
        let mut n = 2;
        while !taken.insert((edition.clone(), unique.clone())) {
            unique = format!("{slug}-{n}");
            n += 1;
        }
        if unique != slug {
            report.skip(
                format!("{post_type} {id}"),
                format!(
                    "its slug {slug} was taken; imported as {unique} (the old address redirects)"
                ),
            );
        }
        let target = Target::Document(id.to_string());
        if !rec.link.is_empty() {
            links.insert(&rec.link, target.clone());
        }
        if rec.guid.contains("?p=") || rec.guid.contains("?page_id=") {
            links.insert(&rec.guid, target.clone());
        }
        let raw_name = if rec.name.is_empty() {
            unique.clone()
        } else {
            rec.name.clone()
        };
        match kind {
            DocumentKind::Page => {
                links.insert(&format!("{base}/?page_id={id}"), target.clone());
                let path = page_paths
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| raw_name.clone());
                links.insert(&format!("{base}/{path}/"), target.clone());
            }
            DocumentKind::Article => {
                links.insert(&format!("{base}/?p={id}"), target.clone());
                links.insert(&format!("{base}/archives/{id}"), target.clone());
                links.insert(&format!("{base}/{raw_name}/"), target.clone());
                let date = &rec.date;
                if let (Some(y), Some(m), Some(d)) =
                    (date.get(0..4), date.get(5..7), date.get(8..10))
                    && y != "0000"
                {
                    links.insert(&format!("{base}/{y}/{m}/{d}/{raw_name}/"), target.clone());
                    links.insert(&format!("{base}/{y}/{m}/{raw_name}/"), target.clone());
                }
                if let Some(category) = &rec.first_category {
                    links.insert(&format!("{base}/{category}/{raw_name}/"), target.clone());
                }
            }
        }
        posts.insert(
            id,
            PostInfo {
                kind,
                slug: unique,
                edition,
            },
        );
    }
    report.count(Counted::Sections, sections.len() as u64);
    report.count(Counted::Tags, tags.len() as u64);
    report.count(Counted::Authors, authors.len() as u64);
    report.count(Counted::Pictures, attachments.len() as u64);
    report.count(Counted::Redirects, links.len() as u64);
    Ok(Catalog {
        open,
        options,
        site_url,
        authors,
        sections,
        tags,
        attachments,
        links,
        report,
        posts,
        children,
        category_terms,
        author_slugs,
    })
}

fn slim(rec: &Record, options: &Options) -> Slim {
    let id: u64 = rec.get("wp:post_id").parse().unwrap_or(0);
    let post_type = rec.get("wp:post_type");
    let name = rec.get("wp:post_name");
    let mut slug = slugify(name);
    if slug.is_empty() {
        slug = slugify(rec.get("title"));
    }
    if slug.is_empty() {
        slug = format!("{}-{id}", if post_type == "page" { "page" } else { "post" });
    }
    Slim {
        id,
        post_type: post_type.to_owned(),
        status: rec.get("wp:status").to_owned(),
        name: name.to_owned(),
        slug,
        link: rec.get("link").to_owned(),
        guid: rec.get("guid").to_owned(),
        date: rec.get("wp:post_date").chars().take(10).collect(),
        parent: rec.get("wp:post_parent").parse().unwrap_or(0),
        first_category: rec
            .terms
            .iter()
            .find(|t| t.domain == "category")
            .map(|t| t.nicename.clone()),
        edition: edition_of(rec, options).0,
    }
}

/// A page's path through its parents (`about/team`).
fn page_paths(items: &[Slim]) -> HashMap<u64, String> {
    let pages: HashMap<u64, (u64, &str)> = items
        .iter()
        .filter(|r| r.post_type == "page")
        .map(|r| (r.id, (r.parent, r.name.as_str())))
        .collect();
    pages
        .iter()
        .map(|(id, (parent, name))| {
            let mut path = vec![*name];
            let mut at = *parent;
            while let Some((up, name)) = pages.get(&at) {
                if path.len() > 32 {
                    break;
                }
                path.push(name);
                at = *up;
            }
            path.reverse();
            (*id, path.join("/"))
        })
        .collect()
}

/// An item's edition and translation group: Polylang's `language` and
/// `post_translations` terms, WPML's import fields, else the default edition.
fn edition_of(rec: &Record, options: &Options) -> (String, Option<String>) {
    let polylang = rec
        .terms
        .iter()
        .find(|t| t.domain == "language")
        .map(|t| t.nicename.as_str());
    let wpml = rec.meta("_wpml_import_language_code");
    let edition = match polylang.or(wpml) {
        Some(lang) if !lang.is_empty() => options.edition_of(lang),
        _ => options.edition.clone(),
    };
    let group = rec
        .terms
        .iter()
        .find(|t| t.domain == "post_translations")
        .map(|t| format!("polylang:{}", t.nicename))
        .or_else(|| {
            rec.meta("_wpml_import_translation_group")
                .map(|g| format!("wpml:{g}"))
        });
    (edition, group)
}

impl<F> Catalog<F> {
    /// Where the post or page with this WordPress id will live.
    pub fn planned(&self, source_id: &str) -> Option<Planned> {
        let info = self.posts.get(&source_id.parse().ok()?)?;
        Some(Planned {
            kind: info.kind,
            slug: info.slug.clone(),
            edition: info.edition.clone(),
        })
    }
}

impl<F, R> Catalog<F>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    /// Pass 2: converts every post and page in the export's order and hands each to
    /// `sink`. Body links to the old site are rewritten with `resolve`. The report
    /// holds pass 1's findings and this pass's.
    pub fn documents(
        &self,
        sink: &mut dyn Sink,
        resolve: &dyn Resolve,
    ) -> Result<Report, ImportError> {
        let mut report = self.report.clone();
        let mut reader = WxrReader::open((self.open)()?, Keep { bodies: true })?;
        while let Some(rec) = reader.next_record()? {
            if rec.kind != RecordKind::Item || !matches!(rec.get("wp:post_type"), "post" | "page") {
                continue;
            }
            let id: u64 = rec.get("wp:post_id").parse().unwrap_or(0);
            let what = format!("{} {id}", rec.get("wp:post_type"));
            let status = rec.get("wp:status");
            if matches!(status, "trash" | "auto-draft" | "inherit") {
                report.skip_bulk(&format!("post in {status}"), 1);
                continue;
            }
            let Some(info) = self.posts.get(&id) else {
                return Err(ImportError::Changed);
            };
            if let Some(why) = &rec.broken {
                report.error(what, why.clone());
                continue;
            }
            let document = match self.document(&rec, id, info, resolve, &mut report) {
                Ok(d) => d,
                Err(message) => {
                    report.error(what, message);
                    continue;
                }
            };
            let mut document = document;
            for field in document.cap_fields() {
                report.skip(
                    what.clone(),
                    format!("its {field} was too long and was cut"),
                );
            }
            let kind = document.kind;
            match sink.document(document) {
                Ok(()) => report.count(
                    if kind == DocumentKind::Page {
                        Counted::Pages
                    } else {
                        Counted::Articles
                    },
                    1,
                ),
                Err(SinkError::Item(message)) => report.error(what, message),
                Err(SinkError::Stop(message)) => return Err(ImportError::Sink(message)),
            }
        }
        Ok(report)
    }

    fn document(
        &self,
        rec: &Record,
        id: u64,
        info: &PostInfo,
        resolve: &dyn Resolve,
        report: &mut Report,
    ) -> Result<Document, String> {
        let date_gmt =
            parse_date(rec.get("wp:post_date_gmt")).or_else(|| parse_date(rec.get("wp:post_date")));
        let status = status_of(rec.get("wp:status"), rec.get("wp:post_password"), date_gmt)
            .ok_or_else(|| format!("unknown status {}", rec.get("wp:status")))?;
        let mut title: String = rec.get("title").trim().to_owned();
        if title.is_empty() {
            title = format!("Untitled ({})", info.slug);
        }
        let (edition, translation_group) = edition_of(rec, &self.options);

        let mut untranslated = Vec::new();
        let cx = Context {
            attachments: &self.attachments,
            children: &self.children,
            post_id: id,
        };
        let prepared = body::prepare(rec.get("content:encoded"), &cx, &mut untranslated);
        let rewritten = html::rewrite_links(&prepared, &|url| {
            self.links.lookup(url).and_then(|t| resolve.address(t))
        });
        let converted = html::to_markdown(&rewritten).map_err(|e| e.to_string())?;
        for what in untranslated.iter().chain(&converted.untranslated) {
            report.untranslated(what);
        }

        let mut section = None;
        let mut tags = Vec::new();
        for t in &rec.terms {
            match t.domain.as_str() {
                "category" => {
                    if let Some((s, tag)) = self.category_terms.get(&t.nicename) {
                        section.get_or_insert_with(|| s.clone());
                        if let Some(tag) = tag
                            && !tags.contains(tag)
                        {
                            tags.push(tag.clone());
                        }
                    }
                }
                "post_tag" => {
                    let slug = slugify(&t.nicename);
                    if !slug.is_empty() && !tags.contains(&slug) {
                        tags.push(slug);
                    }
                }
                _ => {}
            }
        }
        let creator = rec.get("dc:creator");
        let authors = self
            .author_slugs
            .get(creator)
            .cloned()
            .or_else(|| Some(slugify(creator)).filter(|s| !s.is_empty()))
            .into_iter()
            .collect();
        let cover = rec
            .meta("_thumbnail_id")
            .and_then(|t| t.trim().parse::<u64>().ok())
            .and_then(|t| self.attachments.get(&t))
            .map(|a| Cover {
                url: a.url.clone(),
                alt: a.alt.clone(),
                caption: a.caption.clone(),
                attachment_id: Some(a.id),
            });
        let seo_title = rec
            .meta("_yoast_wpseo_title")
            .or_else(|| rec.meta("rank_math_title"))
            .and_then(|t| seo_text(t, &title));
        let seo_description = rec
            .meta("_yoast_wpseo_metadesc")
            .or_else(|| rec.meta("rank_math_description"))
            .and_then(|t| seo_text(t, &title));
        // A subtitle is plain text.
        let subtitle = html::to_markdown(rec.get("excerpt:encoded"))
            .map(|c| byline_render::markdown::plain_text(&c.markdown))
            .unwrap_or_default();
        Ok(Document {
            source: Source::WordPress,
            source_id: id.to_string(),
            kind: info.kind,
            title,
            slug: info.slug.clone(),
            subtitle,
            body_markdown: converted.markdown,
            status,
            edition,
            translation_group,
            section: (info.kind == DocumentKind::Article)
                .then_some(section)
                .flatten(),
            tags,
            authors,
            cover,
            seo_title,
            seo_description,
            canonical_url: rec
                .meta("_yoast_wpseo_canonical")
                .or_else(|| rec.meta("rank_math_canonical_url"))
                .filter(|c| c.starts_with("http"))
                .map(str::to_owned),
            published_at: date_gmt,
            updated_at: parse_date(rec.get("wp:post_modified_gmt")),
        })
    }
}
