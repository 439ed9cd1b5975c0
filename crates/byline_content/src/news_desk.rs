//! The news desk's public record (issue 17): correction notes on published articles
//! and takedowns. A correction note is appended, never edited or removed (the list is
//! what readers were told, and when); a takedown takes an article off every reader
//! surface with a recorded reason, and only an admin reinstates it. Both are in the
//! audit log with who, when and why.

use crate::lifecycle::check;
use crate::{Content, ContentError};
use byline_core::{Action, ArticleId, ArticleStatus, Correction, CorrectionKind, User};
use byline_store::{NOT_PUBLISHED, NOT_TAKEN_DOWN, StoreError};

/// Longest correction note, in characters (one paragraph).
pub const MAX_CORRECTION: usize = 1000;
/// Longest takedown reason, in characters.
pub const MAX_TAKEDOWN_REASON: usize = 2000;

/// One paragraph of plain text from a form: trimmed, with line breaks and control
/// characters turned into spaces, refused when empty or longer than `max`.
fn one_paragraph(
    field: &'static str,
    raw: &str,
    max: usize,
    empty: &str,
) -> Result<String, ContentError> {
    let text = crate::write::one_line(raw);
    if text.is_empty() {
        return Err(ContentError::invalid(field, empty));
    }
    if text.chars().count() > max {
        return Err(ContentError::invalid(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(text)
}

/// A status conflict from the store (the article moved between the check and the
/// write) as the field message the check itself would have given.
fn moved_meanwhile(e: StoreError) -> ContentError {
    match e {
        StoreError::Conflict(what @ (NOT_PUBLISHED | NOT_TAKEN_DOWN)) => {
            ContentError::invalid("status", what)
        }
        other => other.into(),
    }
}

impl Content {
    /// Appends a public note of `kind` to published article `id`: it shows at the end
    /// of the article with its time (and a marker under the headline), in its
    /// NewsArticle data and as the article's new `dateModified`, and in the feeds as an
    /// update. Whoever may correct the article may add one.
    pub async fn add_correction(
        &self,
        actor: &User,
        id: ArticleId,
        kind: &str,
        text: &str,
    ) -> Result<Correction, ContentError> {
        let article = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        check(actor, Action::AddCorrection, &meta)?;
        if article.status != ArticleStatus::Published {
            return Err(ContentError::invalid(
                "status",
                "a correction note goes on a published article",
            ));
        }
        let kind = kind.parse::<CorrectionKind>().map_err(|_| {
            ContentError::invalid(
                "correction_kind",
                "choose correction, update or clarification",
            )
        })?;
        let text = one_paragraph(
            "correction_text",
            text,
            MAX_CORRECTION,
            "write what was corrected",
        )?;
        let note = Correction {
            kind,
            text,
            at: self.clock().now(),
        };
        self.store
            .add_correction(id, &note)
            .await
            .map_err(moved_meanwhile)?;
        self.audit(
            Some(actor),
            "correction_added",
            "article",
            id.0,
            format!("{} — {}: {}", article.title, kind.as_str(), note.text),
        )
        .await?;
        self.announce_articles(&[id]).await;
        Ok(note)
    }

    /// Appends a note as given, with no actor and no check of rights (the demo outlet,
    /// imports): like [`import_article`](Self::import_article), for the server's own
    /// content. The text is still one paragraph within the limit.
    pub async fn import_correction(
        &self,
        id: ArticleId,
        note: Correction,
    ) -> Result<(), ContentError> {
        let text = one_paragraph(
            "correction_text",
            &note.text,
            MAX_CORRECTION,
            "write what was corrected",
        )?;
        self.store
            .add_correction(id, &Correction { text, ..note })
            .await
            .map_err(moved_meanwhile)?;
        self.announce_articles(&[id]).await;
        Ok(())
    }

    /// Takes published article `id` off the site for legal or safety reasons, with a
    /// reason that the audit log keeps: its address answers 410 Gone and it leaves
    /// every list, search, the feeds, sitemaps and the API.
    pub async fn take_down(
        &self,
        actor: &User,
        id: ArticleId,
        reason: &str,
    ) -> Result<(), ContentError> {
        let article = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        check(actor, Action::TakeDown, &meta)?;
        if article.status != ArticleStatus::Published {
            return Err(ContentError::invalid(
                "status",
                "only a published article can be taken down (unpublish or delete the others)",
            ));
        }
        let reason = one_paragraph(
            "takedown_reason",
            reason,
            MAX_TAKEDOWN_REASON,
            "say why the article is taken down",
        )?;
        self.store
            .take_down_article(id, &reason, self.clock().now())
            .await
            .map_err(moved_meanwhile)?;
        self.audit(
            Some(actor),
            "taken_down",
            "article",
            id.0,
            format!("{} — {reason}", article.title),
        )
        .await?;
        // Its alerts ended with it: this node drops the banner at once.
        self.reload_alerts().await?;
        self.announce_articles(&[id]).await;
        Ok(())
    }

    /// Puts taken-down article `id` back on the site (admins only).
    pub async fn reinstate(&self, actor: &User, id: ArticleId) -> Result<(), ContentError> {
        let article = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        check(actor, Action::Reinstate, &meta)?;
        if article.status != ArticleStatus::TakenDown {
            return Err(ContentError::invalid(
                "status",
                "only a taken-down article can be reinstated",
            ));
        }
        self.store
            .reinstate_article(id)
            .await
            .map_err(moved_meanwhile)?;
        self.audit(
            Some(actor),
            "reinstated",
            "article",
            id.0,
            article.title.clone(),
        )
        .await?;
        self.announce_articles(&[id]).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_one_trimmed_paragraph() {
        assert_eq!(
            one_paragraph("f", "  An earlier\r\nversion\tsaid\u{0}so. ", 100, "empty").unwrap(),
            "An earlier version said so."
        );
        assert!(one_paragraph("f", " \n ", 100, "empty").is_err());
        assert!(one_paragraph("f", &"я".repeat(101), 100, "empty").is_err());
        assert!(one_paragraph("f", &"я".repeat(100), 100, "empty").is_ok());
    }
}
