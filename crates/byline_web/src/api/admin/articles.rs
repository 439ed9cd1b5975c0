//! Articles through the Admin API: create (with an idempotency key), read, update,
//! publish, unpublish and schedule.

use super::{JsonBody, json_response};
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Kind, Problem, TokenRefusals};
use crate::site::urls;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_content::{
    ArticleForm, ContentError, Created, IdempotencyKey, SaveOutcome, StartAs, Transition,
};
use byline_core::{Article, ArticleId, User};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// Where a new article goes in its life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NewStatus {
    #[default]
    Draft,
    Published,
    Scheduled,
}

/// A new article. `body` is Markdown; `section`, `tags` and `authors` are slugs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticleIn {
    pub edition: String,
    pub section: String,
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub body: String,
    /// Empty or absent: made from the title.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub status: NewStatus,
    /// RFC 3339; required with `"status": "scheduled"`, in the future.
    #[serde(default)]
    pub publish_at: Option<String>,
    /// A live blog: entries are posted to it (`/entries`) until `"live": false`.
    #[serde(default)]
    pub live: bool,
}

/// Changes to an article; absent members stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlePatch {
    pub section: Option<String>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub body: Option<String>,
    pub slug: Option<String>,
    pub tags: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
    /// `true` makes it a live blog (or resumes one); `false` ends it.
    pub live: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleIn {
    /// RFC 3339, in the future.
    pub publish_at: String,
}

/// An article as the Admin API reports it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminArticle {
    pub id: i64,
    /// Its page on the reader site (live once published).
    pub url: String,
    pub edition: String,
    pub section: String,
    pub slug: String,
    pub title: String,
    pub subtitle: String,
    pub body: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// draft, in_review, scheduled, published, unpublished, deleted or taken_down.
    pub status: String,
    /// RFC 3339 (UTC); for a scheduled article, when it goes live.
    pub published_at: Option<String>,
    /// Its public correction, update and clarification notes, oldest first.
    #[serde(default)]
    pub corrections: Vec<CorrectionOut>,
    /// Why it was taken down, while it is.
    #[serde(default)]
    pub takedown_reason: Option<String>,
    /// A live blog taking entries now.
    #[serde(default)]
    pub live: bool,
    /// RFC 3339 (UTC): when it became a live blog, and when that ended.
    #[serde(default)]
    pub live_since: Option<String>,
    #[serde(default)]
    pub live_until: Option<String>,
}

/// A public note on a published article.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CorrectionOut {
    /// correction, update or clarification.
    pub kind: String,
    pub text: String,
    /// RFC 3339 (UTC).
    pub at: String,
}

pub(super) fn admin_article(state: &AppState, a: &Article) -> AdminArticle {
    let form = ArticleForm::from_article(&state.content, a);
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    AdminArticle {
        id: a.id.0,
        url: state.absolute(&urls::article(&a.edition, &form.section, a.slug.as_str())),
        edition: a.edition.clone(),
        section: form.section.clone(),
        slug: a.slug.to_string(),
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        body: a.body_markdown.clone(),
        tags: list(&form.tags),
        authors: list(&form.authors),
        status: a.status.to_string(),
        published_at: a.published_at.map(|t| t.to_string()),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionOut {
                kind: c.kind.as_str().to_owned(),
                text: c.text.clone(),
                at: c.at.to_string(),
            })
            .collect(),
        takedown_reason: a.takedown_reason.clone(),
        live: a.live.is_some_and(|l| l.is_on()),
        live_since: a.live.map(|l| l.since.to_string()),
        live_until: a.live.and_then(|l| l.until).map(|t| t.to_string()),
    }
}

fn future_time(
    raw: Option<&str>,
    content: &byline_content::Content,
) -> Result<jiff::Timestamp, Problem> {
    let field = || vec!["publish_at".to_owned()];
    let raw = raw.ok_or_else(|| {
        Problem::new(
            Kind::BadRequest,
            "publish_at is required to schedule".to_owned(),
        )
        .naming(field())
    })?;
    let at: jiff::Timestamp = raw.parse().map_err(|_| {
        Problem::new(
            Kind::BadRequest,
            format!(
                "publish_at must be an RFC 3339 time such as 2026-03-01T09:00:00Z, not {raw:?}"
            ),
        )
        .naming(field())
    })?;
    if at <= content.clock().now() {
        return Err(
            Problem::new(Kind::BadRequest, "publish_at is in the past".to_owned()).naming(field()),
        );
    }
    Ok(at)
}

