//! The Content-Security-Policy of every response.
//!
//! Escaping is the first defence against injected markup; this policy is the
//! second, for the day a slip lets markup through: no script runs unless it
//! is one of ours from `/pkg` (or the page's own hydration script, which
//! carries the nonce the server drew for that response), no plugin loads, no
//! `<base>` can redirect relative URLs, forms post only to us, and no other
//! site may frame a page.
//!
//! One nonce per request, drawn by the server's outermost middleware before
//! anything else runs ([`RequestNonce`], in the request's extensions). The
//! page renderer takes that nonce for its inline scripts
//! ([`provide_request_nonce`]) and the same middleware writes the policy
//! with it on the way out, so the header and the scripts cannot disagree —
//! whatever path rendered the page. (The shell used to set the header through
//! Leptos' response options; under load a page was seen leaving with the
//! nonce-less policy while its scripts carried a nonce, and nothing hydrated.)
//! Responses that are not HTML get the policy without a nonce.

/// The policy, allowing inline scripts only with `nonce`.
pub fn policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        // Only base64 characters can appear in a nonce; anything else would
        // let the value break out of the directive.
        Some(n)
            if !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b)) =>
        {
            format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'")
        }
        _ => "script-src 'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
         media-src 'self' blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The nonce drawn for one request, kept in its extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestNonce(pub String);

impl RequestNonce {
    /// A fresh nonce: 128 random bits, as hex (valid in a policy as it is).
    pub fn draw() -> Self {
        RequestNonce(uuid::Uuid::new_v4().simple().to_string())
    }
}

/// Makes the request's [`RequestNonce`] the nonce Leptos writes on its
/// inline scripts (replacing the one Leptos drew itself, which the response
/// header would not know). Called in the context of every rendered page and
/// server function.
#[cfg(feature = "ssr")]
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn a_drawn_nonce_is_accepted_whole_and_differs_each_time() {
        let a = super::RequestNonce::draw();
        let b = super::RequestNonce::draw();
        assert_ne!(a, b);
        assert!(policy(Some(&a.0)).contains(&format!("'nonce-{}'", a.0)));
    }

    #[test]
    fn policy_holds_the_required_directives() {
        let p = policy(Some("abc123=="));
        for d in [
            "script-src 'self' 'nonce-abc123==' 'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(p.contains(d), "{d} missing from {p}");
        }
        let script = p
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .unwrap();
        assert!(!script.contains("unsafe-inline"), "{p}");
    }

    #[test]
    fn a_nonce_cannot_break_out_of_its_directive() {
        let p = policy(Some("x'; script-src *"));
        assert!(!p.contains("nonce"), "{p}");
        assert!(!p.contains('*'), "{p}");
    }
}
