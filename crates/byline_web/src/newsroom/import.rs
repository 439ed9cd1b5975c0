//! Imports from the newsroom (admins, `manage_settings`): upload a WordPress or Ghost
//! export, watch the run, read its report. The run is the same as `byline import`'s
//! ([`byline_content::importer`]), on a blocking thread of this node; one at a time.
//!
//! The upload is streamed to `{import_dir}/uploads/` (never held in memory) under its
//! own size limit (`import_max_bytes`) and deleted when the run ends: an export holds
//! drafts and authors' e-mail addresses. Reports stay in `{import_dir}` as
//! `{source}-{time}.json`, the same files the command line writes, and are listed here.
//! Pictures come from a folder the operator put under `{import_dir}/media/` (the old
//! site's uploads are far too large for a form); the form offers those folders only.

use super::page;
use super::session::Editor;
use crate::error::WebError;
use crate::media::{Problem, multipart_problem, open_upload, read_text, too_large};
use crate::state::AppState;
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_content::importer::{self, ImportRequest, Observer, Phase, Source};
use byline_core::{Action, Ownership, allowed};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;

pub const PATH: &str = "/newsroom/import";
/// Reports listed on the page, newest first.
const LISTED_REPORTS: usize = 30;
/// Rows of each list (skips, errors, missing pictures) shown on a report page; the
/// JSON file has them all.
const LISTED_ROWS: usize = 200;

/// The run of this node, if any: the one going on, or the last one (so its page can
/// say it finished).
#[derive(Default)]
pub struct Jobs {
    current: Mutex<Option<Arc<Job>>>,
}

/// One run, as its page shows it.
pub struct Job {
    id: String,
    phase: Mutex<Option<Phase>>,
    documents: AtomicU64,
    pictures: AtomicU64,
    finished: AtomicBool,
}

impl Observer for Job {
    fn phase(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = Some(phase);
    }

    fn document(&self) {
        self.documents.fetch_add(1, Ordering::Relaxed);
    }

    fn picture(&self) {
        self.pictures.fetch_add(1, Ordering::Relaxed);
    }
}

impl Job {
    fn progress(&self) -> Progress {
        Progress {
            done: self.finished.load(Ordering::Acquire),
            phase: *self.phase.lock().unwrap_or_else(|e| e.into_inner()),
            documents: self.documents.load(Ordering::Relaxed),
            pictures: self.pictures.load(Ordering::Relaxed),
        }
    }
}

impl Jobs {
    fn running(&self) -> Option<Arc<Job>> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|j| !j.finished.load(Ordering::Acquire))
    }

    fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|j| j.id == id)
    }

    /// Takes the slot for a new run, unless one is going on.
    fn start(&self, id: String) -> Option<Arc<Job>> {
        let mut slot = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if slot
            .as_ref()
            .is_some_and(|j| !j.finished.load(Ordering::Acquire))
        {
            return None;
        }
        let job = Arc::new(Job {
            id,
            phase: Mutex::new(None),
            documents: AtomicU64::new(0),
            pictures: AtomicU64::new(0),
            finished: AtomicBool::new(false),
        });
        *slot = Some(job.clone());
        Some(job)
    }
}

/// A report's id: `{source}-{YYYYMMDDTHHMMSSZ}` with an optional `-{n}`; nothing else
/// names a file here (no dots, no slashes).
fn valid_id(id: &str) -> bool {
    let Some((source, rest)) = id.split_once('-') else {
        return false;
    };
    let stamp = rest.split_once('-').map_or(rest, |(s, _)| s);
    let suffix_ok = rest.split_once('-').is_none_or(|(_, n)| {
        !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit())
    });
    matches!(source, "wordpress" | "ghost")
        && stamp.len() == 16
        && stamp.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'T',
            15 => b == b'Z',
            _ => b.is_ascii_digit(),
        })
        && suffix_ok
}

