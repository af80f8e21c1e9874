//! One module does not parse: its handlers leave their routes unresolved.
mod broken;

use actix_web::{web, App};

pub fn app() -> App<()> {
    App::new()
        .route("/ok", web::get().to(ok))
        .route("/lost", web::get().to(broken::lost))
}

async fn ok() -> &'static str {
    "ok"
}
