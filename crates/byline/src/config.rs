//! Configuration: defaults ← `byline.toml` ← `BYLINE_*` environment ← command-line flags.
//! Loaded once at start-up and passed down; an invalid value stops start-up with a
//! message that names the key.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Folder holding the SQLite file, media and the search index.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; unset for the SQLite file in the data dir.
    pub database_url: Option<String>,
    /// Public base URL (absolute links, canonical URLs); default `http://<listen>`.
    pub site_url: Option<String>,
    /// IANA time zone for showing times; when set it replaces the stored site setting.
    pub timezone: Option<String>,
    /// Folder with theme files overriding the built-in theme (default `<data_dir>/theme`).
    pub theme_dir: Option<PathBuf>,
    /// Largest request body in bytes (413 above).
    pub max_body_bytes: usize,
    /// Keep rendered reader pages in memory.
    pub page_cache: bool,
    /// Memory budget of the page cache in MiB (all encodings counted).
    pub page_cache_mb: u64,
    /// Requests handled at once; more wait in a queue.
    pub max_in_flight: usize,
    /// Requests allowed to wait; past that, 503 with Retry-After.
    pub max_queue: usize,
    /// How often counted views are written, in milliseconds (at most 1000).
    pub view_flush_ms: u64,
    /// Articles per page on list pages.
    pub per_page: u32,
    /// Seconds a CDN may keep reader pages, feeds and sitemaps (`s-maxage`).
    pub cdn_s_maxage: u32,
    /// Seconds a CDN may serve a page stale while it refetches (`stale-while-revalidate`).
    pub cdn_stale_while_revalidate: u32,
    /// URL POSTed `{"keys": [...]}` on every change, to purge a CDN by surrogate key.
    pub purge_webhook_url: Option<String>,
    /// Sent to the purge webhook as `Authorization: Bearer <token>`.
    pub purge_webhook_token: Option<String>,
    /// URL each breaking-news alert is POSTed to as JSON, for the outlet's app relay
    /// (FCM/APNs); delivered from a durable queue with retries.
    pub alerts_webhook_url: Option<String>,
    /// Signs alert webhook calls (`X-Byline-Signature`, HMAC-SHA256).
    pub alerts_webhook_secret: Option<String>,
    /// Web Push: readers may subscribe to an edition's alerts from the site.
    pub push_enabled: bool,
    /// Who push services may contact about this sender (VAPID `sub`): `mailto:` or
    /// `https:`; default the site's URL.
    pub push_contact: Option<String>,
    /// Push services a subscription may point to, comma-separated origins (`*.` for
    /// any subdomain); empty: the browsers' own (FCM, Mozilla, Apple, Windows).
    pub push_services: String,
    /// Where the media library keeps its files: unset for `<data_dir>/media`,
    /// `s3://bucket/prefix` for an S3-compatible bucket (endpoint, region and keys from
    /// the standard `AWS_*` variables), or `file:///folder`.
    pub media_store: Option<String>,
    /// Largest picture upload in bytes.
    pub media_max_bytes: u64,
    /// Largest export the newsroom's import page accepts, in bytes (larger archives:
    /// `byline import` on the server).
    pub import_max_bytes: u64,
    /// API requests per minute per key or token, sustained (429 above).
    pub api_rate_per_minute: u32,
    /// API requests a key or token may make in a burst above the sustained rate.
    pub api_rate_burst: u32,
    /// Origins allowed to call the API from browsers, comma-separated (`*`: any;
    /// empty: no CORS headers).
    pub api_cors_origins: String,
    /// Networks of the proxies in front of the site, comma-separated CIDRs (e.g.
    /// `10.0.0.0/8, 127.0.0.1/32`): their `Forwarded`/`X-Forwarded-For` headers name the
    /// client. Empty: the TCP peer is the client and those headers are ignored.
    pub trusted_proxies: String,
    /// An address serving `/metrics` alone (keep it private); the public listener then
    /// has no `/metrics` unless `metrics_token` is set.
    pub metrics_listen: Option<SocketAddr>,
    /// With it, `/metrics` on the public listener answers to `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// Seconds a client has to send a request's headers; also how long a kept-alive
    /// connection may sit idle, and the longest pause while sending a body.
    pub header_timeout_secs: u64,
    /// Seconds a whole request may take, body included (408 past it).
    pub request_timeout_secs: u64,
    /// Seconds a whole picture upload may take.
    pub upload_timeout_secs: u64,
    /// Connections open at once; more wait in the kernel's queue.
    pub max_connections: usize,
    /// Seconds a reader's view of an article is remembered: repeats within it do not
    /// count (0: every beacon counts, for benchmarks).
    pub view_window_secs: u64,
    /// Views of one article counted from one address (an IPv6 /64) per window.
    pub views_per_address: u16,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("byline-data"),
            database_url: None,
            site_url: None,
            timezone: None,
            theme_dir: None,
            max_body_bytes: 1024 * 1024,
            page_cache: true,
            page_cache_mb: 256,
            max_in_flight: 1024,
            max_queue: 4096,
            view_flush_ms: 1000,
            per_page: 12,
            cdn_s_maxage: 60,
            cdn_stale_while_revalidate: 60,
            purge_webhook_url: None,
            purge_webhook_token: None,
            alerts_webhook_url: None,
            alerts_webhook_secret: None,
            push_enabled: true,
            push_contact: None,
            push_services: String::new(),
            media_store: None,
            media_max_bytes: 20 * 1024 * 1024,
            import_max_bytes: 1024 * 1024 * 1024,
            api_rate_per_minute: 600,
            api_rate_burst: 60,
            api_cors_origins: String::new(),
            trusted_proxies: String::new(),
            metrics_listen: None,
            metrics_token: None,
            header_timeout_secs: 10,
            request_timeout_secs: 30,
            upload_timeout_secs: 300,
            max_connections: 10_000,
            view_window_secs: 30 * 60,
            views_per_address: 10,
        }
    }
}

