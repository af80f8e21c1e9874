//! One file: method-router chains, closures, axum 0.8 paths, `any`, state, layers.
use axum::{
    extract::{Path, State},
    middleware::{self, Next},
    routing::{any, get, post},
    Json, Router,
};
use tower_http::trace::TraceLayer;

#[derive(Clone)]
struct AppState;

async fn require_login(req: axum::extract::Request, next: Next) -> axum::response::Response {
    next.run(req).await
}

async fn list_projects() -> Json<Vec<String>> {
    Json(vec![])
}

async fn create_project(Json(body): Json<serde_json::Value>) -> Json<serde_json::Value> {
    Json(body)
}

async fn show_task(Path((project_id, task_id)): Path<(String, u64)>) -> String {
    format!("{project_id}/{task_id}")
}

async fn webhook() {}

fn app(state: AppState) -> Router {
    // A layer added before a route does not wrap it.
    let router = Router::new()
        .route("/health", get(|| async { "ok" }))
        .layer(TraceLayer::new_for_http())
        .route("/projects", get(list_projects).post(create_project))
        .route("/projects/{project_id}/tasks/{task_id}", get(show_task))
        .route("/files/{*path}", get(|Path(path): Path<String>| async move { path }))
        .route("/hooks/{source}", any(webhook))
        .route_layer(middleware::from_fn(require_login));
    router.with_state(state)
}

#[tokio::main]
async fn main() {
    let app = app(AppState);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

#[cfg(test)]
mod tests {
    #[test]
    fn not_an_app() {
        let _ = axum::Router::<()>::new().route("/test-only", axum::routing::get(|| async {}));
    }
}
