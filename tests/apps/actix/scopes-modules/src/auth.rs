//! Guards: a `Transform` middleware, a `from_fn` middleware and an extractor.
use actix_web::{
    body::MessageBody,
    dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform},
    error::{ErrorForbidden, ErrorUnauthorized},
    middleware::Next,
    Error,
};
use futures_util::future::LocalBoxFuture;
use std::future::{ready, Ready};

/// Authentication as a `Transform` middleware.
pub struct RequireLogin;

impl<S, B> Transform<S, ServiceRequest> for RequireLogin
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = RequireLoginMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequireLoginMiddleware { service }))
    }
}

pub struct RequireLoginMiddleware<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for RequireLoginMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if req.headers().get("authorization").is_none() {
            return Box::pin(async { Err(ErrorUnauthorized("login")) });
        }
        let fut = self.service.call(req);
        Box::pin(async move { fut.await })
    }
}

/// Authorization as a `from_fn` middleware.
pub async fn require_admin(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().get("x-admin").is_none() {
        return Err(ErrorForbidden("admins only"));
    }
    next.call(req).await
}
