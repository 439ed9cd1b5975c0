//! Scheduled publishing: a background task publishes every scheduled article whose
//! time has come (and stops the breaking-news alerts whose time is up). It runs once at start (so articles due while the server was down go
//! out at once) and then every `schedule_poll` (1 s by default: "within 5 s" with room
//! to spare). The store claims due articles in one statement, so with several nodes
//! each article is published exactly once.

use crate::Content;

impl Content {
    pub(crate) fn start_scheduler(&self) {
        let me = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(me.options().schedule_poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = me.publish_due().await {
                    tracing::warn!(error = %e, "publishing scheduled articles failed; retrying");
                }
                if let Err(e) = me.expire_alerts().await {
                    tracing::warn!(error = %e, "expiring breaking-news alerts failed; retrying");
                }
            }
        });
    }

    /// Publishes what is due now (by the content service's clock); returns how many.
    pub async fn publish_due(&self) -> Result<usize, crate::ContentError> {
        let now = self.clock().now();
        let due = self.store.publish_due(now).await?;
        if due.is_empty() {
            return Ok(0);
        }
        for id in &due {
            tracing::info!(article = %id, "published at its scheduled time");
            self.audit(
                None,
                "published",
                "article",
                id.0,
                "scheduled time reached".into(),
            )
            .await?;
            self.notify_desk(*id, byline_core::NoticeKind::Published, None)
                .await?;
        }
        self.announce_articles(&due).await;
        Ok(due.len())
    }
}
