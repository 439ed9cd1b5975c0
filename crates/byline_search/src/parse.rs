//! Reading what a reader typed, forgivingly: a query is never an error.
//!
//! Understood: words, `"phrases"`, `-word` and `-"phrase"` to exclude. Everything else
//! is tolerated: an unbalanced quote closes at the end, stray `-`, `+`, `*`, `:`,
//! brackets and the like are treated as spaces, and the length and the number of parts
//! are capped (`byline_core::limits`) so a 10 KB query costs no more than a long one.

/// At most this many words and phrases (together) are looked at.
pub const MAX_PARTS: usize = byline_core::limits::MAX_SEARCH_QUERY_PARTS;
/// At most this many characters are looked at.
pub const MAX_CHARS: usize = byline_core::limits::MAX_SEARCH_QUERY_CHARS;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    /// Words or phrases that must not occur.
    pub excluded: Vec<String>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// The positive part as plain text (for the exact-title match and "did you mean").
    pub fn positive_text(&self) -> String {
        let mut parts: Vec<&str> = self.phrases.iter().map(String::as_str).collect();
        parts.extend(self.words.iter().map(String::as_str));
        parts.join(" ")
    }

    /// One word, nothing else: the case for "did you mean".
    pub fn single_word(&self) -> Option<&str> {
        match (
            self.words.as_slice(),
            self.phrases.is_empty(),
            self.excluded.is_empty(),
        ) {
            ([w], true, true) => Some(w),
            _ => None,
        }
    }
}

/// Characters that separate words in a query (besides whitespace) and never mean anything.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control() || "+*?:()[]{}^~!\\|&<>=/,;«»„“”".contains(c)
}

pub fn parse(input: &str) -> ParsedQuery {
    let mut q = ParsedQuery::default();
    let chars: Vec<char> = input.chars().take(MAX_CHARS).collect();
    let mut i = 0;
    let mut parts = 0;
    while i < chars.len() && parts < MAX_PARTS {
        let c = chars[i];
        if is_separator(c) {
            i += 1;
            continue;
        }
        let negated = c == '-';
        if negated {
            i += 1;
            if i >= chars.len() || is_separator(chars[i]) || chars[i] == '-' {
                continue; // a stray minus
            }
        }
        if chars[i] == '"' {
            let start = i + 1;
            let end = chars[start..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| start + p);
            let phrase = clean(&chars[start..end]);
            i = end + 1;
            if phrase.is_empty() {
                continue;
            }
            parts += 1;
            if negated {
                q.excluded.push(phrase);
            } else if phrase.split(' ').count() == 1 {
                q.words.push(phrase);
            } else {
                q.phrases.push(phrase);
            }
            continue;
        }
        let start = i;
        while i < chars.len() && !is_separator(chars[i]) && chars[i] != '"' {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let word = word.trim_matches('-').to_owned();
        if word.is_empty() {
            continue;
        }
        parts += 1;
        if negated {
            q.excluded.push(word);
        } else {
            q.words.push(word);
        }
    }
    q
}

/// Phrase text with separators collapsed to single spaces.
fn clean(chars: &[char]) -> String {
    chars
        .iter()
        .map(|&c| if is_separator(c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"grid "power line" -coal -"nuclear plant""#);
        assert_eq!(q.words, words(&["grid"]));
        assert_eq!(q.phrases, words(&["power line"]));
        assert_eq!(q.excluded, words(&["coal", "nuclear plant"]));
    }

    #[test]
    fn forgives_unbalanced_quotes_and_stray_operators() {
        let q = parse(r#""power line"#);
        assert_eq!(q.phrases, words(&["power line"]));
        let q = parse("- + * grid -- : ( ) \"\" \"");
        assert_eq!(q.words, words(&["grid"]));
        assert!(q.excluded.is_empty() && q.phrases.is_empty());
        assert!(parse("!!! ??? ...").words.iter().all(|w| w == "..."));
        assert!(parse("").is_empty());
        assert!(parse("\u{0}\u{1}").is_empty());
    }

    #[test]
    fn caps_the_number_of_parts() {
        let long = "word ".repeat(5000);
        assert_eq!(parse(&long).words.len(), MAX_PARTS);
    }

    #[test]
    fn caps_the_length() {
        let q = parse(&format!("\"{}", "a b ".repeat(100_000)));
        assert_eq!(
            q.phrases[0].len(),
            MAX_CHARS - 1,
            "all but the opening quote"
        );
        assert_eq!(parse(&"x".repeat(1_000_000)).words[0].len(), MAX_CHARS);
    }

    #[test]
    fn single_word_is_only_a_lone_plain_word() {
        assert_eq!(parse("zebra").single_word(), Some("zebra"));
        assert_eq!(parse("zebra -horse").single_word(), None);
        assert_eq!(parse("\"zebra crossing\"").single_word(), None);
        assert_eq!(parse("\"zebra\"").single_word(), Some("zebra"));
    }
}
