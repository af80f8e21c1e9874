use actix_web::{web, HttpResponse};

pub async fn list(path: web::Path<String>) -> HttpResponse {
    let project_id = path.into_inner();
    HttpResponse::Ok().json(vec![project_id])
}

pub async fn create(path: web::Path<String>, body: web::Json<String>) -> HttpResponse {
    let _ = (path, body);
    HttpResponse::Created().finish()
}

pub async fn show(path: web::Path<(String, String)>) -> HttpResponse {
    let (project_id, doc_id) = path.into_inner();
    HttpResponse::Ok().json((project_id, doc_id))
}

pub async fn remove(web::Path((project_id, doc_id)): web::Path<(String, String)>) -> HttpResponse {
    let _ = (project_id, doc_id);
    HttpResponse::NoContent().finish()
}
