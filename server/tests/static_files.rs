//! The client bundle over the wire: the static handler serves the brotli or
//! gzip copy that `scripts/lib.sh` (`compress_site`) writes next to each
//! file, whichever the browser accepts, with the original content type and
//! `Vary: Accept-Encoding` so caches keep them apart. The end-to-end suite
//! checks the real bundle's sizes (`end2end/tests/compression.test.mjs`).

mod common;

use common::Backend;
use reqwest::StatusCode;

async fn precompressed_copies_are_served(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let pkg = app.site_root().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // Distinct contents show which file was sent; the server never
    // decompresses, so they need not be real brotli or gzip streams.
    let raw = b"\0asm\x01\0\0\0 the raw module".to_vec();
    std::fs::write(pkg.join("wijkverhalen_bg.wasm"), &raw).unwrap();
    std::fs::write(pkg.join("wijkverhalen_bg.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(pkg.join("wijkverhalen_bg.wasm.gz"), b"gzip copy").unwrap();
    std::fs::write(pkg.join("wijkverhalen.css"), b"body{}").unwrap();

    let client = app.client();
    let fetch = |path: &'static str, accept: Option<&'static str>| {
        let mut request = client.http.get(app.url(path));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        async move { request.send().await.expect("request") }
    };
    let url = "/pkg/wijkverhalen_bg.wasm";
    for (accept, encoding, body) in [
        (
            Some("gzip, deflate, br, zstd"),
            Some("br"),
            &b"brotli copy"[..],
        ),
        (Some("br"), Some("br"), b"brotli copy"),
        (Some("gzip"), Some("gzip"), b"gzip copy"),
        (Some("identity"), None, &raw[..]),
        (None, None, &raw[..]),
    ] {
        let r = fetch(url, accept).await;
        assert_eq!(r.status(), StatusCode::OK, "{accept:?}");
        let headers = r.headers().clone();
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "Accept-Encoding {accept:?}"
        );
        assert_eq!(headers["content-type"], "application/wasm", "{accept:?}");
        if encoding.is_some() {
            let vary = headers["vary"].to_str().unwrap().to_ascii_lowercase();
            assert!(vary.contains("accept-encoding"), "{vary}");
        }
        assert_eq!(r.bytes().await.unwrap(), body, "{accept:?}");
    }
    // A file without copies is sent as it is, whatever the browser accepts.
    let r = fetch("/pkg/wijkverhalen.css", Some("br, gzip")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.bytes().await.unwrap(), &b"body{}"[..]);
}

both_backends! {
    precompressed_client_bundle => super::precompressed_copies_are_served;
}