/// Every key, for picking `BYLINE_<KEY>` variables out of the environment (other
/// `BYLINE_*` variables, e.g. for tests, are not configuration).
const KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "site_url",
    "timezone",
    "theme_dir",
    "page_cache_mb",
    "max_in_flight",
    "max_queue",
    "max_body_bytes",
    "page_cache",
    "view_flush_ms",
    "per_page",
    "cdn_s_maxage",
    "cdn_stale_while_revalidate",
    "purge_webhook_url",
    "purge_webhook_token",
    "alerts_webhook_url",
    "alerts_webhook_secret",
    "push_enabled",
    "push_contact",
    "push_services",
    "media_store",
    "media_max_bytes",
    "import_max_bytes",
    "api_rate_per_minute",
    "api_rate_burst",
    "api_cors_origins",
    "trusted_proxies",
    "metrics_listen",
    "metrics_token",
    "header_timeout_secs",
    "request_timeout_secs",
    "upload_timeout_secs",
    "max_connections",
    "view_window_secs",
    "views_per_address",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration key `{key}`: {message}")]
    Invalid { key: &'static str, message: String },
}

/// Values given on the command line (they win over everything else).
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads from `file` (if it exists), the environment and `overrides`.
    pub fn load(file: &Path, overrides: &Overrides) -> Result<Self, ConfigError> {
        let config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("BYLINE_").only(KEYS))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.site_url
            && (!(url.starts_with("http://") || url.starts_with("https://")) || url.ends_with('/'))
        {
            {
                return Err(ConfigError::Invalid {
                    key: "site_url",
                    message: format!(
                        "{url:?} must start with http:// or https:// and have no trailing slash"
                    ),
                });
            }
        }
        if let Some(tz) = &self.timezone
            && jiff::tz::TimeZone::get(tz).is_err()
        {
            {
                return Err(ConfigError::Invalid {
                    key: "timezone",
                    message: format!("{tz:?} is not an IANA time zone name"),
                });
            }
        }
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
        {
            return Err(ConfigError::Invalid {
                key: "database_url",
                message:
                    "must start with postgres:// (or be left unset for the embedded SQLite store)"
                        .into(),
            });
        }
        if self.view_flush_ms == 0 || self.view_flush_ms > 1000 {
            return Err(ConfigError::Invalid {
                key: "view_flush_ms",
                message: "must be between 1 and 1000".into(),
            });
        }
        if self.per_page == 0 || self.per_page > 100 {
            return Err(ConfigError::Invalid {
                key: "per_page",
                message: "must be between 1 and 100".into(),
            });
        }
        if self.page_cache_mb == 0 {
            return Err(ConfigError::Invalid {
                key: "page_cache_mb",
                message: "must be at least 1 (use page_cache = false to turn the cache off)".into(),
            });
        }
        if self.max_in_flight == 0 {
            return Err(ConfigError::Invalid {
                key: "max_in_flight",
                message: "must be at least 1".into(),
            });
        }
        if let Some(url) = &self.purge_webhook_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError::Invalid {
                key: "purge_webhook_url",
                message: format!("{url:?} must start with http:// or https://"),
            });
        }
        if let Some(url) = &self.alerts_webhook_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::Invalid {
                    key: "alerts_webhook_url",
                    message: format!("{url:?} must start with http:// or https://"),
                });
            }
            // Every app user's phone trusts what the relay forwards: it must be able to
            // tell our calls from forged ones.
            if self
                .alerts_webhook_secret
                .as_deref()
                .is_none_or(|s| s.trim().len() < 16)
            {
                return Err(ConfigError::Invalid {
                    key: "alerts_webhook_secret",
                    message: "alerts_webhook_url needs a secret of at least 16 characters to sign its calls".into(),
                });
            }
        }
        if let Some(contact) = &self.push_contact
            && !(contact.starts_with("mailto:") || contact.starts_with("https://"))
        {
            return Err(ConfigError::Invalid {
                key: "push_contact",
                message: format!("{contact:?} must be a mailto: or https:// address"),
            });
        }
        for service in self.push_service_list() {
            if !(service.starts_with("https://") || service.starts_with("http://"))
                || service.trim_end_matches('/').matches('/').count() != 2
            {
                return Err(ConfigError::Invalid {
                    key: "push_services",
                    message: format!(
                        "{service:?} must be an origin such as https://fcm.googleapis.com"
                    ),
                });
            }
        }
        if let Some(store) = &self.media_store
            && !store.trim().is_empty()
            && !(store.starts_with("s3://") || store.starts_with("file:///"))
        {
            return Err(ConfigError::Invalid {
                key: "media_store",
                message: format!(
                    "{store:?} must be s3://bucket/prefix or file:///folder (or unset for <data_dir>/media)"
                ),
            });
        }
        if self.import_max_bytes < 1024 || self.import_max_bytes > 16 * 1024 * 1024 * 1024 {
            return Err(ConfigError::Invalid {
                key: "import_max_bytes",
                message: "must be between 1024 and 17179869184 (16 GiB)".into(),
            });
        }
        if self.media_max_bytes < 1024 || self.media_max_bytes > 1024 * 1024 * 1024 {
            return Err(ConfigError::Invalid {
                key: "media_max_bytes",
                message: "must be between 1024 and 1073741824 (1 GiB)".into(),
            });
        }
        if self.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid {
                key: "max_body_bytes",
                message: "must be at least 1024".into(),
            });
        }
        self.trusted_proxy_networks()?;
        for (key, value, max) in [
            ("header_timeout_secs", self.header_timeout_secs, 3600),
            ("request_timeout_secs", self.request_timeout_secs, 3600),
            ("upload_timeout_secs", self.upload_timeout_secs, 24 * 3600),
        ] {
            if value == 0 || value > max {
                return Err(ConfigError::Invalid {
                    key,
                    message: format!("must be between 1 and {max} seconds"),
                });
            }
        }
        if self.max_connections == 0 {
            return Err(ConfigError::Invalid {
                key: "max_connections",
                message: "must be at least 1".into(),
            });
        }
        if self.views_per_address == 0 {
            return Err(ConfigError::Invalid {
                key: "views_per_address",
                message: "must be at least 1".into(),
            });
        }
        if self
            .metrics_token
            .as_deref()
            .is_some_and(|t| t.trim().len() < 16)
        {
            return Err(ConfigError::Invalid {
                key: "metrics_token",
                message: "must be at least 16 characters".into(),
            });
        }
        Ok(())
    }

    /// `push_services` as a list (empty: the defaults apply).
    pub fn push_service_list(&self) -> Vec<String> {
        self.push_services
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// `trusted_proxies` parsed (a bare address is a network of one).
    pub fn trusted_proxy_networks(&self) -> Result<Vec<ipnet::IpNet>, ConfigError> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                n.parse::<ipnet::IpNet>()
                    .or_else(|_| n.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| ConfigError::Invalid {
                        key: "trusted_proxies",
                        message: format!("{n:?} is not a network (CIDR) or an address"),
                    })
            })
            .collect()
    }

    /// The public base URL when serving on `bound`: `site_url` if set, else the address
    /// the listener really got (which differs from `listen` when that asks for port 0).
    pub fn site_url_at(&self, bound: SocketAddr) -> String {
        self.site_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
    }

    /// The SQLite file: from a `sqlite://PATH` database_url, else `<data_dir>/byline.db`.
    pub fn database_path(&self) -> PathBuf {
        match self
            .database_url
            .as_deref()
            .and_then(|u| u.strip_prefix("sqlite://"))
        {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => self.data_dir.join("byline.db"),
        }
    }

    /// The search index: a projection of the store, rebuilt from it when missing.
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }

    /// The newsroom's search index (every article not deleted), likewise a projection.
    pub fn newsroom_search_dir(&self) -> PathBuf {
        self.data_dir.join("search-newsroom")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.theme_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("theme"))
    }
}

