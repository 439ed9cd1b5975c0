//! Test harness: a real database, the real content service, the real router.
//!
//! The store is SQLite (a temp file) by default; with `BYLINE_TEST_BACKEND=postgres`
//! every test runs on its own PostgreSQL database instead (`.ci/run` runs the suite
//! both ways). The demo outlet is loaded once per test binary into a template (a
//! database file, or a PostgreSQL template database) and each test gets a copy.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use byline_content::{Content, ContentOptions};
use byline_render::Theme;
use byline_store::testdb::TestDatabase;
use byline_store::{PostgresStore, SqliteStore, Store};
use byline_web::{AppState, WebConfig};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tempfile::TempDir;
use tower::ServiceExt;

pub mod html;
pub mod push_stub;

/// The password of accounts made by [`add_editor`].
pub const EDITOR_PASSWORD: &str = "correct horse battery";

/// An editor's account, `email` with [`EDITOR_PASSWORD`].
pub async fn add_editor(site: &TestSite, email: &str) -> byline_core::User {
    use byline_content::accounts::{UserInput, create_user};
    let created = create_user(
        site.store().as_ref(),
        UserInput {
            email: email.into(),
            display_name: String::new(),
            role: byline_core::Role::Editor,
            password: Some(EDITOR_PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    site.store().user(created.id).await.unwrap()
}

/// Polls `check` until it holds (background work — senders, followers — runs on its
/// own time); the bound of 15 s is for a stuck one.
pub async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: never happened");
}

/// The loopback as a trusted proxy: tests over real connections then name each client
/// in `X-Forwarded-For` (see [`reader_address`]), as a proxy in front would.
pub fn behind_loopback_proxy(config: &mut WebConfig) {
    config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
}

/// The `/metrics` token of [`with_metrics`].
pub const METRICS_TOKEN: &str = "metrics-token-for-tests";

/// `/metrics` on the public router, behind [`METRICS_TOKEN`].
pub fn with_metrics(config: &mut WebConfig) {
    config.metrics_token = Some(METRICS_TOKEN.into());
}

/// A distinct reader's address for the `n`th request of a test.
pub fn reader_address(n: u32) -> String {
    std::net::Ipv4Addr::from(0x0a00_0000 + n).to_string()
}

/// A running outlet for one test.
pub struct TestSite {
    pub state: AppState,
    pub router: byline_web::FrontDoor,
    closer: Closer,
    database: Option<TestDatabase>,
    _dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

fn on_postgres() -> bool {
    std::env::var("BYLINE_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The concrete store, kept to close it.
enum Closer {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Closer {
    async fn close(&self) {
        match self {
            Closer::Sqlite(s) => s.close().await,
            Closer::Postgres(p) => p.close().await,
        }
    }
}

/// Where the demo template lives.
enum Template {
    SqliteFile(PathBuf),
    PostgresDatabase(String),
}

/// The demo outlet, loaded once: (template, media folder).
fn demo_template() -> &'static (Template, PathBuf) {
    static TEMPLATE: OnceLock<(Template, PathBuf)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let dir = tempfile::tempdir().unwrap().keep();
                let media = dir.join("media");
                if on_postgres() {
                    let db = TestDatabase::create()
                        .await
                        .expect("BYLINE_TEST_BACKEND=postgres needs a PostgreSQL server");
                    let store = db.store().await;
                    let content =
                        Content::start(Arc::new(store.clone()), ContentOptions::default())
                            .await
                            .unwrap();
                    byline_demo::load(&content, &media).await.unwrap();
                    content.flush_views().await.unwrap();
                    store.close().await;
                    // A template database must have no open connections.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    (Template::PostgresDatabase(db.name().to_owned()), media)
                } else {
                    let file = dir.join("byline.db");
                    let sqlite = SqliteStore::open(&file).await.unwrap();
                    sqlite.migrate().await.unwrap();
                    let content =
                        Content::start(Arc::new(sqlite.clone()), ContentOptions::default())
                            .await
                            .unwrap();
                    byline_demo::load(&content, &media).await.unwrap();
                    content.flush_views().await.unwrap();
                    sqlite.close().await;
                    (Template::SqliteFile(file), media)
                }
            })
        })
        .join()
        .expect("loading the demo template failed")
    })
}

