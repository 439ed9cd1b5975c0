//! The dashboard: what waits for review, what is scheduled, what is read, and a small
//! chart of views per day (server-rendered SVG, no script).

use super::page;
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use byline_core::ArticleStatus;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

/// Days in the chart.
const CHART_DAYS: i64 = 14;
const MOST_READ: i64 = 10;

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// Bars of views per day (UTC days, oldest first), heights scaled to the busiest day.
/// Everything in it is a number or a date, so it can go into the page as it is.
pub fn chart_svg(days: &[(String, u64)]) -> String {
    const BAR: usize = 18;
    const GAP: usize = 4;
    const HEIGHT: u64 = 80;
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let width = days.len() * (BAR + GAP);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nr-chart\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" role=\"img\">",
        HEIGHT + 16,
        HEIGHT + 16
    );
    for (i, (date, views)) in days.iter().enumerate() {
        let h = (views * HEIGHT).div_ceil(max);
        let x = i * (BAR + GAP);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{BAR}\" height=\"{h}\" fill=\"currentColor\"><title>{date}: {views}</title></rect>",
            HEIGHT - h
        ));
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
            x + BAR / 2,
            HEIGHT + 12,
            date.get(8..).unwrap_or("")
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let content = &state.content;
    let now = content.clock().now();
    let rows = |list: Vec<byline_core::NewsroomArticle>| -> Vec<Value> {
        list.iter()
            .map(|a| {
                json!({
                    "id": a.id.0, "title": a.title, "edition": a.edition,
                    "at": a.published_at.map(|t| content.site_time(t).replace('T', " ")),
                })
            })
            .collect()
    };
    let waiting = content
        .newsroom_list(&editor.user, Some(ArticleStatus::InReview), false, 1)
        .await?;
    let mut scheduled = content
        .newsroom_list(&editor.user, Some(ArticleStatus::Scheduled), false, 1)
        .await?
        .articles;
    scheduled.sort_by_key(|a| a.published_at);
    let read = |list: Vec<byline_content::ReadCount>| -> Vec<Value> {
        list.iter()
            .map(|r| json!({"id": r.article.0, "title": r.title, "edition": r.edition, "views": r.views}))
            .collect()
    };
    let day_ago = day(now - SignedDuration::from_hours(24));
    let week_ago = day(now - SignedDuration::from_hours(24 * 7));
    let last_day = content.most_read_since(&day_ago, MOST_READ).await?;
    let last_week = content.most_read_since(&week_ago, MOST_READ).await?;
    let first_day = now - SignedDuration::from_hours(24 * (CHART_DAYS - 1));
    let counted = content.views_per_day(&day(first_day)).await?;
    let days: Vec<(String, u64)> = (0..CHART_DAYS)
        .map(|i| {
            let d = day(first_day + SignedDuration::from_hours(24 * i));
            let n = counted.iter().find(|(c, _)| *c == d).map_or(0, |(_, n)| *n);
            (d, n)
        })
        .collect();
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/dashboard.html",
        json!({
            "waiting": rows(waiting.articles), "scheduled": rows(scheduled),
            "read_day": read(last_day), "read_week": read(last_week),
            "chart": chart_svg(&days), "chart_total": days.iter().map(|(_, n)| n).sum::<u64>(),
        }),
    )
}
