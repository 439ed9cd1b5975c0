//! The newsroom's article list: words (through the newsroom's search index), filters,
//! sort, pages of 50 and counts per status.
//!
//! The store filters, counts and sorts; the index only narrows the list to the articles
//! containing the words typed, analyzed as reader search is, so Russian and Armenian
//! word forms match. Who sees what is decided here: contributors and authors their own
//! articles, editors and admins everyone's, deleted ones admins only.

use crate::{Content, ContentError};
use byline_core::{
    Action, ArticleStatus, AuthorId, NewsroomArticle, Ownership, SectionId, TagId, User, allowed,
};
use byline_store::{NewsroomFilter, NewsroomSort};
use jiff::civil::Date;

/// Articles per page of the list.
pub const LIST_PAGE: u32 = 50;
/// The most word matches the list looks at, most relevant first: a word found in more
/// articles than this is narrowed by the other filters among its best matches only
/// (and the list says so).
pub const WORD_MATCHES: usize = 2000;

/// What the list is asked for. Everything optional narrows; nothing given lists all.
#[derive(Debug, Clone, Default)]
pub struct NewsroomQuery {
    /// Words to find in title, subtitle, body (and byline and tag names).
    pub words: Option<String>,
    pub status: Option<ArticleStatus>,
    pub edition: Option<String>,
    pub section: Option<SectionId>,
    pub author: Option<AuthorId>,
    pub tag: Option<TagId>,
    /// First and last day (in the site's time zone) of the sort's time, both included.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub sort: NewsroomSort,
    /// Only the acting user's own articles ("my work").
    pub mine: bool,
    /// From 1.
    pub page: u32,
}

/// One page of the newsroom's list.
#[derive(Debug, Clone)]
pub struct NewsroomList {
    pub articles: Vec<NewsroomArticle>,
    pub page: u32,
    /// Pages in all (at least 1).
    pub pages: u32,
    /// Articles matching in all (across pages).
    pub total: u64,
    /// Matches per status under every filter but the status, in `ArticleStatus::ALL`
    /// order, statuses without any left out.
    pub counts: Vec<(ArticleStatus, u64)>,
    /// The words matched more articles than [`WORD_MATCHES`]: how many.
    pub words_capped: Option<u64>,
    /// The words had nothing searchable in them (only punctuation or stop words): no
    /// word filter was applied.
    pub words_ignored: bool,
}

impl NewsroomList {
    /// Whether a later page has articles.
    pub fn more(&self) -> bool {
        self.page < self.pages
    }
}

impl Content {
    /// The newsroom's list, as `actor` may see it.
    pub async fn newsroom_list(
        &self,
        actor: &User,
        q: &NewsroomQuery,
    ) -> Result<NewsroomList, ContentError> {
        let sees_all = allowed(actor.role, Action::Edit, Ownership::Others);
        let admin = allowed(actor.role, Action::UndoDelete, Ownership::Others);
        if q.status == Some(ArticleStatus::Deleted) && !admin {
            return Err(ContentError::Forbidden);
        }
        if let (Some(from), Some(to)) = (q.from, q.to)
            && from > to
        {
            return Err(ContentError::Invalid {
                field: "to",
                message: "the last day is before the first".into(),
            });
        }
        let tz = self.catalog().timezone.clone();
        let start_of = |day: Date| {
            day.to_zoned(tz.clone())
                .map(|z| z.timestamp())
                .map_err(|e| ContentError::Invalid {
                    field: "from",
                    message: e.to_string(),
                })
        };
        let from = q.from.map(start_of).transpose()?;
        let until = match q.to {
            Some(day) => Some(start_of(day.tomorrow().map_err(|e| {
                ContentError::Invalid {
                    field: "to",
                    message: e.to_string(),
                }
            })?)?),
            None => None,
        };
        let (ids, words_capped, words_ignored) = match q.words.as_deref().map(str::trim) {
            Some(words) if !words.is_empty() => {
                let matches = self.words_in_newsroom(words, q.edition.as_deref()).await?;
                let capped = (matches.total > matches.ids.len() as u64).then_some(matches.total);
                if matches.empty_query {
                    (None, None, true)
                } else {
                    (Some(matches.ids), capped, false)
                }
            }
            _ => (None, None, false),
        };
        let page = q.page.max(1);
        let filter = NewsroomFilter {
            owner: (q.mine || !sees_all).then_some(actor.id),
            status: q.status,
            include_deleted: admin,
            edition: q.edition.clone(),
            section: q.section,
            author: q.author,
            tag: q.tag,
            ids,
            sort: q.sort,
            from,
            until,
            offset: u64::from(page - 1) * u64::from(LIST_PAGE),
            limit: LIST_PAGE,
        };
        let counts = self.store.newsroom_counts(&filter).await?;
        let total = counts
            .iter()
            .filter(|(s, _)| match q.status {
                Some(wanted) => *s == wanted,
                None => admin || *s != ArticleStatus::Deleted,
            })
            .map(|(_, n)| n)
            .sum::<u64>();
        let articles = self.store.newsroom_articles(&filter).await?;
        let pages = u32::try_from(total.div_ceil(u64::from(LIST_PAGE)))
            .unwrap_or(u32::MAX)
            .max(1);
        Ok(NewsroomList {
            articles,
            page,
            pages,
            total,
            counts,
            words_capped,
            words_ignored,
        })
    }

    async fn words_in_newsroom(
        &self,
        words: &str,
        edition: Option<&str>,
    ) -> Result<byline_search::Matches, ContentError> {
        let index = self.newsroom_search_index().clone();
        let (words, edition) = (words.to_owned(), edition.map(str::to_owned));
        crate::search::on_search_thread(crate::search::SearchSlots::Newsroom, move || {
            index.matching_ids(&words, edition.as_deref(), WORD_MATCHES)
        })
        .await?
        .map_err(|e| ContentError::Internal(e.into()))
    }
}
