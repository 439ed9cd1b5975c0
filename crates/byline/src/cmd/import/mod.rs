//! `byline import wordpress|ghost FILE`: an outlet's archive from another CMS, in one
//! command, while the outlet serves (it is one more process on the store).
//!
//! Pass 1 (`byline_import`'s scan) reads the whole file first, so a malformed export
//! fails before anything is written. Then sections, tags and authors are written, then
//! each article in its own transaction keyed by its source id (a second run updates
//! what changed and adds nothing), then a redirect from every old address to its new
//! home. Pages become static pages (`/{edition}/page/{slug}`): they have no section,
//! tags, authors or schedule (a scheduled page is imported as a draft).

mod export;
mod media;

use crate::cli::ImportArgs;
use crate::config::Config;
use crate::outlet;
use anyhow::{Context, Result, bail};
use byline_content::{
    ArticleInput, Content, Imported, PageInput, RedirectOrigin, TermInput, TermKind,
};
use byline_core::{ArticleStatus, Localized, PageStatus, Seo};
use byline_import::{
    Document, DocumentKind, ImportStatus, Options, Report, SinkError, Source, Target,
};
use export::Export;
use indicatif::{ProgressBar, ProgressStyle};
use media::Pictures;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use tokio::runtime::Handle;

/// What this run wrote, per kind.
#[derive(Debug, Default, serde::Serialize)]
struct Written {
    created: u64,
    updated: u64,
    unchanged: u64,
}

impl Written {
    fn add(&mut self, outcome: Imported) {
        match outcome {
            Imported::Created => self.created += 1,
            Imported::Updated => self.updated += 1,
            Imported::Unchanged => self.unchanged += 1,
        }
    }
}

/// The report file: what the export held (`byline_import`'s report) and what this
/// run wrote.
#[derive(Debug, serde::Serialize)]
struct FullReport<'a> {
    source: &'static str,
    file: String,
    dry_run: bool,
    export: &'a Report,
    written: &'a BTreeMap<&'static str, Written>,
    pictures_missing: &'a BTreeMap<String, String>,
}

pub async fn wordpress(config: Config, args: ImportArgs) -> Result<()> {
    run(config, args, Source::WordPress).await
}

pub async fn ghost(config: Config, args: ImportArgs) -> Result<()> {
    run(config, args, Source::Ghost).await
}

async fn run(config: Config, args: ImportArgs, source: Source) -> Result<()> {
    let file = args.file.clone();
    File::open(&file).with_context(|| format!("opening {}", file.display()))?;
    let open = move || File::open(&file).map(|f| BufReader::with_capacity(1 << 16, f));
    // A dry run opens no store (opening one migrates it): nothing is written.
    let outlet = if args.dry_run {
        None
    } else {
        Some(outlet::open_for_import(&config).await?)
    };
    let edition = match (&args.edition, &outlet) {
        (Some(e), _) => e.clone(),
        (None, Some(o)) => o
            .content
            .catalog()
            .settings
            .editions
            .first()
            .map(|e| e.code.clone())
            .unwrap_or_else(|| "en".into()),
        (None, None) => "en".into(),
    };
    if let Some(o) = &outlet
        && !o.content.catalog().settings.has_edition(&edition)
    {
        bail!("the outlet has no edition {edition:?} (see --edition)");
    }
    let mut options = Options::new(&edition);
    for pair in &args.section_map {
        let Some((old, new)) = pair.split_once('=') else {
            bail!("--section-map takes old=new pairs, not {pair:?}");
        };
        options
            .section_map
            .insert(old.trim().to_owned(), new.trim().to_owned());
    }
    let result = tokio::task::block_in_place(|| -> Result<()> {
        match source {
            Source::WordPress => {
                let catalog = byline_import::wordpress::scan(open, options)?;
                import(
                    &config,
                    &args,
                    outlet.as_ref().map(|o| &o.content),
                    &catalog,
                )
            }
            Source::Ghost => {
                let catalog = byline_import::ghost::scan(open, options)?;
                import(
                    &config,
                    &args,
                    outlet.as_ref().map(|o| &o.content),
                    &catalog,
                )
            }
        }
    });
    if let Some(o) = outlet {
        o.backend.close().await;
    }
    result
}

