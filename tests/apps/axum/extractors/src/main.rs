//! Guards as extractors: a custom `FromRequestParts` type in the handler's signature,
//! `middleware::from_extractor`, and a `ServiceBuilder` of layers.
mod extract;

use axum::{extract::Path, middleware, routing::get, Json, Router};
use extract::{CurrentUser, ProjectMember};
use tower::ServiceBuilder;

async fn me(user: CurrentUser) -> Json<String> {
    Json(user.id)
}

async fn report(_member: ProjectMember, Path(project_id): Path<String>) -> String {
    project_id
}

async fn optional(user: Option<CurrentUser>) -> String {
    format!("{}", user.is_some())
}

pub fn app() -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/projects/{project_id}/report", get(report))
        .route("/maybe", get(optional))
        .route("/audited", get(optional))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_extractor::<CurrentUser>())
                .layer(tower_http::cors::CorsLayer::permissive()),
        )
}
