//! Runs an import from another CMS into this outlet: the flow shared by `byline import`
//! and the newsroom's import page. `byline_import` reads and converts the export; this
//! writes what it produces through the content service, like any other change (the
//! search index, page cache and purge webhook follow through the change feed).
//!
//! Pass 1 reads the whole file first, so a malformed export fails before anything is
//! written. Then sections, tags and authors are written, then each article in its own
//! transaction keyed by its source id (a second run updates what changed and adds
//! nothing), then a redirect from every old address to its new home. Pages become
//! static pages (`/{edition}/page/{slug}`): they have no section, tags, authors or
//! schedule (a scheduled page is imported as a draft).

mod export;
mod inputs;
mod pictures;

use crate::{
    ArticleInput, Content, ContentError, Imported, PageInput, RedirectOrigin, TermInput, TermKind,
};
use byline_core::Localized;
use byline_import::{Document, DocumentKind, ImportError, ImportStatus, Options};
pub use byline_import::{Report, Source};
use byline_import::{SinkError, Target};
use export::Export;
use pictures::Pictures;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use tokio::runtime::Handle;

/// Redirects written per transaction: an import leaves several per article.
const REDIRECTS_PER_TRANSACTION: usize = 2_000;

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub source: Source,
    /// The export file.
    pub file: PathBuf,
    /// The edition of items without a language of their own (default: the outlet's
    /// first edition).
    pub edition: Option<String>,
    /// Where the old site's uploads are (WordPress's `wp-content/uploads`, Ghost's
    /// `content/images`): pictures are taken from here by their URL path.
    pub media_dir: Option<PathBuf>,
    /// Old category slug → section slug, as `old=new` pairs.
    pub section_map: Vec<String>,
    /// Read the whole export and report what it holds; write nothing.
    pub dry_run: bool,
}

/// The stages of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Pass 1: the whole file, for the site's shape.
    Reading,
    /// Sections, tags and authors.
    Terms,
    /// The export's pictures into the library, several at once.
    Pictures,
    /// Pass 2: articles and pages, one at a time.
    Documents,
    /// A redirect from every old address.
    Redirects,
}

/// Told how a run goes (a progress bar, a newsroom page). Called on the importing
/// thread; keep it cheap.
pub trait Observer: Sync {
    fn phase(&self, _phase: Phase) {}
    /// One more document (article or page) done, written or not.
    fn document(&self) {}
    /// One more picture done, put in the library or not.
    fn picture(&self) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// What this run wrote of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
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

/// The outcome of a run; its JSON is the full report file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportSummary {
    pub source: &'static str,
    pub file: String,
    pub dry_run: bool,
    /// What the export held: counts, skips, text kept as is, items that failed.
    pub export: Report,
    /// What this run wrote, per kind (empty for a dry run).
    pub written: BTreeMap<&'static str, Written>,
    /// Pictures not imported (their old URL stays), with why.
    pub pictures_missing: BTreeMap<String, String>,
}

