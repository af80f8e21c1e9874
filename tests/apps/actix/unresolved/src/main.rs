//! Registrations that cannot be resolved are listed, never dropped.
use actix_files::Files;
use actix_web::{web, App};

const PREFIX: &str = "/v1";

pub fn app() -> App<()> {
    App::new()
        .service(Files::new("/static", "./static"))
        .service(web::scope(PREFIX).route("/x", web::get().to(x)))
        .route("/external", web::get().to(other_crate::handler))
        .route("/nohandler", web::get())
        .route("/files/{name}.{ext}", web::get().to(x))
        .service(not_a_route)
}

async fn x() -> &'static str {
    "x"
}

async fn not_a_route() -> &'static str {
    "?"
}
