use actix_web::web;

pub async fn lost() -> &'static str {
    "lost"
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/x", web::get().to(lost)
}
