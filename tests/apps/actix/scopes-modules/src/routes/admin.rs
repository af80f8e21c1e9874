use actix_web::{middleware::from_fn, web, Scope};

use crate::auth::require_admin;
use crate::handlers;

pub fn scope() -> Scope {
    web::scope("/admin")
        .wrap(from_fn(require_admin))
        .route("/users", web::get().to(handlers::admin_users))
}
