//! The fuzz runner and input generators shared by Byline's fuzz targets.
//!
//! A target is a property test: random and structured inputs (proptest strategies)
//! thrown at one parser, checking it never panics and that what it lets through keeps
//! its promises. How long each runs comes from the environment:
//!
//! - `PROPTEST_CASES` (default 256): cases per run. CI keeps the default, a few seconds
//!   per target.
//! - `BYLINE_FUZZ_SECS`: the long mode. Runs batches of `PROPTEST_CASES` with fresh
//!   random seeds until that many seconds have passed, then prints the case count
//!   (`cargo test --release -p byline_fuzz -- --nocapture`). docs/SECURITY.md records
//!   the long runs.
//!
//! A failure is shrunk to a small input and reported with it; the test fails.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;
use std::fmt::Debug;
use std::time::{Duration, Instant};

/// Cases per batch when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 256;

/// Runs `test` on inputs from `strategy` (see the crate's note for how many).
pub fn fuzz<S>(target: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let budget = std::env::var("BYLINE_FUZZ_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs);
    let started = Instant::now();
    let mut total = 0u64;
    let slowest = Cell::new(Duration::ZERO);
    loop {
        let config = Config {
            cases,
            // Failures are reported with their shrunk input; nothing is written to disk.
            failure_persistence: None,
            ..Config::default()
        };
        // A new runner per batch: a fresh random seed.
        let mut runner = TestRunner::new(config);
        let outcome = runner.run(&strategy, |input| {
            let at = Instant::now();
            let result = test(input);
            slowest.set(slowest.get().max(at.elapsed()));
            result
        });
        if let Err(failure) = outcome {
            panic!("{target}: {failure}");
        }
        total += u64::from(cases);
        if budget.is_none_or(|b| started.elapsed() >= b) {
            break;
        }
    }
    eprintln!(
        "fuzz {target}: {total} cases in {:.0?} (slowest case {:.1?})",
        started.elapsed(),
        slowest.get()
    );
}

/// Any text, weighted toward the characters parsers treat specially.
pub fn text() -> impl Strategy<Value = String> {
    let special = proptest::sample::select(vec![
        '<', '>', '/', '"', '\'', '=', '&', '-', '!', '\n', ' ', '*', '[', ']', '(', ')', '`', '#',
        '|', ':', '+', '\\', '\0', 'я', 'ա', '\u{200d}', '\u{feff}',
    ]);
    let character = prop_oneof![special, proptest::char::range('a', 'z'), any::<char>()];
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(character, 0..200).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Pieces of HTML: tags (known and unknown, void, raw-text, foreign), attributes with
/// every kind of quoting, comments, doctypes and CDATA, entities and text.
pub fn html_piece() -> BoxedStrategy<String> {
    let name = proptest::sample::select(vec![
        "div",
        "p",
        "span",
        "b",
        "i",
        "a",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "blockquote",
        "pre",
        "code",
        "h2",
        "img",
        "br",
        "hr",
        "figure",
        "figcaption",
        "script",
        "style",
        "textarea",
        "title",
        "template",
        "svg",
        "math",
        "path",
        "foreignObject",
        "select",
        "option",
        "iframe",
        "noscript",
        "plaintext",
        "xmp",
        "dd",
        "dt",
        "font",
        "nobr",
        "x-y",
        "DIV",
        "frameset",
    ]);
    let fixed_attr = proptest::sample::select(vec![
        "",
        " href=\"javascript:alert(1)\"",
        " src=x onerror=alert(1)",
        " title='>'",
        " title=\"</div>\"",
        " class=embed data-embed=constructor data-embed-id=\"javascript:x\"",
        " data-embed=\"youtube\" data-embed-id=\"dQw4w9WgXcQ\"",
        " style=\"color:red\"",
        " a=b=c",
        " /",
    ])
    .prop_map(str::to_owned);
    let attr = prop_oneof![
        4 => fixed_attr,
        1 => text().prop_map(|t| format!(" t=\"{}\"", t.replace('"', ""))),
    ];
    let markup = proptest::sample::select(vec![
        "<!--",
        "-->",
        "<!-->",
        "--!>",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        "<?xml?>",
        "&amp;&lt;&#0;&#x110000;&nbsp",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        4 => (name.clone(), attr).prop_map(|(n, a)| format!("<{n}{a}>")).boxed(),
        3 => name.clone().prop_map(|n| format!("</{n}>")).boxed(),
        1 => name.prop_map(|n| format!("<{n}/>")).boxed(),
        2 => markup.boxed(),
        3 => text().boxed(),
    ]
    .boxed()
}

/// An HTML document made of [`html_piece`]s, sometimes nested deeply on purpose.
pub fn html() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(html_piece(), 0..60).prop_map(|p| p.concat()).boxed(),
        1 => (html_piece(), 1usize..400).prop_map(|(p, n)| p.repeat(n)).boxed(),
        1 => text().boxed(),
    ]
}

/// Markdown made of block and inline syntax, raw HTML and text, sometimes nested deeply.
pub fn markdown() -> impl Strategy<Value = String> {
    let syntax = proptest::sample::select(vec![
        "> ",
        "- ",
        "1. ",
        "  ",
        "    ",
        "\n",
        "\n\n",
        "# ",
        "*",
        "_",
        "**",
        "~~",
        "`",
        "```\n",
        "[",
        "](",
        ")",
        "![",
        "](media:1 \"caption\")",
        "[^1]",
        "[^1]: note\n",
        "| a | b |\n|:-|-:|\n",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://t.me/channel/12",
        "<https://x.com/a/status/1>",
        "javascript:alert(1)",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![3 => syntax.boxed(), 1 => html_piece(), 1 => text().boxed()];
    prop_oneof![
        4 => proptest::collection::vec(piece.clone(), 0..60).prop_map(|p| p.concat()).boxed(),
        1 => (piece, 1usize..300).prop_map(|(p, n)| p.repeat(n)).boxed(),
    ]
}

/// A file made from a valid one: bytes flipped, cut, repeated or inserted.
pub fn mutated(original: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = original.len().max(1);
    let edit = prop_oneof![
        (0..len, any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        (0..len).prop_map(Edit::Cut),
        (0..len, proptest::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (0..len, 0..len).prop_map(|(a, b)| Edit::Repeat(a.min(b), a.max(b))),
    ];
    proptest::collection::vec(edit, 1..8).prop_map(move |edits| {
        let mut bytes = original.clone();
        for e in edits {
            e.apply(&mut bytes);
        }
        bytes
    })
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Repeat(usize, usize),
}

impl Edit {
    fn apply(self, bytes: &mut Vec<u8>) {
        let len = bytes.len();
        match self {
            Edit::Set(at, b) if at < len => bytes[at] = b,
            Edit::Cut(at) if at < len => bytes.truncate(at),
            Edit::Insert(at, b) if at <= len => {
                bytes.splice(at..at, b);
            }
            Edit::Repeat(from, to) if to <= len => {
                let part = bytes[from..to].to_vec();
                bytes.splice(to..to, part);
            }
            _ => {}
        }
    }
}
