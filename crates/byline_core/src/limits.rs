//! How much of anything a user sends is parsed: every parser fed by readers, staff or
//! API clients is bounded here, in one place, so that no request can crash the process
//! (a deep recursion overflowing a thread's stack) or hold a core for seconds (a parser
//! whose cost grows faster than its input). Past a limit the request is refused with a
//! 4xx that says which limit; nothing stored is touched. docs/SECURITY.md ("Limits")
//! lists them with their reasons.

/// Deepest nesting of HTML elements a parser is given: pasted HTML, and the HTML a
/// Markdown body renders to (its raw HTML included) before the sanitizer reads it.
/// html5ever's tree builder walks its stack of open elements for most start tags, so
/// its cost grows with the square of the depth (10,000 nested `<div>` take a second,
/// 40,000 take 18), and the paste converter walks the tree recursively. Real documents
/// nest a few dozen levels; 128 leaves room for 60 levels of nested lists.
pub const MAX_HTML_DEPTH: usize = 128;

/// Longest pasted HTML converted to Markdown, in bytes. A long article copied from a
/// word processor (its styles included) is well under it.
pub const MAX_PASTE_BYTES: usize = 512 * 1024;

/// Longest article body, in bytes of Markdown.
pub const MAX_BODY_BYTES: usize = 400_000;

/// Longest search query looked at, in characters; the rest is ignored (a reader's
/// query is never an error).
pub const MAX_SEARCH_QUERY_CHARS: usize = 200;

/// Most words and phrases (together) of a search query looked at.
pub const MAX_SEARCH_QUERY_PARTS: usize = 12;

/// Longest query string of an API request (`/api/…`, `/ghost/api/…`), in bytes.
/// Every parameter the API takes fits many times over.
pub const MAX_QUERY_STRING_BYTES: usize = 8 * 1024;

/// Most parameters in one API query string.
pub const MAX_QUERY_PAIRS: usize = 64;

/// Most items of a comma-separated API parameter (`fields`, `include`, …); `ids` takes
/// up to 100, as many articles as a page holds.
pub const MAX_LIST_ITEMS: usize = 100;

/// Most clauses of a Ghost `filter` (`tag:a+author:b`): only one tag and one author
/// can apply, so more is a mistake or an attack.
pub const MAX_GHOST_FILTER_CLAUSES: usize = 8;
