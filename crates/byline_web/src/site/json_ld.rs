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

#[cfg(test)]
mod tests {
    use super::*;

    /// Members are written in the byte order of their names at every level, as
    /// serde_json's maps order them: the text stays what the `Value` trees wrote, and
    /// a member added out of order fails here (every optional member is present).
    fn in_map_order(document: &impl Serialize) {
        let written = serde_json::to_string(document).unwrap();
        let as_maps = serde_json::to_string(&serde_json::to_value(document).unwrap()).unwrap();
        assert_eq!(written, as_maps);
    }

    fn outlet(context: Option<&'static str>) -> Organization<'static> {
        Organization {
            context,
            kind: "Organization",
            logo: Some(Logo {
                kind: "ImageObject",
                url: "https://example.org/logo.svg".into(),
            }),
            name: "Outlet",
            same_as: vec!["https://x.com/outlet"],
            url: "https://example.org/".into(),
        }
    }

    #[test]
    fn a_live_blog_with_everything_is_written_in_map_order() {
        let tags = vec!["one".to_owned(), "two".to_owned()];
        let image = |url: &str| ImageObject {
            kind: "ImageObject",
            caption: "A caption",
            height: 630,
            url: url.into(),
            width: 1200,
        };
        let document = NewsArticle {
            context: CONTEXT,
            kind: "LiveBlogPosting",
            article_section: "News",
            author: vec![
                Author::Person(Person {
                    kind: "Person",
                    name: "A. Writer",
                    url: "https://example.org/en/author/a".into(),
                }),
                Author::Organization(outlet(None)),
            ],
            correction: vec![CorrectionComment {
                kind: "CorrectionComment",
                date_published: "2026-12-01T10:00:00+04:00".into(),
                text: "A figure was wrong.",
            }],
            coverage_end_time: Some("2026-12-01T18:00:00+04:00".into()),
            coverage_start_time: Some("2026-12-01T08:00:00+04:00".into()),
            date_modified: "2026-12-01T12:00:00+04:00",
            date_published: "2026-12-01T08:00:00+04:00",
            description: "What happened",
            headline: "A day of news".into(),
            image: vec![
                image("https://example.org/a.jpg"),
                image("https://example.org/b.jpg"),
            ],
            in_language: "en",
            keywords: &tags,
            live_blog_update: Some(vec![BlogPosting {
                kind: "BlogPosting",
                article_body: "The first entry.".into(),
                date_modified: "2026-12-01T09:00:00+04:00".into(),
                date_published: "2026-12-01T09:00:00+04:00".into(),
                headline: "First".into(),
                url: "https://example.org/en/news/day#entry-1".into(),
            }]),
            main_entity_of_page: WebPage {
                id: "https://example.org/en/news/day",
                kind: "WebPage",
            },
            publisher: outlet(None),
            url: "https://example.org/en/news/day",
        };
        in_map_order(&document);
    }

    #[test]
    fn the_front_pages_and_breadcrumbs_documents_are_written_in_map_order() {
        in_map_order(&outlet(Some(CONTEXT)));
        in_map_order(&WebSite {
            context: CONTEXT,
            kind: "WebSite",
            in_language: "en",
            name: "Outlet",
            potential_action: SearchAction {
                kind: "SearchAction",
                query_input: "required name=search_term_string",
                target: EntryPoint {
                    kind: "EntryPoint",
                    url_template: "https://example.org/en/search?q={search_term_string}".into(),
                },
            },
            publisher: NamedOrganization {
                kind: "Organization",
                name: "Outlet",
            },
            url: "https://example.org/en/".into(),
        });
        in_map_order(&BreadcrumbList {
            context: CONTEXT,
            kind: "BreadcrumbList",
            items: vec![ListItem {
                kind: "ListItem",
                item: "https://example.org/en/".into(),
                name: "Outlet",
                position: 1,
            }],
        });
    }
}
