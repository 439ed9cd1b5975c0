//! Locale identifiers for other vocabularies than BCP-47.

use icu::locale::{LanguageIdentifier, LocaleExpander};

/// The Open Graph form (`language_TERRITORY`) of an edition's language code, with the
/// territory filled in from CLDR's likely subtags (`hy` → `hy_AM`, `en` → `en_US`),
/// so no hand-kept table is needed. A code ICU4X cannot parse comes back as given.
pub fn og_locale(code: &str) -> String {
    let Ok(mut id) = code.parse::<LanguageIdentifier>() else {
        return code.to_owned();
    };
    LocaleExpander::new_common().maximize(&mut id);
    match id.region {
        Some(region) => format!("{}_{}", id.language, region),
        None => id.language.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likely_territories() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("ru"), "ru_RU");
        assert_eq!(og_locale("hy"), "hy_AM");
        assert_eq!(og_locale("az"), "az_AZ");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
        assert_eq!(og_locale("not a code"), "not a code");
    }
}