impl ImportSummary {
    /// Writes the report as `{dir}/{source}-{time}.json` (a suffix when two runs share a
    /// second) and answers its path.
    pub fn write_report(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        for n in 0u32.. {
            let name = match n {
                0 => format!("{}-{stamp}.json", self.source),
                n => format!("{}-{stamp}-{n}.json", self.source),
            };
            let path = dir.join(name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    std::io::Write::write_all(&mut f, &json)?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        unreachable!("an unbounded range ends only by returning")
    }
}

/// Why a run could not start or finish (an item's own problems go into the report).
#[derive(Debug, thiserror::Error)]
pub enum ImporterError {
    #[error("cannot open {file}: {source}")]
    Open {
        file: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Export(#[from] ImportError),
    #[error("the outlet has no edition {0:?}")]
    NoEdition(String),
    #[error("the section map takes old=new pairs, not {0:?}")]
    SectionMap(String),
    #[error("the media folder {0} is not a folder")]
    MediaDir(String),
    #[error(transparent)]
    Content(#[from] ContentError),
}

/// Runs an import. `content` is `None` only for a dry run with no store open (the
/// command line's: opening a store migrates it). Synchronous: call it on a blocking
/// thread inside the runtime (`spawn_blocking`, `block_in_place`); it blocks on the
/// content service for each write.
pub fn run_import(
    content: Option<&Content>,
    request: &ImportRequest,
    observer: &dyn Observer,
) -> Result<ImportSummary, ImporterError> {
    let file = request.file.clone();
    File::open(&file).map_err(|source| ImporterError::Open {
        file: file.display().to_string(),
        source,
    })?;
    if let Some(dir) = &request.media_dir
        && !dir.is_dir()
    {
        return Err(ImporterError::MediaDir(dir.display().to_string()));
    }
    let content = content.filter(|_| !request.dry_run);
    let edition = match (&request.edition, content) {
        (Some(e), _) => e.clone(),
        (None, Some(c)) => c
            .catalog()
            .settings
            .editions
            .first()
            .map(|e| e.code.clone())
            .unwrap_or_else(|| "en".into()),
        (None, None) => "en".into(),
    };
    if let Some(c) = content
        && !c.catalog().settings.has_edition(&edition)
    {
        return Err(ImporterError::NoEdition(edition));
    }
    let mut options = Options::new(&edition);
    for pair in &request.section_map {
        let Some((old, new)) = pair.split_once('=') else {
            return Err(ImporterError::SectionMap(pair.clone()));
        };
        options
            .section_map
            .insert(old.trim().to_owned(), new.trim().to_owned());
    }
    observer.phase(Phase::Reading);
    let open = move || File::open(&file).map(|f| BufReader::with_capacity(1 << 16, f));
    let result = match request.source {
        Source::WordPress => byline_import::wordpress::scan(open, options)
            .map_err(ImporterError::from)
            .and_then(|catalog| import(content, request, &edition, &catalog, observer)),
        Source::Ghost => byline_import::ghost::scan(open, options)
            .map_err(ImporterError::from)
            .and_then(|catalog| import(content, request, &edition, &catalog, observer)),
    };
    // Whatever was written, even by an import that stopped part way, is read by the
    // planner with fresh statistics. A failure here loses nothing written, so it is
    // logged, not reported as the import's.
    if let Some(content) = content
        && let Err(e) = Handle::current().block_on(content.refresh_statistics())
    {
        tracing::warn!(error = %e, "could not refresh the planner's statistics after the import");
    }
    result
}

/// Everything after pass 1.
fn import(
    content: Option<&Content>,
    request: &ImportRequest,
    edition: &str,
    export: &dyn Export,
    observer: &dyn Observer,
) -> Result<ImportSummary, ImporterError> {
    let source = export.source().as_str();
    let summary = |report: Report, written, pictures_missing| ImportSummary {
        source,
        file: request.file.display().to_string(),
        dry_run: request.dry_run,
        export: report,
        written,
        pictures_missing,
    };
    let Some(content) = content else {
        observer.phase(Phase::Documents);
        let mut sink = |_doc: Document| -> Result<(), SinkError> {
            observer.document();
            Ok(())
        };
        let resolve = |_: &Target| -> Option<String> { None };
        let report = export.documents(&mut sink, &resolve)?;
        return Ok(summary(report, BTreeMap::new(), BTreeMap::new()));
    };
    let handle = Handle::current();
    let mut written: BTreeMap<&'static str, Written> = BTreeMap::new();

    // Sections, tags and authors first: articles name them.
    observer.phase(Phase::Terms);
    let localized = |text: &str| Localized::from_pairs([(edition, text)]);
    let mut term_errors = Vec::new();
    let authors = export.authors().iter().map(|a| {
        (
            a.source_id.as_str(),
            a.slug.as_str(),
            a.name.as_str(),
            a.bio.as_str(),
        )
    });
    let sections = export.sections().iter().map(|t| {
        (
            t.source_id.as_str(),
            t.slug.as_str(),
            t.name.as_str(),
            t.description.as_str(),
        )
    });
    let tags = export.tags().iter().map(|t| {
        (
            t.source_id.as_str(),
            t.slug.as_str(),
            t.name.as_str(),
            t.description.as_str(),
        )
    });
    let kinds: [(TermKind, &'static str, Box<dyn Iterator<Item = _>>); 3] = [
        (TermKind::Section, "sections", Box::new(sections)),
        (TermKind::Tag, "tags", Box::new(tags)),
        (TermKind::Author, "authors", Box::new(authors)),
    ];
    for (kind, label, terms) in kinds {
        for (source_id, slug, name, text) in terms {
            let input = TermInput {
                source,
                source_id,
                slug,
                name: localized(name),
                text: localized(text),
            };
            match handle.block_on(content.import_term(kind, &input)) {
                Ok((_, o)) => written.entry(label).or_default().add(o),
                Err(ContentError::Internal(e)) => return Err(ContentError::Internal(e).into()),
                Err(e) => term_errors.push((format!("{label} {slug}"), e.to_string())),
            }
        }
    }
    let default_section = default_section(content, &handle, source, edition, &mut written)?;

    let pictures = Pictures::new(content, source, request.media_dir.clone());
    if request.media_dir.is_some() {
        observer.phase(Phase::Pictures);
        let files = export
            .attachment_files()
            .iter()
            .map(|f| Pictures::relative(f))
            .collect();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        pictures.prefetch(files, cores, &|| observer.picture());
    }
    // Where each imported document now lives (source id → path), and which are public.
    let homes: RefCell<HashMap<String, (String, bool)>> = RefCell::default();
    let section_of = |wanted: Option<&String>| {
        wanted
            .filter(|s| content.catalog().section_by_slug(s).is_some())
            .cloned()
            .unwrap_or_else(|| default_section.clone())
    };
    let resolve = |target: &Target| -> Option<String> {
        address(target, export, content, &pictures, edition, &section_of)
    };
    observer.phase(Phase::Documents);
    let mut articles = Written::default();
    let mut pages = Written::default();
    // Items whose address was taken on this outlet (by its own pages or articles, not
    // the export's): imported under a suffixed slug, listed in the report.
    let renamed: RefCell<Vec<(String, String)>> = RefCell::default();
    let mut sink = |doc: Document| -> Result<(), SinkError> {
        observer.document();
        let id = doc.source_id.clone();
        let label = match doc.kind {
            DocumentKind::Page => "page",
            _ => "post",
        };
        let (outcome, home, public) = if doc.kind == DocumentKind::Page {
            let public = doc.status == ImportStatus::Published;
            let input = inputs::page_input(doc);
            let wanted = input.slug.clone();
            let (outcome, slug) = with_free_slug(&wanted, |slug| {
                let input = PageInput {
                    slug: slug.to_owned(),
                    ..input.clone()
                };
                handle.block_on(content.import_source_page(source, &id, input))
            });
            let home = format!("/{}/page/{slug}", input.edition);
            (
                outcome.map(|(_, o)| (o, &mut pages, wanted, slug)),
                home,
                public,
            )
        } else {
            let public = matches!(
                doc.status,
                ImportStatus::Published | ImportStatus::Scheduled(_)
            );
            let section = section_of(doc.section.as_ref());
            let group = doc.translation_group.clone();
            let input = inputs::article_input(doc, section, &pictures);
            let wanted = input.slug.clone();
            let (outcome, slug) = with_free_slug(&wanted, |slug| {
                let input = ArticleInput {
                    slug: slug.to_owned(),
                    ..input.clone()
                };
                handle.block_on(content.import_source_article(source, &id, group.as_deref(), input))
            });
            let home = format!("/{}/{}/{slug}", input.edition, input.section);
            (
                outcome.map(|(_, o)| (o, &mut articles, wanted, slug)),
                home,
                public,
            )
        };
        match outcome {
            Ok((outcome, tally, wanted, slug)) => {
                tally.add(outcome);
                if slug != wanted {
                    renamed.borrow_mut().push((
                        format!("{label} {id}"),
                        format!(
                            "its address {wanted} is taken on this outlet; imported as {slug} \
                             (the old address redirects)"
                        ),
                    ));
                }
                homes.borrow_mut().insert(id, (home, public));
                Ok(())
            }
            Err(ContentError::Internal(e)) => Err(SinkError::Stop(e.to_string())),
            Err(ContentError::Conflict(_)) => Err(SinkError::Item(
                "its address is taken on this outlet, with every suffix tried".into(),
            )),
            Err(e) => Err(SinkError::Item(e.to_string())),
        }
    };
    let report = export.documents(&mut sink, &resolve);
    let mut report = report?;
    written.insert("articles", articles);
    written.insert("pages", pages);
    for (item, reason) in renamed.into_inner() {
        report.skip(item, reason);
    }
    for (item, message) in term_errors {
        report.error(item, message);
    }

    // Every old address of an imported public item answers 301 to its new home.
    observer.phase(Phase::Redirects);
    let mut redirects = Written::default();
    let homes = homes.into_inner();
    let mut batch: Vec<(String, String)> = Vec::with_capacity(REDIRECTS_PER_TRANSACTION);
    for (old, target) in export.links().entries() {
        let new = match target {
            Target::Document(id) => match homes.get(id) {
                Some((home, true)) => Some(home.clone()),
                _ => None,
            },
            Target::Home => None,
            t => resolve(t),
        };
        if let Some(new) = new.filter(|n| n.starts_with('/') && n != old) {
            batch.push((old.to_owned(), new));
        }
        if batch.len() == REDIRECTS_PER_TRANSACTION {
            save_redirects(content, &handle, &batch, &mut redirects, &mut report)?;
            batch.clear();
        }
    }
    save_redirects(content, &handle, &batch, &mut redirects, &mut report)?;
    written.insert("redirects", redirects);
    written.entry("pictures").or_default().created = *pictures.added.borrow();
    let missing = pictures.missing.into_inner();
    Ok(summary(report, written, missing))
}

/// Writes a batch of redirects in one transaction; a batch that fails is written one
/// by one, so the report names the redirect at fault and the rest are kept.
fn save_redirects(
    content: &Content,
    handle: &Handle,
    batch: &[(String, String)],
    tally: &mut Written,
    report: &mut Report,
) -> Result<(), ContentError> {
    if batch.is_empty() {
        return Ok(());
    }
    match handle.block_on(content.save_redirects(batch, RedirectOrigin::Import)) {
        Ok(changed) => {
            tally.created += changed;
            tally.unchanged += batch.len() as u64 - changed;
            return Ok(());
        }
        Err(ContentError::Internal(e)) => return Err(ContentError::Internal(e)),
        Err(_) => {}
    }
    for (old, new) in batch {
        match handle.block_on(content.save_redirect(old, new, RedirectOrigin::Import)) {
            Ok(true) => tally.created += 1,
            Ok(false) => tally.unchanged += 1,
            Err(ContentError::Internal(e)) => return Err(ContentError::Internal(e)),
            Err(e) => report.error(format!("redirect {old}"), e.to_string()),
        }
    }
    Ok(())
}

/// Tries `write` with `slug`, then `slug-2`, `slug-3` … while the address is taken
/// (by the outlet's own items: the export's duplicates are suffixed when it is read),
/// and answers the outcome and the slug it was written under. A re-run finds the same
/// slug again: the same suffixes are tried in the same order, and the item's own row
/// does not conflict with itself.
fn with_free_slug<T>(
    slug: &str,
    mut write: impl FnMut(&str) -> Result<T, ContentError>,
) -> (Result<T, ContentError>, String) {
    const TRIES: u32 = 20;
    let mut candidate = slug.to_owned();
    for n in 2..=TRIES + 1 {
        match write(&candidate) {
            Err(ContentError::Conflict(_)) if n <= TRIES => candidate = format!("{slug}-{n}"),
            other => return (other, candidate),
        }
    }
    unreachable!("the last try returns")
}

/// The section of documents the export gives none: the outlet's first, or an
/// `archive` section made for the import when the outlet has none yet.
fn default_section(
    content: &Content,
    handle: &Handle,
    source: &str,
    edition: &str,
    written: &mut BTreeMap<&'static str, Written>,
) -> Result<String, ContentError> {
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
    section_of: &dyn Fn(Option<&String>) -> String,
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
                section_of(planned.section.as_ref()),
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
