//! Search for readers and apps: the content service asks the index, then reads the
//! hits' cards from the store (so a result is always a published article as it is now).

use crate::CoreSlots;
use crate::{Content, ContentError};
use byline_core::{ArticleId, ArticleSummary, AuthorId, PageNumber, Section, SectionId, TagId};
use byline_search::{Filters, Lang, MAX_RESULTS, SearchRequest, SortOrder, Suggestion};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Whose searches share a set of slots: a flood of readers' searches must not make the
/// newsroom's list wait.
#[derive(Clone, Copy)]
pub(crate) enum SearchSlots {
    Readers,
    Newsroom,
}

/// Runs a query of a search index on the blocking pool, at most one per core at a time
/// for each of [`SearchSlots`] (`CoreSlots`: 64 readers searching at once wait for a
/// core instead of growing the pool by a thread each).
pub(crate) async fn on_search_thread<T: Send + 'static>(
    slots: SearchSlots,
    query: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ContentError> {
    static READERS: LazyLock<CoreSlots> = LazyLock::new(CoreSlots::per_core);
    static NEWSROOM: LazyLock<CoreSlots> = LazyLock::new(CoreSlots::per_core);
    let slots: &'static CoreSlots = match slots {
        SearchSlots::Readers => &READERS,
        SearchSlots::Newsroom => &NEWSROOM,
    };
    slots
        .run(query)
        .await
        .map_err(|e| ContentError::Internal(anyhow::anyhow!("search worker: {e}")))
}

/// What a reader asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// `None`: every edition.
    pub edition: Option<String>,
    pub section: Option<SectionId>,
    pub author: Option<AuthorId>,
    pub tag: Option<TagId>,
    pub from: Option<jiff::Timestamp>,
    pub until: Option<jiff::Timestamp>,
    pub order: SortOrder,
    pub page: Option<PageNumber>,
    /// Results per page; the service's list size when `None`.
    pub per_page: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub article: ArticleSummary,
    /// HTML-escaped text with `<mark>` around matches: safe to output as is.
    pub snippet_html: String,
}

#[derive(Debug, Clone)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: u64,
    pub page: PageNumber,
    pub pages: u32,
    /// Matches per section (for the current query, whatever the section filter), most first.
    pub sections: Vec<(Section, u64)>,
    pub did_you_mean: Option<String>,
    /// Only some of the words were found together.
    pub relaxed: bool,
    /// Nothing searchable was typed (empty, punctuation, only very common words).
    pub empty_query: bool,
    /// The page is past the last one shown for any query ([`MAX_RESULTS`]).
    pub beyond_limit: bool,
}

impl Content {
    /// The change-feed position the readers' search reflects (its last commit, made
    /// visible to searches before it is published here); `None` before the first.
    /// Results worked out at one position hold until it moves.
    pub fn search_position(&self) -> Option<i64> {
        self.search_index().position()
    }

    pub async fn search(&self, q: SearchQuery) -> Result<SearchPage, ContentError> {
        if let Some(ed) = &q.edition
            && !self.catalog().settings.has_edition(ed)
        {
            return Err(ContentError::NotFound);
        }
        let per_page = q.per_page.unwrap_or(self.options().per_page).clamp(1, 100);
        let page = q.page.unwrap_or(PageNumber::FIRST);
        let offset = (page.get() as usize - 1).saturating_mul(per_page as usize);
        let edition_owns_language = q.edition.as_deref().is_some_and(|ed| {
            let lang = Lang::of_edition(ed);
            let settings = &self.catalog().settings;
            settings
                .editions
                .iter()
                .filter(|e| Lang::of_edition(&e.code) == lang)
                .count()
                == 1
        });
        let request = SearchRequest {
            text: q.text,
            filters: Filters {
                edition: q.edition,
                edition_owns_language,
                section: q.section,
                author: q.author,
                tag: q.tag,
                from: q.from.map(|t| t.as_second()),
                until: q.until.map(|t| t.as_second()),
            },
            order: q.order,
            offset,
            limit: per_page as usize,
            now: self.clock().now().as_second(),
        };
        let index = self.search_index().clone();
        let found = on_search_thread(SearchSlots::Readers, move || index.search(&request))
            .await?
            .map_err(|e| ContentError::Internal(e.into()))?;
        let ids: Vec<ArticleId> = found.hits.iter().map(|h| h.id).collect();
        let mut cards: HashMap<ArticleId, ArticleSummary> = self
            .store
            .published_summaries(&ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        // An article unpublished a moment ago may still be in the index until the next
        // commit; the store has the last word.
        let hits = found
            .hits
            .into_iter()
            .filter_map(|h| {
                cards.remove(&h.id).map(|article| SearchHit {
                    article,
                    snippet_html: h.snippet_html,
                })
            })
            .collect();
        let catalog = self.catalog();
        let sections = found
            .sections
            .into_iter()
            .filter_map(|(id, n)| catalog.section(id).map(|s| (s.clone(), n)))
            .collect();
        let shown = found.total.min(MAX_RESULTS as u64);
        let pages = shown.div_ceil(u64::from(per_page)).max(1) as u32;
        Ok(SearchPage {
            hits,
            total: found.total,
            page,
            pages,
            sections,
            did_you_mean: found.did_you_mean,
            relaxed: found.relaxed,
            empty_query: found.empty_query,
            beyond_limit: offset >= MAX_RESULTS,
        })
    }

    /// Titles starting like `input`, newest first (the search overlay).
    pub async fn suggest(
        &self,
        input: &str,
        edition: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Suggestion>, ContentError> {
        if let Some(ed) = edition
            && !self.catalog().settings.has_edition(ed)
        {
            return Err(ContentError::NotFound);
        }
        let index = self.search_index().clone();
        let (input, edition) = (input.to_owned(), edition.map(str::to_owned));
        on_search_thread(SearchSlots::Readers, move || {
            index.suggest(&input, edition.as_deref(), limit)
        })
        .await?
        .map_err(|e| ContentError::Internal(e.into()))
    }
}