pub fn theme() -> Arc<Theme> {
    static THEME: OnceLock<Arc<Theme>> = OnceLock::new();
    THEME
        .get_or_init(|| Arc::new(Theme::load(None).expect("the built-in theme loads")))
        .clone()
}

impl TestSite {
    /// The demo outlet, fresh copy.
    pub async fn demo() -> Self {
        Self::demo_with(ContentOptions::default()).await
    }

    pub async fn demo_with(options: ContentOptions) -> Self {
        Self::demo_full(options, |_| {}).await
    }

    /// The demo outlet with changed web settings (cache budget, cache off, …).
    pub async fn demo_with_web(web: impl FnOnce(&mut WebConfig)) -> Self {
        Self::demo_full(ContentOptions::default(), web).await
    }

    pub async fn demo_full(options: ContentOptions, web: impl FnOnce(&mut WebConfig)) -> Self {
        let (template, media) = demo_template();
        let dir = tempfile::tempdir().unwrap();
        match template {
            Template::SqliteFile(file) => {
                std::fs::copy(file, dir.path().join("byline.db")).unwrap();
                Self::open(dir, None, media.clone(), options, web).await
            }
            Template::PostgresDatabase(name) => {
                let db = TestDatabase::create_from(Some(name))
                    .await
                    .expect("copy the demo database");
                Self::open(dir, Some(db), media.clone(), options, web).await
            }
        }
    }

