//! Internal notes on articles: the newsroom's conversation about a story. Whoever may
//! open an article in the newsroom reads its notes and may add one; readers never see
//! them (no page, feed or API for readers reads this table).

use crate::{Content, ContentError};
use byline_core::{ArticleId, ArticleNote, User};

/// Longest note, in characters.
pub const MAX_NOTE: usize = 4000;

impl Content {
    /// The article's notes, oldest first, if `actor` may open the article.
    pub async fn article_notes(
        &self,
        actor: &User,
        id: ArticleId,
    ) -> Result<Vec<ArticleNote>, ContentError> {
        self.newsroom_article(actor, id).await?;
        Ok(self.store.notes(id).await?)
    }

    /// Adds a note by `actor`, if they may open the article. The text is kept as typed
    /// (trimmed); pages escape it.
    pub async fn add_note(
        &self,
        actor: &User,
        id: ArticleId,
        text: &str,
    ) -> Result<i64, ContentError> {
        self.newsroom_article(actor, id).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(ContentError::invalid("note", "write the note first"));
        }
        if text.chars().count() > MAX_NOTE {
            return Err(ContentError::invalid(
                "note",
                format!("a note is at most {MAX_NOTE} characters"),
            ));
        }
        Ok(self
            .store
            .add_note(id, actor.id, text, self.clock().now())
            .await?)
    }
}
