//! HTML parsed with a bound on its nesting, so that no input can hold a core or
//! overflow a stack.
//!
//! html5ever's tree builder walks its stack of open elements for most start tags, so
//! parsing costs the square of the depth: 100,000 nested `<div>` (500 KB) would take
//! minutes, and anything that then walks the tree recursively (the paste converter)
//! overflows its thread's stack. Here the parser is fed a few kilobytes at a time and,
//! after each, the depth at which it is inserting (the path of last children, where an
//! open element's content goes) is measured: past the limit, parsing stops. So the
//! parser never works at more than the limit plus one chunk's worth of tags, whatever
//! the input; the finished tree's depth is then checked exactly. Being the real parser,
//! it reads attributes, comments, raw text, SVG and misnested tags exactly as the
//! sanitizer and the paste converter do.

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::rc::Rc;

/// Bytes fed to the parser between two measurements. Small enough that one chunk of
/// the tersest nesting (`<a>`, 3 bytes) costs milliseconds at most.
const CHUNK: usize = 4096;

/// Levels of a parsed tree that are not the document's own elements: `html` and `body`
/// above them, the text inside the deepest. (Elements the parser adds itself, such as
/// `tbody` in a table, count like the document's own.)
const SLACK: usize = 3;

/// The HTML nests deeper than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep;

/// `html` parsed as a document, or [`TooDeep`] when its elements nest more than
/// `limit` levels.
pub fn parse(html: &str, limit: usize) -> Result<RcDom, TooDeep> {
    let mut parser = parse_document(RcDom::default(), ParseOpts::default());
    let mut rest = html;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, tail) = rest.split_at(end);
        parser.process(StrTendril::from_slice(chunk));
        rest = tail;
        if insertion_depth(&parser.tokenizer.sink.sink.document) > limit + SLACK {
            return Err(TooDeep);
        }
    }
    let dom = parser.finish();
    if tree_depth(&dom.document) > limit + SLACK {
        return Err(TooDeep);
    }
    Ok(dom)
}

/// Whether `html` nests more than `limit` levels (parsing it as [`parse`] does).
pub fn deeper_than(html: &str, limit: usize) -> bool {
    parse(html, limit).is_err()
}

/// The depth of the path of last children (into template contents too): where the
/// parser appends while elements are open.
fn insertion_depth(document: &Handle) -> usize {
    let mut depth = 0;
    let mut node = Rc::clone(document);
    loop {
        let next = node
            .children
            .borrow()
            .last()
            .cloned()
            .or_else(|| match &node.data {
                NodeData::Element {
                    template_contents, ..
                } => template_contents.borrow().clone(),
                _ => None,
            });
        match next {
            Some(child) => {
                node = child;
                depth += 1;
            }
            None => return depth,
        }
    }
}

/// The depth of a whole tree, without recursion (template contents included).
pub fn tree_depth(root: &Handle) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(Rc::clone(root), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        stack.extend(
            node.children
                .borrow()
                .iter()
                .map(|c| (Rc::clone(c), depth + 1)),
        );
        if let NodeData::Element {
            template_contents, ..
        } = &node.data
            && let Some(contents) = template_contents.borrow().as_ref()
        {
            stack.push((Rc::clone(contents), depth + 1));
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        tree_depth(&parse(html, 10_000).unwrap().document)
    }

    #[test]
    fn measures_elements_as_the_parser_nests_them() {
        let base = depth("<div></div>"); // #document, html, body, div
        assert_eq!(depth("<div><p><b>x</b><br><img src=a></p></div>"), base + 3);
        assert_eq!(depth(&"<div>".repeat(300)), base + 299);
        assert_eq!(depth(&"<div></div>".repeat(300)), base);
        assert_eq!(depth("<p>a<p>b<p>c"), base + 1, "a p closes the p before");
        assert_eq!(
            depth(&"<div/>".repeat(40)),
            base + 39,
            "HTML ignores the slash"
        );
    }

    #[test]
    fn markup_inside_attributes_comments_and_raw_text_is_not_markup() {
        let base = depth("<div></div>");
        let n = 50;
        assert_eq!(depth(&"<div title='>'></div>".repeat(n)), base);
        assert_eq!(depth(&"<div title=\"</div>\">".repeat(n)), base + n - 1);
        assert_eq!(depth(&"<div><!-- </div> -->".repeat(n)), base + n);
        assert_eq!(
            depth("<style><div><div></style>"),
            depth("<style>x</style>")
        );
    }

    #[test]
    fn deep_input_stops_the_parser_early() {
        // 100,000 levels would take the parser minutes; it stops after one chunk.
        assert!(deeper_than(&"<div>".repeat(100_000), 128));
        assert!(deeper_than(&"<svg><g>".repeat(100_000), 128));
        assert!(deeper_than(&"<b><i>".repeat(100_000), 128));
        assert!(!deeper_than(&"<p>a</p>".repeat(100_000), 128));
        assert!(!deeper_than(
            &format!("{}x{}", "<div>".repeat(128), "</div>".repeat(128)),
            128
        ));
    }
}
