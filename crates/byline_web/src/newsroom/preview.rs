//! Signed, expiring preview links: an unpublished article as readers will see it, for
//! someone without a newsroom account (a source, a lawyer, a partner).
//!
//! `/newsroom/preview/{id}/{expires}/{signature}`: the signature is an HMAC-SHA256 of
//! the article id and the expiry time (Unix seconds) with the site's preview key
//! (`<data_dir>/preview.key`). Changing the id or the time breaks the signature (404);
//! a link past its time is refused with a page that says so (403). Replacing the key
//! file ends every link at once.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use byline_core::ArticleId;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a preview link works.
pub const LIFETIME: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);

fn mac(secret: &[u8], id: i64, expires: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(format!("byline-preview\0{id}\0{expires}").as_bytes());
    mac
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The preview path of article `id`, working until `expires`.
pub fn link(state: &AppState, id: ArticleId, expires: jiff::Timestamp) -> String {
    let at = expires.as_second();
    let signature = mac(&state.config.preview_secret, id.0, at)
        .finalize()
        .into_bytes();
    format!("/newsroom/preview/{}/{at}/{}", id.0, hex(&signature))
}

/// A link for the editor page: from now until [`LIFETIME`] has passed.
pub fn fresh_link(state: &AppState, id: ArticleId) -> (String, jiff::Timestamp) {
    let expires = state
        .content
        .clock()
        .now()
        .checked_add(LIFETIME)
        .unwrap_or(jiff::Timestamp::MAX);
    (link(state, id, expires), expires)
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, expires, signature)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (Ok(id), Ok(expires), Some(signature)) =
        (id.parse::<i64>(), expires.parse::<i64>(), unhex(&signature))
    else {
        return Err(WebError::NotFound);
    };
    // `verify_slice` compares in constant time.
    if mac(&state.config.preview_secret, id, expires)
        .verify_slice(&signature)
        .is_err()
    {
        return Err(WebError::NotFound);
    }
    if state.content.clock().now().as_second() > expires {
        return expired(&state, &headers);
    }
    let article = state.content.article_for_preview(ArticleId(id)).await?;
    let catalog = state.content.catalog();
    let section = catalog
        .section(article.section)
        .ok_or(WebError::NotFound)?
        .clone();
    let path = crate::site::article_url(
        &article.edition,
        section.slug.as_str(),
        article.slug.as_str(),
    );
    let page = crate::site::render_article(
        &state,
        &article.edition,
        &section,
        &path,
        &article,
        &[],
        false,
    )
    .await?;
    let mut response = Html(page.body).into_response();
    response.headers_mut().insert(
        header::HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex, nofollow"),
    );
    Ok(response)
}

fn expired(state: &AppState, headers: &HeaderMap) -> Result<Response, WebError> {
    let lang = super::page::lang(state, headers);
    super::page::render(
        state,
        &lang,
        None,
        StatusCode::FORBIDDEN,
        "newsroom/preview_expired.html",
        super::page::Nothing {},
    )
}
