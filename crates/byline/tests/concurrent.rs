//! Commands started at the same moment on one outlet wait for each other instead of
//! failing: on SQLite, migrations run under an exclusive lock and every connection has
//! a busy timeout; on PostgreSQL, migrations run under an advisory lock.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn byline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_byline"));
    // Only what a test sets: no BYLINE_* from the environment running the tests.
    for (k, _) in std::env::vars() {
        if k.starts_with("BYLINE_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Eight `byline migrate` at once on one new data folder, three times over: all succeed.
#[test]
fn parallel_migrations_of_a_new_data_folder_all_succeed() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let migrations: Vec<_> = (0..8)
            .map(|_| {
                byline()
                    .arg("--data-dir")
                    .arg(dir.path())
                    .arg("migrate")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let failures: Vec<String> = migrations
            .into_iter()
            .map(|m| m.wait_with_output().unwrap())
            .filter(|out| !out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stderr).into_owned())
            .collect();
        assert!(failures.is_empty(), "round {round}: {failures:#?}");
    }
}

/// Starts `byline serve` and `byline user add` at the same moment on the outlet `target`
/// names. `None` when both did their job (the account was added; the server answered a
/// request and stopped cleanly on SIGTERM), else what went wrong.
fn serve_and_add_a_user(target: &[OsString], round: usize, logs: &Path) -> Option<String> {
    let serve_log = logs.join(format!("serve-{round}.log"));
    let mut serve = byline()
        .args(target)
        .args(["serve", "--empty", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&serve_log).unwrap())
        .spawn()
        .unwrap();
    let user = byline()
        .args(target)
        .args(["user", "add", "--role", "admin", "--email"])
        .arg(format!("editor{round}@example.org"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
        .wait_with_output()
        .unwrap();
    let mut problems = Vec::new();
    if !user.status.success() {
        problems.push(format!(
            "user add failed: {}",
            String::from_utf8_lossy(&user.stderr)
        ));
    }
    // The first line of output is the address once it serves (end of output if it
    // stopped); the rest is drained so that the server never writes into a closed pipe.
    let mut stdout = BufReader::new(serve.stdout.take().unwrap());
    let mut first_line = String::new();
    let _ = stdout.read_line(&mut first_line);
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let answer = first_line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .map(get_front_page);
    match &answer {
        // Answering proves it serves, and that its SIGTERM handler is in place.
        Some(Ok(status)) if status.starts_with("HTTP/1.1 200") => {
            let _ = Command::new("kill")
                .args(["-TERM", &serve.id().to_string()])
                .status();
        }
        _ => {
            let _ = serve.kill();
        }
    }
    let stopped = serve.wait().unwrap();
    let served = matches!(&answer, Some(Ok(status)) if status.starts_with("HTTP/1.1 200"));
    if !served || !stopped.success() {
        problems.push(format!(
            "serve printed {first_line:?}, answered {answer:?}, ended with {stopped}: {}",
            std::fs::read_to_string(&serve_log).unwrap_or_default()
        ));
    }
    (!problems.is_empty()).then(|| format!("round {round}: {}", problems.join("; ")))
}

/// The status line of `GET /en/` at `address`.
fn get_front_page(address: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    // A bound for a server that accepts and never answers: the test ends regardless.
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.write_all(b"GET /en/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
    let mut status = String::new();
    BufReader::new(stream).read_line(&mut status)?;
    Ok(status)
}

/// `serve` and `user add` started together on a new SQLite data folder, 20 times: no
/// failure.
#[test]
fn serve_and_user_add_started_together_on_sqlite() {
    let logs = tempfile::tempdir().unwrap();
    let failures: Vec<String> = (0..20)
        .filter_map(|round| {
            let dir = tempfile::tempdir().unwrap();
            let target = [OsString::from("--data-dir"), dir.path().into()];
            serve_and_add_a_user(&target, round, logs.path())
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of 20 failed: {failures:#?}",
        failures.len()
    );
}

/// The same on a new PostgreSQL database each time.
#[test]
fn serve_and_user_add_started_together_on_postgresql() {
    let rt = runtime();
    let logs = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for round in 0..20 {
        let Some(db) = rt.block_on(byline_store::testdb::TestDatabase::create()) else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let target = [
            OsString::from("--data-dir"),
            dir.path().into(),
            OsString::from("--database-url"),
            OsString::from(db.url()),
        ];
        failures.extend(serve_and_add_a_user(&target, round, logs.path()));
        rt.block_on(db.drop_db());
    }
    assert!(
        failures.is_empty(),
        "{} of 20 failed: {failures:#?}",
        failures.len()
    );
}
