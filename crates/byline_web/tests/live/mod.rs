//! A real server on 127.0.0.1 for tests that run outside tools against it, and the rule
//! for tools that are missing: skip with a reason outside CI, fail in CI.

use crate::common::TestSite;
use std::path::PathBuf;

/// The demo outlet served on a free loopback port; returns its base URL.
pub async fn serve(site: &TestSite) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = site.state.clone();
    tokio::spawn(async move {
        byline_web::serve(listener, state, std::future::pending())
            .await
            .unwrap();
    });
    format!("http://{address}")
}

/// `Some(path)` when the tool exists; otherwise skips (`None`) with a printed reason,
/// or panics in CI (where `.ci/run` installs it).
pub fn tool(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{what} is missing at {} (.ci/run installs it)",
            path.display()
        );
    }
    eprintln!(
        "skipped: {what} is missing at {} (.ci/run installs it)",
        path.display()
    );
    None
}

/// The folder of the crate's tests.
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}
