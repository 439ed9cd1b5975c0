//! The Content API's page cursor: an opaque position in the newest-first order.

use crate::api::problem::{Kind, Problem};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use byline_core::ArticleId;

/// A position in the newest-first order: base64url of `published_at.id` (seconds).
pub fn encode_cursor(at: jiff::Timestamp, id: ArticleId) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{}", at.as_second(), id.0))
}

pub fn decode_cursor(raw: &str) -> Result<(jiff::Timestamp, ArticleId), Problem> {
    let bad = || {
        Problem::new(
            Kind::BadCursor,
            "cursor is not one this API gave out; start again without it".to_owned(),
        )
        .naming(vec!["cursor".into()])
    };
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (at, id) = text.split_once('.').ok_or_else(bad)?;
    let at = at
        .parse::<i64>()
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .ok_or_else(bad)?;
    let id = id.parse::<i64>().map_err(|_| bad())?;
    Ok((at, ArticleId(id)))
}
