//! Static pages (`/{edition}/page/{slug}`): About, Contacts, Privacy, … A page is in one
//! edition; it is cached like every reader page and dropped on any page change (every
//! page's footer lists them, so a page change clears the whole cache).

use super::lists::edition;
use super::respond::{Rendered, cached, respond};
use super::urls;
use super::view::{self, PageMeta};
use crate::cache::deps;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

/// `page.html`'s own members.
#[derive(Serialize)]
struct StaticPageView<'a> {
    static_page: PageBody<'a>,
}

#[derive(Serialize)]
struct PageBody<'a> {
    title: &'a str,
    body_html: &'a str,
    updated: String,
    updated_iso: String,
}

pub async fn show(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let path = urls::static_page(&ed, &slug);
    if let Some(page) = state.cache.hit(&path).await {
        return Ok(respond(&state, &headers, &page));
    }
    edition(&state, &ed)?;
    let page = state
        .content
        .published_page(&ed, &slug)
        .await?
        .ok_or(WebError::NotFound)?;
    cached(&state, &headers, path.clone(), || async {
        let catalog = state.content.catalog();
        let dates = state.dates(&ed);
        let description = page
            .description
            .clone()
            .unwrap_or_else(|| opening(&page.body_markdown, &page.title));
        let meta = PageMeta {
            title: format!("{} — {}", page.title, catalog.settings.name),
            description,
            path: path.clone(),
            section_slug: None,
            head: Default::default(),
        };
        let ctx = view::page_context(
            &state,
            &ed,
            &meta,
            &Vec::new(),
            StaticPageView {
                static_page: PageBody {
                    title: &page.title,
                    body_html: &page.body_html,
                    updated: dates.date(page.updated_at, &catalog.timezone),
                    updated_iso: view::iso(page.updated_at, &catalog),
                },
            },
        )?;
        Ok(Rendered::html(
            state.theme.render_bytes("page.html", &ctx)?,
            vec![deps::about("page", page.id), deps::about("ed", &ed)],
        ))
    })
    .await
}

/// The first words of a page's text (at most 200 characters, cut at a word), for
/// search engines when the page has no description of its own; its title when empty.
fn opening(markdown: &str, title: &str) -> String {
    const MAX: usize = 200;
    let text = byline_render::plain_text(markdown);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return title.to_owned();
    }
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX).collect();
    match cut.rfind(' ') {
        Some(at) => format!("{}…", &cut[..at]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::opening;

    #[test]
    fn a_description_is_the_opening_words_cut_at_a_word() {
        assert_eq!(opening("", "About us"), "About us");
        assert_eq!(opening("# Who\n\nWe *write*.", "t"), "Who We write.");
        let long = "word ".repeat(100);
        let cut = opening(&long, "t");
        assert!(
            cut.ends_with("word…") && cut.chars().count() <= 201,
            "{cut}"
        );
    }
}
