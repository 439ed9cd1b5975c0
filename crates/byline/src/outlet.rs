//! Opening an outlet: the store, the content service and the web state, as every
//! subcommand needs them.

use crate::config::Config;
use anyhow::{Context, Result};
use byline_content::{Content, ContentOptions};
use byline_store::{Durability, PostgresStore, SqliteStore, Store};
use std::sync::Arc;
use std::time::Duration;

/// The configured database: the embedded SQLite file, or PostgreSQL.
#[derive(Clone)]
pub enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Backend {
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(s) => Arc::new(s.clone()),
            Backend::Postgres(p) => Arc::new(p.clone()),
        }
    }

    /// Where the data is, for messages (never the password).
    pub fn describe(&self, config: &Config) -> String {
        match self {
            Backend::Sqlite(_) => config.database_path().display().to_string(),
            Backend::Postgres(_) => "the PostgreSQL database".to_owned(),
        }
    }

    /// Puts every commit so far on disk (see `byline_store::Durability`; PostgreSQL's
    /// commits always are).
    pub async fn sync(&self) -> Result<()> {
        match self {
            Backend::Sqlite(s) => s.sync().await.context("syncing the database to disk"),
            Backend::Postgres(_) => Ok(()),
        }
    }

    pub async fn close(&self) {
        match self {
            Backend::Sqlite(s) => s.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }
}

pub struct Outlet {
    pub backend: Backend,
    pub content: Content,
}

/// Opens (creating) the data folder and the store, and applies migrations.
pub async fn open_store(config: &Config) -> Result<Backend> {
    open_store_with(config, Durability::EveryCommit).await
}

/// As [`open_store`]; `durability` is for SQLite (PostgreSQL commits durably).
async fn open_store_with(config: &Config, durability: Durability) -> Result<Backend> {
    std::fs::create_dir_all(config.media_dir())
        .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
    match config.database_url.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = PostgresStore::connect(url)
                .await
                .context("connecting to PostgreSQL (database_url)")?;
            store.migrate().await?;
            Ok(Backend::Postgres(store))
        }
        _ => {
            let store = SqliteStore::open_with(&config.database_path(), durability)
                .await
                .with_context(|| format!("opening {}", config.database_path().display()))?;
            store.migrate().await?;
            Ok(Backend::Sqlite(store))
        }
    }
}

pub async fn open(config: &Config) -> Result<Outlet> {
    open_with_search(config, true).await
}

/// The outlet for a command that runs beside the server (`byline import`): the
/// server holds the search index, counts views, publishes on schedule and follows the
/// change feed (this process's writes included), so this one does none of it. Its
/// SQLite commits reach the disk at [`Backend::sync`], which the command calls before
/// it reports success: an interrupted import is run again, and an fsync per item was
/// most of its time.
pub async fn open_for_import(config: &Config) -> Result<Outlet> {
    open_with_search(config, false).await
}

/// A serving outlet keeps its search indexes in the data folder; a command beside the
/// server starts no indexer and keeps its (unused) indexes in memory.
async fn open_with_search(config: &Config, serving: bool) -> Result<Outlet> {
    let durability = if serving {
        Durability::EveryCommit
    } else {
        Durability::AtSync
    };
    let backend = open_store_with(config, durability).await?;
    let store = backend.store();
    let media_storage = byline_media::MediaStorage::from_config(
        config.media_store.as_deref(),
        &config.media_dir(),
    )?;
    tracing::info!(storage = media_storage.describe(), "media library");
    let content = Content::start(
        store,
        ContentOptions {
            alerts_webhook: serving && config.alerts_webhook_url.is_some(),
            per_page: config.per_page,
            view_flush_interval: Duration::from_millis(config.view_flush_ms),
            search_dir: serving.then(|| config.search_dir()),
            newsroom_search_dir: serving.then(|| config.newsroom_search_dir()),
            media_storage,
            media_limits: byline_media::Limits {
                max_bytes: config.media_max_bytes,
                ..byline_media::Limits::default()
            },
            view_limits: byline_content::ViewLimits {
                window: Duration::from_secs(config.view_window_secs),
                per_address: config.views_per_address,
            },
            serving,
            push: byline_content::PushOptions {
                enabled: config.push_enabled,
                services: match config.push_service_list() {
                    list if list.is_empty() => byline_content::PushOptions::default().services,
                    list => list,
                },
            },
            ..ContentOptions::default()
        },
    )
    .await?;
    Ok(Outlet { backend, content })
}

/// Loads the demo outlet if the store is empty. Returns whether it did.
pub async fn load_demo_if_empty(config: &Config, outlet: &Outlet) -> Result<bool> {
    if !outlet.backend.store().is_empty().await? {
        return Ok(false);
    }
    let summary = byline_demo::load(&outlet.content, &config.media_dir()).await?;
    tracing::info!(
        articles = summary.articles,
        "loaded the demo outlet \"Meridian Review\""
    );
    Ok(true)
}

/// Applies the operator's timezone from the configuration to the stored settings.
pub async fn apply_config_settings(config: &Config, outlet: &Outlet) -> Result<()> {
    if let Some(tz) = &config.timezone {
        let mut settings = outlet.backend.store().settings().await?;
        if &settings.timezone != tz {
            settings.timezone = tz.clone();
            outlet.content.save_settings(&settings).await?;
        }
    }
    Ok(())
}

/// The key signing newsroom preview links: `<data_dir>/preview.key`, made (32 random
/// bytes, hex, readable by the owner only) on first start. Deleting the file ends every
/// preview link handed out.
pub fn preview_secret(config: &Config) -> Result<Vec<u8>> {
    let path = config.data_dir.join("preview.key");
    match std::fs::read_to_string(&path) {
        Ok(key) if key.trim().len() >= 32 => return Ok(key.trim().as_bytes().to_vec()),
        Ok(_) => anyhow::bail!(
            "{} is too short to be a key; delete it to make a new one",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
    let key = byline_content::accounts::random_token();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    use std::io::Write;
    options
        .open(&path)
        .and_then(|mut f| f.write_all(key.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "made the preview link key");
    Ok(key.into_bytes())
}
