//! Working together: assigning an article to a writer and an editor, returning it to
//! its writer with a note, the notifications these and the schedule send, and who has
//! an article open right now.

use crate::notes::MAX_NOTE;
use crate::{Content, ContentError};
use byline_core::{
    Action, ArticleId, ArticleStatus, Assignment, NewNotice, Notice, NoticeKind, Ownership,
    Presence, Role, User, UserId, allowed,
};
use jiff::SignedDuration;

/// A person's notification list.
#[derive(Debug, Clone)]
pub struct Notices {
    /// Those about articles they may open, newest first.
    pub shown: Vec<Notice>,
    /// The newest of all (to mark read up to, the hidden ones too).
    pub newest: Option<i64>,
}

/// Someone who has not refreshed their presence for this long has left the article
/// (the editor page refreshes every 5 seconds).
pub const PRESENCE_WINDOW: SignedDuration = SignedDuration::from_secs(15);
/// The notification list shows this many, newest first.
pub const NOTICES_SHOWN: u32 = 100;

impl Content {
    /// What the editor page shows of the desk, if `actor` may open the article: who it
    /// is assigned to, and who else has it open (opening it counts as being there).
    pub async fn desk_state(
        &self,
        actor: &User,
        id: ArticleId,
    ) -> Result<(Assignment, Vec<Presence>), ContentError> {
        self.newsroom_article(actor, id).await?;
        let assignment = self.store.assignment(id).await?;
        Ok((assignment, self.touch_presence(actor, id).await?))
    }

    /// Assigns the article to a writer and an editor (either may be none). Editors and
    /// admins assign (who may change anyone's article); the writer must be an active
    /// account, the editor an active editor or admin. Those newly assigned are told.
    pub async fn assign(
        &self,
        actor: &User,
        id: ArticleId,
        writer: Option<UserId>,
        editor: Option<UserId>,
    ) -> Result<(), ContentError> {
        if !allowed(actor.role, Action::Edit, Ownership::Others) {
            return Err(ContentError::Forbidden);
        }
        let article = self.store.article(id).await?;
        let check = |field: &'static str, user: Option<UserId>, least: Role| async move {
            let Some(user) = user else { return Ok(()) };
            match self.store.user(user).await {
                Ok(u) if !u.disabled && u.role >= least => Ok(()),
                Ok(_) | Err(byline_store::StoreError::NotFound) => Err(ContentError::invalid(
                    field,
                    "choose an active account from the list",
                )),
                Err(e) => Err(e.into()),
            }
        };
        check("writer", writer, Role::Contributor).await?;
        check("editor", editor, Role::Editor).await?;
        let before = self.store.assignment(id).await?;
        let after = Assignment { writer, editor };
        self.store.set_assignment(id, after).await?;
        let newly: Vec<UserId> = [
            writer.filter(|w| before.writer != Some(*w)),
            editor.filter(|e| before.editor != Some(*e)),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.tell(id, NoticeKind::Assigned, Some(actor), &newly)
            .await?;
        let names = |u: Option<UserId>| u.map(|u| u.0.to_string()).unwrap_or("-".into());
        self.audit(
            Some(actor),
            "assigned",
            "article",
            id.0,
            format!(
                "{} (writer {}, editor {})",
                article.title,
                names(writer),
                names(editor)
            ),
        )
        .await?;
        Ok(())
    }

    /// `Ok` when `actor` may assign people to article `id` (403 otherwise; 404 for no
    /// article).
    pub async fn assign_allowed(&self, actor: &User, id: ArticleId) -> Result<(), ContentError> {
        self.store.article(id).await?;
        if allowed(actor.role, Action::Edit, Ownership::Others) {
            Ok(())
        } else {
            Err(ContentError::Forbidden)
        }
    }

