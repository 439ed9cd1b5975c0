//! The binary itself: subcommands, the data folder, start-up errors.

use std::process::Command;

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

#[test]
fn migrate_creates_the_data_folder_and_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("outlet");
    let out = byline()
        .arg("--data-dir")
        .arg(&data)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("byline.db").exists());
    assert!(data.join("media").is_dir());
}

#[test]
fn demo_loads_once_and_refuses_a_store_with_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = byline()
        .env("BYLINE_DATA_DIR", dir.path())
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.path()
            .join("media/demo/covers")
            .read_dir()
            .unwrap()
            .count()
            > 20,
        "covers generated"
    );
    // The planner has the demo's statistics from the first reader on.
    let analyzed = tokio::runtime::Runtime::new().unwrap().block_on(async {
        scalar(
            &mut sqlite(dir.path()).await,
            "select count(*) from sqlite_stat1 where tbl = 'articles'",
        )
        .await
    });
    assert!(analyzed > 0, "the demo left no statistics");
    let again = byline()
        .env("BYLINE_DATA_DIR", dir.path())
        .arg("demo")
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds content"));
}

#[test]
fn an_invalid_config_value_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("byline.toml");
    std::fs::write(&config, "timezone = \"Atlantis/Capital\"\n").unwrap();
    let out = byline()
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .arg("--empty")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("timezone") && stderr.contains("Atlantis/Capital"),
        "{stderr}"
    );

    let out = byline()
        .env("BYLINE_LISTEN", "nowhere")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .to_lowercase()
            .contains("listen")
    );
}

#[test]
fn serve_listens_where_told_and_stops_on_sigterm() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (child, line) = serve_empty(dir.path(), port, &[]);
    assert!(
        line.contains(&format!("http://127.0.0.1:{port}/")),
        "prints the URL: {line}"
    );

    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /en/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..answer.len().min(200)]
    );

    // The running server holds the search index: reindex says so instead of fighting it.
    let reindex = byline()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("reindex")
        .output()
        .unwrap();
    assert!(!reindex.status.success());
    let stderr = String::from_utf8_lossy(&reindex.stderr);
    assert!(stderr.contains("in use"), "{stderr}");

    stop_gracefully(child);
}

#[test]
fn database_url_selects_postgresql() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(db) = rt.block_on(byline_store::testdb::TestDatabase::create()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = byline()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--database-url")
        .arg(&db.url)
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !dir.path().join("byline.db").exists(),
        "no SQLite file when PostgreSQL is configured"
    );
    let count: i64 = rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query_scalar("select count(*) from articles where status = 'published'")
            .fetch_one(&mut c)
            .await
            .unwrap()
    });
    assert!(
        count > 50,
        "the demo outlet went into PostgreSQL ({count} articles)"
    );
    let again = byline()
        .env("BYLINE_DATABASE_URL", &db.url)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "the env var selects the same database"
    );
    rt.block_on(db.drop_db());
}

#[test]
fn reindex_rebuilds_the_search_index_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let demo = byline()
        .env("BYLINE_DATA_DIR", dir.path())
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    // A stray half-built index from an interrupted run is cleaned up, not trusted.
    std::fs::create_dir_all(dir.path().join("search.new")).unwrap();
    std::fs::write(dir.path().join("search.new/junk"), b"x").unwrap();
    let out = byline()
        .env("BYLINE_DATA_DIR", dir.path())
        .arg("reindex")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("indexed 6") || stdout.contains("published articles"),
        "{stdout}"
    );
    assert!(dir.path().join("search/meta.json").exists());
    assert!(!dir.path().join("search.new").exists());
    // Twice is fine: the new index replaces the old one.
    let again = byline()
        .env("BYLINE_DATA_DIR", dir.path())
        .arg("reindex")
        .output()
        .unwrap();
    assert!(again.status.success());
}

