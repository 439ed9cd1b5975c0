//! The article list (`/newsroom`): words, filters, sort, pages of 50, counts per status
//! and "my work". Every filter is a plain query parameter
//! (`?q=&status=&edition=&section=&author=&tag=&from=&to=&sort=&page=&mine=`), so a
//! filtered list is a bookmark and works without JavaScript. A value that names
//! nothing (an unknown section, a malformed date) is answered 400 with the form as
//! typed and a message beside the field, in the newsroom's language.

use super::page;
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use byline_content::{Catalog, ContentError, NewsroomList, NewsroomQuery, NewsroomSort};
use byline_core::{Action, ArticleStatus, Ownership, allowed};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest word filter accepted (characters).
const MAX_WORDS: usize = 200;

/// The list's query parameters as typed (all text, so a bad value is kept and shown).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ListParams {
    q: String,
    status: String,
    edition: String,
    section: String,
    author: String,
    tag: String,
    from: String,
    to: String,
    sort: String,
    page: String,
    mine: String,
}

impl ListParams {
    /// This list's address with `status` and `page` replaced (empty: left out), the
    /// other filters kept.
    fn href(&self, status: Option<&str>, page: Option<u32>, mine: Option<bool>) -> String {
        let mut p = self.clone();
        if let Some(status) = status {
            p.status = status.to_owned();
        }
        p.page = page
            .filter(|n| *n > 1)
            .map(|n| n.to_string())
            .unwrap_or_default();
        if let Some(mine) = mine {
            p.mine = if mine { "1".into() } else { String::new() };
        }
        let pairs: Vec<(&str, &str)> = [
            ("q", &p.q),
            ("status", &p.status),
            ("edition", &p.edition),
            ("section", &p.section),
            ("author", &p.author),
            ("tag", &p.tag),
            ("from", &p.from),
            ("to", &p.to),
            ("sort", &p.sort),
            ("mine", &p.mine),
            ("page", &p.page),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        match serde_urlencoded::to_string(pairs) {
            Ok(qs) if !qs.is_empty() => format!("/newsroom?{qs}"),
            _ => "/newsroom".to_owned(),
        }
    }

    fn mine(&self) -> bool {
        let m = self.mine.trim();
        !m.is_empty() && m != "0"
    }

    /// The typed query, or the fields that name nothing (field → message id).
    fn parse(
        &self,
        catalog: &Catalog,
    ) -> Result<NewsroomQuery, BTreeMap<&'static str, &'static str>> {
        let mut errors = BTreeMap::new();
        let given = |v: &str| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_owned);
        let words = given(&self.q);
        if words
            .as_ref()
            .is_some_and(|w| w.chars().count() > MAX_WORDS)
        {
            errors.insert("q", "newsroom-list-error-q");
        }
        let status = match given(&self.status) {
            None => None,
            // Deleted ones asked for by someone who may not see them: the content
            // service's 403, not a form message.
            Some(raw) => match raw.parse::<ArticleStatus>() {
                Ok(s) => Some(s),
                Err(_) => {
                    errors.insert("status", "newsroom-list-error-status");
                    None
                }
            },
        };
        let edition = given(&self.edition);
        if let Some(ed) = &edition
            && !catalog.settings.editions.iter().any(|e| &e.code == ed)
        {
            errors.insert("edition", "newsroom-list-error-edition");
        }
        let section = given(&self.section).and_then(|slug| {
            let found = catalog.section_by_slug(&slug).map(|s| s.id);
            if found.is_none() {
                errors.insert("section", "newsroom-list-error-section");
            }
            found
        });
        let author = given(&self.author).and_then(|slug| {
            let found = catalog.author_by_slug(&slug).map(|a| a.id);
            if found.is_none() {
                errors.insert("author", "newsroom-list-error-author");
            }
            found
        });
        let tag = given(&self.tag).and_then(|slug| {
            let found = catalog.tag_by_slug(&slug).map(|t| t.id);
            if found.is_none() {
                errors.insert("tag", "newsroom-list-error-tag");
            }
            found
        });
        let mut day = |field: &'static str, raw: &str| {
            given(raw).and_then(|d| match d.parse::<jiff::civil::Date>() {
                Ok(date) => Some(date),
                Err(_) => {
                    errors.insert(field, "newsroom-list-error-date");
                    None
                }
            })
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.insert("to", "newsroom-list-error-range");
        }
        let sort = match self.sort.trim() {
            "" | "updated" => NewsroomSort::Edited,
            "published" => NewsroomSort::Published,
            _ => {
                errors.insert("sort", "newsroom-list-error-sort");
                NewsroomSort::Edited
            }
        };
        let page = match given(&self.page) {
            None => 1,
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    errors.insert("page", "newsroom-list-error-page");
                    1
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewsroomQuery {
            words,
            status,
            edition,
            section,
            author,
            tag,
            from,
            to,
            sort,
            mine: self.mine(),
            page,
        })
    }
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let catalog = state.content.catalog();
    let (status, listing, errors) = match params.parse(&catalog) {
        Ok(query) => match state.content.newsroom_list(&editor.user, &query).await {
            Ok(listing) => (StatusCode::OK, Some(listing), BTreeMap::new()),
            Err(ContentError::Invalid { field, .. }) => (
                StatusCode::BAD_REQUEST,
                None,
                BTreeMap::from([(field, "newsroom-list-error-range")]),
            ),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => (StatusCode::BAD_REQUEST, None, errors),
    };
    let view = ListView::new(&state, &catalog, &lang, &editor, &params, listing, errors);
    page::render(
        &state,
        &lang,
        Some(&editor),
        status,
        "newsroom/list.html",
        view,
    )
}

