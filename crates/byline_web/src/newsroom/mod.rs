//! The newsroom at `/newsroom`: where editors and authors sign in, write, review,
//! schedule and publish, and admins manage accounts and read the audit log.
//!
//! Server-rendered with the theme's templates (`templates/newsroom/`), strings in
//! `newsroom.ftl`. Every response is `Cache-Control: no-store` and none goes through the
//! page cache (handlers here never call it). Every state-changing request passes the
//! CSRF check in [`csrf::guard`] before any handler runs.

mod alerts;
mod api_access;
mod article_list;
mod articles;
mod audit;
mod auth;
mod corrections;
mod csrf;
mod dashboard;
mod desk;
mod device;
mod import;
mod live;
mod media;
mod media_library;
mod notes;
pub(crate) mod page;
mod pages;
mod preview;
mod redirects;
mod session;
mod settings;
mod users;

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

/// Shared newsroom state that lives in memory (per node): the import running here.
/// Sessions and login throttling live in the store, so every node sees the same.
#[derive(Default)]
pub struct NewsroomState {
    pub(crate) imports: import::Jobs,
}

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/newsroom", get(articles::list))
        .route("/newsroom/", get(|| async { Redirect::to("/newsroom") }))
        .route("/newsroom/dashboard", get(dashboard::show))
        .route("/newsroom/login", get(auth::login_form).post(auth::login))
        .route("/newsroom/logout", post(auth::logout))
        .route(
            "/newsroom/password",
            get(auth::password_form).post(auth::change_password),
        )
        .route("/newsroom/users", get(users::list).post(users::add))
        .route("/newsroom/users/{id}/role", post(users::set_role))
        .route("/newsroom/users/{id}/disabled", post(users::set_disabled))
        .route("/newsroom/audit", get(audit::log))
        .route(
            "/newsroom/preview/{id}/{expires}/{signature}",
            get(preview::show),
        )
        .route("/newsroom/api", get(api_access::page))
        .route("/newsroom/api/keys", post(api_access::create_key))
        .route(
            "/newsroom/api/keys/{id}/revoke",
            post(api_access::revoke_key),
        )
        .route("/newsroom/api/tokens", post(api_access::create_token))
        .route(
            "/newsroom/api/tokens/{id}/revoke",
            post(api_access::revoke_token),
        )
        .route("/newsroom/pages", get(pages::list))
        .route(
            "/newsroom/pages/new",
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/newsroom/pages/{id}",
            get(pages::edit_form).post(pages::save),
        )
        .route("/newsroom/pages/{id}/delete", post(pages::delete))
        .route(
            "/newsroom/redirects",
            get(redirects::list).post(redirects::add),
        )
        .route("/newsroom/redirects/remove", post(redirects::remove))
        .route(import::PATH, get(import::form))
        .route("/newsroom/import/{id}", get(import::show))
        .route("/newsroom/import/{id}/progress", get(import::progress))
        .route(
            "/newsroom/import/{id}/report.json",
            get(import::report_file),
        )
        .route("/newsroom/taxonomy", get(settings::taxonomy))
        .route("/newsroom/tags", post(settings::put_tag))
        .route("/newsroom/sections", post(settings::put_section))
        .route(
            "/newsroom/settings",
            get(settings::settings).post(settings::save_settings),
        )
        .route(
            "/newsroom/articles/new",
            get(articles::new_form).post(articles::create),
        )
        .route(
            "/newsroom/articles/{id}",
            get(articles::edit_form).post(articles::save),
        )
        .route("/newsroom/articles/{id}/status", post(articles::transition))
        .route(
            "/newsroom/articles/{id}/translate",
            post(articles::translate),
        )
        .route("/newsroom/articles/{id}/autosave", post(articles::autosave))
        .route("/newsroom/articles/{id}/notes", post(notes::add))
        .route(
            "/newsroom/articles/{id}/corrections",
            post(corrections::add),
        )
        .route("/newsroom/articles/{id}/live", post(live::set_live))
        .route("/newsroom/articles/{id}/entries", post(live::post_entry))
        .route(
            "/newsroom/articles/{id}/entries/{entry}",
            get(live::edit_form).post(live::save_entry),
        )
        .route(
            "/newsroom/articles/{id}/entries/{entry}/delete",
            post(live::delete_entry),
        )
        .route("/newsroom/articles/{id}/assign", post(desk::assign))
        .route("/newsroom/articles/{id}/presence", post(desk::presence))
        .route("/newsroom/notifications", get(desk::notifications))
        .route("/newsroom/alerts", get(alerts::list).post(alerts::raise))
        .route("/newsroom/alerts/{id}/end", post(alerts::end))
        .route("/newsroom/media", get(media_library::library))
        .route("/newsroom/media/pick", get(media_library::pick))
        .route(
            "/newsroom/media/{id}",
            get(media_library::item).post(media_library::save),
        )
        .route("/newsroom/media/{id}/delete", post(media_library::delete))
        .route("/newsroom/render", post(articles::render_preview))
        .route("/newsroom/paste", post(articles::paste))
        .route(
            "/newsroom/articles/{id}/revisions",
            get(articles::revisions),
        )
        .route(
            "/newsroom/articles/{id}/revisions/{revision}",
            get(articles::revision_diff),
        )
        .route(
            "/newsroom/articles/{id}/revisions/{revision}/restore",
            post(articles::restore_revision),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::guard,
        ))
        // Outermost in this router: even refusals and redirects are never stored.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// The picture and export uploads, kept apart from [`router`] so they can be mounted
/// outside the app-wide body limit (they have their own, `media_max_bytes` and
/// `import_max_bytes`).
pub fn upload_router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            media::UPLOAD_PATH,
            post(media::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        // An export is streamed to disk under its own limit (`import_max_bytes`).
        .route(
            import::PATH,
            post(import::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::guard,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Where a missing or ended session leads.
pub fn to_login() -> Response {
    let mut r = Redirect::to("/newsroom/login").into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static(session::CLEAR_SESSION_COOKIE),
    );
    r
}
