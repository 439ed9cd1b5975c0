//! The dashboard: what waits for review, what is scheduled, what is read, and a small
//! chart of views per day (server-rendered SVG, no script).

use super::page;
use super::session::Editor;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use byline_content::NewsroomQuery;
use byline_core::ArticleStatus;
use serde::Serialize;

/// Bars of views per day (UTC days, oldest first), heights scaled to the busiest day.
/// Everything in it is a number or a date, so it can go into the page as it is. It is
/// one image to assistive technology, named by the elements `labelled_by` (ids) names;
/// the page gives the same figures as a table beside it. Colours come from the
/// stylesheet (`.nr-chart`), so both themes draw it in their own.
pub fn chart_svg(days: &[(String, u64)], labelled_by: &str) -> String {
    const BAR: usize = 18;
    const GAP: usize = 4;
    const HEIGHT: u64 = 80;
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let width = days.len() * (BAR + GAP);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-labelledby=\"{labelled_by}\">",
        HEIGHT + 16,
        HEIGHT + 16
    );
    for (i, (date, views)) in days.iter().enumerate() {
        let h = (views * HEIGHT).div_ceil(max);
        let x = i * (BAR + GAP);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{BAR}\" height=\"{h}\"><title>{date}: {views}</title></rect>",
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

/// An article in one of the dashboard's lists: waiting and scheduled ones with their
/// time, most-read ones with their views (`dashboard.html` asks which is defined).
#[derive(Serialize)]
struct DashboardItem {
    id: i64,
    title: String,
    edition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    views: Option<u64>,
}

/// `dashboard.html`'s own members.
#[derive(Serialize)]
struct DashboardView {
    waiting: Vec<DashboardItem>,
    scheduled: Vec<DashboardItem>,
    read_day: Vec<DashboardItem>,
    read_week: Vec<DashboardItem>,
    /// Views per day as an SVG (numbers and dates only).
    chart: String,
    /// The same figures for the table under the chart: day, views.
    chart_days: Vec<(String, u64)>,
    chart_total: u64,
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    editor: Editor,
) -> Result<Response, WebError> {
    let lang = page::lang(&state, &headers);
    let content = &state.content;
    let rows = |list: Vec<byline_core::NewsroomArticle>| -> Vec<DashboardItem> {
        list.into_iter()
            .map(|a| DashboardItem {
                id: a.id.0,
                title: a.title,
                edition: a.edition,
                at: a
                    .published_at
                    .map(|t| content.site_time(t).replace('T', " ")),
                views: None,
            })
            .collect()
    };
    let waiting = content
        .newsroom_list(
            &editor.user,
            &NewsroomQuery {
                status: Some(ArticleStatus::InReview),
                ..NewsroomQuery::default()
            },
        )
        .await?;
    let mut scheduled = content
        .newsroom_list(
            &editor.user,
            &NewsroomQuery {
                status: Some(ArticleStatus::Scheduled),
                ..NewsroomQuery::default()
            },
        )
        .await?
        .articles;
    scheduled.sort_by_key(|a| a.published_at);
    let read = |list: &[byline_content::ReadCount]| -> Vec<DashboardItem> {
        list.iter()
            .map(|r| DashboardItem {
                id: r.article.0,
                title: r.title.clone(),
                edition: r.edition.clone(),
                at: None,
                views: Some(r.views),
            })
            .collect()
    };
    let figures = content.dashboard_figures().await?;
    let days = &figures.views_per_day;
    page::render(
        &state,
        &lang,
        Some(&editor),
        StatusCode::OK,
        "newsroom/dashboard.html",
        DashboardView {
            waiting: rows(waiting.articles),
            scheduled: rows(scheduled),
            read_day: read(&figures.read_day),
            read_week: read(&figures.read_week),
            chart: chart_svg(days, "chart-title chart-total"),
            chart_days: days.clone(),
            chart_total: days.iter().map(|(_, n)| n).sum(),
        },
    )
}
