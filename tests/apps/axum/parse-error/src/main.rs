//! A handler module that does not parse: its routes stay listed, unresolved.
mod broken;

use axum::{routing::get, Router};

async fn ok() -> &'static str {
    "ok"
}

pub fn app() -> Router {
    Router::new()
        .route("/ok", get(ok))
        .route("/broken", get(broken::handler))
        .merge(broken::routes())
}
