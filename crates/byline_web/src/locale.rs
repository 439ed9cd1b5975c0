//! Choosing an edition for a reader who arrives at `/`.

use byline_core::SiteSettings;

/// The best edition for an `Accept-Language` header (q-values respected), else the default.
pub fn negotiate(accept_language: Option<&str>, settings: &SiteSettings) -> String {
    let mut wanted: Vec<(f32, String)> = accept_language
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    // Stable sort keeps the header's order among equal q-values.
    wanted.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    for (_, tag) in wanted {
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(e) = settings.editions.iter().find(|e| e.code == primary) {
            return e.code.clone();
        }
    }
    settings.default_edition().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_quality_then_default() {
        let s = SiteSettings::default();
        assert_eq!(negotiate(Some("ru-RU,ru;q=0.9,en;q=0.8"), &s), "ru");
        assert_eq!(negotiate(Some("de, hy;q=0.5, en;q=0.4"), &s), "hy");
        assert_eq!(negotiate(Some("fr"), &s), "en");
        assert_eq!(negotiate(None, &s), "en");
        assert_eq!(negotiate(Some("ru;q=0"), &s), "en");
    }
}
