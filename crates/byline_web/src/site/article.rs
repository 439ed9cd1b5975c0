//! The article page.

use super::respond::{Rendered, cached, respond};
use super::view::{self, CardsView, CoverView, PageMeta, SectionView};
use super::{head, urls};
use crate::cache::deps;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use byline_content::{ContentError, Translation};
use byline_core::{Article, Section};
use serde::Serialize;

/// An author or tag linked from the article.
#[derive(Serialize)]
struct NamedLink<'a> {
    name: &'a str,
    url: String,
}

/// Share links (opened as plain links: no third-party script).
#[derive(Serialize)]
struct ShareLinks {
    x: String,
    facebook: String,
    telegram: String,
    whatsapp: String,
    email: String,
}

/// The article as its page shows it (`article`).
#[derive(Serialize)]
struct ArticleView<'a> {
    id: i64,
    title: &'a str,
    subtitle: &'a str,
    date: String,
    date_iso: String,
    updated: Option<String>,
    updated_iso: Option<String>,
    body_html: &'a str,
    cover: Option<CoverView<'a>>,
    authors: Vec<NamedLink<'a>>,
    tags: Vec<NamedLink<'a>>,
    views: u64,
    section: SectionView<'a>,
    url: String,
    share: ShareLinks,
    /// Where the page reports a view; none on previews.
    beacon_url: Option<String>,
    /// Public correction and update notes, oldest first.
    corrections: Vec<CorrectionView<'a>>,
    /// The entries and event stream of a live blog.
    live: Option<crate::live::LiveView>,
}

/// A public correction note as the article shows it.
#[derive(Serialize)]
struct CorrectionView<'a> {
    kind: &'static str,
    text: &'a str,
    at: String,
    at_iso: String,
}

/// `article.html`'s own members.
#[derive(Serialize)]
struct ArticlePageView<'a> {
    article: ArticleView<'a>,
    /// More from the section.
    more: CardsView<'a>,
}