fn report_path(state: &AppState, id: &str) -> PathBuf {
    state.config.import_dir.join(format!("{id}.json"))
}

/// Folders under `{import_dir}/media/`, sorted: the only media folders a run may use.
fn media_folders(state: &AppState) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(state.config.import_dir.join("media")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[derive(Serialize)]
struct ReportLink {
    id: String,
    source: &'static str,
    /// `YYYY-MM-DD HH:MM UTC`, from the id.
    when: String,
}

fn reports(state: &AppState) -> Vec<ReportLink> {
    let Ok(entries) = std::fs::read_dir(&state.config.import_dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .filter(|id| valid_id(id))
        .collect();
    // The time sorts as text; newest first.
    ids.sort_by(|a, b| stamp_of(b).cmp(stamp_of(a)).then(b.cmp(a)));
    ids.truncate(LISTED_REPORTS);
    ids.into_iter()
        .map(|id| ReportLink {
            source: if id.starts_with("ghost") {
                "Ghost"
            } else {
                "WordPress"
            },
            when: readable_stamp(stamp_of(&id)),
            id,
        })
        .collect()
}

fn stamp_of(id: &str) -> &str {
    id.split('-').nth(1).unwrap_or("")
}

fn readable_stamp(s: &str) -> String {
    if s.len() != 16 {
        return s.to_owned();
    }
    format!(
        "{}-{}-{} {}:{} UTC",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13]
    )
}

#[derive(Serialize)]
struct ImportView {
    editions: Vec<EditionOption>,
    folders: Vec<String>,
    reports: Vec<ReportLink>,
    /// The run going on, if any (the form is replaced by a link to it).
    running: Option<String>,
    max_mb: u64,
}

#[derive(Serialize)]
struct EditionOption {
    code: String,
    name: String,
}

/// The guard of every page about one run: the role, then an id that names a report.
fn check_run(editor: &Editor, id: &str) -> Result<(), WebError> {
    check(editor)?;
    if valid_id(id) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

fn check(editor: &Editor) -> Result<(), WebError> {
    if allowed(editor.user.role, Action::ManageSettings, Ownership::Own) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// `GET /newsroom/import`: the form, the run going on and the past reports.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    check(&editor)?;
    let lang = page::lang(&state, &headers);
    let catalog = state.content.catalog();
    let editions = catalog
        .settings
        .editions
        .iter()
        .map(|e| EditionOption {
            code: e.code.clone(),
            name: e.name.clone(),
        })
        .collect();
    let view = ImportView {
        editions,
        folders: media_folders(&state),
        reports: reports(&state),
        running: state.newsroom.imports.running().map(|j| j.id.clone()),
        max_mb: state.config.import_max_bytes / (1024 * 1024),
    };
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/import.html",
        view,
    )
}

/// What the upload answers: where to watch the run.
#[derive(Serialize)]
struct Started {
    id: String,
    url: String,
}

/// `POST /newsroom/import` (multipart, the CSRF token in its header, sent by
/// newsroom-import.js): stores the export and starts the run. 202 with the run's address, or a
/// problem (400 a bad field, 403, 409 a run is going on, 413 too large).
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if check(&editor).is_err() {
        return Problem::new(StatusCode::FORBIDDEN, None, "your role may not import")
            .into_response();
    }
    match receive(&state, &headers, &editor, multipart).await {
        Ok(started) => (
            StatusCode::ACCEPTED,
            [
                (
                    header::LOCATION,
                    HeaderValue::from_str(&started.url).unwrap_or(HeaderValue::from_static(PATH)),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            Json(started),
        )
            .into_response(),
        Err(p) => p.into_response(),
    }
}

/// The form's fields, as read.
#[derive(Default)]
struct Fields {
    source: Option<Source>,
    edition: String,
    folder: String,
    section_map: String,
    dry_run: bool,
    /// The stored upload, its size and the name it had on the editor's computer.
    file: Option<(PathBuf, u64, String)>,
}

async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    editor: &Editor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Started, Problem> {
    let max = state.config.import_max_bytes;
    let mut multipart = open_upload(headers, multipart, max)?;
    if state.newsroom.imports.running().is_some() {
        return Err(conflict());
    }
    let uploads = state.config.import_dir.join("uploads");
    tokio::fs::create_dir_all(&uploads)
        .await
        .map_err(|e| internal("creating the upload folder", e))?;
    // Named for this request only; renamed to the run's id once it starts.
    let temp = uploads.join(format!(
        ".upload-{}",
        byline_content::accounts::random_token()
    ));
    let mut fields = Fields::default();
    let read = async {
        while let Some(mut field) = multipart.next_field().await.map_err(multipart_problem)? {
            match field.name().unwrap_or("") {
                "file" => {
                    let name = field.file_name().unwrap_or("").chars().take(200).collect();
                    let mut out = tokio::fs::File::create(&temp)
                        .await
                        .map_err(|e| internal("storing the upload", e))?;
                    let mut size = 0u64;
                    while let Some(chunk) = field.chunk().await.map_err(multipart_problem)? {
                        size += chunk.len() as u64;
                        if size > max {
                            return Err(too_large(max, "file"));
                        }
                        out.write_all(&chunk)
                            .await
                            .map_err(|e| internal("storing the upload", e))?;
                    }
                    out.flush()
                        .await
                        .map_err(|e| internal("storing the upload", e))?;
                    fields.file = Some((temp.clone(), size, name));
                }
                "source" => {
                    fields.source = match read_text(field, "source").await?.as_str() {
                        "wordpress" => Some(Source::WordPress),
                        "ghost" => Some(Source::Ghost),
                        _ => {
                            return Err(Problem::new(
                                StatusCode::BAD_REQUEST,
                                Some("source"),
                                "choose WordPress or Ghost",
                            ));
                        }
                    }
                }
                "edition" => fields.edition = read_text(field, "edition").await?,
                "folder" => fields.folder = read_text(field, "folder").await?,
                "section_map" => fields.section_map = read_text(field, "section_map").await?,
                "dry_run" => fields.dry_run = !read_text(field, "dry_run").await?.is_empty(),
                // Other parts are skipped, unread.
                _ => {}
            }
        }
        Ok(())
    };
    if let Err(p) = read.await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(p);
    }
    match start(state, editor, fields).await {
        Ok(started) => Ok(started),
        Err(p) => {
            let _ = tokio::fs::remove_file(&temp).await;
            Err(p)
        }
    }
}

/// Checks the fields and starts the run.
async fn start(state: &AppState, editor: &Editor, fields: Fields) -> Result<Started, Problem> {
    let bad = |field: &'static str, detail: &str| {
        Problem::new(StatusCode::BAD_REQUEST, Some(field), detail.to_owned())
    };
    let Some(source) = fields.source else {
        return Err(bad("source", "choose WordPress or Ghost"));
    };
    let Some((temp, size, name)) = fields.file else {
        return Err(bad("file", "choose the export file"));
    };
    if size == 0 {
        return Err(bad("file", "the file is empty"));
    }
    let catalog = state.content.catalog();
    let edition = fields.edition.trim();
    if !catalog.settings.has_edition(edition) {
        return Err(bad("edition", "choose one of the outlet's editions"));
    }
    let folder = fields.folder.trim();
    let media_dir = if folder.is_empty() {
        None
    } else if media_folders(state).iter().any(|f| f == folder) {
        Some(state.config.import_dir.join("media").join(folder))
    } else {
        return Err(bad("folder", "choose one of the listed folders"));
    };
    let section_map: Vec<String> = fields
        .section_map
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(pair) = section_map.iter().find(|p| {
        p.split_once('=')
            .is_none_or(|(o, n)| o.trim().is_empty() || n.trim().is_empty())
    }) {
        return Err(bad(
            "section_map",
            &format!("write old=new pairs separated by commas, not {pair:?}"),
        ));
    }
    let id = new_id(state, source);
    let Some(job) = state.newsroom.imports.start(id.clone()) else {
        return Err(conflict());
    };
    let extension = match source {
        Source::WordPress => "xml",
        Source::Ghost => "json",
    };
    let file = state
        .config
        .import_dir
        .join("uploads")
        .join(format!("{id}.{extension}"));
    if let Err(e) = tokio::fs::rename(&temp, &file).await {
        job.finished.store(true, Ordering::Release);
        return Err(internal("storing the upload", e));
    }
    tracing::info!(
        id,
        user = editor.user.id.0,
        bytes = size,
        dry_run = fields.dry_run,
        "an import from the newsroom started"
    );
    let request = ImportRequest {
        source,
        file,
        edition: Some(edition.to_owned()),
        media_dir,
        section_map,
        dry_run: fields.dry_run,
    };
    let content = state.content.clone();
    let report = report_path(state, &id);
    tokio::task::spawn_blocking(move || run(content, request, name, job, report));
    Ok(Started {
        url: format!("{PATH}/{id}"),
        id,
    })
}