const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Creates an article (a draft, published at once, or scheduled).
///
/// With an `Idempotency-Key` header a retried request gets the article the first one
/// made (`Idempotent-Replayed: true`) and never makes a second one.
#[utoipa::path(
    post, path = "/api/v1/admin/articles", tag = "admin",
    request_body = NewArticleIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 200 characters; reuse it to retry safely")),
    responses(
        (status = 201, description = "Created", body = AdminArticle),
        (status = 400, description = "Invalid JSON (with position), unknown member or bad value", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key names no finished request (use another key)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Idempotency key reused with another request", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn create_article(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: JsonBody<NewArticleIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(key) => Some(
            key.to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .ok_or_else(|| {
                    Problem::new(
                        Kind::BadRequest,
                        "Idempotency-Key must be 1 to 200 visible characters".to_owned(),
                    )
                    .naming(vec!["Idempotency-Key".into()])
                })?,
        ),
    };
    let request_hash: String = Sha256::digest(&body.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let input = &body.value;
    let start = match input.status {
        NewStatus::Draft => StartAs::Draft,
        NewStatus::Published => StartAs::Published,
        NewStatus::Scheduled => {
            StartAs::Scheduled(future_time(input.publish_at.as_deref(), &state.content)?)
        }
    };
    if input.status != NewStatus::Scheduled && input.publish_at.is_some() {
        return Err(Problem::new(
            Kind::BadRequest,
            "publish_at goes with \"status\": \"scheduled\"".to_owned(),
        )
        .naming(vec!["publish_at".into()]));
    }
    let form = ArticleForm {
        edition: input.edition.clone(),
        section: input.section.clone(),
        title: input.title.clone(),
        subtitle: input.subtitle.clone(),
        slug: input.slug.clone(),
        body: input.body.clone(),
        tags: input.tags.join(","),
        authors: input.authors.join(","),
        ..Default::default()
    };
    // A live blog's entries go on the site at once: whoever may not publish may not
    // make one (checked before anything is created, so a refusal leaves nothing).
    if input.live
        && !byline_core::allowed(
            user.role,
            byline_core::Action::Publish,
            byline_core::Ownership::Own,
        )
    {
        return Err(byline_content::ContentError::Forbidden.into());
    }
    let once = key.map(|key| IdempotencyKey {
        key,
        request_hash: &request_hash,
    });
    // Permission, the article, its status, the audit line and the key: one transaction
    // in the content service, so a create makes one article and one change, or nothing.
    match state
        .content
        .create_article(&user, &form, start, once)
        .await?
    {
        Created::New(article) if input.live => {
            state.content.set_live(&user, article.id, true).await?;
            let (article, _) = state.content.newsroom_article(&user, article.id).await?;
            Ok(created_response(&admin_article(&state, &article)))
        }
        Created::New(article) => Ok(created_response(&admin_article(&state, &article))),
        Created::Replayed(article) => {
            let mut response = created_response(&admin_article(&state, &article));
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(response)
        }
        Created::KeyReused => Err(Problem::new(
            Kind::IdempotencyKeyReused,
            "this Idempotency-Key was used with another request body".to_owned(),
        )),
    }
}

fn created_response(article: &AdminArticle) -> Response {
    let mut response = json_response(StatusCode::CREATED, article);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/admin/articles/{}", article.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub(super) fn article_id(raw: &str) -> Result<ArticleId, Problem> {
    raw.parse::<i64>()
        .map(ArticleId)
        .map_err(|_| Problem::new(Kind::NotFound, None))
}

/// One article (any status the token's user may see in the newsroom).
#[utoipa::path(
    get, path = "/api/v1/admin/articles/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article", body = AdminArticle),
        (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the user's to see", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn article(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let (article, _) = state
        .content
        .newsroom_article(&user, article_id(&id)?)
        .await?;
    Ok(json_response(
        StatusCode::OK,
        &admin_article(&state, &article),
    ))
}

