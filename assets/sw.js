// Wijkverhalen service worker: keeps the interview form usable when the
// tablet loses its connection.
//
// * The client bundle (/pkg/…) and the editor pages (/verhalen/nieuw,
//   /verhalen/<id>/bewerken) are fetched from the network first and kept in
//   a cache, so a reload while offline still shows the form. The typed text
//   itself is not here: the page keeps it in localStorage and sends it when
//   the connection returns (app/src/autosave.rs).
// * Everything else — server functions (/api/…), files (/bestanden/…), other
//   pages — goes straight to the network and is never stored: personal data
//   is cached only for the page a student is working on, and the cache is
//   emptied on logout.

const ASSETS = "wijkverhalen-client-v1";
const PAGES = "wijkverhalen-paginas-v1";
const PRECACHE = [
  "/pkg/wijkverhalen.js",
  "/pkg/wijkverhalen_bg.wasm",
  "/pkg/wijkverhalen.css",
  "/favicon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.addAll(PRECACHE))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n !== ASSETS && n !== PAGES)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function isEditorPage(url) {
  return (
    url.pathname === "/verhalen/nieuw" ||
    /^\/verhalen\/[0-9a-f-]{36}\/bewerken$/.test(url.pathname)
  );
}

function isAsset(url) {
  return url.pathname.startsWith("/pkg/") || url.pathname === "/favicon.svg";
}

async function networkFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await cache.match(request.url, { ignoreVary: true, ignoreSearch: cacheName === PAGES });
    if (cached) return cached;
    throw offline;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isAsset(url)) {
    event.respondWith(networkFirst(request, ASSETS));
  } else if (isEditorPage(url)) {
    event.respondWith(
      networkFirst(request, PAGES).catch(
        () =>
          new Response(
            "<!doctype html><html lang=nl><meta charset=utf-8><title>Niet verbonden</title>" +
              "<p>Niet verbonden. Deze pagina is niet op dit apparaat bewaard; probeer het opnieuw zodra er verbinding is.</p>",
            { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
          ),
      ),
    );
  }
});
