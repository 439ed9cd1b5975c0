//! The schema.org objects pages carry as JSON-LD (NewsArticle, Organization, WebSite,
//! BreadcrumbList), as types serialized straight into the `<script>`'s text.
//!
//! Why types and not `serde_json::json!`: an article's two documents were built as
//! `Value` trees, an allocated key and a map insert per member, then walked to be
//! written: 4 % of an uncached render. Members are declared in the byte order of their
//! names, the order `serde_json`'s maps wrote them in, so the text is what it was.

use serde::Serialize;

pub const CONTEXT: &str = "https://schema.org";

/// A JSON-LD document as the text of a `<script type="application/ld+json">`
/// (`byline_render::escape::script_json`: nothing in it can end the script).
pub fn script(document: &impl Serialize) -> String {
    let text = serde_json::to_string(document).unwrap_or_else(|_| "{}".into());
    byline_render::escape::script_json(&text)
}

/// `{"@type": "ImageObject", "url": …}`: a logo.
#[derive(Serialize)]
pub struct Logo {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub url: String,
}

/// The outlet: publisher of every article, author of those without a byline.
#[derive(Serialize)]
pub struct Organization<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<Logo>,
    pub name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<&'a str>,
    pub url: String,
}

/// `{"@type": "Organization", "name": …}`: the publisher as the WebSite names it.
#[derive(Serialize)]
pub struct NamedOrganization<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
}

/// An edition's front page as a WebSite with its search box.
#[derive(Serialize)]
pub struct WebSite<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "inLanguage")]
    pub in_language: &'a str,
    pub name: &'a str,
    #[serde(rename = "potentialAction")]
    pub potential_action: SearchAction,
    pub publisher: NamedOrganization<'a>,
    pub url: String,
}

#[derive(Serialize)]
pub struct SearchAction {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "query-input")]
    pub query_input: &'static str,
    pub target: EntryPoint,
}

#[derive(Serialize)]
pub struct EntryPoint {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "urlTemplate")]
    pub url_template: String,
}

#[derive(Serialize)]
pub struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "itemListElement")]
    pub items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
pub struct ListItem<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub item: String,
    pub name: &'a str,
    pub position: usize,
}

/// A NewsArticle, or a LiveBlogPosting (the coverage and `liveBlogUpdate` members).
#[derive(Serialize)]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "articleSection")]
    pub article_section: &'a str,
    pub author: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub correction: Vec<CorrectionComment<'a>>,
    #[serde(rename = "coverageEndTime", skip_serializing_if = "Option::is_none")]
    pub coverage_end_time: Option<String>,
    #[serde(rename = "coverageStartTime", skip_serializing_if = "Option::is_none")]
    pub coverage_start_time: Option<String>,
    #[serde(rename = "dateModified")]
    pub date_modified: &'a str,
    #[serde(rename = "datePublished")]
    pub date_published: &'a str,
    pub description: &'a str,
    pub headline: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image: Vec<ImageObject<'a>>,
    #[serde(rename = "inLanguage")]
    pub in_language: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub keywords: &'a [String],
    #[serde(rename = "liveBlogUpdate", skip_serializing_if = "Option::is_none")]
    pub live_blog_update: Option<Vec<BlogPosting>>,
    #[serde(rename = "mainEntityOfPage")]
    pub main_entity_of_page: WebPage<'a>,
    pub publisher: Organization<'a>,
    pub url: &'a str,
}

/// A byline: a person, or the outlet when the article names no one.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Author<'a> {
    Person(Person<'a>),
    Organization(Organization<'a>),
}

#[derive(Serialize)]
pub struct Person<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct ImageObject<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub caption: &'a str,
    pub height: u32,
    pub url: String,
    pub width: u32,
}

#[derive(Serialize)]
pub struct CorrectionComment<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "datePublished")]
    pub date_published: String,
    pub text: &'a str,
}

/// One entry of a live blog, at its own anchor.
#[derive(Serialize)]
pub struct BlogPosting {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "articleBody")]
    pub article_body: String,
    #[serde(rename = "dateModified")]
    pub date_modified: String,
    #[serde(rename = "datePublished")]
    pub date_published: String,
    pub headline: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct WebPage<'a> {
    #[serde(rename = "@id")]
    pub id: &'a str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
}
