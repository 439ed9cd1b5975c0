//! WordPress: a WXR export (1.0–1.2), read twice as a stream. [`scan`] learns the
//! site's shape (authors, categories, tags, attachments, and every post's address);
//! [`Catalog::documents`] then converts the posts and pages one at a time.

mod autop;
mod body;
mod documents;
mod scan;
mod shortcodes;
mod xml;

pub use scan::{Catalog, scan};
pub use xml::MAX_FIELD;

use crate::model::ImportStatus;
use jiff::Timestamp;
use jiff::civil::DateTime;

/// A WXR date (`2024-05-03 10:00:00`; drafts have `0000-00-00 00:00:00`) read as UTC.
pub(crate) fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000") {
        return None;
    }
    let dt: DateTime = s.replace(' ', "T").parse().ok()?;
    dt.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The Byline status of a WordPress post status, or `None` for what is not imported.
/// A password-protected post was not public, so it is not public here either.
pub(crate) fn status_of(
    status: &str,
    password: &str,
    date_gmt: Option<Timestamp>,
) -> Option<ImportStatus> {
    Some(match status {
        "publish" if password.is_empty() => ImportStatus::Published,
        "publish" | "private" | "draft" => ImportStatus::Draft,
        "future" => match date_gmt {
            Some(at) if password.is_empty() => ImportStatus::Scheduled(at),
            _ => ImportStatus::Draft,
        },
        "pending" => ImportStatus::InReview,
        _ => return None,
    })
}

/// Yoast and Rank Math titles hold variables (`%%title%% %%sep%% %%sitename%%`,
/// `%title%`): the title is filled in, the rest dropped.
pub(crate) fn seo_text(template: &str, title: &str) -> Option<String> {
    let out = template
        .replace("%%title%%", title)
        .replace("%title%", title);
    let out = drop_variables(&drop_variables(&out, "%%"), "%");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = out.trim_matches(|c: char| c == '-' || c == '|' || c == '–' || c.is_whitespace());
    (!out.is_empty()).then(|| out.to_owned())
}

/// `text` without `{delim}name{delim}` variables.
fn drop_variables(text: &str, delim: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(delim) {
        let after = &rest[start + delim.len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with(delim) {
            out.push_str(&rest[..start]);
            rest = &after[name_len + delim.len()..];
        } else {
            out.push_str(&rest[..start + delim.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_never_make_private_things_public() {
        let at = parse_date("2030-01-02 03:04:05");
        assert_eq!(status_of("publish", "", at), Some(ImportStatus::Published));
        assert_eq!(
            status_of("publish", "secret", at),
            Some(ImportStatus::Draft)
        );
        assert_eq!(status_of("private", "", at), Some(ImportStatus::Draft));
        assert_eq!(
            status_of("future", "", at),
            Some(ImportStatus::Scheduled(at.unwrap()))
        );
        assert_eq!(status_of("pending", "", at), Some(ImportStatus::InReview));
        assert_eq!(status_of("trash", "", at), None);
        assert_eq!(parse_date("0000-00-00 00:00:00"), None);
    }

    #[test]
    fn seo_variables_are_filled_or_dropped() {
        assert_eq!(
            seo_text("%%title%% %%sep%% %%sitename%%", "River basins").as_deref(),
            Some("River basins")
        );
        assert_eq!(
            seo_text("%title% | Meridian", "A").as_deref(),
            Some("A | Meridian")
        );
        assert_eq!(seo_text("%%sitename%%", "A"), None);
    }
}
