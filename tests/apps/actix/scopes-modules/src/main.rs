//! An app built across modules: `.configure(fn)` with `ServiceConfig`, `web::scope`
//! nesting, `web::resource(p).route(web::get().to(h))`, `.route(p, web::post().to(h))`,
//! `.wrap` with a `Transform` middleware, `from_fn` and `wrap_fn`, `use` aliases and
//! `crate::`/`super::` paths.
mod auth;
mod handlers;
mod routes;

use actix_web::{middleware, web, App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(move || {
        App::new()
            .wrap(middleware::Logger::default())
            .service(
                web::scope("/api")
                    .wrap(auth::RequireLogin)
                    .configure(routes::projects)
                    .service(routes::admin::scope()),
            )
            .configure(routes::public)
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
