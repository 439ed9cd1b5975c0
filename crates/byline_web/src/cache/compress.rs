//! Pre-compression and validators: done once per render, never per request.

use axum::body::Bytes;
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::io::Write;

/// How a response body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best encoding the client accepts (brotli, then gzip), honouring `q=0`.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let Some(accept) = headers
            .get(axum::http::header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
        else {
            return Self::Identity;
        };
        let accepts = |name: &str| {
            accept.split(',').any(|part| {
                let mut pieces = part.trim().split(';');
                let coding = pieces.next().unwrap_or("").trim();
                let q = pieces
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                coding.eq_ignore_ascii_case(name) && q > 0.0
            })
        };
        if accepts("br") {
            Self::Brotli
        } else if accepts("gzip") {
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
/// about a millisecond for a news page).
pub fn both(body: &[u8]) -> (Bytes, Bytes) {
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(6),
    );
    let gzip = gz
        .write_all(body)
        .and_then(|_| gz.finish())
        .unwrap_or_default();
    let mut br = Vec::with_capacity(body.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        lgwin: 22,
        ..Default::default()
    };
    let brotli = match brotli::BrotliCompress(&mut &body[..], &mut br, &params) {
        Ok(_) => br,
        Err(_) => Vec::new(),
    };
    (Bytes::from(gzip), Bytes::from(brotli))
}

/// A strong validator from the identity body (same for every encoding: the encodings
/// are variants of one representation, and `Vary: Accept-Encoding` is sent).
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
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

    #[test]
    fn negotiates() {
        assert_eq!(
            Encoding::negotiate(&with("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::negotiate(&with("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(&with("br;q=0, gzip")), Encoding::Gzip);
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
}
