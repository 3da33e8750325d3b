//! The Content-Security-Policy of every response.
//!
//! Escaping is the first defence against injected markup; this policy is the
//! second, for the day a slip lets markup through: no script runs unless it
//! is one of ours from `/pkg` (or the page's own hydration script, which
//! carries the nonce the server drew for that response), no plugin loads, no
//! `<base>` can redirect relative URLs, forms post only to us, and no other
//! site may frame a page.
//!
//! Pages rendered by Leptos get the policy with their nonce from the shell
//! ([`crate::shell`]); every other response (downloads, uploads, errors,
//! static files) gets it without a nonce from the server's middleware.

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

#[cfg(test)]
mod tests {
    use super::policy;

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
