//! Language-aware analysis: one analyzer per edition language, registered under the
//! names the schema's fields use.
//!
//! | language | steps after the word tokenizer |
//! |---|---|
//! | English | lowercase, diacritics folding, stop words, Snowball stemming |
//! | Russian | lowercase, diacritics folding (`ё`→`е` in the tokenizer), stop words, Snowball stemming |
//! | Armenian | lowercase (Armenian has case), diacritics folding, stop words; no stemmer exists in tantivy |
//! | any other | lowercase, diacritics folding |
//!
//! Two language-neutral analyzers serve the features that must not stem: `words`
//! (suggestions and "did you mean" work on the words readers type) and `exact` (the
//! whole title as one token, for "an exact title match ranks first").

use crate::gate::GatedStemmer;
use crate::tokenizer::WordTokenizer;
use std::sync::LazyLock;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// Longest token kept: longer "words" are noise (URLs, hashes) and bloat the index.
const MAX_TOKEN_BYTES: usize = 60;

/// The languages the index has fields for. Editions with other languages use `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ru,
    Hy,
    Other,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Ru, Lang::Hy, Lang::Other];

    /// The language of an edition code (`en`, `ru-RU`, `hy`, …).
    pub fn of_edition(code: &str) -> Lang {
        match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("en") => Lang::En,
            Some("ru") => Lang::Ru,
            Some("hy") => Lang::Hy,
            _ => Lang::Other,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Hy => "hy",
            Lang::Other => "xx",
        }
    }

    /// The analyzer's registered name.
    pub fn analyzer_name(self) -> &'static str {
        match self {
            Lang::En => "byline_en",
            Lang::Ru => "byline_ru",
            Lang::Hy => "byline_hy",
            Lang::Other => "byline_xx",
        }
    }

    /// The analyzer (built once per process: stop-word sets and stemmers are not free,
    /// and every query needs them).
    pub fn analyzer(self) -> TextAnalyzer {
        static BUILT: LazyLock<[TextAnalyzer; 4]> = LazyLock::new(|| Lang::ALL.map(Lang::build));
        BUILT[Lang::ALL.iter().position(|l| *l == self).unwrap_or(3)].clone()
    }

    /// The analyzer for snippets of a query with `terms`: like [`analyzer`](Self::analyzer)
    /// but stems only words that could match (see [`GatedStemmer`]). Stop words need no
    /// removing here: they are never among the terms.
    pub fn snippet_analyzer<'a>(self, terms: impl IntoIterator<Item = &'a String>) -> TextAnalyzer {
        let base = TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        match self {
            Lang::En => base
                .filter(GatedStemmer::new(Language::English, terms))
                .build(),
            Lang::Ru => base
                .filter(GatedStemmer::new(Language::Russian, terms))
                .build(),
            Lang::Hy | Lang::Other => base.build(),
        }
    }

    fn build(self) -> TextAnalyzer {
        let base = TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        match self {
            Lang::En => base
                .filter(
                    StopWordFilter::new(Language::English)
                        .expect("tantivy ships English stop words"),
                )
                .filter(Stemmer::new(Language::English))
                .build(),
            Lang::Ru => base
                .filter(
                    StopWordFilter::new(Language::Russian)
                        .expect("tantivy ships Russian stop words"),
                )
                .filter(Stemmer::new(Language::Russian))
                .build(),
            Lang::Hy => base
                .filter(StopWordFilter::remove(
                    ARMENIAN_STOP_WORDS.iter().map(|w| (*w).to_owned()),
                ))
                .build(),
            Lang::Other => base.build(),
        }
    }
}

/// Words so frequent in Armenian that they only add noise to a query: conjunctions,
/// particles, pronouns and the auxiliary "to be" (lowercase, as the tokenizer leaves them;
/// `և` is already `եվ`).
const ARMENIAN_STOP_WORDS: &[&str] = &[
    "եվ",
    "ու",
    "եւ",
    "է",
    "են",
    "էր",
    "էին",
    "եմ",
    "ես",
    "ենք",
    "եք",
    "որ",
    "այս",
    "այդ",
    "այն",
    "մի",
    "ի",
    "իր",
    "նա",
    "նրա",
    "նրանք",
    "մենք",
    "դու",
    "դուք",
    "կամ",
    "բայց",
    "թե",
    "էլ",
    "ալ",
    "չէ",
    "չի",
    "հետ",
    "համար",
    "վրա",
    "մեջ",
    "մասին",
    "պես",
    "նման",
    "իսկ",
    "ինչ",
    "որը",
    "որի",
    "որոնք",
    "սա",
    "դա",
    "նաեվ",
    "նաև",
    "էլի",
    "ոչ",
];

pub const WORDS: &str = "byline_words";
pub const EXACT: &str = "byline_exact";

/// Unstemmed words: for prefix suggestions and spelling corrections.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The whole text as one token: it is already normalized by [`exact_key`], on both the
/// indexing and the query side.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).build()
}

/// A title or a query reduced to its words (lowercased, folded), joined by single
/// spaces: "Grid interconnectors: learning to share" and "grid interconnectors learning
/// to share" give the same key.
pub fn exact_key(text: &str) -> String {
    let mut analyzer = words_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&token.text);
    }
    out
}

/// Registers every analyzer the schema names.
pub fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    for lang in Lang::ALL {
        tokenizers.register(lang.analyzer_name(), lang.analyzer());
    }
    tokenizers.register(WORDS, words_analyzer());
    tokenizers.register(EXACT, exact_analyzer());
}

/// The tokens of `text` under `analyzer`, with their positions.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: Lang, text: &str) -> Vec<String> {
        tokens(&mut lang.analyzer(), text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn english_stems_and_drops_stop_words() {
        assert_eq!(
            terms(Lang::En, "The Negotiations are negotiating"),
            vec!["negoti", "negoti"]
        );
        assert_eq!(terms(Lang::En, "Café"), vec!["cafe"]);
    }

    #[test]
    fn russian_stems_inflected_forms_to_one_term() {
        assert_eq!(
            terms(Lang::Ru, "переговоры"),
            terms(Lang::Ru, "переговорах")
        );
        assert_eq!(terms(Lang::Ru, "и в на"), Vec::<String>::new());
        assert_eq!(terms(Lang::Ru, "Ёлка"), terms(Lang::Ru, "елка"));
    }

    #[test]
    fn armenian_is_case_folded_and_keeps_marked_words_whole() {
        assert_eq!(terms(Lang::Hy, "Երևան ԵՐԵՎԱՆ"), vec!["երեվան", "երեվան"]);
        assert_eq!(terms(Lang::Hy, "Ինչո՞ւ և"), vec!["ինչու"]);
    }

    #[test]
    fn positions_survive_stop_words_for_phrases() {
        let t = tokens(&mut Lang::En.analyzer(), "Bank of England");
        assert_eq!(t, vec![(0, "bank".into()), (2, "england".into())]);
    }

    #[test]
    fn exact_key_ignores_punctuation_and_spacing() {
        assert_eq!(
            exact_key("Grid  interconnectors: learning to share!"),
            "grid interconnectors learning to share"
        );
    }
}
