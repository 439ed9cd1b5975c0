//! Breaking-news alerts (issue 17): an editor raises a line over every reader page of
//! one edition for a while (two hours unless said otherwise); it stops by itself, or an
//! editor ends it early. The open alerts live in memory on every node (reloaded from the
//! change feed), so rendering a page asks no database; raising, ending and expiring are
//! change-feed rows, so every node's pages follow within its poll.

use crate::write::one_line;
use crate::{Content, ContentError};
use byline_core::{
    Action, Alert, ArticleId, ArticleStatus, DEFAULT_ALERT_MINUTES, MAX_ALERT_MINUTES,
    MAX_ALERT_TEXT, MAX_ALERT_URL, NewAlert, Ownership, User, allowed,
};
use byline_store::{ALERT_ENDED, AlertDelivery, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, RwLock};

/// The delivery channel of the app relay's webhook.
pub const WEBHOOK: &str = "webhook";

/// What an editor asks for. Empty text and link are taken from `article` when given.
#[derive(Debug, Clone, Default)]
pub struct AlertInput {
    /// Empty: the article's edition.
    pub edition: String,
    pub text: String,
    /// A path on the site (`/en/news/…`) or an `https://` address; empty for none (or
    /// the article's page).
    pub url: String,
    pub article: Option<ArticleId>,
    /// How long it shows; `None`: two hours.
    pub minutes: Option<i64>,
}

/// The open alerts as this node knows them.
pub(crate) struct AlertBoard {
    open: RwLock<Arc<Vec<Alert>>>,
    /// Reloads finish in the order they read (see `Content::catalog_reload`).
    reload: tokio::sync::Mutex<()>,
}

impl AlertBoard {
    pub(crate) async fn load(store: &dyn Store) -> Result<Self, ContentError> {
        Ok(Self {
            open: RwLock::new(Arc::new(store.open_alerts().await?)),
            reload: tokio::sync::Mutex::new(()),
        })
    }

    pub(crate) async fn reload(&self, store: &dyn Store) -> Result<(), ContentError> {
        let _in_order = self.reload.lock().await;
        let open = store.open_alerts().await?;
        *self.open.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(open);
        Ok(())
    }