    /// An empty outlet (migrated, no content).
    pub async fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        let db = if on_postgres() {
            TestDatabase::create().await
        } else {
            None
        };
        Self::open(dir, db, media, ContentOptions::default(), |_| {}).await
    }

    /// An empty outlet whose media library writes to a real local folder
    /// (`<data_dir>/media`), with uploads limited to `max_bytes`.
    pub async fn with_local_media(max_bytes: u64) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        let db = if on_postgres() {
            TestDatabase::create().await
        } else {
            None
        };
        let options = ContentOptions {
            media_storage: byline_media::MediaStorage::local(&media).unwrap(),
            media_limits: byline_media::Limits {
                max_bytes,
                ..Default::default()
            },
            ..ContentOptions::default()
        };
        Self::open(dir, db, media, options, |_| {}).await
    }

    async fn open(
        dir: TempDir,
        database: Option<TestDatabase>,
        media: PathBuf,
        options: ContentOptions,
        web: impl FnOnce(&mut WebConfig),
    ) -> Self {
        let (store, closer): (Arc<dyn Store>, Closer) = match &database {
            Some(db) => {
                let pg: PostgresStore = db.store().await;
                (Arc::new(pg.clone()), Closer::Postgres(pg))
            }
            None => {
                let sqlite = SqliteStore::open(&dir.path().join("byline.db"))
                    .await
                    .unwrap();
                sqlite.migrate().await.unwrap();
                (Arc::new(sqlite.clone()), Closer::Sqlite(sqlite))
            }
        };
        let content = Content::start(store, options).await.unwrap();
        // The in-memory search index is built from the store in the background on start.
        assert!(content.search_settled(Duration::from_secs(10)).await);
        let mut config = WebConfig::for_tests(media);
        web(&mut config);
        let state = AppState::new(content, theme(), config);
        let router = byline_web::app(state.clone());
        Self {
            state,
            router,
            closer,
            database,
            _dir: dir,
        }
    }

    pub fn content(&self) -> &Content {
        &self.state.content
    }

    /// Another node of the same outlet: its own connections, content service (catalog,
    /// view counter, search index, scheduler) and router, on the same database — as a
    /// second `byline serve` process would be.
    pub async fn another_node(&self) -> TestSite {
        self.another_node_via(None).await
    }

    /// [`another_node`](Self::another_node) reaching PostgreSQL through `address`
    /// (`host:port`, e.g. a proxy the test can cut) instead of the server's own.
    pub async fn another_node_via(&self, address: Option<&str>) -> TestSite {
        let (store, closer): (Arc<dyn Store>, Closer) = match &self.database {
            Some(db) => {
                let pg: PostgresStore = match address {
                    None => db.store().await,
                    Some(address) => {
                        let url = db.url();
                        let (scheme_user, rest) = url.split_once('@').unwrap();
                        let (_, path) = rest.split_once('/').unwrap();
                        PostgresStore::connect(&format!("{scheme_user}@{address}/{path}"))
                            .await
                            .unwrap()
                    }
                };
                (Arc::new(pg.clone()), Closer::Postgres(pg))
            }
            None => {
                let sqlite = SqliteStore::open(&self._dir.path().join("byline.db"))
                    .await
                    .unwrap();
                (Arc::new(sqlite.clone()), Closer::Sqlite(sqlite))
            }
        };
        let content = Content::start(store, self.content().options().clone())
            .await
            .unwrap();
        assert!(content.search_settled(Duration::from_secs(10)).await);
        let dir = tempfile::tempdir().unwrap();
        let mut config = WebConfig::for_tests(dir.path().join("media"));
        // Behind the same proxies as the first node.
        config.trusted_proxies = self.state.config.trusted_proxies.clone();
        let state = AppState::new(content, theme(), config);
        let router = byline_web::app(state.clone());
        TestSite {
            state,
            router,
            closer,
            database: None,
            _dir: dir,
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        self.state.content.store()
    }

    pub fn data_dir(&self) -> &Path {
        self._dir.path()
    }

    /// `request`'s answer with its body as bytes (compressed bodies are not text).
    pub async fn request_raw(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `/metrics`, with the token of a site made [`with_metrics`].
    pub async fn metrics(&self) -> TestResponse {
        self.get_with(
            "/metrics",
            "authorization",
            &format!("Bearer {METRICS_TOKEN}"),
        )
        .await
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with(&self, uri: &str, name: &str, value: &str) -> TestResponse {
        self.request(
            Request::get(uri)
                .header(name, value)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A view beacon as a browser sends it.
    pub async fn beacon(&self, id: i64) -> TestResponse {
        self.request(
            Request::post(format!("/api/v1/views/{id}"))
                .header("user-agent", BROWSER_UA)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Closes the database connections (to prove a path does not use the store).
    pub async fn close_store(&self) {
        self.closer.close().await;
    }

    /// Waits until every change-feed follower of this node (catalog, page cache, search
    /// index) has taken in every change committed so far.
    pub async fn settle(&self) {
        assert!(
            self.content().settled(Duration::from_secs(10)).await,
            "the change feed's followers did not catch up: {:?}",
            self.content().feed().followers()
        );
    }

    /// Runs one SQL statement on the outlet's database behind the content service's
    /// back (for changes no API makes yet, e.g. a corrected title), then drops the
    /// page cache so the next request sees it.
    pub async fn sql(&self, statement: &str) {
        use sqlx::Connection;
        match &self.database {
            Some(db) => {
                let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
                sqlx::query(statement).execute(&mut conn).await.unwrap();
                conn.close().await.unwrap();
            }
            None => {
                let url = format!("sqlite://{}", self.data_dir().join("byline.db").display());
                let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query(statement).execute(&mut conn).await.unwrap();
                conn.close().await.unwrap();
            }
        }
        self.state.cache.clear().await;
    }

    /// The editing input that reproduces `a` as stored (slugs for its section, authors
    /// and tags), for tests that change one field of an existing article.
    pub fn input_from(&self, a: &byline_core::Article) -> byline_content::ArticleInput {
        let catalog = self.content().catalog();
        byline_content::ArticleInput {
            edition: a.edition.clone(),
            section: catalog.section(a.section).unwrap().slug.to_string(),
            slug: a.slug.to_string(),
            title: a.title.clone(),
            subtitle: a.subtitle.clone(),
            body_markdown: a.body_markdown.clone(),
            cover: a.cover.clone(),
            authors: a
                .authors
                .iter()
                .map(|id| catalog.author(*id).unwrap().slug.to_string())
                .collect(),
            tags: a
                .tags
                .iter()
                .map(|id| catalog.tag(*id).unwrap().slug.to_string())
                .collect(),
            status: a.status,
            featured: a.featured,
            published_at: a.published_at,
            translation_of: None,
            seo: a.seo.clone(),
        }
    }

    /// An article's view count as stored (views the counter holds in memory are not in
    /// it yet).
    pub async fn stored_views(&self, id: i64) -> u64 {
        self.store()
            .article(byline_core::ArticleId(id))
            .await
            .unwrap()
            .views
    }

    /// URL path of the first published article of `edition` with this slug.
    pub async fn article_id(&self, edition: &str, slug: &str) -> i64 {
        self.store()
            .published_article(edition, slug)
            .await
            .unwrap()
            .id
            .0
    }
}

/// Raw response bytes (for checking compressed bodies).
pub trait OneshotBytes {
    fn oneshot_bytes(self, request: Request<Body>) -> impl std::future::Future<Output = Vec<u8>>;
}

impl OneshotBytes for byline_web::FrontDoor {
    async fn oneshot_bytes(self, request: Request<Body>) -> Vec<u8> {
        let response = self.oneshot(request).await.unwrap();
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec()
    }
}

pub const BROWSER_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

impl TestResponse {
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "body: {}",
            &self.body[..self.body.len().min(2000)]
        );
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The inner text-ish HTML of the first element carrying `data-testid="{id}"` (up to
    /// its closing tag of the same name; enough for our flat elements).
    pub fn testid(&self, id: &str) -> Option<String> {
        let marker = format!("data-testid=\"{id}\"");
        let at = self.body.find(&marker)?;
        let open = self.body[..at].rfind('<')?;
        let name: String = self.body[open + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let close = format!("</{name}>");
        let end = self.body[at..]
            .find(&close)
            .map(|e| at + e + close.len())
            .unwrap_or(self.body.len());
        Some(self.body[open..end].to_owned())
    }

    /// The body parsed as HTML, for assertions on structure (this card inside that
    /// block) rather than on substrings anywhere in the page.
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    pub fn count(&self, needle: &str) -> usize {
        self.body.matches(needle).count()
    }
}

impl Drop for TestSite {
    fn drop(&mut self) {
        // A PostgreSQL test database is dropped with the test (on a thread of its own:
        // Drop cannot await, and the test's runtime may be shutting down).
        if let Some(db) = self.database.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(db.drop_db());
                }
            })
            .join();
        }
    }
}

/// The outlet served on a real loopback listener (for the browser test and the
/// graceful-stop test). Dropping the handle does not stop it; call `stop`.
pub struct Served {
    pub base_url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestSite {
    pub async fn serve(&self) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = self.state.clone();
        let task = tokio::spawn(byline_web::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Served {
            base_url,
            stop: Some(stop),
            task,
        }
    }
}

impl Served {
    /// Graceful stop: finishes requests in flight and flushes views, like SIGTERM does.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.unwrap().unwrap();
    }
}

/// The value of a one-line message `key` in the built-in theme's Fluent files for
/// `lang` (the reader site's, then the newsroom's).
pub fn fluent(lang: &str, key: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../byline_render/theme/locales")
        .join(lang);
    ["site.ftl", "newsroom.ftl"]
        .iter()
        .find_map(|file| {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            text.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().to_owned())
            })
        })
        .unwrap_or_else(|| panic!("no {key} in {}", dir.display()))
}

