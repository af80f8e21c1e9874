pub mod docs;
pub mod tasks;

pub async fn health() -> &'static str {
    "ok"
}

pub async fn admin_users() -> &'static str {
    "[]"
}