    fn open(&self) -> Arc<Vec<Alert>> {
        self.open.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A banner link: a path on this site or an `https://` address, nothing else (no
/// `javascript:`, no protocol-relative `//host`, no spaces).
fn checked_url(raw: &str) -> Result<String, ContentError> {
    let url = raw.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let bad = || {
        ContentError::invalid(
            "url",
            "give a path on this site (/en/…) or an https:// address",
        )
    };
    if url.len() > MAX_ALERT_URL || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let on_site = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    let https = url
        .strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if on_site || https {
        Ok(url.to_owned())
    } else {
        Err(bad())
    }
}

impl Content {
    fn may_manage_alerts(&self, actor: &User) -> Result<(), ContentError> {
        if allowed(actor.role, Action::ManageAlerts, Ownership::Own) {
            Ok(())
        } else {
            Err(ContentError::Forbidden)
        }
    }

    /// Raises an alert over every page of its edition from now for `minutes`.
    pub async fn raise_alert(
        &self,
        actor: &User,
        input: AlertInput,
    ) -> Result<Alert, ContentError> {
        self.may_manage_alerts(actor)?;
        let catalog = self.catalog();
        let mut edition = input.edition.trim().to_owned();
        let mut text = one_line(&input.text);
        let mut url = checked_url(&input.url)?;
        if let Some(id) = input.article {
            let article = match self.store.article(id).await {
                Ok(a) if a.status == ArticleStatus::Published => a,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(ContentError::invalid(
                        "article",
                        "an alert can point to a published article only",
                    ));
                }
                Err(e) => return Err(e.into()),
            };
            if edition.is_empty() {
                edition.clone_from(&article.edition);
            }
            if text.is_empty() {
                text = one_line(&article.title);
            }
            if url.is_empty()
                && let Some(section) = catalog.section(article.section)
            {
                url = format!("/{}/{}/{}", article.edition, section.slug, article.slug);
            }
        }
        if !catalog.settings.has_edition(&edition) {
            return Err(ContentError::invalid(
                "edition",
                format!("there is no edition {edition:?}"),
            ));
        }
        if text.is_empty() {
            return Err(ContentError::invalid("text", "write the alert's line"));
        }
        if text.chars().count() > MAX_ALERT_TEXT {
            return Err(ContentError::invalid(
                "text",
                format!("an alert is at most {MAX_ALERT_TEXT} characters"),
            ));
        }
        let minutes = input.minutes.unwrap_or(DEFAULT_ALERT_MINUTES);
        if !(1..=MAX_ALERT_MINUTES).contains(&minutes) {
            return Err(ContentError::invalid(
                "minutes",
                format!("an alert shows from 1 minute to {MAX_ALERT_MINUTES} minutes (three days)"),
            ));
        }
        let now = self.clock().now();
        let ends_at = now + SignedDuration::from_mins(minutes);
        let push = self.alert_notice(&edition, &text, &url, now, ends_at)?;
        let new = NewAlert {
            edition,
            text,
            url,
            article: input.article,
            starts_at: now,
            ends_at,
            created_by: Some(actor.id),
            push,
        };
        let deliver_to: &[&str] = if self.options().alerts_webhook {
            &[WEBHOOK]
        } else {
            &[]
        };
        let id = self.store.raise_alert(&new, deliver_to).await?;
        self.audit(
            Some(actor),
            "alert_raised",
            "alert",
            id,
            format!("{} ({}, {minutes} min): {}", new.edition, new.url, new.text),
        )
        .await?;
        self.alerts_changed().await;
        Ok(self.store.alert(id).await?)
    }

    /// Ends alert `id` now.
    pub async fn end_alert(&self, actor: &User, id: i64) -> Result<(), ContentError> {
        self.may_manage_alerts(actor)?;
        match self.store.end_alert(id, self.clock().now()).await {
            Ok(()) => {}
            Err(StoreError::Conflict(ALERT_ENDED)) => {
                return Err(ContentError::invalid("alert", ALERT_ENDED));
            }
            Err(e) => return Err(e.into()),
        }
        let alert = self.store.alert(id).await?;
        self.audit(Some(actor), "alert_ended", "alert", id, alert.text)
            .await?;
        self.alerts_changed().await;
        Ok(())
    }

    /// The newest alert readers of `edition` see now (cheap: no database).
    pub fn live_alert(&self, edition: &str) -> Option<Alert> {
        let now = self.clock().now();
        self.alerts
            .open()
            .iter()
            .rev()
            .find(|a| a.edition == edition && a.is_live(now))
            .cloned()
    }

    /// Every alert readers see now, of one edition or all, newest first.
    pub fn live_alerts(&self, edition: Option<&str>) -> Vec<Alert> {
        let now = self.clock().now();
        self.alerts
            .open()
            .iter()
            .rev()
            .filter(|a| a.is_live(now) && edition.is_none_or(|e| a.edition == e))
            .cloned()
            .collect()
    }

    /// The newsroom's list: the newest alerts, stopped ones too.
    pub async fn recent_alerts(&self, actor: &User) -> Result<Vec<Alert>, ContentError> {
        self.may_manage_alerts(actor)?;
        Ok(self.store.recent_alerts(30).await?)
    }

    /// Stops the alerts whose time is up (the scheduler's tick; once across nodes).
    pub async fn expire_alerts(&self) -> Result<usize, ContentError> {
        let expired = self.store.expire_alerts(self.clock().now()).await?;
        if !expired.is_empty() {
            tracing::info!(alerts = ?expired, "breaking-news alerts expired");
            self.alerts_changed().await;
        }
        Ok(expired.len())
    }

    /// Claims up to `limit` due deliveries of alerts (the app relay's sender, on any
    /// node) for `lease`, each with its alert.
    pub async fn claim_alert_deliveries(
        &self,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<(AlertDelivery, Alert)>, ContentError> {
        let now = self.clock().now();
        let until = now + SignedDuration::try_from(lease).unwrap_or(SignedDuration::from_secs(60));
        let mut claimed = Vec::new();
        for d in self.store.claim_deliveries(now, until, limit).await? {
            let alert = self.store.alert(d.alert).await?;
            claimed.push((d, alert));
        }
        Ok(claimed)
    }

    /// Reports a claimed delivery: delivered (`Ok`), or failed with a retry time (or
    /// `None`: given up) and what went wrong.
    pub async fn alert_delivery_outcome(
        &self,
        id: i64,
        outcome: Result<(), (Option<Timestamp>, String)>,
    ) -> Result<(), ContentError> {
        let now = self.clock().now();
        match outcome {
            // Given up meanwhile (the alert ended while it was being sent): stays so.
            Ok(()) => match self.store.delivery_done(id, now).await {
                Ok(()) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            },
            Err((retry_at, error)) => {
                if retry_at.is_none() {
                    tracing::warn!(delivery = id, %error, "alert delivery given up");
                }
                self.store
                    .delivery_failed(id, now, retry_at, &error)
                    .await?
            }
        }
        Ok(())
    }

    /// An alert's deliveries (the newsroom's and tests' view of the outbox).
    pub async fn alert_deliveries(&self, alert: i64) -> Result<Vec<AlertDelivery>, ContentError> {
        Ok(self.store.deliveries_of(alert).await?)
    }

    /// The edition alert `id` was raised in (the page cache purges its pages).
    pub async fn alert_edition(&self, id: i64) -> Result<String, ContentError> {
        Ok(self.store.alert(id).await?.edition)
    }

    /// This node knows at once; the others through the change feed.
    async fn alerts_changed(&self) {
        if let Err(e) = self.alerts.reload(self.store.as_ref()).await {
            tracing::error!(error = %e, "reloading the alerts failed");
        }
        self.announce().await;
    }

    /// Reads the open alerts again. The page cache calls it before it drops pages for
    /// an alert, so a page rendered right after the drop cannot show the old banner
    /// (the content service's own follower may not have run yet).
    pub async fn reload_alerts(&self) -> Result<(), ContentError> {
        self.alerts.reload(self.store.as_ref()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_links_are_site_paths_or_https() {
        for good in ["", "/en/news/a-story", "https://example.org/live", "/ru/"] {
            assert!(checked_url(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "//evil.example/",
            "/\\evil.example",
            "http://example.org/",
            "https:///x",
            "/en/a story",
            "data:text/html,x",
            "en/news",
        ] {
            assert!(checked_url(bad).is_err(), "{bad}");
        }
        assert!(checked_url(&format!("/{}", "a".repeat(MAX_ALERT_URL))).is_err());
    }

    #[test]
    fn alert_text_is_one_line() {
        assert_eq!(
            one_line("  Breaking:\r\n  the\tvote\u{0}is in "),
            "Breaking: the vote is in"
        );
    }
}
