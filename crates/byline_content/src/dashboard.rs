//! The newsroom dashboard's figures: what was read in the last day and week, and views
//! per day for its chart, all counted in UTC days up to the service's clock.

use crate::{Content, ContentError};
use byline_store::ReadCount;
use jiff::{SignedDuration, Timestamp};

/// Days in the chart.
const CHART_DAYS: i64 = 14;
/// Articles in each "most read" list.
const MOST_READ: i64 = 10;

/// What the dashboard shows beside the lists of articles.
#[derive(Debug, Clone)]
pub struct DashboardFigures {
    /// The most read published articles since yesterday and over the last week.
    pub read_day: Vec<ReadCount>,
    pub read_week: Vec<ReadCount>,
    /// Views per UTC day, oldest first, [`CHART_DAYS`] days ending today (0 for a day
    /// without views).
    pub views_per_day: Vec<(String, u64)>,
}

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

impl Content {
    /// The dashboard's figures as of the clock's now (every staff role sees them).
    pub async fn dashboard_figures(&self) -> Result<DashboardFigures, ContentError> {
        let now = self.clock().now();
        let read_day = self
            .store
            .most_viewed_since(&day(now - SignedDuration::from_hours(24)), MOST_READ)
            .await?;
        let read_week = self
            .store
            .most_viewed_since(&day(now - SignedDuration::from_hours(24 * 7)), MOST_READ)
            .await?;
        let first_day = now - SignedDuration::from_hours(24 * (CHART_DAYS - 1));
        let counted = self.store.views_per_day(&day(first_day)).await?;
        let views_per_day = (0..CHART_DAYS)
            .map(|i| {
                let d = day(first_day + SignedDuration::from_hours(24 * i));
                let n = counted.iter().find(|(c, _)| *c == d).map_or(0, |(_, n)| *n);
                (d, n)
            })
            .collect();
        Ok(DashboardFigures {
            read_day,
            read_week,
            views_per_day,
        })
    }
}
