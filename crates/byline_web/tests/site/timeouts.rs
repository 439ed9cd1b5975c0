//! Finding 6 of issue 13: a connection that sent headers and then trickled its body held
//! a request slot for as long as it liked. Now each part of a request has a deadline,
//! idle connections are closed, and open connections are capped. Real TCP connections
//! against the real server loop (`byline_web::serve`); no timing is asserted, only who
//! closes what and that new readers are answered.

use crate::common::TestSite;
use byline_web::Timeouts;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn short() -> Timeouts {
    Timeouts {
        header: Duration::from_secs(1),
        body_idle: Duration::from_secs(1),
        request: Duration::from_secs(2),
        upload: Duration::from_secs(3),
        max_connections: 5_000,
    }
}

/// Reads until the server closes the connection (a guard of `limit` against a server
/// that never does); what it said.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(limit, read_all).await.ok()?;
    Some(String::from_utf8_lossy(&answer).into_owned())
}

async fn get(base: &str, path: &str) -> reqwest::StatusCode {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn trickled_bodies_are_cut_off_while_new_readers_are_served() {
    let site = TestSite::demo_with_web(|w| w.timeouts = short()).await;
    let served = site.serve().await;
    let address = served.base_url.trim_start_matches("http://").to_owned();
    // 1,000 clients send headers promising a body (under the limits), then a byte now and then
    // (often enough that no single pause is long: only the whole-request deadline ends
    // them). Half go to a handler that reads its body, half to one that does not.
    let mut trickles = Vec::new();
    // Each client reports once its headers are sent (and drops its sender if it fails).
    let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel::<()>();
    for i in 0..1000 {
        let address = address.clone();
        let started_tx = started_tx.clone();
        trickles.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&address).await.unwrap();
            let path = if i % 2 == 0 { "/csp-report" } else { "/en/" };
            let method = if i % 2 == 0 { "POST" } else { "GET" };
            stream
                .write_all(
                    format!(
                        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: 10000\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .await
                .unwrap();
            let _ = started_tx.send(());
            drop(started_tx);
            let (mut read, mut write) = stream.into_split();
            let writer = tokio::spawn(async move {
                for _ in 0..400 {
                    if write.write_all(b"x").await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            });
            let mut answer = Vec::new();
            let mut buf = [0u8; 4096];
            let closed = tokio::time::timeout(Duration::from_secs(60), async {
                loop {
                    match read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => answer.extend_from_slice(&buf[..n]),
                    }
                }
            })
            .await
            .is_ok();
            writer.abort();
            (closed, String::from_utf8_lossy(&answer).into_owned())
        }));
    }
    // Every client has connected and sent its headers.
    drop(started_tx);
    for n in 0..1000 {
        assert!(
            started.recv().await.is_some(),
            "only {n} clients started trickling"
        );
    }
    // A new reader is answered meanwhile.
    assert_eq!(get(&served.base_url, "/en/").await, 200);
    for (i, t) in trickles.into_iter().enumerate() {
        let (closed, answer) = t.await.unwrap();
        assert!(closed, "the server closed trickling connection {i}");
        // What reached the client before the close, if anything (closing with unread
        // bytes in the socket may reset the connection before the answer is read): the
        // body readers' deadline answer, or the page for those that asked for one.
        let status = answer.lines().next().unwrap_or("");
        let expected = if i % 2 == 0 {
            "HTTP/1.1 408"
        } else {
            "HTTP/1.1 200"
        };
        assert!(
            status.is_empty() || status.starts_with(expected),
            "connection {i}: {status}"
        );
    }
    // And the server is still fine.
    assert_eq!(get(&served.base_url, "/en/").await, 200);
    served.stop().await;
}

#[tokio::test]
async fn slow_headers_and_idle_connections_are_closed() {
    let site = TestSite::demo_with_web(|w| w.timeouts = short()).await;
    let served = site.serve().await;
    let address = served.base_url.trim_start_matches("http://").to_owned();

    // Headers that never finish.
    let mut slow = TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /en/ HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let trickle = async {
        for i in 0..100 {
            if slow
                .write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), trickle)
        .await
        .expect("the server stops reading");
    let mut buf = [0u8; 64];
    assert!(matches!(slow.read(&mut buf).await, Ok(0) | Err(_)));

    // A connection that says nothing at all.
    let mut silent = TcpStream::connect(&address).await.unwrap();
    assert!(
        until_closed(&mut silent, Duration::from_secs(30))
            .await
            .is_some()
    );

    // A kept-alive connection left idle after a request.
    let mut idle = TcpStream::connect(&address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let said = until_closed(&mut idle, Duration::from_secs(30))
        .await
        .expect("closed after idling");
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");
    served.stop().await;
}

#[tokio::test]
async fn connections_past_the_cap_wait_for_a_free_one() {
    let site = TestSite::demo_with_web(|w| {
        w.timeouts = Timeouts {
            header: Duration::from_secs(60),
            max_connections: 2,
            ..short()
        }
    })
    .await;
    let served = site.serve().await;
    let address = served.base_url.trim_start_matches("http://").to_owned();
    let first = TcpStream::connect(&address).await.unwrap();
    let _second = TcpStream::connect(&address).await.unwrap();
    let mut third = TcpStream::connect(&address).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    // Not served while two connections are open (they may idle a minute).
    assert!(
        tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf))
            .await
            .is_err(),
        "the third connection waits"
    );
    drop(first);
    let said = until_closed(&mut third, Duration::from_secs(30))
        .await
        .expect("served once a connection is free");
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");
    served.stop().await;
}
