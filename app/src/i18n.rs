//! Interface language: Dutch by default, English on request.
//!
//! The language is chosen with a cookie (`wv_lang`). The server reads it to
//! render and writes it into `<html lang>`; the browser reads `<html lang>`
//! back when it hydrates, so both sides render the same text.

use crate::domain::Lang;
use leptos::prelude::*;

/// Name of the language cookie.
pub const LANG_COOKIE: &str = "wv_lang";

/// The language of the current request (server) or page (browser).
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(axum::http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(';'))
                    .filter_map(|kv| kv.trim().split_once('='))
                    .find(|(k, _)| *k == LANG_COOKIE)
                    .and_then(|(_, v)| Lang::parse(v))
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            leptos::prelude::document()
                .document_element()
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// Provides the language as context (call once, at the top of the app).
pub fn provide_lang() -> Lang {
    let lang = detect_lang();
    provide_context(lang);
    lang
}

/// The current interface language.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Picks the Dutch or English text for the current language.
pub fn tr(nl: &'static str, en: &'static str) -> &'static str {
    use_lang().pick(nl, en)
}
