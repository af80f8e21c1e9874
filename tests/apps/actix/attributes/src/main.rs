//! Route attributes registered with `App::service`: `#[get]`/`#[post]`, `#[route]` with
//! several methods, `#[routes]`, `wrap = ".."`, tuples and `services![..]`, actix path
//! syntax (`{id:\d+}`, `{tail:.*}`, `{tail}*`) and extractors in signatures.
use actix_web::{delete, get, post, route, routes, web, App, HttpResponse, HttpServer, Responder};

mod auth {
    use actix_web::{dev::Payload, error::ErrorUnauthorized, Error, FromRequest, HttpRequest};
    use std::future::{ready, Ready};

    pub struct CurrentUser {
        pub id: String,
    }

    impl FromRequest for CurrentUser {
        type Error = Error;
        type Future = Ready<Result<Self, Error>>;

        fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
            ready(match req.headers().get("x-user") {
                Some(v) => Ok(CurrentUser {
                    id: v.to_str().unwrap_or_default().to_string(),
                }),
                None => Err(ErrorUnauthorized("login")),
            })
        }
    }

    pub struct RequireAdmin;
}

use auth::CurrentUser;

#[get("/")]
async fn index() -> impl Responder {
    HttpResponse::Ok().body("hello")
}

#[get(r"/users/{id:\d+}")]
async fn show_user(path: web::Path<u32>, user: CurrentUser) -> impl Responder {
    let id = path.into_inner();
    HttpResponse::Ok().json((id, user.id))
}

#[post("/users")]
async fn create_user(body: web::Json<String>, _user: CurrentUser) -> HttpResponse {
    HttpResponse::Created().json(body.into_inner())
}

#[delete("/users/{id}", wrap = "auth::RequireAdmin")]
async fn delete_user(path: web::Path<String>) -> HttpResponse {
    let _ = path;
    HttpResponse::NoContent().finish()
}

#[route("/items/{item_id}", method = "GET", method = "PUT")]
async fn item(path: web::Path<String>) -> String {
    path.into_inner()
}

#[routes]
#[get("/files/{tail:.*}")]
#[get("/assets/{tail}*")]
async fn files(path: web::Path<String>) -> String {
    path.into_inner()
}

#[get("/health")]
async fn health() -> &'static str {
    "ok"
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .service(index)
            .service((show_user, create_user))
            .service(actix_web::services![delete_user, item])
            .service(files)
            .service(health)
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}

#[cfg(test)]
mod tests {
    #[actix_web::test]
    async fn not_part_of_the_app() {}
}
