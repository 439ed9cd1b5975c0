//! Running the application on a listener until asked to stop, then stopping gracefully:
//! requests in flight finish and every counted view is written before we return.

use crate::state::AppState;
use std::future::Future;
use tokio::net::TcpListener;

pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = crate::app(state.clone());
    // The peer address feeds the newsroom's per-IP login throttle.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    match state.content.flush_views().await {
        Ok(n) => tracing::info!(views = n, "flushed pending views on shutdown"),
        Err(e) => {
            tracing::error!(error = %e, pending = state.content.pending_views(), "flushing views on shutdown failed")
        }
    }
    Ok(())
}
