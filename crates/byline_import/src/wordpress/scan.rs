//! Pass 1 over a WXR export: the site's shape and every old address.

use super::xml::{Keep, Record, RecordKind, WxrReader};
use crate::error::ImportError;
use crate::links::{LinkMap, path_of};
use crate::model::{Attachment, Author, DocumentKind, Options, Target, Term, slugify};
use crate::report::{Counted, Report};
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
pub(super) struct PostInfo {
    pub(super) kind: DocumentKind,
    pub(super) slug: String,
    pub(super) edition: String,
    /// The section of its first category.
    pub(super) section: Option<String>,
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
    pub(super) open: F,
    pub(super) options: Options,
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
    pub(super) posts: HashMap<u64, PostInfo>,
    pub(super) children: HashMap<u64, Vec<u64>>,
    /// Category nicename → (section slug, tag slug when it is below the top level).
    pub(super) category_terms: HashMap<String, (String, Option<String>)>,
    pub(super) author_slugs: HashMap<String, String>,
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
    let mut referenced = Referenced::default();
    // Slugs of the categories and tags defined so far: each is read once.
    let (mut category_slugs, mut tag_slugs) = (HashSet::new(), HashSet::new());
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
            RecordKind::Category => add_category(
                &mut categories,
                &mut category_slugs,
                Category {
                    id: rec.get("wp:term_id").to_owned(),
                    nicename: rec.get("wp:category_nicename").to_owned(),
                    name: rec.get("wp:cat_name").to_owned(),
                    parent: rec.get("wp:category_parent").to_owned(),
                    description: rec.get("wp:category_description").to_owned(),
                },
            ),
            RecordKind::Tag => add_tag(
                (&mut tags, &mut raw_tag_slugs, &mut tag_slugs),
                rec.get("wp:term_id"),
                rec.get("wp:tag_slug"),
                rec.get("wp:tag_name"),
                rec.get("wp:tag_description"),
            ),
            // Newer exports list categories and tags again as generic terms (and a
            // category may be there only): the same definitions, read once.
            RecordKind::Term if rec.get("wp:term_taxonomy") == "category" => add_category(
                &mut categories,
                &mut category_slugs,
                Category {
                    id: rec.get("wp:term_id").to_owned(),
                    nicename: rec.get("wp:term_slug").to_owned(),
                    name: rec.get("wp:term_name").to_owned(),
                    parent: rec.get("wp:term_parent").to_owned(),
                    description: rec.get("wp:term_description").to_owned(),
                },
            ),
            RecordKind::Term if rec.get("wp:term_taxonomy") == "post_tag" => add_tag(
                (&mut tags, &mut raw_tag_slugs, &mut tag_slugs),
                rec.get("wp:term_id"),
                rec.get("wp:term_slug"),
                rec.get("wp:term_name"),
                rec.get("wp:term_description"),
            ),
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
                    "post" | "page" => {
                        referenced.note(&rec);
                        items.push(slim(&rec, &options));
                    }
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

    referenced.define_missing(&mut categories, &mut tags, &mut raw_tag_slugs, &mut authors);

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
        if !c.id.starts_with(MADE_FROM_POSTS) {
            links.insert(&format!("{base}/?cat={}", c.id), target);
        }
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
                section: rec
                    .first_category
                    .as_ref()
                    .and_then(|c| category_terms.get(c))
                    .map(|(s, _)| s.clone()),
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

/// Adds a category unless one with its slug is there already.
fn add_category(categories: &mut Vec<Category>, seen: &mut HashSet<String>, c: Category) {
    if !c.nicename.is_empty() && seen.insert(c.nicename.clone()) {
        categories.push(c);
    }
}

/// Adds a tag (and its slug as the old site wrote it) unless one with its slug is there
/// already.
fn add_tag(
    (tags, raw_tag_slugs, seen): (&mut Vec<Term>, &mut Vec<String>, &mut HashSet<String>),
    id: &str,
    raw: &str,
    name: &str,
    description: &str,
) {
    let slug = slugify(raw);
    if slug.is_empty() || !seen.insert(slug.clone()) {
        return;
    }
    tags.push(Term {
        source_id: id.to_owned(),
        slug,
        name: name.to_owned(),
        description: description.to_owned(),
    });
    raw_tag_slugs.push(raw.to_owned());
}

/// The source id prefix of a category or tag no `wp:category`/`wp:tag` defines, made
/// from the posts that use it: its slug then stands for it.
const MADE_FROM_POSTS: &str = "slug:";

/// Categories, tags and authors the posts and pages name, in the order first named.
/// WordPress's exporter writes the site's categories and tags only when it exports
/// everything: an export of "Posts" alone names them in each post and defines none,
/// and a hand-made or trimmed export may lack authors. Without this, every tagged post
/// of such an export would be refused for its unknown tags.
#[derive(Default)]
struct Referenced {
    categories: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    creators: Vec<String>,
    seen: HashSet<(&'static str, String)>,
}

impl Referenced {
    fn note(&mut self, rec: &Record) {
        for t in &rec.terms {
            let (list, kind) = match t.domain.as_str() {
                "category" => (&mut self.categories, "category"),
                "post_tag" => (&mut self.tags, "tag"),
                _ => continue,
            };
            if !t.nicename.is_empty() && self.seen.insert((kind, t.nicename.clone())) {
                let name = match t.name.trim() {
                    "" => t.nicename.clone(),
                    n => n.to_owned(),
                };
                list.push((t.nicename.clone(), name));
            }
        }
        let creator = rec.get("dc:creator").trim();
        if !creator.is_empty() && self.seen.insert(("author", creator.to_owned())) {
            self.creators.push(creator.to_owned());
        }
    }

    /// Adds what the posts name and the export does not define: categories at the top
    /// level, tags and authors as the posts name them.
    fn define_missing(
        self,
        categories: &mut Vec<Category>,
        tags: &mut Vec<Term>,
        raw_tag_slugs: &mut Vec<String>,
        authors: &mut Vec<Author>,
    ) {
        let known: HashSet<String> = categories.iter().map(|c| c.nicename.clone()).collect();
        for (nicename, name) in self.categories {
            if !known.contains(&nicename) {
                categories.push(Category {
                    id: format!("{MADE_FROM_POSTS}{nicename}"),
                    nicename,
                    name,
                    parent: String::new(),
                    description: String::new(),
                });
            }
        }
        let known: HashSet<String> = tags.iter().map(|t| t.slug.clone()).collect();
        for (nicename, name) in self.tags {
            let slug = slugify(&nicename);
            if !slug.is_empty() && !known.contains(&slug) {
                tags.push(Term {
                    source_id: format!("{MADE_FROM_POSTS}{nicename}"),
                    slug,
                    name,
                    description: String::new(),
                });
                raw_tag_slugs.push(nicename);
            }
        }
        let known: HashSet<String> = authors.iter().map(|a| a.source_id.clone()).collect();
        for creator in self.creators {
            let slug = slugify(&creator);
            if !slug.is_empty() && !known.contains(&creator) {
                authors.push(Author {
                    source_id: creator.clone(),
                    slug,
                    name: creator,
                    email: None,
                    bio: String::new(),
                });
            }
        }
    }
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
pub(super) fn edition_of(rec: &Record, options: &Options) -> (String, Option<String>) {
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
