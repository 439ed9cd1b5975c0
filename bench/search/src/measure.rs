//! The fixed query set, run through the HTTP endpoint and through the naive
//! `LIKE '%term%'` reference on the same SQLite file, with percentiles.

use crate::corpus::SECTIONS;
use crate::http::Client;
use crate::rng::Rng;
use crate::words::Vocabulary;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// One query of the set: what the server is asked and what the LIKE reference does.
#[derive(Debug, Clone)]
pub struct Query {
    pub edition: &'static str,
    pub words: Vec<String>,
    pub phrase: bool,
    pub prefix: bool,
    pub section: Option<&'static str>,
    /// Publish-date window (unix seconds), for the filtered class.
    pub window: Option<(i64, i64)>,
    pub newest: bool,
}

pub const CLASSES: &[&str] = &[
    "rare term",
    "common term",
    "two terms",
    "phrase",
    "prefix suggestion",
    "filtered",
    "newest first",
];

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Query {
    pub fn path(&self) -> String {
        if self.prefix {
            return format!(
                "/api/v1/suggest?edition={}&q={}",
                self.edition,
                encode(&self.words[0])
            );
        }
        let text = if self.phrase {
            format!("\"{}\"", self.words.join(" "))
        } else {
            self.words.join(" ")
        };
        let mut p = format!(
            "/api/v1/search?edition={}&q={}",
            self.edition,
            encode(&text)
        );
        if let Some(s) = self.section {
            p.push_str(&format!("&section={s}"));
        }
        if let Some((from, to)) = self.window {
            let day = |t: i64| {
                jiff::Timestamp::from_second(t)
                    .map(|t| t.strftime("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            };
            p.push_str(&format!("&from={}&to={}", day(from), day(to)));
        }
        if self.newest {
            p.push_str("&sort=newest");
        }
        p
    }
}

/// `per_class` queries of each class, half English, half Russian.
pub fn query_set(per_class: usize, seed: u64) -> Vec<(&'static str, Vec<Query>)> {
    let en = Vocabulary::new("en");
    let ru = Vocabulary::new("ru");
    let mut rng = Rng::new(seed);
    let now = jiff::Timestamp::now().as_second();
    CLASSES
        .iter()
        .map(|&class| {
            let qs = (0..per_class)
                .map(|i| {
                    let (edition, v) = if i % 2 == 0 { ("en", &en) } else { ("ru", &ru) };
                    // Ranks count from the first content word (after the function words).
                    let skip = Vocabulary::function_words(edition) as u64;
                    let mut pick = |lo: u64, hi: u64| {
                        v.rank(rng.range(skip + lo, skip + hi) as usize).to_owned()
                    };
                    let mut q = Query {
                        edition,
                        words: Vec::new(),
                        phrase: false,
                        prefix: false,
                        section: None,
                        window: None,
                        newest: false,
                    };
                    match class {
                        "rare term" => q.words.push(pick(8_000, 40_000)),
                        "common term" => q.words.push(pick(0, 60)),
                        "two terms" => {
                            q.words.push(pick(20, 400));
                            q.words.push(pick(20, 400));
                        }
                        "phrase" => {
                            q.words.push(pick(0, 30));
                            q.words.push(pick(0, 30));
                            q.phrase = true;
                        }
                        "prefix suggestion" => {
                            let w = pick(10, 500);
                            q.words.push(w.chars().take(3).collect());
                            q.prefix = true;
                        }
                        "filtered" => {
                            q.words.push(pick(0, 200));
                            q.section = Some(SECTIONS[i % SECTIONS.len()]);
                            let start = now - rng.range(2, 14) as i64 * 365 * 86_400;
                            q.window = Some((start, start + 2 * 365 * 86_400));
                        }
                        _ => {
                            q.words.push(pick(0, 200));
                            q.newest = true;
                        }
                    }
                    q
                })
                .collect();
            (class, qs)
        })
        .collect()
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub n: usize,
}

pub fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| {
        if samples.is_empty() {
            Duration::ZERO
        } else {
            samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1]
        }
    };
    Stats {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        n: samples.len(),
    }
}

/// Latencies through the server, `rounds` passes over the class's queries after one
/// warm-up pass.
pub fn http(addr: &str, queries: &[Query], rounds: usize) -> anyhow::Result<Stats> {
    let mut client = Client::connect(addr)?;
    for q in queries {
        let (status, body) = client.get(&q.path())?;
        anyhow::ensure!(
            status == 200,
            "{} → {status}: {}",
            q.path(),
            String::from_utf8_lossy(&body)
        );
    }
    let mut samples = Vec::new();
    for _ in 0..rounds {
        for q in queries {
            let started = Instant::now();
            let (status, _) = client.get(&q.path())?;
            samples.push(started.elapsed());
            anyhow::ensure!(status == 200, "{} → {status}", q.path());
        }
    }
    Ok(stats(samples))
}

/// The same queries as WordPress runs them: `LIKE '%term%'` over title, excerpt and
/// body for every word, newest first, plus the count for the pager.
pub async fn like(db: &std::path::Path, queries: &[Query]) -> anyhow::Result<Stats> {
    let options =
        SqliteConnectOptions::from_str(&format!("sqlite://{}", db.display()))?.read_only(true);
    let pool = SqlitePool::connect_with(options).await?;
    let mut samples = Vec::new();
    for q in queries {
        let mut clause = String::from("a.status = 'published' and a.edition = ?");
        let mut binds: Vec<String> = vec![q.edition.to_owned()];
        let terms: Vec<String> = if q.phrase {
            vec![q.words.join(" ")]
        } else {
            q.words.clone()
        };
        if q.prefix {
            clause.push_str(" and (a.title like ? or a.title like ?)");
            binds.push(format!("{}%", q.words[0]));
            binds.push(format!("% {}%", q.words[0]));
        } else {
            for t in &terms {
                clause.push_str(
                    " and (a.title like ? or a.subtitle like ? or a.body_markdown like ?)",
                );
                for _ in 0..3 {
                    binds.push(format!("%{t}%"));
                }
            }
        }
        if let Some(s) = q.section {
            clause.push_str(" and a.section_id = (select id from sections where slug = ?)");
            binds.push(s.to_owned());
        }
        if let Some((from, to)) = q.window {
            clause.push_str(&format!(" and a.published_at between {from} and {to}"));
        }
        let limit = if q.prefix { 8 } else { 12 };
        let list = format!(
            "select a.id, a.title from articles a where {clause} order by a.published_at desc limit {limit}"
        );
        let count = format!("select count(*) from articles a where {clause}");
        let started = Instant::now();
        let mut query = sqlx::query(&list);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&pool).await?;
        if !q.prefix {
            let mut c = sqlx::query(&count);
            for b in &binds {
                c = c.bind(b);
            }
            let _total: i64 = c.fetch_one(&pool).await?.try_get(0)?;
        }
        samples.push(started.elapsed());
        drop(rows);
    }
    pool.close().await;
    Ok(stats(samples))
}