#[test]
fn user_add_creates_accounts_and_prints_a_one_time_password() {
    let dir = tempfile::tempdir().unwrap();
    let add = |args: &[&str]| {
        byline()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["user", "add"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = add(&["--email", "Chief@Example.org", "--role", "admin"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("one-time password: "))
        .unwrap_or_else(|| panic!("prints a one-time password: {stdout}"));
    assert!(password.len() >= 10, "{password}");

    let given = add(&[
        "--email",
        "writer@example.org",
        "--role",
        "author",
        "--password",
        "a long enough password",
    ]);
    assert!(given.status.success());
    assert!(
        !String::from_utf8_lossy(&given.stdout).contains("one-time password"),
        "no password printed when one is given"
    );

    let again = add(&["--email", "chief@example.org", "--role", "editor"]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let short = add(&[
        "--email",
        "x@example.org",
        "--role",
        "editor",
        "--password",
        "short",
    ]);
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let bad_role = add(&["--email", "y@example.org", "--role", "owner"]);
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("owner"));

    // Stored hashed with Argon2id, never in clear.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", dir.path().join("byline.db").display());
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("select email, role, password_hash from users order by id")
                .fetch_all(&mut c)
                .await
                .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].0.as_str(), rows[0].1.as_str()),
            ("Chief@Example.org", "admin")
        );
        assert!(rows[0].2.starts_with("$argon2id$"));
        assert!(!rows[0].2.contains(password));
    });
}

/// `byline serve` of a new, empty outlet in `data_dir`, on a port of the system's choice.
fn serve_empty_command(data_dir: &std::path::Path) -> Command {
    let mut command = byline();
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--empty", "--listen", "127.0.0.1:0"]);
    command
}

/// Starts `command` (a `serve`) and reads its log lines (stderr) until one matches
/// `until` or `most` lines have come, then stops it. A watchdog ends the server if
/// neither happens within a minute, so a failure is a failed assertion, not a hung test.
fn log_lines_until(
    command: &mut Command,
    most: usize,
    until: impl Fn(&str) -> bool,
) -> Vec<String> {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Until `done` is set the child is not yet killed and waited for, so its pid is
    // still its own.
    let pid = child.id().to_string();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watched = done.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        if !watched.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
        }
    });
    let mut seen = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let found = until(&line);
        seen.push(line);
        if found || seen.len() > most {
            break;
        }
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = child.kill();
    let _ = child.wait();
    seen
}

/// Once the outlet is ready, the server gives back the pages of its binary that only
/// start-up ran (`startup_code`): the log says how much of its code was resident just
/// before and just after.
#[cfg(target_os = "linux")]
#[test]
fn a_ready_server_gives_back_start_ups_code() {
    let dir = tempfile::tempdir().unwrap();
    let seen = log_lines_until(
        serve_empty_command(dir.path())
            .env("RUST_LOG", "warn,byline::cmd::serve=debug")
            .env("NO_COLOR", "1"),
        40,
        |line| line.contains("code given back"),
    );
    let line = seen
        .iter()
        .find(|l| l.contains("start-up is over"))
        .unwrap_or_else(|| panic!("no giving back logged: {seen:#?}"));
    let number = |name: &str| -> u64 {
        line.split(&format!("{name}="))
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {line}"))
    };
    assert!(
        number("resident_kib_after") < number("resident_kib_before"),
        "{line}"
    );
}

#[test]
fn serve_without_an_admin_logs_the_command_that_creates_one() {
    let dir = tempfile::tempdir().unwrap();
    let seen = log_lines_until(
        serve_empty_command(dir.path())
            // Without it the server would leave colours out anyway: not what is tested.
            .env_remove("NO_COLOR"),
        20,
        |line| line.contains("user add"),
    );
    let expected = format!(
        "byline --data-dir {} user add --email you@example.org --role admin",
        dir.path().display()
    );
    // Not a terminal: plain lines, no colour codes (journald, log files).
    assert!(
        !seen.iter().any(|l| l.contains('\u{1b}')),
        "escape codes in logs that go to a pipe: {seen:#?}"
    );
    assert!(
        seen.iter().any(|l| l.contains(&expected)),
        "a log line names the exact command ({expected}): {seen:#?}"
    );
}

