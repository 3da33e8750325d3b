// The client bundle goes over the wire compressed: the build writes brotli
// and gzip copies (scripts/lib.sh, compress_site) and the server sends the
// one the browser accepts. Checked in Chromium on the real first visit and
// byte for byte with fetch; the sizes are printed for the release notes.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });
const WASM = '/pkg/wijkverhalen_bg.wasm';

async function head(path, encoding) {
  const r = await fetch(`${env.server.base}${path}`, { headers: { 'accept-encoding': encoding } });
  assert.equal(r.status, 200, `${path} ${encoding}`);
  const bytes = new Uint8Array(await r.arrayBuffer()); // decoded by fetch
  return {
    encoding: r.headers.get('content-encoding'),
    vary: (r.headers.get('vary') || '').toLowerCase(),
    type: r.headers.get('content-type'),
    wire: Number(r.headers.get('content-length')),
    bytes,
  };
}

test('Chromium receives the wasm client brotli-compressed on its first visit', async () => {
  const { context, page } = await tablet(env.browser);
  const wasm = page.waitForResponse((r) => new URL(r.url()).pathname === WASM);
  await page.goto(`${env.server.base}/`);
  const response = await wasm;
  await hydrated(page);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-encoding'], 'br');
  assert.equal(response.headers()['content-type'], 'application/wasm');
  await context.close();
});

test('brotli and gzip copies are the same module at a fraction of the bytes', async () => {
  for (const path of [WASM, '/pkg/wijkverhalen.js', '/pkg/wijkverhalen.css']) {
    const raw = await head(path, 'identity');
    const br = await head(path, 'br');
    const gz = await head(path, 'gzip');
    assert.equal(raw.encoding, null, path);
    assert.equal(br.encoding, 'br', path);
    assert.equal(gz.encoding, 'gzip', path);
    for (const c of [br, gz]) {
      assert.ok(c.vary.includes('accept-encoding'), `${path}: Vary ${c.vary}`);
      assert.equal(c.type, raw.type, path);
      assert.deepEqual(c.bytes, raw.bytes, `${path}: decodes to the same file`);
    }
    console.log(`${path}: ${raw.wire} B raw, ${gz.wire} B gzip, ${br.wire} B brotli`);
    if (path === WASM) {
      assert.ok(br.wire < raw.wire * 0.4, `brotli ${br.wire} of ${raw.wire}`);
      assert.ok(gz.wire < raw.wire * 0.45, `gzip ${gz.wire} of ${raw.wire}`);
    }
  }
});