/// The run itself, on a blocking thread: whatever happens, a report file is written
/// (a failure's too), the upload is deleted and the slot freed.
fn run(
    content: byline_content::Content,
    request: ImportRequest,
    name: String,
    job: Arc<Job>,
    report: PathBuf,
) {
    let outcome = importer::run_import(Some(&content), &request, job.as_ref());
    let mut json = match &outcome {
        Ok(summary) => serde_json::to_value(summary).unwrap_or_default(),
        Err(e) => serde_json::json!({
            "source": request.source.as_str(),
            "dry_run": request.dry_run,
            "failed": e.to_string(),
        }),
    };
    // The name the editor knows, not the deleted upload's path on the server.
    json["file"] = serde_json::Value::from(name);
    match &outcome {
        Ok(_) => tracing::info!(id = job.id, "an import from the newsroom finished"),
        Err(e) => tracing::warn!(id = job.id, error = %e, "an import from the newsroom failed"),
    }
    let written = serde_json::to_vec_pretty(&json)
        .map_err(std::io::Error::other)
        .and_then(|bytes| std::fs::write(&report, bytes));
    if let Err(e) = written {
        tracing::error!(id = job.id, error = %e, "could not write the import report");
    }
    let _ = std::fs::remove_file(&request.file);
    job.finished.store(true, Ordering::Release);
}

