use actix_web::{web, HttpResponse};

pub async fn done(path: web::Path<(String, String)>) -> HttpResponse {
    let _ = path;
    HttpResponse::Ok().finish()
}
