use axum::{middleware, routing::get, Router};

use super::super::handlers;
use crate::{auth, AppState};

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/users", get(handlers::admin_users))
        .layer(middleware::from_fn_with_state(state, auth::require_admin))
}
