//! actix-web in bodies: `HttpResponse` builders (`HttpResponse::Ok().json(x)`,
//! `HttpResponse::Forbidden().finish()`, `HttpResponse::build(StatusCode::X).body(..)`)
//! and `error::ErrorX(msg)` (whose message is the body sent) as responses with their
//! status; a middleware's `next.call(req)`, `wrap_fn`'s `srv.call(req)` and a
//! `Transform` service's `self.service.call(req)` as the chain going on.

use super::{Fx, Lowerer, status_code};
use crate::index::{path_segs, strip};
use secprop_model::Respond;

impl Lowerer<'_> {
    pub(super) fn actix_response(&mut self, fx: &mut Fx, e: &syn::Expr) -> Option<Respond> {
        let resp = |method: &str, status, payload| {
            Some(Respond {
                method: method.into(),
                status,
                payload,
                sends: true,
            })
        };
        match strip(e) {
            syn::Expr::MethodCall(m) => {
                let mut base = strip(&m.receiver);
                while let syn::Expr::MethodCall(inner) = base {
                    base = strip(&inner.receiver);
                }
                let syn::Expr::Call(c) = base else {
                    return None;
                };
                let status = builder_status(c)?;
                match m.method.to_string().as_str() {
                    method @ ("json" | "body") => {
                        let payload = m.args.first().map(|a| self.expr(fx, a));
                        resp(method, Some(status), payload)
                    }
                    _ => resp("status", Some(status), None),
                }
            }
            syn::Expr::Call(c) => {
                if let Some(status) = builder_status(c) {
                    return resp("status", Some(status), None);
                }
                let syn::Expr::Path(p) = strip(&c.func) else {
                    return None;
                };
                let last = p.path.segments.last()?.ident.to_string();
                let status = camel_status(last.strip_prefix("Error")?)?;
                let payload = c.args.first().map(|a| self.expr(fx, a));
                resp("body", Some(status), payload)
            }
            _ => None,
        }
    }
}

/// The status of `HttpResponse::Forbidden()`, `HttpResponse::build(StatusCode::X)` or
/// `HttpResponseBuilder::new(StatusCode::X)`.
fn builder_status(c: &syn::ExprCall) -> Option<u16> {
    let syn::Expr::Path(p) = strip(&c.func) else {
        return None;
    };
    let segs = path_segs(&p.path);
    let n = segs.len();
    if n < 2 || !matches!(segs[n - 2].as_str(), "HttpResponse" | "HttpResponseBuilder") {
        return None;
    }
    match segs[n - 1].as_str() {
        "build" | "new" => match strip(c.args.first()?) {
            syn::Expr::Path(s) => status_code(&path_segs(&s.path)),
            _ => None,
        },
        name => camel_status(name),
    }
}

/// `InternalServerError` → 500, by `StatusCode::INTERNAL_SERVER_ERROR`.
fn camel_status(name: &str) -> Option<u16> {
    let mut upper = String::new();
    for (i, c) in name.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            upper.push('_');
        }
        upper.push(c.to_ascii_uppercase());
    }
    status_code(&["StatusCode".to_string(), upper])
}

/// `next.call(req)`, `srv.call(req)`, `self.service.call(req)`: the request goes on.
pub(super) fn is_next_call(m: &syn::ExprMethodCall) -> bool {
    m.method == "call"
        && match strip(&m.receiver) {
            syn::Expr::Path(p) => p
                .path
                .get_ident()
                .is_some_and(|i| i == "next" || i == "srv" || i == "service"),
            syn::Expr::Field(f) => {
                matches!(&f.member, syn::Member::Named(n) if n == "service")
                    && matches!(strip(&f.base), syn::Expr::Path(p) if p.path.is_ident("self"))
            }
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_statuses() {
        assert_eq!(camel_status("Ok"), Some(200));
        assert_eq!(camel_status("Forbidden"), Some(403));
        assert_eq!(camel_status("InternalServerError"), Some(500));
        assert_eq!(camel_status("Teapot"), None);
    }
}
