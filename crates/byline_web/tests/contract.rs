//! The API contract checked by outside tools against a live server on 127.0.0.1:
//! the official Ghost JavaScript client (`@tryghost/content-api`, from npm) and
//! schemathesis (from PyPI) with the OpenAPI document. `.ci/run` installs both; outside
//! CI a missing tool skips its test with a printed reason.

#[path = "common/mod.rs"]
mod common;
#[path = "live/mod.rs"]
mod live;

use byline_content::accounts::{self, UserInput};
use byline_content::api_access;
use byline_core::Role;
use common::TestSite;
use std::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_ghost_client_works_unchanged() {
    let folder = live::tests_dir().join("ghost_client");
    let Some(_) = live::tool(
        folder.join("node_modules/@tryghost/content-api"),
        "@tryghost/content-api (npm install in tests/ghost_client)",
    ) else {
        return;
    };
    let site = TestSite::demo().await;
    let key = api_access::create_api_key(site.store().as_ref(), None, "ghost client")
        .await
        .unwrap()
        .text;
    let url = live::serve(&site).await;
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("run.mjs")
            .arg(&url)
            .arg(&key)
            .current_dir(&folder)
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Ghost client failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}

/// The schemathesis command: `$SCHEMATHESIS`, else the venv `.ci/run` makes.
fn schemathesis() -> std::path::PathBuf {
    std::env::var_os("SCHEMATHESIS")
        .map(Into::into)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| live::tests_dir().join("../../../target"));
            target.join("schemathesis/bin/schemathesis")
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let Some(st) = live::tool(schemathesis(), "schemathesis (pip install schemathesis)") else {
        return;
    };
    let site = TestSite::demo_with_web(|c| {
        // Thousands of generated requests: no rate limit in the way.
        c.api.rate_per_minute = 1_000_000;
        c.api.rate_burst = 1_000_000;
    })
    .await;
    let store = site.store().as_ref();
    let key = api_access::create_api_key(store, None, "schemathesis")
        .await
        .unwrap()
        .text;
    let user = accounts::create_user(
        store,
        UserInput {
            email: "st@example.org".into(),
            display_name: "Schemathesis".into(),
            role: Role::Editor,
            password: Some("correct horse battery".into()),
        },
    )
    .await
    .unwrap();
    let token = api_access::create_api_token(store, None, user.id, "st")
        .await
        .unwrap()
        .text;
    let document: serde_json::Value =
        serde_json::from_str(&site.get("/api/v1/openapi.json").await.body).unwrap();
    let url = live::serve(&site).await;
    // Schemathesis keeps an example database in its working folder: a temporary one.
    let scratch = tempfile::tempdir().unwrap();
    for (tag, bearer) in [("content", key.clone()), ("admin", token), ("site", key)] {
        let (st, url, scratch) = (st.clone(), url.clone(), scratch.path().to_owned());
        let output = tokio::task::spawn_blocking(move || {
            Command::new(&st)
                .arg("run")
                .arg(format!("{url}/api/v1/openapi.json"))
                .args(["--url", &url])
                .args(["--include-tag", tag])
                .args(["--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance"])
                .args(["--max-examples", "40"])
                .args(["--header", &format!("Authorization: Bearer {bearer}")])
                .args(["--seed", "7"])
                .env("NO_COLOR", "1")
                .current_dir(scratch)
                .output()
                .expect("schemathesis runs")
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "schemathesis found problems in the {tag} operations:\n{stdout}\n{stderr}"
        );
        eprintln!("schemathesis, {tag} operations:\n{stdout}");
        // A clean exit also comes from a run that tested nothing (a renamed tag, a
        // document it could not read): it must have tested every operation of the tag.
        let operations = operations_tagged(&document, tag);
        assert!(operations > 0, "the document has {tag} operations");
        assert_eq!(
            summary(&stdout, "Selected:").map(|s| s.split('/').next().unwrap_or("").to_owned()),
            Some(operations.to_string()),
            "schemathesis selected every {tag} operation:\n{stdout}"
        );
        assert_eq!(
            summary(&stdout, "Tested:"),
            Some(operations.to_string()),
            "schemathesis tested every {tag} operation:\n{stdout}"
        );
    }
}

/// How many operations of the OpenAPI document carry `tag`.
fn operations_tagged(document: &serde_json::Value, tag: &str) -> usize {
    document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter(|operation| {
            operation["tags"]
                .as_array()
                .is_some_and(|tags| tags.iter().any(|t| t == tag))
        })
        .count()
}

/// The value after `label` on a line of schemathesis's summary (`Tested: 12`).
fn summary(stdout: &str, label: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .map(|v| v.trim().to_owned())
}
