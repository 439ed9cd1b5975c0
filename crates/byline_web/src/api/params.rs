//! Query strings and response caching shared by the API's operations.

use super::problem::{Kind, Problem, unknown_parameters};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_core::limits::{MAX_LIST_ITEMS, MAX_QUERY_PAIRS, MAX_QUERY_STRING_BYTES};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The name/value pairs of an API query string, refused (400, saying which limit) past
/// [`MAX_QUERY_STRING_BYTES`] or [`MAX_QUERY_PAIRS`]: every operation reads its query
/// through here, so none parses more than that.
pub fn query_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, Problem> {
    let query = query.unwrap_or("");
    if query.len() > MAX_QUERY_STRING_BYTES {
        return Err(Problem::new(
            Kind::BadRequest,
            format!("the query string is longer than {MAX_QUERY_STRING_BYTES} bytes"),
        ));
    }
    // Counted before decoding, so a flood of empty pairs costs nothing either.
    if query.split('&').filter(|p| !p.is_empty()).count() > MAX_QUERY_PAIRS {
        return Err(Problem::new(
            Kind::BadRequest,
            format!("the query string has more than {MAX_QUERY_PAIRS} parameters"),
        ));
    }
    serde_urlencoded::from_str(query)
        .map_err(|e| Problem::new(Kind::BadRequest, format!("malformed query string: {e}")))
}

/// [`query_pairs`] by name (a repeated name: the last value).
pub fn query_map(query: Option<&str>) -> Result<HashMap<String, String>, Problem> {
    Ok(query_pairs(query)?.into_iter().collect())
}

/// The items of a comma-separated parameter, refused past [`MAX_LIST_ITEMS`].
pub fn list_items(name: &str, raw: Option<&str>) -> Result<Vec<String>, Problem> {
    let items: Vec<String> = raw
        .map(|raw| {
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if items.len() > MAX_LIST_ITEMS {
        return Err(bad_value(
            name,
            format!("{name} may list at most {MAX_LIST_ITEMS} items"),
        ));
    }
    Ok(items)
}

/// A query string checked against the parameters an operation takes (`key`, the API
/// key, is always allowed). Unknown names are refused, naming them.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(query: Option<&str>, known: &[&str]) -> Result<Self, Problem> {
        let pairs = query_pairs(query)?;
        let mut unknown: Vec<String> = pairs
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.as_str() != "key" && !known.contains(&k.as_str()))
            .cloned()
            .collect();
        unknown.dedup();
        if !unknown.is_empty() {
            return Err(unknown_parameters(unknown, known));
        }
        Ok(Self(pairs))
    }

    /// The first value of `name`, unless empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A whole number in `range` (default when absent).
    pub fn number(
        &self,
        name: &str,
        default: u32,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<u32, Problem> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        raw.parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                Problem::new(
                    Kind::BadRequest,
                    format!(
                        "{name} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )
                .naming(vec![name.to_owned()])
            })
    }

    /// A comma-separated list (at most [`MAX_LIST_ITEMS`] items).
    pub fn list(&self, name: &str) -> Result<Vec<String>, Problem> {
        list_items(name, self.get(name))
    }
}

/// A bad value for parameter `name`.
pub fn bad_value(name: &str, detail: String) -> Problem {
    Problem::new(Kind::BadRequest, detail).naming(vec![name.to_owned()])
}

/// A JSON answer with a strong ETag; `304` when the client's `If-None-Match` has it.
/// `cache_control` tells browsers and CDNs how long to keep it.
pub fn cached_json<T: serde::Serialize>(
    request: &HeaderMap,
    value: &T,
    cache_control: &HeaderValue,
) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "serializing an API answer failed");
            return Problem::new(Kind::Internal, None).into_response();
        }
    };
    let digest = Sha256::digest(&body);
    let etag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = HeaderValue::from_str(&format!("\"{etag}\"")).expect("hex is a valid header");
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t.as_bytes() == etag.as_bytes());
    // Surrogate keys for a CDN: `site` is purged by every article change and `all` by
    // every settings or taxonomy change, so a CDN holding API answers drops them
    // exactly when the purge webhook says anything changed (coarse, never stale).
    let headers = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache_control.clone()),
        (header::VARY, HeaderValue::from_static("Authorization")),
        (
            header::HeaderName::from_static("surrogate-key"),
            HeaderValue::from_static("all site"),
        ),
        (
            header::HeaderName::from_static("cache-tag"),
            HeaderValue::from_static("all,site"),
        ),
    ];
    let mut response = if matches {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (
            StatusCode::OK,
            headers,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    response.extensions_mut().insert(crate::error::Finished);
    response
}
