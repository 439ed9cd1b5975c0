//! Running the application on a listener until asked to stop, then stopping gracefully:
//! requests in flight finish and every counted view is written before we return.
//!
//! Our own accept loop (hyper-util) rather than `axum::serve`, for what that one does
//! not offer: a cap on open connections, and a deadline for a request's headers that
//! also ends kept-alive connections left idle. Bodies and whole requests have their
//! deadlines in the router (`app`), where uploads get a longer one.

use crate::state::AppState;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a graceful stop waits for requests in flight before closing anyway.
const DRAIN: Duration = Duration::from_secs(30);

/// How long data we sent may stay unacknowledged (the peer gone, or not reading: a
/// zero window) before the kernel drops the connection (TCP_USER_TIMEOUT). What a
/// stalled reader holds — a live blog's event stream never ends by itself — is then
/// freed; a live peer acknowledges within round trips. nginx's `send_timeout` is alike.
const SEND_STALL: Duration = Duration::from_secs(60);

pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = crate::app(state.clone());
    // Live-blog readers would hold a graceful stop for its whole drain: their streams
    // end first (browsers reconnect, to another node or this one once it is back).
    let live = state.clone();
    let shutdown = async move {
        shutdown.await;
        live.live.close();
    };
    serve_app(
        listener,
        move |peer| app.for_peer(peer),
        state.config.timeouts,
        shutdown,
    )
    .await;
    match state.content.flush_views().await {
        Ok(n) => tracing::info!(views = n, "flushed pending views on shutdown"),
        Err(e) => {
            tracing::error!(error = %e, pending = state.content.pending_views(), "flushing views on shutdown failed")
        }
    }
    Ok(())
}

/// Serves `/metrics` alone on its own listener (an address operators keep private).
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let timeouts = state.config.timeouts;
    let app = axum::Router::new()
        .route("/metrics", axum::routing::get(crate::metrics::metrics))
        .with_state(state);
    serve_app(listener, move |_peer| app.clone(), timeouts, shutdown).await;
    Ok(())
}

/// Serves connections from `listener`, each with the service `service_for(peer)`.
async fn serve_app<S>(
    listener: TcpListener,
    service_for: impl Fn(SocketAddr) -> S,
    timeouts: crate::state::Timeouts,
    shutdown: impl Future<Output = ()> + Send + 'static,
) where
    S: tower::Service<
            axum::http::Request<hyper::body::Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        // Also started when a kept-alive connection falls idle: the idle timeout.
        .header_read_timeout(timeouts.header);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(timeouts.header))
        .keep_alive_timeout(timeouts.header);
    let builder = Arc::new(builder);
    let connections = Arc::new(Semaphore::new(timeouts.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // At the cap, stop accepting: new connections wait in the kernel's backlog.
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, keep serving.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let _ = socket2::SockRef::from(&stream).set_tcp_user_timeout(Some(SEND_STALL));
        let tower_service = service_for(peer);
        let (builder, watcher) = (builder.clone(), graceful.watcher());
        tokio::spawn(async move {
            // The protocol is told by the first bytes (HTTP/1 or HTTP/2's preface), and
            // no deadline runs before they come: a client that connects and says
            // nothing is closed here after the header timeout.
            let mut first = [0u8; 1];
            match tokio::time::timeout(timeouts.header, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return drop(permit),
            }
            let connection = builder.serve_connection_with_upgrades(
                TokioIo::new(stream),
                TowerToHyperService::new(tower_service),
            );
            // Errors here are clients going away or timing out; nothing to answer.
            if let Err(e) = watcher.watch(connection).await {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {DRAIN:?}; stopping anyway");
    }
}
