//! Routers built across modules: `nest`, `merge`, `use` aliases, `crate::`/`super::`
//! paths, axum 0.7 `:id` paths and `from_fn_with_state` guards.
mod auth;
mod handlers;
mod routes;

use axum::Router;

#[derive(Clone)]
pub struct AppState;

#[tokio::main]
async fn main() {
    let state = AppState;
    let app = Router::new()
        .nest("/api", routes::api(state.clone()))
        .merge(routes::public_routes())
        .with_state(state);
    axum::serve(tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap(), app)
        .await
        .unwrap();
}