    /// The active accounts an article can be assigned to: any as its writer, editors
    /// and admins as its editor (`(id, name, may edit)`), if `actor` may assign.
    pub async fn desk_people(
        &self,
        actor: &User,
    ) -> Result<Vec<(UserId, String, bool)>, ContentError> {
        if !allowed(actor.role, Action::Edit, Ownership::Others) {
            return Err(ContentError::Forbidden);
        }
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled)
            .map(|u| {
                let name = if u.display_name.is_empty() {
                    u.email.clone()
                } else {
                    u.display_name.clone()
                };
                (u.id, name, u.role >= Role::Editor)
            })
            .collect())
    }

    /// The name a colleague goes by in the newsroom (their email when they gave none).
    pub async fn user_name(&self, id: UserId) -> Result<String, ContentError> {
        let u = self.store.user(id).await?;
        Ok(if u.display_name.is_empty() {
            u.email
        } else {
            u.display_name
        })
    }

    /// "Return with a note": an article in review goes back to draft, with a note that
    /// says why, and its writer is told. Who may approve it (`publish`) may return it.
    pub async fn return_with_note(
        &self,
        actor: &User,
        id: ArticleId,
        note: &str,
    ) -> Result<(), ContentError> {
        let article = self.store.article(id).await?;
        let meta = self.store.article_meta(id).await?;
        crate::lifecycle::check(actor, Action::Publish, &meta)?;
        if article.status != ArticleStatus::InReview {
            return Err(ContentError::invalid(
                "status",
                format!(
                    "only an article in review can be returned; this one is {}",
                    article.status
                ),
            ));
        }
        let note = note.trim();
        if note.is_empty() || note.chars().count() > MAX_NOTE {
            return Err(ContentError::invalid(
                "return_note",
                format!("say what to change (up to {MAX_NOTE} characters)"),
            ));
        }
        let now = self.clock().now();
        self.store.add_note(id, actor.id, note, now).await?;
        self.store
            .set_article_status(id, ArticleStatus::Draft)
            .await?;
        self.notify_desk(id, NoticeKind::Returned, Some(actor))
            .await?;
        self.audit(Some(actor), "returned", "article", id.0, article.title)
            .await?;
        self.announce_articles(&[id]).await;
        Ok(())
    }

    /// Tells the article's owner, assigned writer and assigned editor (not `actor`).
    pub(crate) async fn notify_desk(
        &self,
        id: ArticleId,
        kind: NoticeKind,
        actor: Option<&User>,
    ) -> Result<(), ContentError> {
        let meta = self.store.article_meta(id).await?;
        let assignment = self.store.assignment(id).await?;
        // Returned work concerns its writers; the schedule and publishing, the desk too.
        let mut people = vec![meta.owner, assignment.writer];
        if kind != NoticeKind::Returned {
            people.push(assignment.editor);
        }
        let people: Vec<UserId> = people.into_iter().flatten().collect();
        self.tell(id, kind, actor, &people).await
    }

    /// Records a notification for each of `people` (once each, never to `actor`).
    async fn tell(
        &self,
        id: ArticleId,
        kind: NoticeKind,
        actor: Option<&User>,
        people: &[UserId],
    ) -> Result<(), ContentError> {
        let mut notices: Vec<NewNotice> = Vec::new();
        for &recipient in people {
            if actor.is_some_and(|a| a.id == recipient)
                || notices.iter().any(|n| n.recipient == recipient)
            {
                continue;
            }
            notices.push(NewNotice {
                recipient,
                article: id,
                kind,
                actor: actor.map(|a| a.id),
            });
        }
        Ok(self.store.notify(&notices, self.clock().now()).await?)
    }

    /// `user`'s notifications about articles they may still open, newest first (a
    /// writer unassigned since is no longer shown its title).
    pub async fn notifications(&self, user: &User) -> Result<Notices, ContentError> {
        let all = self.store.notifications(user.id, NOTICES_SHOWN).await?;
        let newest = all.first().map(|n| n.id);
        let mut shown = Vec::new();
        for notice in all {
            match self.newsroom_article(user, notice.article).await {
                Ok(_) => shown.push(notice),
                Err(ContentError::Forbidden | ContentError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Notices { shown, newest })
    }

    /// How many of `user`'s notifications are unread (the menu's count).
    pub async fn unread_notifications(&self, user: &User) -> Result<u64, ContentError> {
        Ok(self.store.unread_notifications(user.id).await?)
    }

    /// Marks `user`'s notifications up to `through` read.
    pub async fn mark_notifications_read(
        &self,
        user: &User,
        through: i64,
    ) -> Result<(), ContentError> {
        Ok(self
            .store
            .mark_notifications_read(user.id, through, self.clock().now())
            .await?)
    }

    /// Records that `actor` has the article open, if they may open it, and answers who
    /// else has it open now.
    pub async fn presence(
        &self,
        actor: &User,
        id: ArticleId,
    ) -> Result<Vec<Presence>, ContentError> {
        self.newsroom_article(actor, id).await?;
        self.touch_presence(actor, id).await
    }

    async fn touch_presence(
        &self,
        actor: &User,
        id: ArticleId,
    ) -> Result<Vec<Presence>, ContentError> {
        let now = self.clock().now();
        Ok(self
            .store
            .touch_presence(id, actor.id, now, now - PRESENCE_WINDOW)
            .await?)
    }
}