/// A new report id, unused by any file here.
fn new_id(state: &AppState, source: Source) -> String {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let base = format!("{}-{stamp}", source.as_str());
    (0u32..)
        .map(|n| {
            if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| !report_path(state, id).exists())
        .unwrap_or(base)
}

fn conflict() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        None,
        "an import is running on this server: wait for it to finish",
    )
}

fn internal(what: &str, e: std::io::Error) -> Problem {
    tracing::error!(error = %e, "{what}");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        format!("{what} failed on the server"),
    )
}

/// The progress of a run, for its page and the page's script.
#[derive(Serialize)]
struct Progress {
    done: bool,
    phase: Option<Phase>,
    documents: u64,
    pictures: u64,
}

/// `GET /newsroom/import/{id}/progress`: JSON for newsroom-import.js.
pub async fn progress(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    check_run(&editor, &id)?;
    let progress = match state.newsroom.imports.get(&id) {
        Some(job) if !job.finished.load(Ordering::Acquire) => job.progress(),
        _ if report_path(&state, &id).exists() => Progress {
            done: true,
            phase: None,
            documents: 0,
            pictures: 0,
        },
        _ => return Err(WebError::NotFound),
    };
    Ok(Json(progress).into_response())
}

/// `GET /newsroom/import/{id}/report.json`: the whole report, as a download.
pub async fn report_file(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    check_run(&editor, &id)?;
    let bytes = tokio::fs::read(report_path(&state, &id))
        .await
        .map_err(|_| WebError::NotFound)?;
    let disposition = format!("attachment; filename=\"{id}.json\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(|_| WebError::NotFound)?,
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Serialize)]
struct RunView {
    id: String,
    /// While the run goes on.
    running: Option<Progress>,
    /// Once it ended: the report, trimmed for the page.
    report: Option<serde_json::Value>,
}