pub async fn show(
    State(state): State<AppState>,
    Path((ed, section_slug, slug)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    // A cached page exists only at an article's canonical URL and is dropped when the
    // article changes, so a hit needs no store lookup at all.
    let path = urls::article(&ed, &section_slug, &slug);
    if let Some(page) = state.cache.hit(&path).await {
        return Ok(respond(&state, &headers, &page));
    }
    let (article, translations) = match state.content.published_article(&ed, &slug).await {
        Ok(found) => found,
        Err(ContentError::NotFound) => return moved(&state, &ed, &slug).await,
        Err(e) => return Err(e.into()),
    };
    let catalog = state.content.catalog();
    let section = catalog
        .section(article.section)
        .ok_or(WebError::NotFound)?
        .clone();
    if section.slug.as_str() != section_slug {
        // The article moved to another section (or the link is wrong): one canonical URL.
        return Ok(
            Redirect::permanent(&urls::article(&ed, section.slug.as_str(), &slug)).into_response(),
        );
    }
    cached(&state, &headers, path.clone(), || {
        render(&state, &ed, &section, &path, &article, &translations, true)
    })
    .await
}

/// The article page. `counted`: whether it reports a view (not for previews).
pub(crate) async fn render(
    state: &AppState,
    ed: &str,
    section: &Section,
    path: &str,
    article: &Article,
    translations: &[Translation],
    counted: bool,
) -> Result<Rendered, WebError> {
    let ed = ed.to_owned();
    let path = path.to_owned();
    let section_slug = section.slug.to_string();
    let catalog = state.content.catalog();
    let dates = state.dates(&ed);
    let tz = &catalog.timezone;
    let url = state.absolute(&path);
    let published = article.published_at.unwrap_or(article.created_at);
    let updated = article.updated_at.filter(|u| *u > published);
    let authors: Vec<_> = article
        .authors
        .iter()
        .filter_map(|id| catalog.author(*id))
        .map(|a| NamedLink {
            name: a.name.get(&ed),
            url: urls::author(&ed, a.slug.as_str()),
        })
        .collect();
    let tags: Vec<_> = article
        .tags
        .iter()
        .filter_map(|id| catalog.tag(*id))
        .map(|t| NamedLink {
            name: t.name.get(&ed),
            url: urls::tag(&ed, t.slug.as_str()),
        })
        .collect();
    let switcher: Vec<(String, String)> = translations
        .iter()
        .filter_map(|t| {
            let s = catalog.section(t.section)?;
            Some((
                t.edition.clone(),
                urls::article(&t.edition, s.slug.as_str(), &t.slug),
            ))
        })
        .collect();
    let (more, has_more) = state
        .content
        .more_from_section(
            &ed,
            section.id,
            article.id,
            state.content.options().more_per_page,
        )
        .await?;
    let more_url =
        has_more.then(|| urls::with_page(&format!("/{ed}/more/article/{}", article.id), 2));
    let entries = if article.live.is_some() {
        state.content.live_entries(article.id).await?
    } else {
        Vec::new()
    };
    let title_q = urls::q(&article.title);
    let url_q = urls::q(&url);
    let description = head::article_description(article);
    let section_path = urls::section(&ed, section.slug.as_str());
    let facts = head::ArticleFacts {
        article,
        path: &path,
        description: &description,
        section_name: section.name.get(&ed),
        section_path: &section_path,
        authors: article
            .authors
            .iter()
            .filter_map(|id| catalog.author(*id))
            .map(|a| {
                (
                    a.name.get(&ed).to_owned(),
                    urls::author(&ed, a.slug.as_str()),
                )
            })
            .collect(),
        tags: article
            .tags
            .iter()
            .filter_map(|id| catalog.tag(*id))
            .map(|t| t.name.get(&ed).to_owned())
            .collect(),
        published,
        modified: updated.unwrap_or(published),
        translations,
        live_entries: &entries,
    };
    let seo_title = article.seo.title.as_deref().unwrap_or(&article.title);
    let meta = PageMeta {
        title: format!("{seo_title} — {}", catalog.settings.name),
        description: description.clone(),
        path: path.clone(),
        section_slug: Some(section_slug.clone()),
        head: head::article_head(state, &catalog, &facts),
    };
    let ctx = view::page_context(
        state,
        &ed,
        &meta,
        &switcher,
        ArticlePageView {
            article: ArticleView {
                id: article.id.0,
                title: &article.title,
                subtitle: &article.subtitle,
                date: dates.date_time(published, tz),
                date_iso: view::iso(published, &catalog),
                updated: updated.map(|u| dates.date_time(u, tz)),
                updated_iso: updated.map(|u| view::iso(u, &catalog)),
                body_html: &article.body_html,
                cover: article.cover.as_ref().map(view::cover),
                authors,
                tags,
                views: state.content.views_of(article.id).unwrap_or(article.views),
                section: SectionView::of(section, &ed),
                share: ShareLinks {
                    x: format!("https://x.com/intent/post?url={url_q}&text={title_q}"),
                    facebook: format!("https://www.facebook.com/sharer/sharer.php?u={url_q}"),
                    telegram: format!("https://t.me/share/url?url={url_q}&text={title_q}"),
                    whatsapp: format!(
                        "https://wa.me/?text={}",
                        urls::q(&format!("{} {url}", article.title))
                    ),
                    email: format!("mailto:?subject={title_q}&body={url_q}"),
                },
                url: url.clone(),
                beacon_url: counted.then(|| urls::beacon(article.id.0)),
                corrections: article
                    .corrections
                    .iter()
                    .map(|c| CorrectionView {
                        kind: c.kind.as_str(),
                        text: &c.text,
                        at: dates.date_time(c.at, tz),
                        at_iso: view::iso(c.at, &catalog),
                    })
                    .collect(),
                live: crate::live::live_view(state, article, &entries),
            },
            more: CardsView {
                articles: view::cards(state, &ed, &more),
                more_url,
            },
        },
    )?;
    let mut page_deps = vec![
        deps::article(article.id.0),
        deps::group(article.translation_group),
    ];
    page_deps.extend(more.iter().map(|a| deps::shows(a.id.0)));
    // What the page is about, for CDN tags (never purged by article changes).
    page_deps.push(deps::about("section", article.section.0));
    page_deps.extend(article.tags.iter().map(|t| deps::about("tag", t.0)));
    page_deps.extend(article.authors.iter().map(|a| deps::about("author", a.0)));
    page_deps.push(deps::about("ed", &ed));
    Ok(Rendered::html(
        state.theme.render_bytes("article.html", &ctx)?,
        page_deps,
    ))
}

/// An address an article had before its slug changed: a permanent redirect to where it
/// is now (404 when no published article ever had it).
async fn moved(state: &AppState, ed: &str, slug: &str) -> Result<Response, WebError> {
    let article = state.content.renamed_article(ed, slug).await?;
    let catalog = state.content.catalog();
    let section = catalog.section(article.section).ok_or(WebError::NotFound)?;
    let to = urls::article(
        &article.edition,
        section.slug.as_str(),
        article.slug.as_str(),
    );
    let location = HeaderValue::from_str(&to).map_err(|_| WebError::NotFound)?;
    Ok((
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location)],
    )
        .into_response())
}
