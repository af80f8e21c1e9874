use axum::extract::Path;

pub async fn done(Path((_project_id, _task_id)): Path<(String, String)>) {}
