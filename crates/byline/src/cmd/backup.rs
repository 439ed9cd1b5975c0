//! `byline backup --to DIR` and `byline restore --from DIR`: a whole outlet in a folder.
//!
//! A backup folder holds the database (SQLite: `byline.db`, a `VACUUM INTO` snapshot
//! taken while the outlet serves; PostgreSQL: `byline.pgdump` from `pg_dump`), the media
//! library when it is a local folder (`media/`), the preview-link key, and `backup.json`
//! saying what is inside. The search index is left out: it is a projection of the
//! store, rebuilt on the first start after a restore.

use crate::config::Config;
use crate::outlet::{self, Backend};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

const MANIFEST: &str = "backup.json";
const SQLITE_FILE: &str = "byline.db";
const PG_DUMP_FILE: &str = "byline.pgdump";
const PREVIEW_KEY: &str = "preview.key";

#[derive(Serialize, Deserialize)]
struct Manifest {
    byline: String,
    created_at: String,
    /// `sqlite` or `postgres`: which file holds the database.
    store: String,
    /// Whether `media/` holds the media library (false when it lives in object storage).
    media: bool,
}

pub async fn backup(config: Config, to: &Path) -> Result<()> {
    if to.exists() && to.read_dir()?.next().is_some() {
        bail!("{} is not empty; back up into a new folder", to.display());
    }
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let backend = outlet::open_store(&config).await?;
    let store = match &backend {
        Backend::Sqlite(sqlite) => {
            sqlite
                .backup_into(&to.join(SQLITE_FILE))
                .await
                .context("copying the database")?;
            "sqlite"
        }
        Backend::Postgres(_) => {
            let url = config.database_url.as_deref().unwrap_or_default();
            run_tool(
                Command::new("pg_dump")
                    .arg("--format=custom")
                    .arg("--file")
                    .arg(to.join(PG_DUMP_FILE))
                    .arg(url),
                "pg_dump",
            )?;
            "postgres"
        }
    };
    backend.close().await;
    let media_folder = local_media(&config);
    let media = media_folder.is_some();
    if let Some(folder) = &media_folder {
        copy_tree(folder, &to.join("media")).context("copying the media library")?;
    }
    let key = config.data_dir.join(PREVIEW_KEY);
    if key.exists() {
        std::fs::copy(&key, to.join(PREVIEW_KEY))?;
    }
    let manifest = Manifest {
        byline: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: jiff::Timestamp::now().to_string(),
        store: store.to_owned(),
        media,
    };
    std::fs::write(to.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    println!("backed up the outlet into {}", to.display());
    if !media {
        println!(
            "media live in object storage ({}); back the bucket up with its own tools",
            config.media_store.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}

pub async fn restore(config: Config, from: &Path, force: bool) -> Result<()> {
    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(from.join(MANIFEST)).with_context(|| {
            format!("{} is not a Byline backup (no {MANIFEST})", from.display())
        })?,
    )
    .with_context(|| format!("reading {}", from.join(MANIFEST).display()))?;
    let postgres = config
        .database_url
        .as_deref()
        .is_some_and(|u| u.starts_with("postgres"));
    match (manifest.store.as_str(), postgres) {
        ("sqlite", false) => {
            let target = config.database_path();
            if target.exists() && !force {
                let backend = outlet::open_store(&config).await?;
                let empty = backend.store().is_empty().await?;
                backend.close().await;
                if !empty {
                    bail!(
                        "{} already holds an outlet; restore into an empty data folder, or add --force to replace it (stop the server first)",
                        target.display()
                    );
                }
            }
            std::fs::create_dir_all(&config.data_dir)?;
            // Copied beside, then renamed over: a failed copy leaves the old file whole.
            let incoming = target.with_extension("db.restoring");
            std::fs::copy(from.join(SQLITE_FILE), &incoming).context("copying the database")?;
            for stale in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(target.with_extension(stale));
            }
            std::fs::rename(&incoming, &target)?;
        }
        ("postgres", true) => {
            let url = config.database_url.as_deref().unwrap_or_default();
            run_tool(
                Command::new("pg_restore")
                    .arg("--clean")
                    .arg("--if-exists")
                    .arg("--no-owner")
                    .arg("--dbname")
                    .arg(url)
                    .arg(from.join(PG_DUMP_FILE)),
                "pg_restore",
            )?;
        }
        ("sqlite", true) => bail!(
            "this backup holds a SQLite outlet; to move it to PostgreSQL restore it into a data folder first, then use migrate-store"
        ),
        (_, false) => bail!(
            "this backup holds a PostgreSQL outlet; set database_url (or --database-url) to the database to restore it into"
        ),
        (other, _) => bail!("unknown store kind {other:?} in {MANIFEST}"),
    }
    if manifest.media {
        copy_tree(&from.join("media"), &config.media_dir())
            .context("restoring the media library")?;
    }
    if from.join(PREVIEW_KEY).exists() {
        std::fs::copy(from.join(PREVIEW_KEY), config.data_dir.join(PREVIEW_KEY))?;
    }
    // The index describes the old store: rebuilt from the restored one on next start.
    for search in [config.search_dir(), config.newsroom_search_dir()] {
        if search.exists() {
            std::fs::remove_dir_all(&search)?;
        }
    }
    // Migrations a newer Byline needs are applied now; a backup from a newer one is refused.
    let backend = outlet::open_store(&config).await?;
    backend.close().await;
    println!(
        "restored the outlet from {} (backed up {})",
        from.display(),
        manifest.created_at
    );
    Ok(())
}

/// The folder holding the media library, unless it lives in a bucket.
fn local_media(config: &Config) -> Option<std::path::PathBuf> {
    match config.media_store.as_deref().map(str::trim) {
        None | Some("") => Some(config.media_dir()),
        Some(url) => url.strip_prefix("file://").map(std::path::PathBuf::from),
    }
}

fn run_tool(command: &mut Command, name: &str) -> Result<()> {
    let out = command
        .output()
        .with_context(|| format!("running {name} (install the PostgreSQL client tools)"))?;
    if !out.status.success() {
        bail!(
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Copies every file under `from` to the same place under `to` (existing files replaced).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if !from.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