#[test]
fn api_keys_and_tokens_are_printed_as_the_last_word_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = byline()
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), stdout, stderr)
    };
    let last_word = |s: &str| s.split_whitespace().last().unwrap_or("").to_owned();

    let (ok, out, err) = run(&["api-key", "create", "--name", "iOS app"]);
    assert!(ok, "{err}");
    let key = last_word(&out);
    assert_eq!(key.len(), 26, "{out}");
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    let (_, list, _) = run(&["api-key", "list"]);
    assert!(list.contains("live") && list.contains("iOS app"), "{list}");
    let (ok, _, err) = run(&["api-key", "revoke", &key]);
    assert!(ok, "{err}");
    let (_, list, _) = run(&["api-key", "list"]);
    assert!(list.contains("revoked"), "{list}");
    let (ok, _, err) = run(&["api-key", "revoke", &key]);
    assert!(!ok && err.contains("no live API key"), "{err}");

    let (ok, _, err) = run(&["token", "create", "--email", "desk@example.org"]);
    assert!(!ok && err.contains("no account"), "{err}");
    let (ok, _, err) = run(&[
        "user",
        "add",
        "--email",
        "desk@example.org",
        "--role",
        "editor",
    ]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["token", "create", "--email", "Desk@Example.org"]);
    assert!(ok, "{err}");
    let token = last_word(&out);
    assert_eq!(token.len(), 64, "{out}");
    let (ok, _, err) = run(&["token", "revoke", "1"]);
    assert!(ok, "{err}");
    let (_, list, _) = run(&["token", "list"]);
    assert!(list.contains("revoked"), "{list}");
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(
        root: &std::path::Path,
        dir: &std::path::Path,
        out: &mut std::collections::BTreeMap<String, Vec<u8>>,
    ) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn succeeds(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn backup_and_restore_give_an_identical_outlet() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let (original, backup, restored) = (
        dir.path().join("original"),
        dir.path().join("backup"),
        dir.path().join("restored"),
    );
    succeeds(byline().arg("--data-dir").arg(&original).arg("demo"));
    succeeds(byline().arg("--data-dir").arg(&original).args([
        "user",
        "add",
        "--email",
        "desk@example.org",
        "--role",
        "admin",
    ]));
    succeeds(
        byline()
            .arg("--data-dir")
            .arg(&original)
            .args(["backup", "--to"])
            .arg(&backup),
    );
    succeeds(
        byline()
            .arg("--data-dir")
            .arg(&restored)
            .args(["restore", "--from"])
            .arg(&backup),
    );

    // Every table, row for row, both ways.
    let mut db = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        original.join("byline.db").display()
    ))
    .await
    .unwrap();
    sqlx::query(&format!(
        "attach database '{}' as restored",
        restored.join("byline.db").display()
    ))
    .execute(&mut db)
    .await
    .unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from main.sqlite_master where type = 'table' and name not like 'sqlite_%'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    assert!(tables.len() > 10, "{tables:?}");
    let mut rows = 0i64;
    for table in &tables {
        for (a, b) in [("main", "restored"), ("restored", "main")] {
            let missing: i64 = sqlx::query_scalar(&format!(
                "select count(*) from (select * from {a}.{table} except select * from {b}.{table})"
            ))
            .fetch_one(&mut db)
            .await
            .unwrap();
            assert_eq!(missing, 0, "{table}: rows of {a} missing from {b}");
        }
        rows += sqlx::query_scalar::<_, i64>(&format!("select count(*) from main.{table}"))
            .fetch_one(&mut db)
            .await
            .unwrap();
    }
    assert!(
        rows > 100,
        "the demo outlet and a user were compared ({rows} rows)"
    );
    let users: i64 = sqlx::query_scalar("select count(*) from restored.users")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(users, 1);
    assert_eq!(
        files(&original.join("media")),
        files(&restored.join("media")),
        "the media library"
    );

    // Neither command overwrites by accident.
    let again = byline()
        .arg("--data-dir")
        .arg(&restored)
        .args(["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds an outlet"));
    let over = byline()
        .arg("--data-dir")
        .arg(&original)
        .args(["backup", "--to"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!over.status.success());
    assert!(String::from_utf8_lossy(&over.stderr).contains("is not empty"));
    // A restored outlet serves: its store opens and migrates.
    succeeds(byline().arg("--data-dir").arg(&restored).arg("migrate"));
}

