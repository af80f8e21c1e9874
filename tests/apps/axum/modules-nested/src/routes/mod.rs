mod admin;

use axum::{middleware, routing::get, Router};

use crate::auth::require_login as login;
use crate::handlers::{docs, tasks as t};
use crate::AppState;

pub fn api(state: AppState) -> Router<AppState> {
    Router::new()
        .nest("/projects/:project_id", project_routes())
        .nest("/admin", admin::routes(state))
        .route_layer(middleware::from_fn(login))
}

fn project_routes() -> Router<AppState> {
    Router::new()
        .route("/docs", get(docs::list).post(docs::create))
        .route("/docs/:doc_id", get(crate::handlers::docs::show).delete(docs::remove))
        .merge(task_routes())
}

fn task_routes() -> Router<AppState> {
    Router::new().route("/tasks/:task_id/done", axum::routing::post(t::done))
}

pub fn public_routes() -> Router<AppState> {
    Router::new().route("/health", get(super::handlers::health))
}
