//! A TCP proxy in front of PostgreSQL that a test can cut: while it is down, every open
//! connection is dropped and new ones are closed at once — what a node sees while the
//! database restarts, or while its network to the database is away.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

pub struct Outage {
    /// `host:port` to reach the database through the proxy.
    pub address: String,
    down: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Outage {
    /// A proxy on a free loopback port forwarding to `upstream` (`host:port`).
    pub async fn start(upstream: String) -> Outage {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the proxy");
        let address = listener
            .local_addr()
            .expect("the proxy's address")
            .to_string();
        let down = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (d, c) = (down.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if d.load(Ordering::SeqCst) {
                    continue; // dropped: connection closed
                }
                let upstream = upstream.clone();
                c.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(tokio::spawn(async move {
                        if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    }));
            }
        });
        Outage {
            address,
            down,
            connections,
        }
    }

    /// `url` (a PostgreSQL URL) with its `host:port` replaced by the proxy's.
    pub fn url_through(&self, url: &str) -> String {
        let (scheme_and_user, rest) = url.split_once('@').expect("a URL with user@host");
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        format!("{scheme_and_user}@{}{path}", self.address)
    }

    /// Cuts every connection, and refuses new ones until [`restore`](Self::restore).
    pub fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        for c in self
            .connections
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            c.abort();
        }
    }

    pub fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}
