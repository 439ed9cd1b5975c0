//! `byline serve`: open the outlet (loading the demo into a fresh one) and serve it.

use crate::cli::ServeArgs;
use crate::config::Config;
use crate::outlet;
use anyhow::{Context, Result};
use byline_render::Theme;
use byline_web::{AppState, WebConfig};
use std::sync::Arc;
use std::time::Duration;

pub async fn run(config: Config, args: ServeArgs) -> Result<()> {
    let outlet = outlet::open(&config).await?;
    if !args.empty {
        outlet::load_demo_if_empty(&config, &outlet).await?;
    }
    outlet::apply_config_settings(&config, &outlet).await?;
    let theme = Theme::load(Some(&config.theme_dir())).context("loading the theme")?;
    // Bound before the web config is made: with port 0 only the listener knows the
    // port that absolute links (canonical, feeds, sitemaps) must carry.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    let site_url = config.site_url_at(address);
    let web = WebConfig {
        site_url: site_url.clone(),
        media_dir: config.media_dir(),
        max_body_bytes: config.max_body_bytes,
        import_dir: config.data_dir.join("imports"),
        import_max_bytes: config.import_max_bytes,
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
        alerts_webhook: config.alerts_webhook_url.clone().map(|url| {
            byline_web::AlertsWebhookConfig {
                url,
                secret: config.alerts_webhook_secret.clone(),
            }
        }),
        push_contact: config
            .push_contact
            .clone()
            .unwrap_or_else(|| site_url.clone()),
        preview_secret: outlet::preview_secret(&config)?,
        api: byline_web::ApiConfig {
            rate_per_minute: config.api_rate_per_minute,
            rate_burst: config.api_rate_burst,
            cors_origins: config
                .api_cors_origins
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        trusted_proxies: config.trusted_proxy_networks()?,
        timeouts: byline_web::Timeouts {
            header: Duration::from_secs(config.header_timeout_secs),
            body_idle: Duration::from_secs(config.header_timeout_secs),
            request: Duration::from_secs(config.request_timeout_secs),
            upload: Duration::from_secs(config.upload_timeout_secs),
            max_connections: config.max_connections,
        },
        metrics_token: config.metrics_token.clone(),
    };
    let state = AppState::new(outlet.content.clone(), Arc::new(theme), web);
    // Before the address is printed: a SIGTERM sent as soon as a script reads it stops
    // the server gracefully, and /metrics is already served.
    let signal = shutdown_signal();
    let metrics = match config.metrics_listen {
        Some(address) => Some(
            tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("cannot listen on {address} (metrics_listen)"))?,
        ),
        None => None,
    };
    tracing::info!(data_dir = %config.data_dir.display(), "Byline is serving");
    println!(
        "Byline is serving {} at http://{address}/",
        outlet.content.catalog().settings.name
    );
    // After the address line (stdout's first line, for scripts; logs go to stderr).
    if outlet.backend.store().active_admins().await? == 0 {
        let command = first_admin_command(&config);
        tracing::warn!(
            "the newsroom has no admin yet; create one with: {command}   (it prints a one-time password; then log in at {site_url}/newsroom/login)"
        );
    }
    tokio::spawn(give_back_start_up_code_when_ready(outlet.content.clone()));
    // Both listeners stop on the same signal.
    let (stop, _) = tokio::sync::broadcast::channel::<()>(1);
    if let Some(metrics) = metrics {
        tracing::info!(address = ?metrics.local_addr().ok(), "metrics served on their own listener");
        let mut stopped = stop.subscribe();
        tokio::spawn(byline_web::serve_metrics(
            metrics,
            state.clone(),
            async move {
                let _ = stopped.recv().await;
            },
        ));
    }
    let stopping = stop.clone();
    tokio::spawn(async move {
        signal.await;
        let _ = stopping.send(());
    });
    let mut stopped = stop.subscribe();
    byline_web::serve(listener, state, async move {
        let _ = stopped.recv().await;
    })
    .await?;
    outlet.backend.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Once the outlet is ready (the search index caught up with the store, every view count
/// loaded), gives back the pages of the binary that start-up alone ran (`startup_code`).
async fn give_back_start_up_code_when_ready(content: byline_content::Content) {
    while content.views_loading() || !content.readiness().await.is_ready() {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    match tokio::task::spawn_blocking(crate::startup_code::give_back).await {
        Ok(Ok(done)) => tracing::debug!(
            unmapped_mib = done.unmapped_bytes / (1024 * 1024),
            resident_kib_before = done.resident_kib_before,
            resident_kib_after = done.resident_kib_after,
            "start-up is over: the binary's code given back"
        ),
        Ok(Err(error)) => tracing::warn!(%error, "could not give back start-up's code"),
        Err(error) => tracing::warn!(%error, "giving back start-up's code failed"),
    }
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not
/// when the future is first polled, so no signal between the two is missed.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (mut interrupt, mut terminate) = handlers;
            let interrupted = async {
                match interrupt.as_mut() {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            let terminated = async {
                match terminate.as_mut() {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = interrupted => {},
                _ = terminated => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("stopping: finishing requests and flushing views");
    }
}

/// The exact command that creates the first admin for this outlet (naming the same data
/// folder or database, never a password).
pub fn first_admin_command(config: &Config) -> String {
    let target = match config.database_url.as_deref() {
        Some(url) if url.starts_with("postgres") => {
            "--database-url <the same database URL>".to_owned()
        }
        Some(url) => format!("--database-url {}", shell_word(url)),
        _ => format!(
            "--data-dir {}",
            shell_word(&config.data_dir.display().to_string())
        ),
    };
    format!("byline {target} user add --email you@example.org --role admin")
}

/// Quotes a path for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