#[tokio::test]
async fn a_postgresql_outlet_backs_up_and_restores_with_pg_dump() {
    use byline_store::testdb::TestDatabase;
    use sqlx::Connection;
    let Some(source) = TestDatabase::create().await else {
        return;
    };
    let target = TestDatabase::create().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup");
    succeeds(
        byline()
            .args(["--database-url", source.url(), "--data-dir"])
            .arg(dir.path().join("a"))
            .arg("demo"),
    );
    succeeds(
        byline()
            .args(["--database-url", source.url(), "--data-dir"])
            .arg(dir.path().join("a"))
            .args(["backup", "--to"])
            .arg(&backup),
    );
    assert!(backup.join("byline.pgdump").exists());
    succeeds(
        byline()
            .args(["--database-url", target.url(), "--data-dir"])
            .arg(dir.path().join("b"))
            .args(["restore", "--from"])
            .arg(&backup),
    );

    // Every table's rows, as PostgreSQL prints them, in order.
    async fn contents(url: &str) -> Vec<(String, Vec<String>)> {
        let mut db = sqlx::PgConnection::connect(url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "select table_name::text from information_schema.tables
             where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
        )
        .fetch_all(&mut db)
        .await
        .unwrap();
        let mut out = Vec::new();
        for table in tables {
            let rows: Vec<String> =
                sqlx::query_scalar(&format!("select t::text from {table} t order by 1"))
                    .fetch_all(&mut db)
                    .await
                    .unwrap();
            out.push((table, rows));
        }
        out
    }
    let (before, after) = (contents(source.url()).await, contents(target.url()).await);
    assert!(before.len() > 10);
    assert!(before.iter().map(|(_, rows)| rows.len()).sum::<usize>() > 100);
    assert_eq!(before, after);
    assert_eq!(
        files(&dir.path().join("a/media")),
        files(&dir.path().join("b/media"))
    );
    source.drop_db().await;
    target.drop_db().await;
}

#[tokio::test]
async fn a_database_from_a_newer_byline_is_refused_by_name() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    succeeds(byline().arg("--data-dir").arg(dir.path()).arg("migrate"));
    let mut db = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        dir.path().join("byline.db").display()
    ))
    .await
    .unwrap();
    // What a newer Byline's migration would leave behind.
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (99990101, 'from the future', true, x'00', 0)",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
    for command in [&["serve", "--listen", "127.0.0.1:0"][..], &["migrate"]] {
        let out = byline()
            .arg("--data-dir")
            .arg(dir.path())
            .args(command)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command:?} must refuse");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("migrated by a newer Byline") && stderr.contains("99990101"),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn migrate_store_moves_a_sqlite_outlet_into_postgresql_and_reruns_safely() {
    use byline_store::testdb::TestDatabase;
    use sqlx::Connection;
    let Some(target) = TestDatabase::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    succeeds(byline().arg("--data-dir").arg(dir.path()).arg("demo"));
    succeeds(byline().arg("--data-dir").arg(dir.path()).args([
        "user",
        "add",
        "--email",
        "desk@example.org",
        "--role",
        "admin",
    ]));
    let moved = succeeds(byline().arg("--data-dir").arg(dir.path()).args([
        "migrate-store",
        "--to",
        target.url(),
    ]));
    assert!(moved.contains("the outlet moved"), "{moved}");
    let again = succeeds(byline().arg("--data-dir").arg(dir.path()).args([
        "migrate-store",
        "--to",
        target.url(),
    ]));
    assert!(again.contains("already in the target"), "{again}");

    // Checked independently of the tool's own checksums: counts, one article, one user.
    let mut sqlite = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        dir.path().join("byline.db").display()
    ))
    .await
    .unwrap();
    let mut pg = sqlx::PgConnection::connect(target.url()).await.unwrap();
    for table in byline_store::transfer::TABLES {
        let sql = format!("select count(*) from {table}");
        let a: i64 = sqlx::query_scalar(&sql)
            .fetch_one(&mut sqlite)
            .await
            .unwrap();
        let b: i64 = sqlx::query_scalar(&sql).fetch_one(&mut pg).await.unwrap();
        assert_eq!(a, b, "{table}");
    }
    let sql = "select title || '|' || body_markdown || '|' || views from articles where id = 1";
    let a: String = sqlx::query_scalar(sql)
        .fetch_one(&mut sqlite)
        .await
        .unwrap();
    let b: String = sqlx::query_scalar(sql).fetch_one(&mut pg).await.unwrap();
    assert_eq!(a, b);
    let hash: String = sqlx::query_scalar("select password_hash from users")
        .fetch_one(&mut pg)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$"),
        "the login moves with the account"
    );

    // The PostgreSQL outlet takes new content after the copied ids.
    let next: i64 = sqlx::query_scalar(
        "insert into tags (slug, names) values ('after-the-move', '{}') returning id",
    )
    .fetch_one(&mut pg)
    .await
    .unwrap();
    let max: i64 = sqlx::query_scalar("select max(id) from tags where slug <> 'after-the-move'")
        .fetch_one(&mut sqlite)
        .await
        .unwrap();
    assert!(next > max, "sequences continue after the copied ids");

    // Now the target differs from the source: a re-run refuses instead of mixing outlets.
    let refused = byline()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["migrate-store", "--to", target.url()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("already holds a different outlet"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    pg.close().await.unwrap();
    target.drop_db().await;
}

/// A running `byline` child, killed if the test fails before it stops it.
struct Running {
    child: std::process::Child,
    base: String,
}

impl Running {
    /// Starts `command` and reads the address it serves on, which must be the first
    /// line of its stdout (logs go to stderr; scripts rely on it). A thread reads the
    /// output and drains the rest, so the child never blocks on a full pipe; if no
    /// line comes within a minute the child is killed and the test fails.
    fn start(command: &mut Command) -> Running {
        use std::io::{BufRead, BufReader};
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (first, first_line) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = stdout.lines();
            let _ = first.send(lines.next());
            lines.for_each(drop);
        });
        let line = match first_line.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(Some(Ok(line))) => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no first line of output from the server: {other:?}");
            }
        };
        let Some(address) = line.split_whitespace().find(|w| w.starts_with("http://")) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the first line of output is not the address: {line:?}");
        };
        let base = address.trim_end_matches('/').to_owned();
        Running { child, base }
    }

    /// SIGTERM, and the exit status must be a success.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        assert!(
            self.child.wait().unwrap().success(),
            "a graceful stop exits 0"
        );
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn sqlite(data: &std::path::Path) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let url = format!("sqlite://{}", data.join("byline.db").display());
    sqlx::SqliteConnection::connect(&url).await.unwrap()
}

