//! Handler bodies in the shapes the lowering knows: `?`, `if let`, `let .. else`,
//! `match` arms, `ensure!`, `tracing` field captures, responses and path extractors.
use axum::{extract::Path, http::StatusCode, routing::get, Json, Router};
use serde::Deserialize;
use tracing::info;

mod db {
    pub async fn find(_id: &str) -> Option<String> {
        None
    }
}

#[derive(Deserialize)]
struct DocPath {
    project_id: String,
    doc_id: String,
}

async fn try_and_if_let(Path(p): Path<DocPath>) -> Result<Json<String>, StatusCode> {
    let doc = db::find(&p.doc_id).await.ok_or(StatusCode::NOT_FOUND)?;
    if let Some(cached) = db::find(&p.project_id).await {
        return Ok(Json(cached));
    }
    info!(user = ?doc, %p.project_id, "loaded {doc}");
    Ok(Json(doc))
}

async fn let_else_and_match(Path((project_id, doc_id)): Path<(String, String)>) -> (StatusCode, Json<String>) {
    let Some(doc) = db::find(&doc_id).await else {
        return (StatusCode::NOT_FOUND, Json(String::new()));
    };
    let status = match db::find(&project_id).await {
        Some(_) => StatusCode::OK,
        None => StatusCode::ACCEPTED,
    };
    (status, Json(doc))
}

async fn ensure_macro(Path(doc_id): Path<String>) -> anyhow::Result<Json<String>> {
    anyhow::ensure!(!doc_id.is_empty(), "empty id");
    Ok(Json(serde_json::json!({ "id": doc_id, "tags": [doc_id] }).to_string()))
}

pub fn app() -> Router {
    Router::new()
        .route("/projects/{project_id}/docs/{doc_id}", get(try_and_if_let))
        .route("/projects/{project_id}/docs/{doc_id}/meta", get(let_else_and_match))
        .route("/docs/{doc_id}", get(ensure_macro))
}
