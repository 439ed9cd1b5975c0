//! Front page and the list pages: section, tag, author, search, and their load-more
//! fragments.

use super::respond::cached;
use super::view::{self, PageMeta};
use super::{page_param, urls};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use byline_content::{ArticleFilter, Listing};
use byline_core::{ArticleId, PageNumber};
use serde_json::json;
use std::collections::HashMap;

pub(crate) fn edition(state: &AppState, ed: &str) -> Result<(), WebError> {
    if state.content.catalog().settings.has_edition(ed) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

pub async fn front(
    State(state): State<AppState>,
    Path(ed): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let key = urls::front(&ed);
    cached(&state, &headers, key, || async {
        let front = state.content.front_page(&ed).await?;
        let catalog = state.content.catalog();
        let blocks: Vec<_> = front
            .blocks
            .iter()
            .map(|(section, articles)| {
                json!({
                    "section": {
                        "name": section.name.get(&ed),
                        "url": urls::section(&ed, section.slug.as_str()),
                        "description": section.description.get(&ed),
                    },
                    "articles": view::cards(&state, &ed, articles),
                })
            })
            .collect();
        let meta = PageMeta {
            title: format!(
                "{} — {}",
                catalog.settings.name,
                catalog.settings.tagline.get(&ed)
            ),
            description: catalog.settings.tagline.get(&ed).to_owned(),
            path: urls::front(&ed),
            section_slug: None,
        };
        let ctx = view::page_context(
            &state,
            &ed,
            &meta,
            &Vec::new(),
            json!({
                "lead": front.lead.as_ref().map(|a| view::card(&state, &catalog, &ed, a)),
                "latest": view::cards(&state, &ed, &front.latest),
                "blocks": blocks,
                "most_read": view::cards(&state, &ed, &front.most_read),
            }),
        );
        Ok(state.theme.render("front.html", &ctx)?)
    })
    .await
}

pub async fn section(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let catalog = state.content.catalog();
    let section = catalog
        .section_by_slug(&slug)
        .ok_or(WebError::NotFound)?
        .clone();
    let page = page_param(&query)?;
    let key = urls::with_page(&urls::section(&ed, &slug), page.get());
    cached(&state, &headers, key, || async {
        let filter = ArticleFilter { edition: Some(ed.clone()), section: Some(section.id), ..Default::default() };
        let listing = state.content.list(filter, page).await?;
        let base = urls::section(&ed, &slug);
        let meta = PageMeta {
            title: titled(&state, &ed, section.name.get(&ed), &listing),
            description: section.description.get(&ed).to_owned(),
            path: canonical_path(&base, &listing),
            section_slug: Some(slug.clone()),
        };
        let ctx = view::page_context(
            &state,
            &ed,
            &meta,
            &Vec::new(),
            json!({
                "section": {
                    "slug": slug, "name": section.name.get(&ed),
                    "description": section.description.get(&ed), "url": base,
                },
                "articles": view::cards(&state, &ed, &listing.articles),
                "pagination": view::pagination(&base, &format!("/{ed}/more/section/{slug}"), listing.page.get(), listing.pages),
            }),
        );
        Ok(state.theme.render("section.html", &ctx)?)
    })
    .await
}

pub async fn tag(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let tag = state
        .content
        .catalog()
        .tag_by_slug(&slug)
        .ok_or(WebError::NotFound)?
        .clone();
    let page = page_param(&query)?;
    let base = urls::tag(&ed, &slug);
    let filter = ArticleFilter {
        edition: Some(ed.clone()),
        tag: Some(tag.id),
        ..Default::default()
    };
    let heading = state.theme.t_args(
        &ed,
        "tag-title",
        &[("name", tag.name.get(&ed).to_owned().into())],
    );
    listing_page(
        &state,
        &headers,
        &ed,
        "tag",
        heading,
        None,
        base,
        format!("/{ed}/more/tag/{slug}"),
        filter,
        page,
    )
    .await
}

pub async fn author(
    State(state): State<AppState>,
    Path((ed, slug)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let author = state
        .content
        .catalog()
        .author_by_slug(&slug)
        .ok_or(WebError::NotFound)?
        .clone();
    let page = page_param(&query)?;
    let base = urls::author(&ed, &slug);
    let filter = ArticleFilter {
        edition: Some(ed.clone()),
        author: Some(author.id),
        ..Default::default()
    };
    let bio = Some(author.bio.get(&ed).to_owned()).filter(|b| !b.is_empty());
    listing_page(
        &state,
        &headers,
        &ed,
        "author",
        author.name.get(&ed).to_owned(),
        bio,
        base,
        format!("/{ed}/more/author/{slug}"),
        filter,
        page,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn listing_page(
    state: &AppState,
    headers: &HeaderMap,
    ed: &str,
    kind: &str,
    heading: String,
    description: Option<String>,
    base: String,
    more_base: String,
    filter: ArticleFilter,
    page: PageNumber,
) -> Result<Response, WebError> {
    let key = urls::with_page(&base, page.get());
    cached(state, headers, key, || async {
        let listing = state.content.list(filter, page).await?;
        let meta = PageMeta {
            title: titled(state, ed, &heading, &listing),
            description: description.clone().unwrap_or_else(|| heading.clone()),
            path: canonical_path(&base, &listing),
            section_slug: None,
        };
        let ctx = view::page_context(
            state,
            ed,
            &meta,
            &Vec::new(),
            json!({
                "kind": kind,
                "heading": heading,
                "description": description,
                "articles": view::cards(state, ed, &listing.articles),
                "pagination": view::pagination(&base, &more_base, listing.page.get(), listing.pages),
            }),
        );
        Ok(state.theme.render("listing.html", &ctx)?)
    })
    .await
}

/// The cards of page N of a list, for "load more" and infinite scroll.
pub async fn more(
    State(state): State<AppState>,
    Path((ed, kind, key)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    edition(&state, &ed)?;
    let catalog = state.content.catalog();
    let page = page_param(&query)?;
    let mut filter = ArticleFilter {
        edition: Some(ed.clone()),
        ..Default::default()
    };
    let more_base = format!("/{ed}/more/{kind}/{key}");
    match kind.as_str() {
        "section" => {
            filter.section = Some(catalog.section_by_slug(&key).ok_or(WebError::NotFound)?.id)
        }
        "tag" => filter.tag = Some(catalog.tag_by_slug(&key).ok_or(WebError::NotFound)?.id),
        "author" => {
            filter.author = Some(catalog.author_by_slug(&key).ok_or(WebError::NotFound)?.id)
        }
        "article" => {
            let id: i64 = key.parse().map_err(|_| WebError::NotFound)?;
            let article = state
                .content
                .store()
                .article(ArticleId(id))
                .await
                .map_err(|_| WebError::NotFound)?;
            if article.edition != ed || article.status != byline_core::ArticleStatus::Published {
                return Err(WebError::NotFound);
            }
            filter.section = Some(article.section);
            filter.exclude = Some(article.id);
        }
        "search" if key == "results" => {
            return super::search::more_fragment(&state, &ed, &query).await;
        }
        _ => return Err(WebError::NotFound),
    }
    let cache_key = urls::with_page(&more_base, page.get());
    let per_page = if kind == "article" {
        state.content.options().more_per_page
    } else {
        state.content.options().per_page
    };
    let render = || async {
        let listing = state.content.list_sized(filter, page, per_page).await?;
        let more_url = (listing.page.get() < listing.pages)
            .then(|| urls::with_page(&more_base, listing.page.get() + 1));
        let ctx = view::page_context(
            &state,
            &ed,
            &PageMeta {
                title: String::new(),
                description: String::new(),
                path: urls::front(&ed),
                section_slug: None,
            },
            &Vec::new(),
            json!({ "articles": view::cards(&state, &ed, &listing.articles), "more_url": more_url }),
        );
        Ok(state.theme.render("partials/cards.html", &ctx)?)
    };
    cached(&state, &headers, cache_key, render).await
}

fn titled(state: &AppState, ed: &str, heading: &str, listing: &Listing) -> String {
    let site = &state.content.catalog().settings.name;
    if listing.page.get() > 1 {
        let n = state.theme.t_args(
            ed,
            "page-n",
            &[
                ("page", listing.page.get().into()),
                ("pages", listing.pages.into()),
            ],
        );
        format!("{heading} — {n} — {site}")
    } else {
        format!("{heading} — {site}")
    }
}

fn canonical_path(base: &str, listing: &Listing) -> String {
    if listing.page.get() > 1 {
        urls::with_page(base, listing.page.get())
    } else {
        base.to_owned()
    }
}
