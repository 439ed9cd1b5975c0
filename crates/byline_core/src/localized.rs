//! Text that exists once per edition (section names, author bios, …).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A value per language code, with a fallback so a missing translation never
/// renders as an empty heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    /// The text for `lang`, else the English text, else any text, else "".
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Builds from `(lang, text)` pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_then_anything() {
        let l = Localized::from_pairs([("en", "News"), ("ru", "Новости")]);
        assert_eq!(l.get("ru"), "Новости");
        assert_eq!(l.get("hy"), "News");
        let only_ru = Localized::from_pairs([("ru", "Новости")]);
        assert_eq!(only_ru.get("hy"), "Новости");
        assert_eq!(Localized::default().get("en"), "");
    }
}
