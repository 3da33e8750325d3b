// Recording an interview on the tablet: with the resident's consent to a
// recording, the student records with Chromium's test microphone while the
// connection drops for a few seconds; the chunks made meanwhile wait on the
// tablet and follow when the connection returns; after stopping, the
// recording becomes playable with its real length, and the server holds one
// ready recording. A reload in the middle of a recording loses nothing that
// was kept on the tablet: the page picks the recording up from IndexedDB and
// finishes it. Without a microphone (refused, or no MediaRecorder) the page
// says so in Dutch and nothing else breaks.

import { test, before, after } from 'node:test';
import { startServer, launch, tablet, login, axe, hydrated, assert } from './helpers.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch({ fakeMedia: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A new interview with the given consents, saved; returns its id. */
async function newInterview(page, consents) {
  await page.goto(`${server.base}/verhalen/nieuw`);
  await hydrated(page);
  await page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Limbricht — Sittard-Geleen' });
  await page.getByLabel('Schuilnaam', { exact: true }).fill('Mevrouw Hendriks');
  for (const c of consents) await page.getByLabel(c).check();
  const answer = page.locator('.question-card textarea').first();
  await answer.fill('We kennen elkaar van de markt op zaterdag.');
  await answer.blur();
  await page.locator('.save-state[data-state="saved"]').waitFor({ timeout: 20000 });
  await page.waitForURL('**/bewerken');
  return new URL(page.url()).pathname.split('/')[2];
}

/** Media of a story as the server lists them for the signed-in user. */
async function storyMedia(page, id) {
  return page.evaluate(async (id) => {
    const r = await fetch('/api/story_get', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: `id=${id}`,
    });
    return (await r.json()).media;
  }, id);
}

test('a recording survives a dropped connection and becomes playable', async (t) => {
  const { context, page } = await tablet(browser);
  await context.grantPermissions(['microphone'], { origin: server.base });
  await login(page, server.base, 'student@zuyd.example');
  const id = await newInterview(page, [/onderzoek naar sociale verbinding/, /mag worden opgenomen \(geluid\)/]);

  const panel = page.locator('section.recorder');
  await panel.getByRole('heading', { name: 'Geluidsopname' }).waitFor();
  const start = panel.getByRole('button', { name: 'Opname starten' });
  await start.waitFor();
  await axe(page, 'interview met recorder');

  await start.click();
  await page.locator('section.recorder[data-phase="recording"]').waitFor({ timeout: 15000 });
  await panel.getByText('Neemt op', { exact: true }).waitFor();
  assert.match(await panel.getByRole('timer').getAttribute('aria-label'), /^Opnameduur: /);
  // The sticky bar shows it too, for a student typing further down.
  await page.locator('.sticky-actions .rec-badge').waitFor();

  // The connection drops before the first chunk is due (every 5 s)…
  await sleep(3000);
  await context.setOffline(true);
  // …so that chunk waits on the tablet, and the page says so.
  await page.locator('section.recorder[data-sending]:not([data-sending="0"])').waitFor({ timeout: 10000 });
  await panel.getByText(/Niet verbonden — de opname gaat gewoon door/).waitFor({ timeout: 10000 });
  const offlineFor = Date.now();
  await axe(page, 'recorder zonder verbinding');
  await sleep(Math.max(0, 2000 - (Date.now() - offlineFor)));
  await context.setOffline(false);
  await page.locator('section.recorder[data-sending="0"]').waitFor({ timeout: 20000 });
  const shown = await panel.getByRole('timer').innerText();
  assert.match(shown, /^00:0[5-9]$/, `clock runs: ${shown}`);

  // Stop: the rest is sent, the recording is finished and can be played.
  await panel.getByRole('button', { name: 'Opname stoppen' }).click();
  const audio = panel.locator('.recordings audio');
  await audio.waitFor({ timeout: 30000 });
  await panel.getByText(/Opname opgeslagen/).waitFor();
  await page.locator('section.recorder[data-phase="idle"]').waitFor();
  assert.equal(await page.locator('.sticky-actions .rec-badge').count(), 0);
  assert.equal(await audio.getAttribute('preload'), 'none');

  const playable = await audio.evaluate(async (a) => {
    a.preload = 'metadata';
    const ready = new Promise((resolve, reject) => {
      a.addEventListener('loadedmetadata', resolve, { once: true });
      a.addEventListener('error', () => reject(new Error(`media error ${a.error && a.error.code}`)), { once: true });
    });
    a.load();
    await ready;
    const ranged = await fetch(a.currentSrc, { headers: { Range: 'bytes=0-3' } });
    const head = new Uint8Array(await ranged.arrayBuffer());
    return {
      duration: a.duration,
      status: ranged.status,
      contentRange: ranged.headers.get('content-range'),
      head: Array.from(head),
    };
  });
  assert.ok(Number.isFinite(playable.duration), `a finite length: ${playable.duration}`);
  assert.ok(playable.duration >= 4 && playable.duration < 30, `length ${playable.duration} s`);
  assert.equal(playable.status, 206, 'byte ranges for seeking');
  assert.match(playable.contentRange, /^bytes 0-3\/\d+$/);
  assert.deepEqual(playable.head, [0x1a, 0x45, 0xdf, 0xa3], 'a WebM file');

  // The server holds exactly one ready recording of this story.
  const media = (await storyMedia(page, id)).filter((m) => m.kind === 'audio');
  assert.equal(media.length, 1, JSON.stringify(media));
  assert.ok(media[0].duration_ms >= 4000, `stored length ${media[0].duration_ms} ms`);
  t.diagnostic(`played ${playable.duration.toFixed(2)} s; stored ${media[0].duration_ms} ms, ${media[0].bytes} bytes`);
  await axe(page, 'interview met opname');

  // The story page plays it too.
  await page.goto(`${server.base}/verhalen/${id}`);
  await page.locator('.recordings audio').waitFor();
  await axe(page, 'verhaal met opname');
  assert.deepEqual(
    page.jsErrors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError/.test(e)),
    [],
  );
  await context.close();
});

