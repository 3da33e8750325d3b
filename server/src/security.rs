//! Request hardening: cross-site request refusal and security headers
//! (on every response, refusals included), plus `Vary: Accept-Encoding` on
//! the precompressed client bundle.
//!
//! Forms are protected against cross-site request forgery in two layers:
//! session cookies are `SameSite=Lax` (a cross-site POST carries no session),
//! and this middleware refuses any state-changing request whose `Origin` (or,
//! failing that, `Sec-Fetch-Site`) shows it came from another site. Clients
//! that send neither header are not browsers and cannot ride a user's cookie.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses cross-site state-changing requests with 403.
pub async fn same_origin(mut req: Request<Body>, next: Next) -> Response {
    let negotiated = req.uri().path().starts_with("/pkg/");
    // The nonce of this response's inline scripts (see `app::csp`).
    let nonce = app::csp::RequestNonce::draw();
    req.extensions_mut().insert(nonce.clone());
    let mut res = if is_cross_site_write(&req) {
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Geweigerd: dit formulier komt niet van Wijkverhalen zelf. / Refused: cross-site request.",
        )
            .into_response()
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // HTML carries the nonce its inline scripts were given; anything else
    // (downloads, media, the client bundle, server function answers) none.
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = app::csp::policy(html.then_some(nonce.0.as_str()));
    if let Ok(v) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    // The client bundle is sent brotli- or gzip-compressed or as it is,
    // depending on Accept-Encoding (precompressed copies): caches must keep
    // the variants apart.
    if negotiated || h.contains_key(header::CONTENT_ENCODING) {
        h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(), camera=(self), microphone=(self)"),
    );
    res
}

fn is_cross_site_write<B>(req: &Request<B>) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    {
        // `Origin: null` (sandboxed frames, some redirects) is never ours.
        let origin_host = origin.split_once("://").map(|(_, rest)| rest);
        return match (origin_host, host) {
            (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
            _ => true,
        };
    }
    match req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, headers: &[(&str, &str)]) -> Request<()> {
        let mut b = Request::builder().method(method).uri("/api/login");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap()
    }

    #[test]
    fn same_origin_posts_pass() {
        let r = req(
            Method::POST,
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000"),
            ],
        );
        assert!(!is_cross_site_write(&r));
    }

    #[test]
    fn foreign_origin_is_refused() {
        let r = req(
            Method::POST,
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://evil.example"),
            ],
        );
        assert!(is_cross_site_write(&r));
        let r = req(
            Method::POST,
            &[("host", "127.0.0.1:3000"), ("origin", "null")],
        );
        assert!(is_cross_site_write(&r));
    }

    #[test]
    fn fetch_metadata_is_used_without_origin() {
        let r = req(
            Method::POST,
            &[("host", "a"), ("sec-fetch-site", "cross-site")],
        );
        assert!(is_cross_site_write(&r));
        let r = req(
            Method::POST,
            &[("host", "a"), ("sec-fetch-site", "same-origin")],
        );
        assert!(!is_cross_site_write(&r));
    }

    #[test]
    fn reads_and_non_browser_clients_pass() {
        assert!(!is_cross_site_write(&req(
            Method::GET,
            &[("origin", "https://evil.example")]
        )));
        assert!(!is_cross_site_write(&req(Method::POST, &[("host", "a")])));
    }
}