#[cfg(test)]
// figment's Jail closures must return figment::Error, which is large; not our API.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn defaults_need_no_file() {
        Jail::expect_with(|_| {
            let c = Config::load(Path::new("absent.toml"), &Overrides::default()).unwrap();
            assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
            assert_eq!(c.data_dir, PathBuf::from("byline-data"));
            assert_eq!(c.site_url_at(c.listen), "http://127.0.0.1:8080");
            assert_eq!(c.media_max_bytes, 20 * 1024 * 1024);
            assert_eq!(c.media_store, None);
            Ok(())
        });
    }

    #[test]
    fn file_then_env_then_flags() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "byline.toml",
                "listen = \"127.0.0.1:9000\"\nper_page = 20\ntimezone = \"Europe/Moscow\"",
            )?;
            jail.set_env("BYLINE_PER_PAGE", "30");
            jail.set_env("BYLINE_DATA_DIR", "/srv/outlet");
            jail.set_env("BYLINE_TEST_SOMETHING", "not configuration");
            jail.set_env("BYLINE_MEDIA_MAX_BYTES", "5000000");
            jail.set_env("BYLINE_MEDIA_STORE", "s3://newsroom/media");
            let c = Config::load(Path::new("byline.toml"), &Overrides::default()).unwrap();
            assert_eq!(c.listen.port(), 9000);
            assert_eq!(c.per_page, 30, "env beats the file");
            assert_eq!(c.data_dir, PathBuf::from("/srv/outlet"));
            assert_eq!(c.timezone.as_deref(), Some("Europe/Moscow"));
            assert_eq!(c.media_max_bytes, 5_000_000);
            assert_eq!(c.media_store.as_deref(), Some("s3://newsroom/media"));
            let flags = Overrides {
                listen: Some("127.0.0.1:9100".into()),
                data_dir: Some("/tmp/x".into()),
                ..Overrides::default()
            };
            let c = Config::load(Path::new("byline.toml"), &flags).unwrap();
            assert_eq!(c.listen.port(), 9100, "flags beat env and file");
            assert_eq!(c.data_dir, PathBuf::from("/tmp/x"));
            Ok(())
        });
    }

    /// `BYLINE_<KEY>` is read only for names in `KEYS`: a field added to `Config`
    /// without a line there could be set in the file but silently not by the environment.
    #[test]
    fn every_config_field_can_be_set_from_the_environment() {
        let fields: Vec<String> = serde_json::to_value(Config::default())
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut keys: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
        let mut sorted = fields.clone();
        sorted.sort();
        keys.sort();
        assert_eq!(sorted, keys);
    }

    /// The numeric limits the issue and the docs promise: views reach the store within
    /// a second at most, and a list page is never empty or huge.
    #[test]
    fn numeric_bounds_are_enforced_and_named() {
        Jail::expect_with(|jail| {
            for (key, bad, good) in [
                ("VIEW_FLUSH_MS", "1001", "1000"),
                ("VIEW_FLUSH_MS", "0", "1"),
                ("PER_PAGE", "101", "100"),
                ("PER_PAGE", "0", "1"),
                ("PAGE_CACHE_MB", "0", "1"),
                ("MAX_IN_FLIGHT", "0", "1"),
                ("MAX_BODY_BYTES", "1023", "1024"),
                ("HEADER_TIMEOUT_SECS", "0", "1"),
                ("REQUEST_TIMEOUT_SECS", "3601", "3600"),
                ("MAX_CONNECTIONS", "0", "1"),
                ("VIEWS_PER_ADDRESS", "0", "1"),
                ("TRUSTED_PROXIES", "10.0.0.0/33", "10.0.0.0/8, 127.0.0.1"),
                ("METRICS_TOKEN", "short", "a-long-enough-metrics-token"),
            ] {
                jail.set_env(format!("BYLINE_{key}"), bad);
                let e = Config::load(Path::new("absent.toml"), &Overrides::default())
                    .unwrap_err()
                    .to_string();
                assert!(e.contains(&key.to_lowercase()), "{key}={bad}: {e}");
                jail.set_env(format!("BYLINE_{key}"), good);
                Config::load(Path::new("absent.toml"), &Overrides::default())
                    .unwrap_or_else(|e| panic!("{key}={good} is allowed: {e}"));
            }
            Ok(())
        });
    }

    #[test]
    fn invalid_values_name_their_key() {
        Jail::expect_with(|jail| {
            jail.set_env("BYLINE_LISTEN", "not-an-address");
            let e = Config::load(Path::new("absent.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.to_lowercase().contains("listen"), "{e}");
            jail.set_env("BYLINE_LISTEN", "127.0.0.1:8080");
            jail.set_env("BYLINE_TIMEZONE", "Mars/Olympus");
            let e = Config::load(Path::new("absent.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("timezone") && e.contains("Mars/Olympus"), "{e}");
            jail.set_env("BYLINE_TIMEZONE", "Asia/Baku");
            jail.create_file("byline.toml", "per_pgae = 3")?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("per_pgae"),
                "unknown keys in the file are named: {e}"
            );
            jail.create_file("byline.toml", "site_url = \"example.org/\"")?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("site_url"), "{e}");
            jail.create_file("byline.toml", "purge_webhook_url = \"cdn.example/purge\"")?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("purge_webhook_url"), "{e}");
            // The app relay's webhook is signed, always.
            jail.create_file(
                "byline.toml",
                "alerts_webhook_url = \"https://relay.example/alerts\"",
            )?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("alerts_webhook_secret"), "{e}");
            jail.create_file(
                "byline.toml",
                "alerts_webhook_url = \"https://relay.example/alerts\"\nalerts_webhook_secret = \"a long enough secret\"",
            )?;
            let c = Config::load(Path::new("byline.toml"), &Overrides::default()).unwrap();
            assert_eq!(
                c.alerts_webhook_secret.as_deref(),
                Some("a long enough secret")
            );
            jail.create_file("byline.toml", "")?;
            jail.set_env("BYLINE_CDN_S_MAXAGE", "3600");
            jail.set_env("BYLINE_PURGE_WEBHOOK_URL", "http://127.0.0.1:9/purge");
            let c = Config::load(Path::new("byline.toml"), &Overrides::default()).unwrap();
            assert_eq!(c.cdn_s_maxage, 3600);
            assert_eq!(
                c.purge_webhook_url.as_deref(),
                Some("http://127.0.0.1:9/purge")
            );
            jail.create_file("byline.toml", "media_store = \"ftp://files\"")?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("media_store"), "{e}");
            jail.create_file("byline.toml", "media_max_bytes = 10")?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("media_max_bytes"), "{e}");
            jail.create_file("byline.toml", "import_max_bytes = 10")?;
            let e = Config::load(Path::new("byline.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("import_max_bytes"), "{e}");
            Ok(())
        });
    }
}