/// Everything after pass 1; synchronous (the parser's pass 2 is), blocking on the
/// content service for each write.
fn import(
    config: &Config,
    args: &ImportArgs,
    content: Option<&Content>,
    export: &dyn Export,
) -> Result<()> {
    let source = export.source().as_str();
    let Some(content) = content else {
        return dry_run(args, export);
    };
    let handle = Handle::current();
    let mut written: BTreeMap<&'static str, Written> = BTreeMap::new();

    // Sections, tags and authors first: articles name them.
    let edition = args.edition.clone().unwrap_or_else(|| {
        content
            .catalog()
            .settings
            .editions
            .first()
            .map(|e| e.code.clone())
            .unwrap_or_default()
    });
    let localized = |text: &str| Localized::from_pairs([(edition.as_str(), text)]);
    let mut term_errors = Vec::new();
    for (kind, label, terms) in [
        (TermKind::Section, "sections", export.sections()),
        (TermKind::Tag, "tags", export.tags()),
    ] {
        for t in terms {
            let input = TermInput {
                source,
                source_id: &t.source_id,
                slug: &t.slug,
                name: localized(&t.name),
                text: localized(&t.description),
            };
            match handle.block_on(content.import_term(kind, &input)) {
                Ok((_, o)) => written.entry(label).or_default().add(o),
                Err(e) => term_errors.push((format!("{label} {}", t.slug), e.to_string())),
            }
        }
    }
    for a in export.authors() {
        let input = TermInput {
            source,
            source_id: &a.source_id,
            slug: &a.slug,
            name: localized(&a.name),
            text: localized(&a.bio),
        };
        match handle.block_on(content.import_term(TermKind::Author, &input)) {
            Ok((_, o)) => written.entry("authors").or_default().add(o),
            Err(e) => term_errors.push((format!("author {}", a.slug), e.to_string())),
        }
    }
    let default_section = default_section(content, &handle, source, &edition, &mut written)?;

    let pictures = Pictures::new(content, source, args.media_dir.clone());
    // Where each imported article now lives (source id → path), and which are public.
    let homes: RefCell<HashMap<String, (String, bool)>> = RefCell::default();
    let section_of = |planned: &byline_import::Planned| {
        planned
            .section
            .clone()
            .filter(|s| content.catalog().section_by_slug(s).is_some())
            .unwrap_or_else(|| default_section.clone())
    };
    let resolve = |target: &Target| -> Option<String> {
        address(target, export, content, &pictures, &edition, &section_of)
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} importing: {pos} documents ({per_sec}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut articles = Written::default();
    let mut pages = Written::default();
    let mut sink = |doc: Document| -> Result<(), SinkError> {
        bar.inc(1);
        if doc.kind == DocumentKind::Page {
            let id = doc.source_id.clone();
            let public = doc.status == ImportStatus::Published;
            let input = page_input(doc);
            let home = format!("/{}/page/{}", input.edition, input.slug);
            return match handle.block_on(content.import_source_page(source, &id, input)) {
                Ok((_, outcome)) => {
                    pages.add(outcome);
                    homes.borrow_mut().insert(id, (home, public));
                    Ok(())
                }
                Err(byline_content::ContentError::Internal(e)) => {
                    Err(SinkError::Stop(e.to_string()))
                }
                Err(e) => Err(SinkError::Item(e.to_string())),
            };
        }
        let id = doc.source_id.clone();
        let public = matches!(
            doc.status,
            ImportStatus::Published | ImportStatus::Scheduled(_)
        );
        let section = doc
            .section
            .clone()
            .filter(|s| content.catalog().section_by_slug(s).is_some())
            .unwrap_or_else(|| default_section.clone());
        let group = doc.translation_group.clone();
        let input = article_input(doc, section, &pictures);
        let home = format!("/{}/{}/{}", input.edition, input.section, input.slug);
        match handle.block_on(content.import_source_article(source, &id, group.as_deref(), input)) {
            Ok((_, outcome)) => {
                articles.add(outcome);
                homes.borrow_mut().insert(id, (home, public));
                Ok(())
            }
            Err(byline_content::ContentError::Internal(e)) => Err(SinkError::Stop(e.to_string())),
            Err(e) => Err(SinkError::Item(e.to_string())),
        }
    };
    let report = export.documents(&mut sink, &resolve);
    bar.finish_and_clear();
    let mut report = report?;
    written.insert("articles", articles);
    written.insert("pages", pages);
    for (item, message) in term_errors {
        report.error(item, message);
    }

    // Every old address of an imported public item answers 301 to its new home.
    let mut redirects = Written::default();
    let homes = homes.into_inner();
    for (old, target) in export.links().entries() {
        let new = match target {
            Target::Document(id) => match homes.get(id) {
                Some((home, true)) => Some(home.clone()),
                _ => None,
            },
            Target::Home => None,
            t => resolve(t),
        };
        let Some(new) = new.filter(|n| n.starts_with('/') && n != old) else {
            continue;
        };
        match handle.block_on(content.save_redirect(old, &new, RedirectOrigin::Import)) {
            Ok(true) => redirects.created += 1,
            Ok(false) => redirects.unchanged += 1,
            Err(e) => report.error(format!("redirect {old}"), e.to_string()),
        }
    }
    written.insert("redirects", redirects);
    written.entry("pictures").or_default().created = *pictures.added.borrow();
    let missing = pictures.missing.into_inner();
    let path = write_report(config, source, args, &report, &written, &missing)?;
    print_summary(&report, &written, &missing, Some(path.as_path()));
    Ok(())
}

/// The section of documents the export gives none: the outlet's first, or an
/// `archive` section made for the import when the outlet has none yet.
fn default_section(
    content: &Content,
    handle: &Handle,
    source: &str,
    edition: &str,
    written: &mut BTreeMap<&'static str, Written>,
) -> Result<String> {
    if let Some(s) = content.catalog().sections.first() {
        return Ok(s.slug.as_str().to_owned());
    }
    let input = TermInput {
        source,
        source_id: "byline:default-section",
        slug: "archive",
        name: Localized::from_pairs([(edition, "Archive")]),
        text: Localized::default(),
    };
    let (_, o) = handle.block_on(content.import_term(TermKind::Section, &input))?;
    written.entry("sections").or_default().add(o);
    Ok("archive".into())
}

/// The new address of an old target; `None` keeps the old link.
fn address(
    target: &Target,
    export: &dyn Export,
    content: &Content,
    pictures: &Pictures<'_>,
    edition: &str,
    section_of: &dyn Fn(&byline_import::Planned) -> String,
) -> Option<String> {
    let catalog = content.catalog();
    Some(match target {
        Target::Document(id) => {
            let planned = export.planned(id)?;
            if planned.kind == DocumentKind::Page {
                return Some(format!("/{}/page/{}", planned.edition, planned.slug));
            }
            format!(
                "/{}/{}/{}",
                planned.edition,
                section_of(&planned),
                planned.slug
            )
        }
        Target::Section(s) => {
            catalog.section_by_slug(s)?;
            format!("/{edition}/{s}")
        }
        Target::Tag(t) => {
            catalog.tag_by_slug(t)?;
            format!("/{edition}/tag/{t}")
        }
        Target::Author(a) => {
            catalog.author_by_slug(a)?;
            format!("/{edition}/author/{a}")
        }
        Target::Upload(id) => {
            let file = export.attachment_file(*id)?;
            pictures.get(&Pictures::relative(&file))?.src()
        }
        Target::File(path) => pictures.get(&Pictures::relative(path))?.src(),
        Target::Feed(None) => format!("/{edition}/feed.rss"),
        Target::Feed(Some(inner)) => {
            let list = address(inner, export, content, pictures, edition, section_of)?;
            format!("{list}/feed.rss")
        }
        Target::Home => format!("/{edition}/"),
    })
}

/// What the newsroom's form would hold for a converted document.
fn article_input(doc: Document, section: String, pictures: &Pictures<'_>) -> ArticleInput {
    let (status, published_at) = match doc.status {
        ImportStatus::Published => (ArticleStatus::Published, doc.published_at),
        ImportStatus::Scheduled(at) => (ArticleStatus::Scheduled, Some(at)),
        ImportStatus::Draft => (ArticleStatus::Draft, doc.published_at),
        ImportStatus::InReview => (ArticleStatus::InReview, doc.published_at),
    };
    let cover = doc.cover.map(|c| {
        let picture = pictures.get(&Pictures::relative(&c.url));
        match picture {
            Some(item) => byline_core::Cover {
                alt: c.alt,
                caption: c.caption,
                ..item.cover()
            },
            // The file was not in --media-dir: the old URL stays (reported).
            None => byline_core::Cover {
                url: c.url,
                alt: c.alt,
                caption: c.caption,
                credit: String::new(),
                width: 0,
                height: 0,
                srcset: String::new(),
            },
        }
    });
    ArticleInput {
        edition: doc.edition,
        section,
        slug: doc.slug,
        title: doc.title,
        subtitle: cut(&doc.subtitle, byline_content::MAX_SUBTITLE),
        body_markdown: doc.body_markdown,
        cover,
        authors: doc.authors,
        tags: doc.tags,
        status,
        featured: false,
        published_at,
        translation_of: None,
        seo: Seo {
            title: doc.seo_title,
            description: doc
                .seo_description
                .map(|d| cut(&d, byline_content::MAX_SUBTITLE)),
            image: None,
        },
    }
}

/// What the newsroom's page form would hold for a converted page. Only a published page
/// is public; a scheduled one waits as a draft (pages have no schedule).
fn page_input(doc: Document) -> PageInput {
    let description = doc
        .seo_description
        .or_else(|| Some(doc.subtitle.clone()).filter(|s| !s.trim().is_empty()))
        .map(|d| cut(&d, byline_content::MAX_SUBTITLE));
    PageInput {
        edition: doc.edition,
        slug: doc.slug,
        title: doc.title,
        body_markdown: doc.body_markdown,
        description,
        status: if doc.status == ImportStatus::Published {
            PageStatus::Published
        } else {
            PageStatus::Draft
        },
        footer_position: None,
    }
}

/// `text` cut to `max` characters (the exports have no limits; Byline has).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A dry run: both passes, nothing written, the summary of what the export holds.
fn dry_run(args: &ImportArgs, export: &dyn Export) -> Result<()> {
    let bar = ProgressBar::new_spinner();
    let mut sink = |_doc: Document| -> Result<(), SinkError> {
        bar.inc(1);
        Ok(())
    };
    let resolve = |_: &Target| -> Option<String> { None };
    let report = export.documents(&mut sink, &resolve);
    bar.finish_and_clear();
    let report = report?;
    print_summary(&report, &BTreeMap::new(), &BTreeMap::new(), None);
    println!("dry run of {}: nothing was written", args.file.display());
    Ok(())
}

fn write_report(
    config: &Config,
    source: &'static str,
    args: &ImportArgs,
    report: &Report,
    written: &BTreeMap<&'static str, Written>,
    missing: &BTreeMap<String, String>,
) -> Result<std::path::PathBuf> {
    let dir = config.data_dir.join("imports");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ");
    let path = dir.join(format!("{source}-{stamp}.json"));
    let full = FullReport {
        source,
        file: args.file.display().to_string(),
        dry_run: args.dry_run,
        export: report,
        written,
        pictures_missing: missing,
    };
    let json = serde_json::to_vec_pretty(&full)?;
    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

fn print_summary(
    report: &Report,
    written: &BTreeMap<&'static str, Written>,
    missing: &BTreeMap<String, String>,
    path: Option<&Path>,
) {
    println!("in the export:");
    for (kind, n) in &report.counts {
        println!("  {kind}: {n}");
    }
    if !written.is_empty() {
        println!("written:");
        for (kind, w) in written {
            println!(
                "  {kind}: {} new, {} updated, {} unchanged",
                w.created, w.updated, w.unchanged
            );
        }
    }
    for (reason, n) in &report.skipped_in_bulk {
        println!("skipped {n} × {reason}");
    }
    for s in &report.skipped {
        println!("skipped {}: {}", s.item, s.reason);
    }
    for (what, n) in &report.untranslated {
        println!("kept as text {n} × {what}");
    }
    for (file, why) in missing {
        println!("picture not imported (its old URL stays): {file}: {why}");
    }
    for e in &report.errors {
        println!("not imported: {}: {}", e.item, e.message);
    }
    if let Some(path) = path {
        println!("full report: {}", path.display());
    }
}