/// Changes an article's text, section, tags or authors (a correction when published).
#[utoipa::path(
    patch, path = "/api/v1/admin/articles/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Article id")),
    request_body = ArticlePatch,
    responses(
        (status = 200, description = "Saved", body = AdminArticle),
        (status = 400, description = "Invalid JSON, unknown member or bad value", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slug taken, or saved by someone else meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn update_article(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<ArticlePatch>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let id = article_id(&id)?;
    let (existing, meta) = state.content.newsroom_article(&user, id).await?;
    let mut form = ArticleForm::from_article(&state.content, &existing);
    let patch = body.value;
    let live = patch.live;
    let text_changed = patch.section.is_some()
        || patch.title.is_some()
        || patch.subtitle.is_some()
        || patch.body.is_some()
        || patch.slug.is_some()
        || patch.tags.is_some()
        || patch.authors.is_some();
    let set = |field: &mut String, value: Option<String>| {
        if let Some(v) = value {
            *field = v;
        }
    };
    set(&mut form.section, patch.section);
    set(&mut form.title, patch.title);
    set(&mut form.subtitle, patch.subtitle);
    set(&mut form.body, patch.body);
    set(&mut form.slug, patch.slug);
    set(&mut form.tags, patch.tags.map(|t| t.join(",")));
    set(&mut form.authors, patch.authors.map(|a| a.join(",")));
    if text_changed {
        match state
            .content
            .save_article(&user, id, meta.revision, &form)
            .await?
        {
            SaveOutcome::Saved { .. } => {}
            SaveOutcome::Stale { .. } => {
                return Err(Problem::new(
                    Kind::Conflict,
                    "the article was saved by someone else meanwhile; read it again".to_owned(),
                ));
            }
        }
    }
    if let Some(on) = live {
        state.content.set_live(&user, id, on).await?;
    }
    let (article, _) = state.content.newsroom_article(&user, id).await?;
    Ok(json_response(
        StatusCode::OK,
        &admin_article(&state, &article),
    ))
}

async fn move_article(
    state: &AppState,
    user: &User,
    id: &str,
    query: Option<&str>,
    transition: Transition,
) -> Result<Response, Problem> {
    read::<NoParams>(query)?;
    let id = article_id(id)?;
    state.content.transition(user, id, transition).await?;
    let article = match state.content.newsroom_article(user, id).await {
        Ok((article, _)) => article,
        // Moved out of the user's sight (e.g. deleted): report what we know.
        Err(ContentError::Forbidden) => return Ok(StatusCode::NO_CONTENT.into_response()),
        Err(e) => return Err(e.into()),
    };
    Ok(json_response(
        StatusCode::OK,
        &admin_article(state, &article),
    ))
}

macro_rules! move_operation {
    ($name:ident, $path:literal, $transition:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            post, path = $path, tag = "admin",
            params(("id" = i64, Path, description = "Article id")),
            responses(
                (status = 200, description = "Moved", body = AdminArticle),
                (status = 400, description = "Not possible from the article's status", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
                TokenRefusals,
            ),
            security(("admin_token" = []))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            AdminUser(user): AdminUser,
            Path(id): Path<String>,
            RawQuery(query): RawQuery,
        ) -> Result<Response, Problem> {
            move_article(&state, &user, &id, query.as_deref(), $transition).await
        }
    };
}

move_operation!(
    publish,
    "/api/v1/admin/articles/{id}/publish",
    Transition::Publish,
    "Publishes an article now."
);
move_operation!(
    unpublish,
    "/api/v1/admin/articles/{id}/unpublish",
    Transition::Unpublish,
    "Takes a published or scheduled article off the site."
);

/// Schedules an article to go live at `publish_at`.
#[utoipa::path(
    post, path = "/api/v1/admin/articles/{id}/schedule", tag = "admin",
    params(("id" = i64, Path, description = "Article id")),
    request_body = ScheduleIn,
    responses(
        (status = 200, description = "Scheduled", body = AdminArticle),
        (status = 400, description = "Invalid JSON, bad time, or not possible from the article's status", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn schedule(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<ScheduleIn>,
) -> Result<Response, Problem> {
    let at = future_time(Some(body.value.publish_at.as_str()), &state.content)?;
    move_article(
        &state,
        &user,
        &id,
        query.as_deref(),
        Transition::Schedule(at),
    )
    .await
}
