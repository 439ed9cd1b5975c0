//! `bench/live/run`'s driver: opens READERS event streams of one live blog on one node
//! (plain HTTP/1.1 over loopback, as many browsers would), measures the node's resident
//! memory before and after, then posts ENTRIES entries through the Admin API, one every
//! two seconds, and records when each reader receives each one: the time from the
//! moment the post's answer arrived to the moment the reader read the entry's frame.
//!
//! Usage: byline_live_bench BASE_URL ARTICLE_ID TOKEN SERVER_PID READERS ENTRIES
//! Prints one Markdown table row set.

use anyhow::{Context, Result, bail};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// When each reader saw each entry (by its event id), relative to the bench's start.
type Seen = Arc<Mutex<Vec<(i64, Duration)>>>;

fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .context("no VmRSS")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .context("VmRSS value")?
        .parse()?)
}

/// One reader: connects, sends the request, then records every `id:` line it reads.
async fn reader(
    addr: String,
    path: String,
    seen: Seen,
    start: Instant,
    ready: tokio::sync::mpsc::Sender<()>,
) -> Result<()> {
    let mut stream = TcpStream::connect(&addr).await?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut buf = vec![0u8; 16 * 1024];
    let mut pending = String::new();
    let mut told = false;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let at = start.elapsed();
        pending.push_str(&String::from_utf8_lossy(&buf[..n]));
        if !told && pending.contains("\r\n\r\n") {
            if !pending.starts_with("HTTP/1.1 200") {
                bail!("stream refused: {}", pending.lines().next().unwrap_or(""));
            }
            told = true;
            let _ = ready.send(()).await;
        }
        // Whole frames only; the rest waits for the next read.
        while let Some(end) = pending.find("\n\n") {
            let frame: String = pending.drain(..end + 2).collect();
            if frame.contains("event: entry")
                && let Some(id) = frame.lines().find_map(|l| l.strip_prefix("id: "))
                && let Ok(id) = id.trim().parse::<i64>()
            {
                seen.lock().unwrap().push((id, at));
            }
        }
    }
}

async fn post_entry(addr: &str, article: &str, token: &str, n: usize) -> Result<i64> {
    let body = serde_json::json!({ "body": format!("Bench entry number {n}: the count goes on.") })
        .to_string();
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(
        format!(
            "POST /api/v1/admin/articles/{article}/entries HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).await?;
    if !answer.starts_with("HTTP/1.1 201") {
        bail!("posting an entry: {answer}");
    }
    let json = answer.split("\r\n\r\n").nth(1).context("no body")?;
    let v: serde_json::Value = serde_json::from_str(json)?;
    v["cursor"]
        .as_str()
        .context("no cursor")?
        .parse()
        .context("cursor")
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, article, token, pid, readers, entries] = &args[..] else {
        bail!("usage: byline_live_bench BASE_URL ARTICLE_ID TOKEN SERVER_PID READERS ENTRIES");
    };
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let pid: u32 = pid.parse()?;
    let readers: usize = readers.parse()?;
    let entries: usize = entries.parse()?;
    let path = format!("/api/v1/live/{article}/events");
    let start = Instant::now();
    let seen: Seen = Arc::default();

    let before = rss_kib(pid)?;
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(readers);
    let mut tasks = Vec::with_capacity(readers);
    let connecting = Instant::now();
    // In waves of WAVE: ten thousand SYNs at once overflow the listen queue, and the
    // kernel's retransmission back-off would be what the bench measures.
    const WAVE: usize = 500;
    let mut connected = 0;
    while connected < readers {
        let wave = WAVE.min(readers - connected);
        for _ in 0..wave {
            tasks.push(tokio::spawn(reader(
                addr.clone(),
                path.clone(),
                seen.clone(),
                start,
                ready_tx.clone(),
            )));
        }
        for _ in 0..wave {
            tokio::time::timeout(Duration::from_secs(60), ready_rx.recv())
                .await
                .with_context(|| format!("only {connected} of {readers} readers connected"))?
                .with_context(|| {
                    format!("only {connected} of {readers} readers connected (the others failed)")
                })?;
            connected += 1;
        }
    }
    drop(ready_tx);
    let connect_s = connecting.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(pid)?;

    let mut posted = Vec::new();
    for n in 0..entries {
        let id = post_entry(&addr, article, token, n).await?;
        posted.push((id, start.elapsed()));
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let seen = seen.lock().unwrap().clone();
    let mut latencies: Vec<f64> = Vec::new();
    let mut missing = 0usize;
    for (id, at) in &posted {
        let got: Vec<f64> = seen
            .iter()
            .filter(|(s, _)| s == id)
            .map(|(_, t)| t.saturating_sub(*at).as_secs_f64() * 1000.0)
            .collect();
        missing += readers.saturating_sub(got.len());
        latencies.extend(got);
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        latencies[((latencies.len() as f64 - 1.0) * p).round() as usize]
    };
    let within = latencies.iter().filter(|l| **l <= 1000.0).count() as f64
        / (readers * entries) as f64
        * 100.0;
    let per_conn = (after.saturating_sub(before)) as f64 * 1024.0 / readers as f64;
    println!(
        "| {readers} | {connect_s:.1} s | {:.1} MB → {:.1} MB | {per_conn:.0} B | {entries} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {within:.2} % | {missing} |",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
    for t in tasks {
        t.abort();
    }
    Ok(())
}
