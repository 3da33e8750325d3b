// Shared helpers for the end-to-end journeys: a real server (the release
// candidate binary, demo data, a fresh SQLite database in a temporary
// directory), Debian's Chromium driven by playwright-core at tablet size,
// and axe-core on every page.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const PASSWORD = 'e2e-wachtwoord-2026';
export const TABLET = { width: 820, height: 1180 };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Starts the server (with demo data unless `demo` is false) on a free port;
 * resolves when it answers. `cli(args, input)` runs another subcommand of
 * the same binary on the same data (e.g. `admin create`).
 */
export async function startServer({ demo = true } = {}) {
  const bin = process.env.WV_SERVER_BIN;
  const siteRoot = process.env.WV_SITE_ROOT;
  assert.ok(bin, 'WV_SERVER_BIN must point at the wijkverhalen binary (scripts/test-all sets it)');
  assert.ok(siteRoot, 'WV_SITE_ROOT must point at the built client (scripts/test-all sets it)');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'wv-e2e-'));
  const env = {
    ...process.env,
    WV_ADDR: `127.0.0.1:${port}`,
    WV_DATA_DIR: dataDir,
    WV_DEMO_PASSWORD: PASSWORD,
    LEPTOS_SITE_ROOT: siteRoot,
    DATABASE_URL: '',
    // Mail goes into files the tests read (never to a real server).
    WV_SMTP_URL: '',
    WV_MAIL_DIR: join(dataDir, 'mail'),
    RUST_LOG: process.env.WV_E2E_RUST_LOG || 'warn',
  };
  const child = spawn(bin, demo ? ['--demo'] : ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    try {
      const r = await fetch(`${base}/gezond`);
      if (r.ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dataDir,
    output: () => output,
    cli: (args, input) => execFileSync(bin, args, { env, input, encoding: 'utf8' }),
    /** The mails the server wrote so far (raw .eml texts). */
    mails: () => {
      const dir = join(dataDir, 'mail');
      return existsSync(dir)
        ? readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(dir, f), 'utf8'))
        : [];
    },
    async stop() {
      if (process.env.WV_E2E_RUST_LOG) process.stderr.write(output);
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers before/after hooks that start a server and a browser for the
 * tests of one file; returns an object whose `server` and `browser` are set
 * once the hooks ran.
 */
export function useServerAndBrowser({ before, after }) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/**
 * Launches Debian's Chromium headless. With `fakeMedia`, the microphone (and
 * camera) is Chromium's built-in test device, and permission prompts are
 * answered "allow" (recording tests).
 */
export async function launch({ fakeMedia = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(fakeMedia ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] : []),
    ],
  });
}

/** A fresh browser context (own cookies) at tablet size. */
export async function tablet(browser, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: TABLET,
    deviceScaleFactor: 1,
    hasTouch: true,
    isMobile: false,
    javaScriptEnabled,
    locale: 'nl-NL',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  page.jsErrors = errors;
  page.jsDisabled = !javaScriptEnabled;
  return { context, page };
}

/** Waits until the wasm client has hydrated the page (JavaScript runs). */
export async function hydrated(page) {
  await page.waitForFunction(() => window.__wv_hydrated === true || document.body.dataset.hydrated === 'true', null, {
    timeout: 20000,
  });
}

/** Signs in through the login form (demo accounts share `PASSWORD`). */
export async function login(page, base, email, password = PASSWORD) {
  await page.goto(`${base}/inloggen`);
  await page.getByLabel('E-mailadres', { exact: true }).fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/inloggen')), page.getByRole('button', { name: 'Inloggen' }).click()]);
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function axe(page, label) {
  let target = page;
  let scratch = null;
  if (page.jsDisabled) {
    // Injecting a script into a page whose JavaScript is off is not possible:
    // check the same HTML (scripts removed) in a scratch page that allows it.
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    const url = page.url();
    scratch = await page.context().browser().newContext({ viewport: TABLET });
    target = await scratch.newPage();
    await target.route(url, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
    await target.goto(url);
  }
  try {
    // Evaluated through the DevTools protocol: the page's Content-Security-
    // Policy (rightly) refuses an injected inline <script>.
    await target.evaluate(AXE);
    const result = await target.evaluate(async () => {
      // eslint-disable-next-line no-undef
      return await axe.run(document, { resultTypes: ['violations'] });
    });
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const describe = bad
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n  ')}`)
      .join('\n');
    assert.equal(bad.length, 0, `axe on ${label}:\n${describe}`);
    return result.violations;
  } finally {
    await scratch?.close();
  }
}

/** Calls a server function from inside the signed-in page (its cookies, its origin). */
export async function api(page, endpoint, body, json = false) {
  return page.evaluate(
    async ({ endpoint, body, json }) => {
      const r = await fetch(`/api/${endpoint}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
        body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${endpoint}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    { endpoint, body, json },
  );
}

/** Text of a PDF file, via poppler's pdftotext. */
export function pdfText(path) {
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
}

export { assert };
