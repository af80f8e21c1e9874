use axum::{extract::FromRequestParts, extract::Path, http::request::Parts, http::StatusCode};

pub struct CurrentUser {
    pub id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get("x-user") {
            Some(v) => Ok(CurrentUser { id: v.to_str().unwrap_or_default().to_string() }),
            None => Err(StatusCode::UNAUTHORIZED),
        }
    }
}

pub struct ProjectMember;

impl<S: Send + Sync> FromRequestParts<S> for ProjectMember {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let Path(project_id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| StatusCode::BAD_REQUEST)?;
        if !crate::membership_ok(&user.id, &project_id) {
            return Err(StatusCode::FORBIDDEN);
        }
        Ok(ProjectMember)
    }
}