/// The import runs the import pages show, for page checks: a real import of the WXR
/// fixture into `site` whose report is `wordpress-20261203T101500Z.json` in
/// `import_dir`, and a failed run's, `ghost-20261203T101600Z.json`. Their page paths.
pub async fn import_reports(site: &TestSite, import_dir: &Path) -> [String; 2] {
    use byline_content::importer::{ImportRequest, Source, run_import};
    let request = ImportRequest {
        source: Source::WordPress,
        file: Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../byline_import/tests/fixtures/wxr-1.2-https.xml"),
        edition: Some("en".into()),
        media_dir: None,
        section_map: Vec::new(),
        dry_run: false,
    };
    let content = site.content().clone();
    let summary = tokio::task::spawn_blocking(move || run_import(Some(&content), &request, &()))
        .await
        .unwrap()
        .unwrap();
    std::fs::write(
        import_dir.join("wordpress-20261203T101500Z.json"),
        serde_json::to_vec(&summary).unwrap(),
    )
    .unwrap();
    std::fs::write(
        import_dir.join("ghost-20261203T101600Z.json"),
        br#"{"source": "ghost", "dry_run": false, "file": "export.json", "failed": "this is not a Ghost (JSON) export: it starts with <"}"#,
    )
    .unwrap();
    [
        "/newsroom/import/wordpress-20261203T101500Z".to_owned(),
        "/newsroom/import/ghost-20261203T101600Z".to_owned(),
    ]
}

