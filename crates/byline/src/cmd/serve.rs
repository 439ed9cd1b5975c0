//! `byline serve`: open the outlet (loading the demo into a fresh one) and serve it.

use crate::cli::ServeArgs;
use crate::config::Config;
use crate::outlet;
use anyhow::{Context, Result};
use byline_render::Theme;
use byline_web::{AppState, WebConfig};
use std::sync::Arc;

pub async fn run(config: Config, args: ServeArgs) -> Result<()> {
    let outlet = outlet::open(&config).await?;
    if !args.empty {
        outlet::load_demo_if_empty(&config, &outlet).await?;
    }
    outlet::apply_config_settings(&config, &outlet).await?;
    let theme = Theme::load(Some(&config.theme_dir())).context("loading the theme")?;
    let web = WebConfig {
        site_url: config.site_url(),
        media_dir: config.media_dir(),
        max_body_bytes: config.max_body_bytes,
        page_cache: config.page_cache,
        page_cache_bytes: config.page_cache_mb * 1024 * 1024,
        overload: byline_web::OverloadLimits {
            in_flight: config.max_in_flight,
            queue: config.max_queue,
            ..Default::default()
        },
        cdn: byline_web::CdnPolicy {
            s_maxage: config.cdn_s_maxage,
            stale_while_revalidate: config.cdn_stale_while_revalidate,
        },
        purge_webhook: config
            .purge_webhook_url
            .clone()
            .map(|url| byline_web::PurgeWebhookConfig {
                url,
                token: config.purge_webhook_token.clone(),
            }),
    };
    let state = AppState::new(outlet.content.clone(), Arc::new(theme), web);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(data_dir = %config.data_dir.display(), "Byline is serving");
    println!(
        "Byline is serving {} at http://{address}/",
        outlet.content.catalog().settings.name
    );
    byline_web::serve(listener, state, shutdown_signal()).await?;
    outlet.backend.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("stopping: finishing requests and flushing views");
}
