//! Pre-compression and validators: done once per render, never per request.

use axum::body::Bytes;
use axum::http::HeaderMap;
use byline_content::CoreSlots;
use std::io::Write;

/// How a response body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The encoding the client prefers by its q-values, brotli on a tie; none when it
    /// accepts neither (`q=0`, or not named).
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let Some(accept) = headers
            .get(axum::http::header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
        else {
            return Self::Identity;
        };
        // The highest q the header gives `name` (0 when it is not named).
        let weight = |name: &str| {
            accept
                .split(',')
                .filter_map(|part| {
                    let mut pieces = part.trim().split(';');
                    let coding = pieces.next().unwrap_or("").trim();
                    if !coding.eq_ignore_ascii_case(name) {
                        return None;
                    }
                    let q = pieces
                        .find_map(|p| {
                            p.trim()
                                .strip_prefix("q=")
                                .and_then(|q| q.trim().parse::<f32>().ok())
                        })
                        .unwrap_or(1.0);
                    Some(if q.is_finite() {
                        q.clamp(0.0, 1.0)
                    } else {
                        0.0
                    })
                })
                .fold(0.0_f32, f32::max)
        };
        let (br, gzip) = (weight("br"), weight("gzip"));
        if br > 0.0 && br >= gzip {
            Self::Brotli
        } else if gzip > 0.0 {
            Self::Gzip
        } else {
            Self::Identity
        }
    }

    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some("gzip"),
            Self::Brotli => Some("br"),
        }
    }
}

/// Gzip (level 6) and brotli (quality 5: most of brotli's gain at a render-time cost of
/// about a millisecond for a news page). An encoding that fails is empty.
pub fn both(body: &[u8]) -> (Bytes, Bytes) {
    let gzip = gzip(body, 6).unwrap_or_default();
    let brotli = brotli(body, 5).unwrap_or_default();
    (Bytes::from(gzip), Bytes::from(brotli))
}

/// `body` gzipped at `level` (0–9).
pub fn gzip(body: &[u8], level: u32) -> Option<Vec<u8>> {
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(level),
    );
    gz.write_all(body).and_then(|_| gz.finish()).ok()
}

/// `body` in brotli at `quality` (0–11), with a window fitted to it.
pub fn brotli(body: &[u8], quality: i32) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() / 4);
    brotli::BrotliCompress(
        &mut &body[..],
        &mut out,
        &brotli_params(quality, body.len()),
    )
    .ok()
    .map(|_| out)
}

/// Brotli's settings for a body of `len` bytes. The window is the smallest that reaches
/// back over the whole body (a larger one compresses no better), but not under 2^17 nor
/// over brotli's usual 2^22. The encoder sizes its buffers by the window: at the default
/// 2^22 it allocates and zeroes about 10 MB for every page, fitted about 2 MB for a
/// 32 KB article, the same bytes out (brotli 8.0.4, measured). Under 2^17, quality 5
/// switches to a hasher that took 30 times as long and 33 MB.
pub fn brotli_params(quality: i32, len: usize) -> brotli::enc::BrotliEncoderParams {
    let fits = len
        .checked_add(16)
        .and_then(usize::checked_next_power_of_two)
        .map_or(22, |window| window.trailing_zeros() as i32);
    brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: fits.clamp(17, 22),
        size_hint: len,
        ..Default::default()
    }
}

/// A strong validator from the identity body (same for every encoding: the encodings
/// are variants of one representation, and `Vary: Accept-Encoding` is sent).
///
/// A fingerprint, not a secret: against accidental change (an edited page), XXH3's 128
/// bits tell versions apart as surely as a cryptographic hash would, at a tenth of
/// SHA-256's cost, which was 4 % of a render (docs/PERFORMANCE.md). Nobody gains by
/// forging a collision: the page is ours, not the client's.
pub fn etag(body: &[u8]) -> String {
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(body))
}

