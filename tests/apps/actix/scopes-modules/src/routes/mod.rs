pub mod admin;

use actix_web::{guard, web};

use crate::handlers::{docs, tasks as t};

/// Registered under `/api` by `.configure`.
pub fn projects(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/projects/{project_id}")
            .service(
                web::resource("/docs")
                    .route(web::get().to(docs::list))
                    .route(web::post().to(docs::create)),
            )
            .route("/docs/{doc_id}", web::get().to(crate::handlers::docs::show))
            .route("/docs/{doc_id}", web::delete().to(docs::remove))
            .configure(tasks),
    );
}

fn tasks(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/tasks/{task_id}/done",
        web::route().guard(guard::Post()).to(t::done),
    );
}

pub fn public(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(["/health", "/healthz"]).to(super::handlers::health))
        .service(
            web::resource("/ping")
                .wrap_fn(|req, srv| srv.call(req))
                .get(|| async { "pong" }),
        );
}
