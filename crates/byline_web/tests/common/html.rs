//! Claims about served HTML by structure: parse the page, select the element the claim is
//! about (this link in the nav, this card in that block, these headings in this order)
//! and compare its text or attributes. A plain "this text appears" may stay a substring
//! check; a claim about where something is must select it, or it passes when the text
//! shows up anywhere else on the page.

use scraper::{ElementRef, Html, Selector};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e}"))
}

/// The elements of `html` matching the CSS selector `css`, in document order.
pub fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&selector(css)).collect()
}

/// The one element of `html` matching `css`; panics if there are none or several.
pub fn select_one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    exactly_one(select(html, css), css)
}

/// The elements under `scope` matching `css`, in document order.
pub fn within<'a>(scope: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    scope.select(&selector(css)).collect()
}

/// The one element under `scope` matching `css`; panics if there are none or several.
pub fn within_one<'a>(scope: ElementRef<'a>, css: &str) -> ElementRef<'a> {
    exactly_one(within(scope, css), css)
}

/// The one element with `data-testid="{id}"`.
pub fn testid<'a>(html: &'a Html, id: &str) -> ElementRef<'a> {
    select_one(html, &format!("[data-testid=\"{id}\"]"))
}

fn exactly_one<'a>(mut found: Vec<ElementRef<'a>>, css: &str) -> ElementRef<'a> {
    assert_eq!(
        found.len(),
        1,
        "{css}: expected one element, found {}",
        found.len()
    );
    found.remove(0)
}

/// The text of an element, whitespace collapsed.
pub fn text(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts of `elements`, in order.
pub fn texts(elements: &[ElementRef<'_>]) -> Vec<String> {
    elements.iter().map(|e| text(*e)).collect()
}

/// The value of the element's attribute `name`; panics if it has none.
pub fn attr(element: ElementRef<'_>, name: &str) -> String {
    element
        .value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {}", element.html()))
        .to_owned()
}

/// The `attr` values of the elements under `scope` matching `css`, in document order.
pub fn attrs(scope: ElementRef<'_>, css: &str, attr: &str) -> Vec<String> {
    within(scope, css)
        .into_iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The link targets under `scope`, in document order.
pub fn hrefs(scope: ElementRef<'_>) -> Vec<String> {
    attrs(scope, "a[href]", "href")
}

/// The page's language: `lang` on its `<html>` element.
pub fn lang(html: &Html) -> Option<String> {
    select_one(html, "html")
        .value()
        .attr("lang")
        .map(str::to_owned)
}

/// The story cards of a reader page or fragment, in order: each one's link and title.
pub fn cards(html: &Html) -> Vec<(String, String)> {
    select(html, "[data-testid=card] .card-title a")
        .into_iter()
        .map(|a| (attr(a, "href"), text(a)))
        .collect()
}

/// The title of the card linking `url` on a reader page, if it has one.
pub fn card_title(html: &Html, url: &str) -> Option<String> {
    cards(html)
        .into_iter()
        .find_map(|(href, title)| (href == url).then_some(title))
}

/// What a form field named `name` holds: an input's `value`, a textarea's text.
pub fn field(html: &Html, name: &str) -> String {
    let element = select_one(
        html,
        &format!("input[name=\"{name}\"], textarea[name=\"{name}\"]"),
    );
    if element.value().name() == "textarea" {
        element.text().collect()
    } else {
        attr(element, "value")
    }
}