/// A picture in the media library (a small gradient PNG), for pages that show one.
pub async fn library_picture(site: &TestSite) -> i64 {
    let img = image::RgbImage::from_fn(160, 90, |x, y| image::Rgb([x as u8, y as u8, 120]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    site.content()
        .upload_media(
            png,
            "gradient.png",
            byline_content::MediaMeta {
                alt: "A blue gradient".into(),
                caption: "Test picture".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
        .0
}

/// The demo's live blog (ended, with key events and a pinned entry).
pub const LIVE_BLOG: &str = "/en/world/glacier-conference-monitoring-pact-without-funding";

/// Makes article `article` a live blog taking entries, with a pinned key event, a
/// plain entry and an edited one (so its page has earlier versions): the edited
/// entry's page in the newsroom.
pub async fn live_blog(site: &TestSite, actor: &byline_core::User, article: i64) -> String {
    use byline_content::EntryInput;
    let content = site.content();
    let id = byline_core::ArticleId(article);
    content.set_live(actor, id, true).await.unwrap();
    let entry = |body: &str, key_event: bool, pinned: bool| EntryInput {
        title: if key_event {
            "A key moment".into()
        } else {
            String::new()
        },
        body: body.into(),
        author: "lena-arakelova".into(),
        key_event,
        pinned,
    };
    content
        .post_entry(actor, id, &entry("The first update, pinned.", true, true))
        .await
        .unwrap();
    let edited = content
        .post_entry(actor, id, &entry("A plain update.", false, false))
        .await
        .unwrap();
    content
        .edit_entry(
            actor,
            id,
            edited.id,
            &entry("A plain update, corrected.", false, false),
        )
        .await
        .unwrap();
    site.settle().await;
    format!("/newsroom/articles/{article}/entries/{}", edited.id)
}

/// Three edits of article `article` by `actor`, each rewriting the body's first line:
/// the address of the second edit's revision page, which shows a removed, an added and
/// kept lines and, being no longer the newest, the button that restores it.
pub async fn revision_page(site: &TestSite, actor: &byline_core::User, article: i64) -> String {
    use byline_content::{ArticleForm, SaveOutcome};
    let content = site.content();
    let id = byline_core::ArticleId(article);
    let mut saved = Vec::new();
    for line in [
        "A first line rewritten for the revision page.",
        "The first line, rewritten again.",
        "And once more, so that the second edit is not the newest.",
    ] {
        let (current, meta) = content.newsroom_article(actor, id).await.unwrap();
        let mut form = ArticleForm::from_article(content, &current);
        let rest = form.body.split_once('\n').map_or("", |(_, rest)| rest);
        form.body = format!("{line}\n{rest}");
        match content
            .save_article(actor, id, meta.revision, &form)
            .await
            .unwrap()
        {
            SaveOutcome::Saved { revision } => saved.push(revision),
            _ => panic!("the edit of {article} was refused"),
        }
    }
    format!("/newsroom/articles/{article}/revisions/{}", saved[1])
}

/// Notifications for `recipient` (an editor or admin), one of each kind, from a
/// colleague on the desk: a draft returned with a note, one assigned to them, one
/// scheduled and one published.
pub async fn notices_for(site: &TestSite, recipient: &byline_core::User) {
    use byline_content::accounts::{UserInput, create_user};
    use byline_content::{ArticleForm, Transition};
    let created = create_user(
        site.store().as_ref(),
        UserInput {
            email: "night-desk@example.org".into(),
            display_name: "Night Desk".into(),
            role: byline_core::Role::Editor,
            password: None,
        },
    )
    .await
    .unwrap();
    let colleague = site.store().user(created.id).await.unwrap();
    let content = site.content();
    let draft = |title: &str| ArticleForm {
        edition: "en".into(),
        section: "analytics".into(),
        title: title.into(),
        body: "Words.".into(),
        ..Default::default()
    };
    let (returned, _) = content
        .create_draft(recipient, &draft("Returned with a note"))
        .await
        .unwrap();
    content
        .transition(recipient, returned, Transition::Submit)
        .await
        .unwrap();
    content
        .return_with_note(&colleague, returned, "Shorter, please.")
        .await
        .unwrap();
    let (assigned, _) = content
        .create_draft(&colleague, &draft("Assigned to you"))
        .await
        .unwrap();
    content
        .assign(&colleague, assigned, Some(recipient.id), None)
        .await
        .unwrap();
    let (scheduled, _) = content
        .create_draft(recipient, &draft("Scheduled by the desk"))
        .await
        .unwrap();
    let tomorrow = content.clock().now() + jiff::SignedDuration::from_hours(24);
    content
        .transition(&colleague, scheduled, Transition::Schedule(tomorrow))
        .await
        .unwrap();
    let (published, _) = content
        .create_draft(recipient, &draft("Published by the desk"))
        .await
        .unwrap();
    content
        .transition(&colleague, published, Transition::Publish)
        .await
        .unwrap();
}

/// Every newsroom page kind an admin opens with 200, for the page checks (the Nu HTML
/// Checker, axe): `article`, `page` and `media` are a stored article, static page and
/// library picture, `runs` the import report pages of [`import_reports`].
pub fn newsroom_pages(article: i64, page: i64, media: i64, runs: [String; 2]) -> Vec<String> {
    let [finished_run, failed_run] = runs;
    vec![
        "/newsroom".to_owned(),
        "/newsroom/media".to_owned(),
        "/newsroom/media?q=gradient".to_owned(),
        format!("/newsroom/media/{media}"),
        "/newsroom?q=the&status=published&sort=published&page=2".to_owned(),
        "/newsroom/dashboard".to_owned(),
        "/newsroom/notifications".to_owned(),
        "/newsroom/alerts".to_owned(),
        "/newsroom/articles/new".to_owned(),
        format!("/newsroom/articles/{article}"),
        format!("/newsroom/articles/{article}/revisions"),
        "/newsroom/users".to_owned(),
        "/newsroom/audit".to_owned(),
        "/newsroom/api".to_owned(),
        "/newsroom/taxonomy".to_owned(),
        "/newsroom/settings".to_owned(),
        "/newsroom/password".to_owned(),
        "/newsroom/pages".to_owned(),
        "/newsroom/pages/new".to_owned(),
        format!("/newsroom/pages/{page}"),
        "/newsroom/redirects".to_owned(),
        "/newsroom/import".to_owned(),
        finished_run,
        failed_run,
    ]
}
