//! Front page and the list pages: section, tag, author, search, and their load-more
//! fragments.

use super::head::{self, Head};
use super::respond::{Rendered, cached};
use super::view::{self, Card, CardsView, PageMeta, Pagination, SectionView};
use super::{page_param, urls};
use crate::cache::deps;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use byline_content::{ArticleFilter, Listing};
use byline_core::{ArticleId, PageNumber};
use serde::Serialize;
use std::collections::HashMap;

/// A section's block on the front page.
#[derive(Serialize)]
struct SectionBlock<'a> {
    section: SectionView<'a>,
    articles: Vec<Card<'a>>,
}

/// `front.html`'s own members.
#[derive(Serialize)]
struct FrontView<'a> {
    lead: Option<Card<'a>>,
    latest: Vec<Card<'a>>,
    blocks: Vec<SectionBlock<'a>>,
    most_read: Vec<Card<'a>>,
}

/// `section.html`'s own members.
#[derive(Serialize)]
struct SectionPageView<'a> {
    section: SectionView<'a>,
    articles: Vec<Card<'a>>,
    pagination: Pagination,
}

/// `listing.html`'s own members (tag and author pages).
#[derive(Serialize)]
struct ListingView<'a> {
    /// `tag` or `author`.
    kind: &'static str,
    heading: &'a str,
    description: Option<&'a str>,
    articles: Vec<Card<'a>>,
    pagination: Pagination,
}

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
            .map(|(section, articles)| SectionBlock {
                section: SectionView::of(section, &ed),
                articles: view::cards(&state, &ed, articles),
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
            head: Head {
                // x-default: the root, which sends readers to their language's edition.
                alternates: head::list_alternates(
                    &catalog.settings,
                    None,
                    urls::front,
                    Some("/".into()),
                ),
                json_ld: head::front_json_ld(&state, &catalog, &ed),
                ..Default::default()
            },
        };
        let ctx = view::page_context(
            &state,
            &ed,
            &meta,
            &Vec::new(),
            FrontView {
                lead: front
                    .lead
                    .as_ref()
                    .map(|a| view::card(&state, &catalog, &ed, a)),
                latest: view::cards(&state, &ed, &front.latest),
                blocks,
                most_read: view::cards(&state, &ed, &front.most_read),
            },
        )?;
        let shown = front
            .lead
            .iter()
            .chain(&front.latest)
            .chain(front.blocks.iter().flat_map(|(_, a)| a))
            .chain(&front.most_read);
        let mut page_deps = vec![deps::edition(&ed)];
        page_deps.extend(shown.map(|a| deps::shows(a.id.0)));
        Ok(Rendered::html(
            state.theme.render_bytes("front.html", &ctx)?,
            page_deps,
        ))
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
    let key = urls::page_key(&urls::section(&ed, &slug), page.get());
    cached(&state, &headers, key, || async {
        let filter = ArticleFilter {
            edition: Some(ed.clone()),
            section: Some(section.id),
            ..Default::default()
        };
        let listing = state.content.list(filter, page).await?;
        let base = urls::section(&ed, &slug);
        let name = section.name.get(&ed);
        let meta = PageMeta {
            title: titled(&state, &ed, name, &listing),
            description: section.description.get(&ed).to_owned(),
            path: canonical_path(&base, &listing),
            section_slug: Some(slug.clone()),
            head: list_head(
                &state,
                &listing,
                None,
                |e| urls::section(e, &slug),
                name,
                &base,
            ),
        };
        let ctx = view::page_context(
            &state,
            &ed,
            &meta,
            &Vec::new(),
            SectionPageView {
                section: SectionView::of(&section, &ed),
                articles: view::cards(&state, &ed, &listing.articles),
                pagination: view::pagination(
                    &base,
                    &format!("/{ed}/more/section/{slug}"),
                    listing.page.get(),
                    listing.pages,
                ),
            },
        )?;
        let mut page_deps = vec![deps::list("section", section.id.0, &ed)];
        page_deps.extend(listing.articles.iter().map(|a| deps::shows(a.id.0)));
        Ok(Rendered::html(
            state.theme.render_bytes("section.html", &ctx)?,
            page_deps,
        ))
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
    let spec = ListSpec {
        kind: "tag",
        heading,
        description: None,
        more_base: format!("/{ed}/more/tag/{slug}"),
        base,
        dep: deps::list("tag", tag.id.0, &ed),
        filter,
        page,
    };
    listing_page(&state, &headers, &ed, spec).await
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
    let spec = ListSpec {
        kind: "author",
        heading: author.name.get(&ed).to_owned(),
        description: bio,
        more_base: format!("/{ed}/more/author/{slug}"),
        base,
        dep: deps::list("author", author.id.0, &ed),
        filter,
        page,
    };
    listing_page(&state, &headers, &ed, spec).await
}

/// A tag or author page: what to list and how to title it.
struct ListSpec {
    kind: &'static str,
    heading: String,
    description: Option<String>,
    base: String,
    more_base: String,
    /// The cache dependency naming this list.
    dep: String,
    filter: ArticleFilter,
    page: PageNumber,
}

async fn listing_page(
    state: &AppState,
    headers: &HeaderMap,
    ed: &str,
    spec: ListSpec,
) -> Result<Response, WebError> {
    let ListSpec {
        kind,
        heading,
        description,
        base,
        more_base,
        dep: list_dep,
        filter,
        page,
    } = spec;
    let key = urls::page_key(&base, page.get());
    cached(state, headers, key, || async {
        let present = head::editions_having(state, &filter).await?;
        let listing = state.content.list(filter, page).await?;
        let meta = PageMeta {
            title: titled(state, ed, &heading, &listing),
            description: description.clone().unwrap_or_else(|| heading.clone()),
            path: canonical_path(&base, &listing),
            section_slug: None,
            head: list_head(
                state,
                &listing,
                Some(&present),
                |e| swap_edition(&base, e),
                &heading,
                &base,
            ),
        };
        let ctx = view::page_context(
            state,
            ed,
            &meta,
            &Vec::new(),
            ListingView {
                kind,
                heading: &heading,
                description: description.as_deref(),
                articles: view::cards(state, ed, &listing.articles),
                pagination: view::pagination(&base, &more_base, listing.page.get(), listing.pages),
            },
        )?;
        let mut page_deps = vec![list_dep];
        page_deps.extend(listing.articles.iter().map(|a| deps::shows(a.id.0)));
        Ok(Rendered::html(
            state.theme.render_bytes("listing.html", &ctx)?,
            page_deps,
        ))
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
    let list_dep = match kind.as_str() {
        "section" => {
            let id = catalog.section_by_slug(&key).ok_or(WebError::NotFound)?.id;
            filter.section = Some(id);
            deps::list("section", id.0, &ed)
        }
        "tag" => {
            let id = catalog.tag_by_slug(&key).ok_or(WebError::NotFound)?.id;
            filter.tag = Some(id);
            deps::list("tag", id.0, &ed)
        }
        "author" => {
            let id = catalog.author_by_slug(&key).ok_or(WebError::NotFound)?.id;
            filter.author = Some(id);
            deps::list("author", id.0, &ed)
        }
        "article" => {
            let id: i64 = key.parse().map_err(|_| WebError::NotFound)?;
            let article = state
                .content
                .published_in_edition(&ed, ArticleId(id))
                .await?;
            filter.section = Some(article.section);
            filter.exclude = Some(article.id);
            deps::list("section", article.section.0, &ed)
        }
        "search" if key == "results" => {
            return super::search::more_fragment(&state, &ed, &query).await;
        }
        _ => return Err(WebError::NotFound),
    };
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
                path: urls::front(&ed),
                ..Default::default()
            },
            &Vec::new(),
            CardsView {
                articles: view::cards(&state, &ed, &listing.articles),
                more_url,
            },
        )?;
        let mut page_deps = vec![list_dep];
        page_deps.extend(listing.articles.iter().map(|a| deps::shows(a.id.0)));
        Ok(Rendered::html(
            state.theme.render_bytes("partials/cards.html", &ctx)?,
            page_deps,
        ))
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

/// The head of a list page (section, tag, author): its feeds, a breadcrumb, and — on
/// its first page only, the one the editions share, and only where it lists something —
/// hreflang alternates among the editions in `present` (all when `None`).
fn list_head(
    state: &AppState,
    listing: &Listing,
    present: Option<&[String]>,
    path_for: impl Fn(&str) -> String,
    name: &str,
    base: &str,
) -> Head {
    let catalog = state.content.catalog();
    let ed = base.trim_start_matches('/').split('/').next().unwrap_or("");
    let shown = present.is_none_or(|p| p.iter().any(|e| e == ed));
    let alternates = if listing.page.get() == 1 && shown {
        head::list_alternates(&catalog.settings, present, path_for, None)
    } else {
        Vec::new()
    };
    Head {
        alternates,
        feed: Some((
            base.to_owned(),
            format!("{name} — {}", catalog.settings.name),
        )),
        json_ld: vec![head::breadcrumbs(state, &catalog, ed, &[(name, base)])],
        ..Default::default()
    }
}

/// The same list path in another edition (`/en/tag/x` → `/ru/tag/x`).
fn swap_edition(path: &str, ed: &str) -> String {
    let rest = path
        .trim_start_matches('/')
        .split_once('/')
        .map_or("", |(_, r)| r);
    format!("/{ed}/{rest}")
}

fn canonical_path(base: &str, listing: &Listing) -> String {
    if listing.page.get() > 1 {
        urls::with_page(base, listing.page.get())
    } else {
        base.to_owned()
    }
}