test('a reload during a recording sends what the tablet kept and finishes it', async (t) => {
  const { context, page } = await tablet(browser);
  await context.grantPermissions(['microphone'], { origin: server.base });
  await login(page, server.base, 'student@zuyd.example');
  const id = await newInterview(page, [/onderzoek naar sociale verbinding/, /mag worden opgenomen \(geluid\)/]);
  // The server takes the start, but no chunk gets through.
  await page.route('**/stukken/**', (route) => route.abort('internetdisconnected'));
  await page.locator('section.recorder').getByRole('button', { name: 'Opname starten' }).click();
  await page.locator('section.recorder[data-phase="recording"]').waitFor({ timeout: 15000 });
  await page.locator('section.recorder[data-sending="1"]').waitFor({ timeout: 15000 });
  await sleep(1000); // the chunk is written to IndexedDB

  // The tablet reloads (the page warns first; the student leaves anyway).
  page.on('dialog', (d) => d.accept());
  await page.unroute('**/stukken/**');
  await page.reload();
  await hydrated(page);
  const panel = page.locator('section.recorder');
  await panel.getByText(/Een onderbroken opname van 00:0\d op dit apparaat wordt alsnog verstuurd/).waitFor({ timeout: 15000 });
  await panel.locator('.recordings audio').waitFor({ timeout: 30000 });
  const media = (await storyMedia(page, id)).filter((m) => m.kind === 'audio');
  assert.equal(media.length, 1, JSON.stringify(media));
  assert.ok(media[0].duration_ms >= 4000 && media[0].duration_ms < 8000, `kept length ${media[0].duration_ms} ms`);
  const duration = await panel.locator('.recordings audio').evaluate(async (a) => {
    a.preload = 'metadata';
    const ready = new Promise((resolve) => a.addEventListener('loadedmetadata', resolve, { once: true }));
    a.load();
    await ready;
    return a.duration;
  });
  assert.ok(Number.isFinite(duration) && duration >= 4, `plays ${duration} s`);
  t.diagnostic(`resumed: ${media[0].duration_ms} ms, ${media[0].bytes} bytes`);
  // Nothing is left on the tablet once the server has it.
  const kept = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('wijkverhalen-opnames', 1);
          open.onsuccess = () => {
            const tx = open.result.transaction(['stukken', 'opnames']);
            const a = tx.objectStore('stukken').count();
            const b = tx.objectStore('opnames').count();
            tx.oncomplete = () => resolve([a.result, b.result]);
          };
        }),
    );
  let left = await kept();
  for (let i = 0; i < 20 && (left[0] || left[1]); i++) {
    await sleep(250);
    left = await kept();
  }
  assert.deepEqual(left, [0, 0], 'IndexedDB emptied');
  await context.close();
});

test('without a microphone the page says why and the interview goes on', async () => {
  const { context, page } = await tablet(browser);
  await login(page, server.base, 'student@zuyd.example');
  // The resident did not consent to a recording: nothing is asked of the microphone.
  await newInterview(page, [/onderzoek naar sociale verbinding/]);
  const panel = page.locator('section.recorder');
  await panel.getByRole('button', { name: 'Opname starten' }).click();
  await panel.getByRole('alert').getByText(/toestemming geeft voor een geluidsopname/).waitFor();
  assert.equal(await page.locator('section.recorder[data-phase="idle"]').count(), 1);

  // The microphone is refused.
  await page.getByLabel(/mag worden opgenomen \(geluid\)/).check();
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', 'NotAllowedError'));
  });
  await panel.getByRole('button', { name: 'Opname starten' }).click();
  await panel.getByRole('alert').getByText(/De microfoon mag niet worden gebruikt/).waitFor();
  await axe(page, 'recorder: microfoon geweigerd');

  // A browser without MediaRecorder.
  await page.addInitScript(() => {
    delete window.MediaRecorder;
  });
  await page.reload();
  await hydrated(page);
  await panel.getByText(/Opnemen kan niet in deze browser/).waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Opname starten' }).count(), 0);
  // The interview itself still saves.
  const answer = page.locator('.question-card textarea').first();
  await answer.fill('Nog een zin over de markt.');
  await answer.blur();
  await page.locator('.save-state[data-state="saved"]').waitFor({ timeout: 20000 });
  assert.deepEqual(page.jsErrors, []);
  await context.close();
});
