use axum::{routing::get, Router};

pub async fn handler() -> &'static str {
    let x = ;
    "never"
}

pub fn routes() -> Router {
    Router::new().route("/lost", get(handler))
}
