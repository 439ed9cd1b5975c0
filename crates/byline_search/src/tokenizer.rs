//! The word tokenizer every analyzer starts with.
//!
//! Like tantivy's `SimpleTokenizer` (a word is a run of letters and digits), with two
//! things it cannot do:
//! - Armenian marks written *inside* a word — the question mark `՞`, exclamation `՜`,
//!   emphasis `՛` and abbreviation mark `՟` (`ինչո՞ւ`) — are dropped instead of splitting
//!   the word in two, and apostrophes inside a word do the same (`O'Brien` is one word);
//! - spellings that readers type both ways are unified: `ё` → `е`, the ligature `և` → `եվ`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordTokenStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
}

/// Characters dropped when they stand between two letters of a word.
fn is_inner_mark(c: char) -> bool {
    matches!(
        c,
        '\u{055B}' | '\u{055C}' | '\u{055E}' | '\u{055F}' | '\'' | '\u{2019}'
    )
}

fn push_normalized(out: &mut String, c: char) {
    match c {
        'ё' => out.push('е'),
        'Ё' => out.push('Е'),
        'և' => out.push_str("եվ"),
        other => out.push(other),
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let rest = &self.text[self.at..];
        let Some((start, _)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.at = self.text.len();
            return false;
        };
        let start = self.at + start;
        let mut end = start;
        let mut chars = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                push_normalized(&mut self.token.text, c);
                end = start + i + c.len_utf8();
            } else if is_inner_mark(c) && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                continue;
            } else {
                break;
            }
        }
        self.at = end;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut t = WordTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            let tok = s.token();
            out.push((tok.text.clone(), tok.offset_from, tok.offset_to));
        }
        out
    }

    #[test]
    fn splits_on_punctuation_and_keeps_offsets() {
        let w = words("Hello, world! 2026");
        assert_eq!(
            w,
            vec![
                ("Hello".into(), 0, 5),
                ("world".into(), 7, 12),
                ("2026".into(), 14, 18)
            ]
        );
    }

    #[test]
    fn armenian_marks_inside_words_do_not_split_them() {
        let w: Vec<String> = words("Ինչո՞ւ է այդպես։ Վա՜յ")
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(w, vec!["Ինչու", "է", "այդպես", "Վայ"]);
    }

    #[test]
    fn unifies_spellings() {
        let w: Vec<String> = words("Ёлка և O'Brien's").into_iter().map(|w| w.0).collect();
        assert_eq!(w, vec!["Елка", "եվ", "OBriens"]);
    }

    #[test]
    fn positions_increase_by_one() {
        let mut t = WordTokenizer::default();
        let mut s = t.token_stream("a b c");
        let mut positions = Vec::new();
        while s.advance() {
            positions.push(s.token().position);
        }
        assert_eq!(positions, vec![0, 1, 2]);
    }
}