/// A row of the article list.
#[derive(Serialize)]
struct ListRow {
    id: i64,
    title: String,
    status: &'static str,
    edition: String,
    section: String,
    authors: Vec<String>,
    mine: bool,
    edited_at: String,
    published_at: Option<String>,
}

/// One of the status tabs over the list: its count under the other filters.
#[derive(Serialize)]
struct StatusTab {
    /// Empty: every status.
    status: &'static str,
    count: u64,
    href: String,
    current: bool,
}

/// A choice in one of the filter menus.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// `list.html`'s own members.
#[derive(Serialize)]
struct ListView {
    params: ListParams,
    /// Field → message id.
    errors: BTreeMap<&'static str, &'static str>,
    /// `None` when the filters could not be read.
    articles: Option<Vec<ListRow>>,
    tabs: Vec<StatusTab>,
    total: u64,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    /// "My work" and "everyone's": only for those who see others' articles.
    sees_all: bool,
    mine: bool,
    mine_href: String,
    all_href: String,
    words_capped: Option<u64>,
    words_ignored: bool,
    statuses: Vec<&'static str>,
    editions: Vec<Choice>,
    sections: Vec<Choice>,
    authors: Vec<Choice>,
    tags: Vec<Choice>,
}

impl ListView {
    fn new(
        state: &AppState,
        catalog: &Catalog,
        lang: &str,
        editor: &Editor,
        params: &ListParams,
        listing: Option<NewsroomList>,
        errors: BTreeMap<&'static str, &'static str>,
    ) -> Self {
        let admin = allowed(editor.user.role, Action::UndoDelete, Ownership::Others);
        let statuses: Vec<&'static str> = ArticleStatus::ALL
            .iter()
            .filter(|s| admin || **s != ArticleStatus::Deleted)
            .map(|s| s.as_str())
            .collect();
        let content = &state.content;
        let (rows, tabs, total, page, pages) = match &listing {
            None => (None, Vec::new(), 0, 1, 1),
            Some(l) => {
                let rows = l
                    .articles
                    .iter()
                    .map(|a| ListRow {
                        id: a.id.0,
                        title: a.title.clone(),
                        status: a.status.as_str(),
                        edition: a.edition.clone(),
                        section: catalog
                            .section(a.section)
                            .map(|s| s.name.get(lang).to_owned())
                            .unwrap_or_default(),
                        authors: a
                            .authors
                            .iter()
                            .filter_map(|id| catalog.author(*id))
                            .map(|au| au.name.get(lang).to_owned())
                            .collect(),
                        mine: a.owner == Some(editor.user.id),
                        edited_at: content.site_time(a.edited_at).replace('T', " "),
                        published_at: a
                            .published_at
                            .map(|t| content.site_time(t).replace('T', " ")),
                    })
                    .collect();
                let every: u64 = l
                    .counts
                    .iter()
                    .filter(|(s, _)| admin || *s != ArticleStatus::Deleted)
                    .map(|(_, n)| n)
                    .sum();
                let current = params.status.trim();
                let mut tabs = vec![StatusTab {
                    status: "",
                    count: every,
                    href: params.href(Some(""), None, None),
                    current: current.is_empty(),
                }];
                tabs.extend(statuses.iter().map(|s| {
                    StatusTab {
                        status: s,
                        count: l
                            .counts
                            .iter()
                            .find(|(x, _)| x.as_str() == *s)
                            .map_or(0, |(_, n)| *n),
                        href: params.href(Some(s), None, None),
                        current: current == *s,
                    }
                }));
                (Some(rows), tabs, l.total, l.page, l.pages)
            }
        };
        let choices = |items: Vec<(String, String)>| {
            items
                .into_iter()
                .map(|(value, label)| Choice { value, label })
                .collect::<Vec<_>>()
        };
        ListView {
            params: params.clone(),
            errors,
            articles: rows,
            tabs,
            total,
            page,
            pages,
            prev: (page > 1).then(|| params.href(None, Some(page - 1), None)),
            next: listing
                .as_ref()
                .filter(|l| l.more())
                .map(|_| params.href(None, Some(page + 1), None)),
            sees_all: allowed(editor.user.role, Action::Edit, Ownership::Others),
            mine: params.mine(),
            mine_href: params.href(None, None, Some(true)),
            all_href: params.href(None, None, Some(false)),
            words_capped: listing.as_ref().and_then(|l| l.words_capped),
            words_ignored: listing.as_ref().is_some_and(|l| l.words_ignored),
            statuses,
            editions: choices(
                catalog
                    .settings
                    .editions
                    .iter()
                    .map(|e| (e.code.clone(), e.name.clone()))
                    .collect(),
            ),
            sections: choices(
                catalog
                    .sections
                    .iter()
                    .map(|s| (s.slug.as_str().to_owned(), s.name.get(lang).to_owned()))
                    .collect(),
            ),
            authors: choices(
                catalog
                    .authors
                    .iter()
                    .map(|a| (a.slug.as_str().to_owned(), a.name.get(lang).to_owned()))
                    .collect(),
            ),
            tags: choices(
                catalog
                    .tags
                    .iter()
                    .map(|t| (t.slug.as_str().to_owned(), t.name.get(lang).to_owned()))
                    .collect(),
            ),
        }
    }
}