/// Runs compressing `work` on tokio's blocking pool once a core is free for it: at most
/// one such job per core at a time, the rest waiting for a slot (`CoreSlots`). When a
/// publish drops the pages 64 readers are asking for, they all miss at once; each job
/// holds a thread and its encoders' buffers (brotli's alone 1.3–1.9 MB).
pub(crate) async fn on_a_core<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    static CORES: std::sync::LazyLock<CoreSlots> = std::sync::LazyLock::new(CoreSlots::per_core);
    CORES.run(work).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use std::io::Read;

    fn with(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("accept-encoding", HeaderValue::from_str(accept).unwrap());
        h
    }

    /// The validator is the same for the same bytes and changes with any byte (a
    /// corrected comma is a new version of the page).
    #[test]
    fn etags_tell_versions_apart() {
        let page = "<p>The council met on Tuesday, and voted.</p>".repeat(500);
        let edited = page.replacen("Tuesday,", "Tuesday;", 1);
        let tag = etag(page.as_bytes());
        assert_eq!(tag, etag(page.as_bytes()));
        assert_ne!(tag, etag(edited.as_bytes()));
        assert_eq!(tag.len(), 34, "a quoted 128-bit fingerprint: {tag}");
        assert!(tag.starts_with('"') && tag.ends_with('"'));
    }

    #[test]
    fn negotiates() {
        assert_eq!(
            Encoding::negotiate(&with("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::negotiate(&with("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(&with("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(
            Encoding::negotiate(&with("gzip;q=1, br;q=0.1")),
            Encoding::Gzip
        );
        assert_eq!(
            Encoding::negotiate(&with("gzip;q=0.5, br;q=0.5")),
            Encoding::Brotli
        );
        assert_eq!(
            Encoding::negotiate(&with("BR;q=0.9, gzip;q=0.8")),
            Encoding::Brotli
        );
        assert_eq!(
            Encoding::negotiate(&with("br;q=NaN, gzip;q=0")),
            Encoding::Identity
        );
        assert_eq!(Encoding::negotiate(&with("identity")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_decode_to_the_original() {
        let body = "<p>Пример страницы — page</p>".repeat(200);
        let (gz, br) = both(body.as_bytes());
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, body);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, body.as_bytes());
        assert!(br.len() < body.len() / 5);
    }

    #[test]
    fn brotli_window_fits_the_body() {
        assert_eq!(brotli_params(5, 0).lgwin, 17);
        assert_eq!(brotli_params(5, 32_000).lgwin, 17);
        assert_eq!(brotli_params(5, (1 << 17) - 16).lgwin, 17);
        assert_eq!(brotli_params(5, (1 << 17) - 15).lgwin, 18);
        assert_eq!(brotli_params(5, 200_000).lgwin, 18);
        assert_eq!(brotli_params(5, 50_000_000).lgwin, 22);
        assert_eq!(brotli_params(5, usize::MAX).lgwin, 22);
        assert_eq!(brotli_params(4, 1000).size_hint, 1000);
    }

    #[test]
    fn bodies_longer_than_the_smallest_window_decode_to_the_original() {
        // Longer than 2^17, with repeats further apart than that: a window that did not
        // reach over the body would still decode right, so this checks the round trip.
        let body: Vec<u8> = (0..400_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 % 64 + 32)
            .collect();
        let br = brotli(&body, 5).unwrap();
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, body);
        let gz = gzip(&body, 6).unwrap();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, body);
    }

    /// However many pages are waiting, no more compress at once than there are cores.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn compressing_takes_one_core_per_job() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let jobs: Vec<_> = (0..cores * 4 + 4)
            .map(|i| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(on_a_core(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                    i
                }))
            })
            .collect();
        let mut done = Vec::new();
        for job in jobs {
            done.push(job.await.unwrap().unwrap());
        }
        assert_eq!(
            done,
            (0..cores * 4 + 4).collect::<Vec<_>>(),
            "every job ran"
        );
        let most = most.load(Ordering::SeqCst);
        assert!(
            most <= cores,
            "{most} jobs compressed at once on {cores} cores"
        );
    }
}