async fn scalar(c: &mut sqlx::SqliteConnection, query: &str) -> i64 {
    sqlx::query_scalar(query).fetch_one(c).await.unwrap()
}

/// `cargo run --release` is `byline` with no subcommand and no configuration: it must
/// create the data folder (SQLite in WAL mode), load the whole demo outlet and serve it;
/// the URLs it writes into pages carry the port it really got; views counted before a
/// SIGTERM are in the store after it; a restart keeps the outlet (no second demo).
#[tokio::test]
async fn a_first_start_serves_the_demo_and_a_stop_keeps_every_view() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("byline-data");
    let start = || {
        let mut c = byline();
        c.current_dir(dir.path())
            .env("BYLINE_LISTEN", "127.0.0.1:0");
        c
    };
    let node = Running::start(&mut start());
    let http = reqwest::Client::new();
    let front = http.get(format!("{}/en/", node.base)).send().await.unwrap();
    assert_eq!(front.status(), 200);
    let front = front.text().await.unwrap();
    assert!(
        front.contains("Meridian Review"),
        "the demo outlet is served"
    );
    assert!(
        front.contains(&format!(
            "<link rel=\"canonical\" href=\"{}/en/\">",
            node.base
        )),
        "absolute URLs carry the bound port, not :0"
    );

    let mut db = sqlite(&data).await;
    let mode: String = sqlx::query_scalar("pragma journal_mode")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    // The demo outlet as the issue sets it out: three editions, six sections described
    // in each, about sixty articles, every edition with a full front page.
    for edition in ["en", "ru", "hy"] {
        let n = scalar(
            &mut db,
            &format!(
                "select count(*) from articles where status = 'published' and edition = '{edition}'"
            ),
        )
        .await;
        assert!(n >= 15, "{edition}: {n} published articles");
        let described = scalar(
            &mut db,
            &format!(
                "select count(*) from sections where length(json_extract(descriptions, '$.{edition}')) > 20"
            ),
        )
        .await;
        assert_eq!(described, 6, "{edition}: every section has a description");
    }
    let total = scalar(
        &mut db,
        "select count(*) from articles where status = 'published'",
    )
    .await;
    assert!((55..=80).contains(&total), "about sixty articles: {total}");

    // Views: beacons, then a stop; every view counted must be stored. From one address
    // (this test's), each browser counts once and the address ten times at most.
    let (id, before): (i64, i64) = sqlx::query_as(
        "select id, views from articles where status = 'published' order by id limit 1",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    let mut shown = 0;
    for i in 0..25 {
        let r = http
            .post(format!("{}/api/v1/views/{id}", node.base))
            .header(
                "user-agent",
                format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/{}.0", 100 + i % 12),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        shown = r.json::<serde_json::Value>().await.unwrap()["views"]
            .as_i64()
            .unwrap();
    }
    assert_eq!(
        shown,
        before + 10,
        "twelve browsers, one address: ten views"
    );
    node.stop();
    let after: i64 = sqlx::query_scalar("select views from articles where id = ?")
        .bind(id)
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(
        after,
        before + 10,
        "every view counted before the stop is stored"
    );

    // A restart keeps the outlet as it is: no second demo on top.
    let node = Running::start(&mut start());
    assert_eq!(
        http.get(format!("{}/en/", node.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        scalar(
            &mut db,
            "select count(*) from articles where status = 'published'"
        )
        .await,
        total
    );
    node.stop();
}

/// `serve --empty` on a fresh folder is a real outlet's first start: nothing is loaded,
/// and the reader site still answers (an empty front page, not an error).
#[tokio::test]
async fn serve_empty_starts_a_real_outlet_with_no_content() {
    let dir = tempfile::tempdir().unwrap();
    let node = Running::start(byline().arg("--data-dir").arg(dir.path()).args([
        "serve",
        "--empty",
        "--listen",
        "127.0.0.1:0",
    ]));
    let front = reqwest::get(format!("{}/en/", node.base)).await.unwrap();
    assert_eq!(front.status(), 200);
    let mut db = sqlite(dir.path()).await;
    assert_eq!(scalar(&mut db, "select count(*) from articles").await, 0);
    assert_eq!(scalar(&mut db, "select count(*) from sections").await, 0);
    node.stop();
}

/// A valid `BYLINE_TIMEZONE` replaces the outlet's stored time zone on its pages (the
/// demo's is Asia/Baku, +04:00).
#[tokio::test]
async fn byline_timezone_changes_the_times_readers_see() {
    let dir = tempfile::tempdir().unwrap();
    let node = Running::start(
        byline()
            .env("BYLINE_TIMEZONE", "UTC")
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"]),
    );
    let page = reqwest::get(format!(
        "{}/en/analytics/grid-interconnectors-learning-to-share",
        node.base
    ))
    .await
    .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("datetime=\"2026-06-09T04:30:00+00:00\"")
            && page.contains("09 June 2026 04:30"),
        "the 08:30 Baku publish time shown in UTC"
    );
    node.stop();
}

/// SIGTERM, and the process exits 0 (a graceful stop).
fn stop_gracefully(mut child: std::process::Child) {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(child.wait().unwrap().success(), "a graceful stop exits 0");
}

/// A free loopback port (bound and released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `byline serve --empty` on a new outlet in `data`, listening on `port`, with `env`
/// set; the child and the first line it printed (its address).
fn serve_empty(
    data: &std::path::Path,
    port: u16,
    env: &[(&str, &str)],
) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut command = byline();
    command
        .arg("--data-dir")
        .arg(data)
        .arg("serve")
        .arg("--empty")
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

/// `/metrics` is not on the public listener by default; `metrics_listen` serves it alone
/// on an address of its own, and SIGTERM stops both (issue 13).
#[test]
fn metrics_are_served_only_on_their_own_listener() {
    use std::io::{Read, Write};
    let (port, metrics_port) = (free_port(), free_port());
    let dir = tempfile::tempdir().unwrap();
    let metrics_listen = format!("127.0.0.1:{metrics_port}");
    let (child, _) = serve_empty(
        dir.path(),
        port,
        &[("BYLINE_METRICS_LISTEN", &metrics_listen)],
    );
    let get = |port: u16, path: &str| {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    assert!(get(port, "/healthz").starts_with("HTTP/1.1 200"));
    let public = get(port, "/metrics");
    assert!(
        public.starts_with("HTTP/1.1 404"),
        "{}",
        &public[..public.len().min(200)]
    );
    let private = get(metrics_port, "/metrics");
    assert!(private.starts_with("HTTP/1.1 200"), "{private}");
    assert!(private.contains("byline_http_requests_total"), "{private}");
    assert!(
        get(metrics_port, "/en/").starts_with("HTTP/1.1 404"),
        "the metrics listener serves nothing else"
    );
    stop_gracefully(child);
}

/// Commands started at the same moment on one outlet wait for each other instead of
/// failing: on SQLite, migrations run under an exclusive lock and every connection has
/// a busy timeout; on PostgreSQL, migrations run under an advisory lock.
mod concurrent_starts {
    use super::byline;
    use std::ffi::OsString;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;
    use std::path::Path;
    use std::process::{Command, Stdio};
    use std::time::Duration;

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
}
