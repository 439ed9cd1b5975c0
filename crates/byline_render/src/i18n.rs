//! UI strings from Fluent files, one bundle per language.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use unic_langid::LanguageIdentifier;

/// All UI strings of the theme, per language. Cheap to share (`Send + Sync`).
pub struct Strings {
    bundles: HashMap<String, FluentBundle<FluentResource>>,
    fallback: String,
    /// Per language, every message that takes no arguments, formatted once (fallback
    /// applied): templates ask for the same few dozen on every page, and formatting
    /// them each time was most of the cost of `t()` in a render.
    fixed: HashMap<String, Arc<FixedMessages>>,
}

/// One language's formatted-once messages, by id. foldhash rather than the std's
/// SipHash: a page looks up some ninety of them per render, and the table is built once
/// from the theme's own files, so there is no flooding to defend against.
pub type FixedMessages = HashMap<String, Arc<str>, foldhash::fast::RandomState>;

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
        let mut ids = BTreeSet::new();
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
            ids.extend(resource.entries().filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            }));
            bundle.add_resource_overriding(resource);
        }
        let mut strings = Self {
            bundles,
            fallback: fallback.to_owned(),
            fixed: HashMap::new(),
        };
        let fixed = strings
            .bundles
            .keys()
            .map(|lang| {
                let messages = ids
                    .iter()
                    .filter_map(|id| Some((id.clone(), strings.format(lang, id, None)?.ok()?)))
                    .map(|(id, text)| (id, Arc::from(text)))
                    .collect();
                (lang.clone(), Arc::new(messages))
            })
            .collect();
        strings.fixed = fixed;
        Ok(strings)
    }

    /// The message `key` in `lang` if it takes no arguments, formatted once (else
    /// `None`: use [`get`](Self::get)).
    pub fn fixed(&self, lang: &str, key: &str) -> Option<&Arc<str>> {
        self.fixed.get(lang)?.get(key)
    }

    /// All of `lang`'s formatted-once messages; for a language without strings of its
    /// own, the fallback language's (every message of such a language is the
    /// fallback's, and these take no arguments, so nothing of the language is lost).
    pub fn fixed_messages(&self, lang: &str) -> Option<Arc<FixedMessages>> {
        let own = if self.bundles.contains_key(lang) {
            lang
        } else {
            &self.fallback
        };
        self.fixed.get(own).cloned()
    }

    /// `key` formatted in `lang`, else in the fallback language: `Ok` when it formatted
    /// cleanly, `Err` with the text and the errors' description otherwise; `None` when
    /// neither language has it.
    pub(crate) fn format(
        &self,
        lang: &str,
        key: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Option<Result<String, (String, String)>> {
        for l in [lang, self.fallback.as_str()] {
            let Some(bundle) = self.bundles.get(l) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned();
            return Some(if errors.is_empty() {
                Ok(text)
            } else {
                Err((text, format!("{l}: {errors:?}")))
            });
        }
        None
    }

    /// The message `key` in `lang` (falling back to the fallback language, then to the key
    /// itself, so a missing string is visible but never breaks a page). Without
    /// arguments, the text formatted once at load where there is one.
    pub fn get(&self, lang: &str, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        if args.is_none_or(|a| a.iter().next().is_none())
            && let Some(text) = self.fixed(lang, key)
        {
            return text.to_string();
        }
        match self.format(lang, key, args) {
            Some(Ok(text)) => text,
            Some(Err((text, errors))) => {
                tracing::warn!(lang, key, errors, "Fluent formatting errors");
                text
            }
            None => {
                tracing::warn!(lang, key, "missing UI string");
                key.to_owned()
            }
        }
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

    /// Messages without arguments are formatted once per language (the fallback's
    /// where a language lacks one); those that need arguments are not.
    #[test]
    fn argument_free_messages_are_formatted_once() {
        let s = Strings::from_sources(
            [
                ("en", "a.ftl", "views = Views: { $count }\nshare = Share\nonly-en = English\nsite = { share } it"),
                ("ru", "a.ftl", "views = Просмотры: { $count }\nshare = Поделиться"),
            ],
            "en",
        )
        .unwrap();
        assert_eq!(s.fixed("ru", "share").map(|t| &**t), Some("Поделиться"));
        assert_eq!(s.fixed("ru", "only-en").map(|t| &**t), Some("English"));
        assert_eq!(s.fixed("en", "site").map(|t| &**t), Some("Share it"));
        assert_eq!(s.fixed("ru", "views"), None);
        assert_eq!(s.fixed("ru", "nope"), None);
        assert_eq!(s.fixed("hy", "share"), None);
    }

    /// A theme's override of a message is what the formatted-once strings hold.
    #[test]
    fn formatted_once_strings_follow_overrides() {
        let s = Strings::from_sources(
            [
                ("en", "base.ftl", "share = Share\nprint = Print"),
                ("en", "override.ftl", "share = Pass it on"),
            ],
            "en",
        )
        .unwrap();
        assert_eq!(s.fixed("en", "share").map(|t| &**t), Some("Pass it on"));
        assert_eq!(s.fixed("en", "print").map(|t| &**t), Some("Print"));
    }

    #[test]
    fn syntax_errors_name_the_file() {
        let err = Strings::from_sources([("en", "bad.ftl", "= nothing")], "en")
            .err()
            .unwrap();
        assert!(err.to_string().contains("bad.ftl"));
    }
}
