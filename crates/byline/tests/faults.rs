//! Faults (issues 8 and 14): `kill -9` of a serving node in the middle of editor saves,
//! a PostgreSQL restart under load, a backup taken while the outlet takes writes. After
//! each, nothing acknowledged is missing or doubled, and the nodes' followers of the
//! change feed have caught up.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use byline_store::testdb::outage::Outage;

const METRICS_TOKEN: &str = "a-metrics-token-for-fault-tests";
const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

fn byline(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_byline"));
    for (k, _) in std::env::vars() {
        if k.starts_with("BYLINE_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn").arg("--data-dir").arg(data);
    c
}

/// Another reader's address for a beacon (the node trusts the test as its proxy).
fn next_reader() -> String {
    static READERS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = READERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::net::Ipv4Addr::from(0x0a00_0000 + n).to_string()
}

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A `byline serve` child and its address (from its first line of output).
struct Node {
    child: Child,
    base: String,
}

impl Node {
    fn start(data: &Path) -> Node {
        Self::start_with(data, None)
    }

    /// A node on the PostgreSQL database `database_url` (`None`: its SQLite file).
    fn start_with(data: &Path, database_url: Option<&str>) -> Node {
        let mut command = byline(data);
        if let Some(url) = database_url {
            command.env("BYLINE_DATABASE_URL", url);
        }
        let mut child = command
            .env("BYLINE_VIEW_FLUSH_MS", "100")
            // The test's client stands in for a proxy: each beacon names another reader
            // (one reader's repeats would count once).
            .env("BYLINE_TRUSTED_PROXIES", "127.0.0.1")
            // The test's client is one token hammering saves: not what rate limits are for.
            .env("BYLINE_API_RATE_PER_MINUTE", "1000000")
            .env("BYLINE_API_RATE_BURST", "100000")
            .env("BYLINE_METRICS_TOKEN", METRICS_TOKEN)
            .args(["serve", "--empty", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Node { child, base }
    }

    /// SIGKILL: no flush, no graceful anything.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new editor's API token on the outlet in `data` (on `database_url`, if given).
fn editor_token(data: &Path, database_url: Option<&str>) -> String {
    let cli = || {
        let mut c = byline(data);
        if let Some(url) = database_url {
            c.env("BYLINE_DATABASE_URL", url);
        }
        c
    };
    run(cli().args([
        "user",
        "add",
        "--email",
        "desk@example.org",
        "--role",
        "editor",
        "--password",
        "correct horse battery staple",
    ]));
    run(cli().args(["token", "create", "--email", "desk@example.org"]))
        .split_whitespace()
        .last()
        .unwrap()
        .to_owned()
}

/// An editor's client of the Admin API on one node.
#[derive(Clone)]
struct Desk {
    http: reqwest::Client,
    base: String,
    token: String,
    section: String,
}

impl Desk {
    /// Saves go into the outlet's first section.
    async fn new(http: &reqwest::Client, base: &str, token: &str) -> Desk {
        let sections: serde_json::Value = http
            .get(format!("{base}/api/v1/admin/sections"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let section = sections["items"][0]["slug"]
            .as_str()
            .unwrap_or_else(|| panic!("{sections}"))
            .to_owned();
        Desk {
            http: http.clone(),
            base: base.to_owned(),
            token: token.to_owned(),
            section,
        }
    }

    /// Publishes dispatch `n` (once, whatever the retries: it has an idempotency key);
    /// its id when the save was acknowledged.
    async fn save(&self, n: usize) -> Option<i64> {
        let r = self
            .http
            .post(format!("{}/api/v1/admin/articles", self.base))
            .bearer_auth(&self.token)
            .header("idempotency-key", format!("fault-{n}"))
            .json(&serde_json::json!({
                "edition": "en", "section": self.section,
                "title": format!("Faultline dispatch number {n}"),
                "subtitle": "", "body": format!("Saved under a fault, dispatch {n}."),
                "tags": [], "status": "published",
            }))
            .send()
            .await
            .ok()?;
        (r.status() == 201).then_some(())?;
        let made: serde_json::Value = r.json().await.ok()?;
        made["id"].as_i64()
    }

    /// Saves dispatches 1, 2, … until `stop`; the acknowledged ones as (n, id).
    fn keep_saving(&self, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<(usize, i64)>> {
        let desk = self.clone();
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut n = 1;
            while !stop.load(Ordering::SeqCst) {
                if let Some(id) = desk.save(n).await {
                    acknowledged.push((n, id));
                }
                n += 1;
            }
            acknowledged
        })
    }
}

/// The value of the `/metrics` line starting with `name` (labels included) on `base`.
async fn metric(http: &reqwest::Client, base: &str, name: &str) -> f64 {
    let body = http
        .get(format!("{base}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{name} missing from:\n{body}"))
        .parse()
        .unwrap()
}

/// Polls `check` until it holds (at most 30 s: a bound for a node that never recovers,
/// not a timing claim).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..300 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: never happened");
}

async fn text(http: &reqwest::Client, url: &str) -> String {
    http.get(url).send().await.unwrap().text().await.unwrap()
}

/// Saves in flight when the node is killed; beacons acknowledged and then flushed (the
/// node's `/metrics` says nothing is pending) just before. SQLite runs with
/// `synchronous = FULL` (docs/DEPLOYMENT.md): a flush is durable once it returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_save_and_no_flushed_view() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    run(byline(data).arg("demo"));
    let token = editor_token(data, None);
    let http = reqwest::Client::builder().user_agent(UA).build().unwrap();
    let node = Node::start(data);
    let base = node.base.clone();
    let desk = Desk::new(&http, &base, &token).await;
    let counted = desk.save(0).await.expect("the first save is acknowledged");

    let beacon = |http: reqwest::Client, url: String| async move {
        http.post(url)
            .header("x-forwarded-for", next_reader())
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
    };
    let beacon_url = format!("{base}/api/v1/views/{counted}");
    // The node counts views of its own publish from the save's answer on.
    for _ in 0..50 {
        assert!(beacon(http.clone(), beacon_url.clone()).await);
    }

    // Saves and beacons under way together; then the beacons stop, the saves go on.
    let (stop_saves, stop_beacons) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let saver = desk.keep_saving(stop_saves.clone());
    let beacons = {
        let (stop, http, url) = (stop_beacons.clone(), http.clone(), beacon_url.clone());
        tokio::spawn(async move {
            let mut acknowledged = 0u64;
            while !stop.load(Ordering::SeqCst) {
                if beacon(http.clone(), url.clone()).await {
                    acknowledged += 1;
                }
            }
            acknowledged
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop_beacons.store(true, Ordering::SeqCst);
    let acknowledged_views = 50 + beacons.await.unwrap();
    // The last flush: every acknowledged beacon written, none left in memory.
    eventually("the node flushing every counted view", || async {
        metric(&http, &base, "byline_views_pending").await == 0.0
    })
    .await;
    let flushed = metric(&http, &base, "byline_views_flushed_total").await as u64;
    assert_eq!(
        flushed, acknowledged_views,
        "each counted once, all flushed"
    );
    node.kill_9();
    stop_saves.store(true, Ordering::SeqCst);
    let acknowledged = saver.await.unwrap();
    assert!(
        acknowledged.len() >= 2,
        "saves were in flight: {acknowledged:?}"
    );

    // Restarted: every acknowledged save is there, readable and findable.
    let node = Node::start(data);
    let base = node.base.clone();
    for (n, id) in &acknowledged {
        let r = http
            .get(format!("{base}/api/v1/admin/articles/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "acknowledged save {n} (article {id}) is gone"
        );
        let body = r.text().await.unwrap();
        assert!(
            body.contains(&format!("Faultline dispatch number {n}")),
            "{body}"
        );
    }
    let (last, _) = acknowledged.last().unwrap();
    // The phrase: of a hundred "faultline" stories, the last may not be on page 1.
    let search = format!("{base}/en/search?q=%22dispatch+number+{last}%22");
    eventually(
        "the search index catching up with the last acknowledged save",
        || async {
            text(&http, &search)
                .await
                .contains(&format!("Faultline dispatch number {last}"))
        },
    )
    .await;

    // Views: every flushed one, exactly once (the beacon below adds its own).
    let r = http
        .post(format!("{base}/api/v1/views/{counted}"))
        .header("x-forwarded-for", next_reader())
        .send()
        .await
        .unwrap();
    let views = r.json::<serde_json::Value>().await.unwrap()["views"]
        .as_u64()
        .unwrap()
        - 1;
    assert_eq!(views, acknowledged_views, "views stored before the crash");
    drop(node);
}

/// `pg_ctlcluster VERSION NAME ACTION` for the cluster this test may restart.
fn cluster(action: &str) {
    let named = std::env::var("BYLINE_TEST_FAULT_CLUSTER").unwrap();
    let mut parts = named.split_whitespace();
    let (version, name) = (parts.next().unwrap(), parts.next().unwrap());
    let out = Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", version, name, action])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_ctlcluster {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PostgreSQL stopped and started again under load, on a cluster of its own (the other
/// tests share the main one): `.ci/run` makes it and names it in
/// `BYLINE_TEST_FAULT_POSTGRES` (admin URL) and `BYLINE_TEST_FAULT_CLUSTER`. Node B
/// reaches it through a proxy that stays cut after the restart while node A publishes,
/// so B misses the notification; B must then find the change in the feed itself: its
/// followers catch up, `/readyz` is 200 again, and a page B had cached and its search
/// show the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_under_load_gives_503s_then_recovers_missing_no_change() {
    let (Ok(admin), Ok(_)) = (
        std::env::var("BYLINE_TEST_FAULT_POSTGRES"),
        std::env::var("BYLINE_TEST_FAULT_CLUSTER"),
    ) else {
        if std::env::var_os("CI").is_some() {
            panic!("CI needs the fault cluster (.ci/run makes it)");
        }
        eprintln!("skipped: no BYLINE_TEST_FAULT_POSTGRES / BYLINE_TEST_FAULT_CLUSTER");
        return;
    };
    let name = format!("byline_fault_{}", std::process::id());
    let psql = |sql: String| {
        let out = Command::new("psql")
            .arg(&admin)
            .args(["-qAtc", &sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    psql(format!("drop database if exists {name} with (force)"));
    psql(format!("create database {name}"));
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (dir.path().join("a"), dir.path().join("b"));
    run(byline(&a_dir).env("BYLINE_DATABASE_URL", &url).arg("demo"));
    let token = editor_token(&a_dir, Some(&url));
    let upstream = url
        .split_once('@')
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(host, _)| host.to_owned())
        .unwrap();
    let proxy = Outage::start(upstream).await;
    let a = Node::start_with(&a_dir, Some(&url));
    let b = Node::start_with(&b_dir, Some(&proxy.url_through(&url)));
    let http = reqwest::Client::builder()
        .user_agent(UA)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    const TITLE: &str = "Filed while node B was away";
    // In B's page cache from now on: only B's page-cache follower can change it.
    let section_page = format!("{}/en/analytics", b.base);
    assert!(!text(&http, &section_page).await.contains(TITLE));

    // Load on B: Admin API reads, which check the token and read the article in the
    // store on every request (reader pages would come from the page cache).
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (stop, http, base, token) = (stop.clone(), http.clone(), b.base.clone(), token.clone());
        tokio::spawn(async move {
            let mut seen = std::collections::BTreeMap::<u16, u64>::new();
            let mut n = 2u32;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let r = http
                    .get(format!("{base}/api/v1/admin/articles/{}", 1 + n % 20))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("a request hung or the node went away");
                let status = r.status().as_u16();
                if status == 503 {
                    assert!(
                        r.headers().contains_key("retry-after"),
                        "503 without Retry-After"
                    );
                }
                *seen.entry(status).or_default() += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            seen
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster("stop");
    // Longer than the pool's 5 s wait for a connection: requests then get their 503
    // instead of being absorbed by the wait.
    tokio::time::sleep(Duration::from_secs(7)).await;
    proxy.cut();
    cluster("start");

    // The database is back for A, not yet for B: A publishes.
    let mut published = None;
    for _ in 0..300 {
        let r = http
            .post(format!("{}/api/v1/admin/articles", a.base))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "edition": "en", "section": "analytics",
                "title": TITLE, "subtitle": "",
                "body": "Written after the restart, while node B could not reach the database.",
                "tags": [], "status": "published",
            }))
            .send()
            .await;
        if let Ok(r) = r
            && r.status() == 201
        {
            published = Some(r.json::<serde_json::Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let published = published.expect("node A never wrote again after the restart");
    let readyz = |base: String| {
        let http = http.clone();
        async move {
            let r = http.get(format!("{base}/readyz")).send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    assert_eq!(readyz(b.base.clone()).await.0, 503, "node B is cut off");
    proxy.restore();

    eventually(
        "node B's followers at the feed's head, and B ready",
        || async {
            let (status, body) = readyz(b.base.clone()).await;
            status == 200
                && body["search_behind"] == 0
                && ["content", "page-cache", "search"].iter().all(|f| {
                    body["followers"][f]["behind"] == 0 && body["followers"][f]["failing"] == 0
                })
        },
    )
    .await;
    for follower in ["content", "page-cache", "search"] {
        let failures = metric(
            &http,
            &b.base,
            &format!("byline_follower_failures_total{{follower=\"{follower}\"}}"),
        )
        .await;
        assert!(failures > 0.0, "B's {follower} follower met the outage");
    }
    let url_of = published["url"].as_str().unwrap();
    let path = url_of[url_of.find("/en/").unwrap()..].to_owned();
    assert!(
        text(&http, &section_page).await.contains(TITLE),
        "the section page B had cached lists the article"
    );
    assert!(
        text(
            &http,
            &format!("{}/en/search?q=%22node+B+was+away%22", b.base)
        )
        .await
        .contains(TITLE),
        "B's search finds it"
    );
    assert_eq!(
        http.get(format!("{}{path}", b.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    stop.store(true, Ordering::SeqCst);
    let seen = load.await.unwrap();
    assert!(
        seen.keys().all(|s| *s == 200 || *s == 503),
        "only 200s and 503s while the database restarted: {seen:?}"
    );
    assert!(
        seen.get(&503).is_some_and(|n| *n > 0),
        "the outage was seen: {seen:?}"
    );
    assert!(seen.get(&200).is_some_and(|n| *n > 0), "{seen:?}");
    drop((a, b));
    psql(format!("drop database if exists {name} with (force)"));
}

/// `byline backup` while a node takes saves, then `byline restore`: the copy is one
/// consistent moment of the outlet — an intact database whose change feed is a prefix
/// of the original's, whose articles are the original's row for row, each with its feed
/// row, with every save acknowledged before the backup began — and it serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_a_consistent_outlet() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let (data, backup, restored) = (
        dir.path().join("outlet"),
        dir.path().join("backup"),
        dir.path().join("restored"),
    );
    run(byline(&data).arg("demo"));
    let token = editor_token(&data, None);
    let http = reqwest::Client::builder().user_agent(UA).build().unwrap();
    let node = Node::start(&data);
    let desk = Desk::new(&http, &node.base, &token).await;
    let before = desk.save(0).await.expect("a save before the backup");

    let stop = Arc::new(AtomicBool::new(false));
    let saver = desk.keep_saving(stop.clone());
    let backing_up = {
        let (data, backup) = (data.clone(), backup.clone());
        tokio::task::spawn_blocking(move || {
            run(byline(&data).args(["backup", "--to"]).arg(&backup))
        })
    };
    backing_up.await.unwrap();
    stop.store(true, Ordering::SeqCst);
    let during = saver.await.unwrap();
    assert!(!during.is_empty(), "saves went on while it backed up");
    run(byline(&restored).args(["restore", "--from"]).arg(&backup));

    let url = format!("sqlite://{}", data.join("byline.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(&format!(
        "attach database '{}' as restored",
        restored.join("byline.db").display()
    ))
    .execute(&mut db)
    .await
    .unwrap();
    let check: String = sqlx::query_scalar("pragma restored.integrity_check")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let changes = count(&mut db, "select count(*) from restored.changes").await;
    let prefix = count(
        &mut db,
        "select count(*) from main.changes m join restored.changes r using (seq)
         where (m.kind, m.entity_id, m.action, m.at) = (r.kind, r.entity_id, r.action, r.at)",
    )
    .await;
    let below = count(
        &mut db,
        "select count(*) from main.changes where seq <= (select max(seq) from restored.changes)",
    )
    .await;
    assert_eq!(
        (prefix, below),
        (changes, changes),
        "the restored feed is a prefix"
    );
    let foreign = count(
        &mut db,
        "select count(*) from (select * from restored.articles except select * from main.articles)",
    )
    .await;
    assert_eq!(
        foreign, 0,
        "restored articles are the original's, row for row"
    );
    let unannounced = count(
        &mut db,
        "select count(*) from restored.articles a where not exists
         (select 1 from restored.changes c where c.kind = 'article' and c.entity_id = a.id)",
    )
    .await;
    assert_eq!(unannounced, 0, "every restored article has its feed row");
    let kept = count(
        &mut db,
        &format!("select count(*) from restored.articles where id = {before}"),
    )
    .await;
    assert_eq!(kept, 1, "the save acknowledged before the backup is in it");
    db.close().await.unwrap();
    drop(node);

    // The restored outlet serves, with the account and the article.
    let copy = Node::start(&restored);
    let r = http
        .get(format!("{}/api/v1/admin/articles/{before}", copy.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn count(db: &mut sqlx::SqliteConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}