/// `GET /newsroom/import/{id}`: the run's progress, or its report once it ended.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    check_run(&editor, &id)?;
    let running = state
        .newsroom
        .imports
        .get(&id)
        .filter(|j| !j.finished.load(Ordering::Acquire))
        .map(|job| job.progress());
    let report = if running.is_some() {
        None
    } else {
        let bytes = tokio::fs::read(report_path(&state, &id))
            .await
            .map_err(|_| WebError::NotFound)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| WebError::BadRequest(format!("the report {id} cannot be read: {e}")))?;
        Some(trimmed(value))
    };
    let lang = page::lang(&state, &headers);
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/import_run.html",
        RunView {
            id,
            running,
            report,
        },
    )
}

/// The report with each long list cut to [`LISTED_ROWS`] and its full length beside it
/// (`{list}_total`), so a page of 40,000 errors stays a page.
fn trimmed(mut report: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let cut = |value: &mut Value| -> usize {
        match value {
            Value::Array(items) => {
                let total = items.len();
                items.truncate(LISTED_ROWS);
                total
            }
            Value::Object(map) => {
                let total = map.len();
                let kept: serde_json::Map<String, Value> =
                    std::mem::take(map).into_iter().take(LISTED_ROWS).collect();
                *map = kept;
                total
            }
            _ => 0,
        }
    };
    if let Some(export) = report.get_mut("export").and_then(Value::as_object_mut) {
        for list in ["skipped", "errors", "untranslated", "skipped_in_bulk"] {
            if let Some(value) = export.get_mut(list) {
                let total = cut(value);
                export.insert(format!("{list}_total"), Value::from(total));
            }
        }
    }
    if let Some(map) = report.as_object_mut()
        && let Some(value) = map.get_mut("pictures_missing")
    {
        let total = cut(value);
        map.insert("pictures_missing_total".into(), Value::from(total));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_report_ids_name_files() {
        assert!(valid_id("wordpress-20261203T101500Z"));
        assert!(valid_id("ghost-20261203T101500Z-2"));
        for bad in [
            "",
            "wordpress",
            "wordpress-",
            "wordpress-20261203T101500Z.json",
            "drupal-20261203T101500Z",
            "wordpress-20261203T101500Z-",
            "wordpress-20261203T101500Z-x",
            "wordpress-../../etc/passwd",
            "wordpress-2026120XT101500Z",
            "ghost-20261203T101500Z-2-3",
        ] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn one_run_at_a_time() {
        let jobs = Jobs::default();
        let first = jobs.start("wordpress-20261203T101500Z".into()).unwrap();
        assert!(
            jobs.start("ghost-20261203T101501Z".into()).is_none(),
            "one is running"
        );
        assert!(jobs.running().is_some());
        first.finished.store(true, Ordering::Release);
        assert!(jobs.running().is_none());
        assert!(
            jobs.get("wordpress-20261203T101500Z").is_some(),
            "its page still finds it"
        );
        assert!(jobs.start("ghost-20261203T101501Z".into()).is_some());
    }

    #[test]
    fn long_lists_are_cut_with_their_length_kept() {
        let errors: Vec<_> = (0..500).map(|i| serde_json::json!({"item": i})).collect();
        let report = trimmed(serde_json::json!({"export": {"errors": errors}}));
        assert_eq!(
            report["export"]["errors"].as_array().map(Vec::len),
            Some(LISTED_ROWS)
        );
        assert_eq!(report["export"]["errors_total"], 500);
    }
}
