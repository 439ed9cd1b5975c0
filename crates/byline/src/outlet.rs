//! Opening an outlet: the store, the content service and the web state, as every
//! subcommand needs them.

use crate::config::Config;
use anyhow::{Context, Result};
use byline_content::{Content, ContentOptions};
use byline_store::{SqliteStore, Store};
use std::sync::Arc;
use std::time::Duration;

pub struct Outlet {
    pub sqlite: SqliteStore,
    pub content: Content,
}

/// Opens (creating) the data folder and the store, and applies migrations.
pub async fn open_store(config: &Config) -> Result<SqliteStore> {
    std::fs::create_dir_all(config.media_dir())
        .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
    let store = SqliteStore::open(&config.database_path())
        .await
        .with_context(|| format!("opening {}", config.database_path().display()))?;
    store.migrate().await?;
    Ok(store)
}

pub async fn open(config: &Config) -> Result<Outlet> {
    let sqlite = open_store(config).await?;
    let store: Arc<dyn Store> = Arc::new(sqlite.clone());
    let content = Content::start(
        store,
        ContentOptions {
            per_page: config.per_page,
            view_flush_interval: Duration::from_millis(config.view_flush_ms),
            search_dir: Some(config.search_dir()),
            ..ContentOptions::default()
        },
    )
    .await?;
    Ok(Outlet { sqlite, content })
}

/// Loads the demo outlet if the store is empty. Returns whether it did.
pub async fn load_demo_if_empty(config: &Config, outlet: &Outlet) -> Result<bool> {
    if !outlet.content.store().is_empty().await? {
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
        let mut settings = outlet.content.store().settings().await?;
        if &settings.timezone != tz {
            settings.timezone = tz.clone();
            outlet.content.save_settings(&settings).await?;
        }
    }
    Ok(())
}
