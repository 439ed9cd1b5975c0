//! Markdown rendering and sanitizing: any body renders or is refused with a reason,
//! and what renders carries no script, as the parser of a browser would read it.

use byline_fuzz::{fuzz, markdown};
use byline_render::{BodyError, html_depth, plain_text, render_markdown};
use markup5ever_rcdom::{Handle, NodeData};
use proptest::prelude::*;

/// Every element of the rendered HTML, as (name, attributes), read by html5ever.
fn elements(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let dom = html_depth::parse(html, usize::MAX / 2).expect("no depth limit here");
    let mut found = Vec::new();
    let mut stack: Vec<Handle> = vec![dom.document.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            found.push((name.local.to_string(), attrs));
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    found
}

/// Attributes whose value a browser loads or navigates to.
const URL_ATTRIBUTES: [&str; 10] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "cite",
    "background",
    "data",
    "xlink:href",
];

#[test]
fn markdown_renders_sanitized_or_is_refused() {
    fuzz("markdown", markdown(), |md| {
        match render_markdown(&md) {
            Ok(body) => {
                for (name, attrs) in elements(&body.html) {
                    prop_assert!(
                        ![
                            "script", "iframe", "style", "object", "embed", "base", "form"
                        ]
                        .contains(&name.as_str()),
                        "<{name}> survived: {}",
                        body.html
                    );
                    for (attr, value) in attrs {
                        prop_assert!(
                            !attr.starts_with("on") && attr != "style",
                            "{attr} on <{name}>: {}",
                            body.html
                        );
                        // Only attributes a browser follows as an address; `alt` or a
                        // caption may say "javascript:" as text.
                        if !URL_ATTRIBUTES.contains(&attr.as_str()) {
                            continue;
                        }
                        let value: String = value
                            .chars()
                            .filter(|c| !c.is_whitespace() && !c.is_control())
                            .collect::<String>()
                            .to_ascii_lowercase();
                        prop_assert!(
                            !value.starts_with("javascript:") && !value.starts_with("data:"),
                            "{attr}={value} on <{name}>: {}",
                            body.html
                        );
                    }
                }
                prop_assert_eq!(body.text, plain_text(&md));
            }
            Err(BodyError::TooDeep) => {}
            Err(BodyError::TooLarge) => prop_assert!(false, "generated bodies are small"),
        }
        Ok(())
    });
}
