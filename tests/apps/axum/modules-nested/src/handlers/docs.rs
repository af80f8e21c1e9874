use axum::{extract::Path, Json};

pub async fn list(Path(project_id): Path<String>) -> Json<Vec<String>> {
    Json(vec![project_id])
}

pub async fn create(Path(project_id): Path<String>, Json(body): Json<serde_json::Value>) -> Json<serde_json::Value> {
    let _ = project_id;
    Json(body)
}

pub async fn show(Path((project_id, doc_id)): Path<(String, String)>) -> String {
    format!("{project_id}/{doc_id}")
}

pub async fn remove(Path((_p, _d)): Path<(String, String)>) {}
