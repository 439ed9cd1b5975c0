//! UI strings from Fluent files, one bundle per language.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::collections::HashMap;
use unic_langid::LanguageIdentifier;

/// All UI strings of the theme, per language. Cheap to share (`Send + Sync`).
pub struct Strings {
    bundles: HashMap<String, FluentBundle<FluentResource>>,
    fallback: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StringsError {
    #[error("{lang}: not a valid language tag")]
    BadLanguage { lang: String },
    #[error("{lang}/{file}: Fluent syntax errors: {errors}")]
    Syntax {
        lang: String,
        file: String,
        errors: String,
    },
}

impl Strings {
    /// Builds bundles from `(lang, file name, source)` triples; later sources for the
    /// same language override earlier messages with the same id (theme overrides).
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
        fallback: &str,
    ) -> Result<Self, StringsError> {
        let mut bundles: HashMap<String, FluentBundle<FluentResource>> = HashMap::new();
        for (lang, file, source) in sources {
            let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
                StringsError::Syntax {
                    lang: lang.to_owned(),
                    file: file.to_owned(),
                    errors: errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                }
            })?;
            let bundle = match bundles.entry(lang.to_owned()) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let id: LanguageIdentifier =
                        lang.parse().map_err(|_| StringsError::BadLanguage {
                            lang: lang.to_owned(),
                        })?;
                    let mut bundle = FluentBundle::new_concurrent(vec![id]);
                    // No bidi isolation marks: our strings go into HTML, where they would
                    // show up as invisible characters in copied text.
                    bundle.set_use_isolating(false);
                    v.insert(bundle)
                }
            };
            bundle.add_resource_overriding(resource);
        }
        Ok(Self {
            bundles,
            fallback: fallback.to_owned(),
        })
    }

    /// The message `key` in `lang` (falling back to the fallback language, then to the key
    /// itself, so a missing string is visible but never breaks a page).
    pub fn get(&self, lang: &str, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        for l in [lang, self.fallback.as_str()] {
            let Some(bundle) = self.bundles.get(l) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(lang = l, key, ?errors, "Fluent formatting errors");
            }
            return text.into_owned();
        }
        tracing::warn!(lang, key, "missing UI string");
        key.to_owned()
    }

    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.bundles.get(lang).is_some_and(|b| b.has_message(key))
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.bundles.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_arguments_and_plurals() {
        let s = Strings::from_sources(
            [
                (
                    "en",
                    "a.ftl",
                    "views = Views: { $count }\nonly-en = English",
                ),
                ("ru", "a.ftl", "views = Просмотры: { $count }"),
            ],
            "en",
        )
        .unwrap();
        let mut args = FluentArgs::new();
        args.set("count", 1122);
        assert_eq!(s.get("ru", "views", Some(&args)), "Просмотры: 1122");
        assert_eq!(s.get("ru", "only-en", None), "English");
        assert_eq!(s.get("ru", "nope", None), "nope");
    }

    #[test]
    fn syntax_errors_name_the_file() {
        let err = Strings::from_sources([("en", "bad.ftl", "= nothing")], "en")
            .err()
            .unwrap();
        assert!(err.to_string().contains("bad.ftl"));
    }
}
