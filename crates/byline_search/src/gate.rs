//! Stemming only the words that could match, for snippets.
//!
//! The snippet generator analyzes each hit's body; stemming every word of it was most of
//! a search's time. This filter stems a word only when its first characters are those of
//! one of the query's terms, and passes every other word through unstemmed (it must still
//! pass them: they carry the offsets the snippet's fragment is cut from). An unstemmed
//! word cannot equal a term it does not even start like, so no match is lost or invented.
//!
//! Sound for the Snowball stemmers we use: they rewrite endings, so a word and its stem
//! share their first characters (the few exceptions are short stop words).

use std::collections::HashSet;
use std::sync::Arc;
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// How many leading characters a word must share with a query term to be stemmed.
const PREFIX_CHARS: usize = 3;

fn key(text: &str) -> String {
    text.chars().take(PREFIX_CHARS).collect()
}

#[derive(Clone)]
pub struct GatedStemmer {
    keys: Arc<HashSet<String>>,
    stemmer: TextAnalyzer,
}

impl GatedStemmer {
    pub fn new<'a>(language: Language, terms: impl IntoIterator<Item = &'a String>) -> Self {
        Self {
            keys: Arc::new(terms.into_iter().map(|t| key(t)).collect()),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(language))
                .build(),
        }
    }
}

impl TokenFilter for GatedStemmer {
    type Tokenizer<T: Tokenizer> = GateTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> GateTokenizer<T> {
        GateTokenizer { inner, gate: self }
    }
}

#[derive(Clone)]
pub struct GateTokenizer<T> {
    inner: T,
    gate: GatedStemmer,
}

impl<T: Tokenizer> Tokenizer for GateTokenizer<T> {
    type TokenStream<'a> = GateStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GateStream {
            inner: self.inner.token_stream(text),
            keys: &self.gate.keys,
            stemmer: &mut self.gate.stemmer,
        }
    }
}

pub struct GateStream<'a, S> {
    inner: S,
    keys: &'a HashSet<String>,
    stemmer: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for GateStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        if self.keys.contains(&key(&self.inner.token().text)) {
            let stemmed = {
                let mut s = self.stemmer.token_stream(&self.inner.token().text);
                s.next().map(|t| t.text.clone())
            };
            if let Some(stem) = stemmed {
                self.inner.token_mut().text = stem;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}
