//! Test harness: a real SQLite file in a temp dir, the real content service, the real
//! router. The demo outlet is loaded once per test binary into a template folder and
//! each test gets its own copy of the database file.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use byline_content::{Content, ContentOptions};
use byline_render::Theme;
use byline_store::{SqliteStore, Store};
use byline_web::{AppState, WebConfig};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tempfile::TempDir;
use tower::ServiceExt;

/// A running outlet for one test.
pub struct TestSite {
    pub state: AppState,
    pub sqlite: SqliteStore,
    pub router: Router,
    _dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// The demo outlet, loaded once: (database file, media folder).
fn demo_template() -> &'static (PathBuf, PathBuf) {
    static TEMPLATE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let dir = tempfile::tempdir().unwrap().keep();
                let db = dir.join("byline.db");
                let media = dir.join("media");
                let sqlite = SqliteStore::open(&db).await.unwrap();
                sqlite.migrate().await.unwrap();
                let content = Content::start(Arc::new(sqlite.clone()), ContentOptions::default())
                    .await
                    .unwrap();
                byline_demo::load(&content, &media).await.unwrap();
                content.flush_views().await.unwrap();
                sqlite.close().await;
                (db, media)
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
        let (db, media) = demo_template();
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(db, dir.path().join("byline.db")).unwrap();
        Self::open(dir, media.clone(), options).await
    }

    /// An empty outlet (migrated, no content).
    pub async fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        Self::open(dir, media, ContentOptions::default()).await
    }

    async fn open(dir: TempDir, media: PathBuf, options: ContentOptions) -> Self {
        let sqlite = SqliteStore::open(&dir.path().join("byline.db"))
            .await
            .unwrap();
        sqlite.migrate().await.unwrap();
        let content = Content::start(Arc::new(sqlite.clone()), options)
            .await
            .unwrap();
        // The in-memory search index is built from the store in the background on start.
        assert!(content.search_settled(Duration::from_secs(10)).await);
        let state = AppState::new(content, theme(), WebConfig::for_tests(media));
        let router = byline_web::app(state.clone());
        Self {
            state,
            sqlite,
            router,
            _dir: dir,
        }
    }

    pub fn content(&self) -> &Content {
        &self.state.content
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        self.state.content.store()
    }

    pub fn data_dir(&self) -> &Path {
        self._dir.path()
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

    /// Waits until the change-feed followers have caught up with the store (the search
    /// index included).
    pub async fn settle(&self) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            self.content().search_settled(Duration::from_secs(10)).await,
            "the search index did not catch up"
        );
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

    pub fn count(&self, needle: &str) -> usize {
        self.body.matches(needle).count()
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
