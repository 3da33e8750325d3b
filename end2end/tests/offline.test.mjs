// Interviews on bad Wi-Fi: autosave, offline drafts and conflicts, in a real
// browser at tablet size. Text typed while offline survives a reload (the
// service worker serves the page, localStorage holds the text) and reaches
// the server exactly once when the connection returns; a second tablet
// editing the same story gets the conflict screen instead of overwriting.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

const ONLINE_TEXT = 'We ontmoeten elkaar op de zaterdagmarkt.';
const OFFLINE_TEXT = 'Dit typte ik toen de wifi in het buurthuis weg was.';

/**
 * The story's revisions, as the signed-in user of `context` sees them. Asked
 * from outside the page (same cookies, Node's network), so it works while
 * the tablet is offline.
 */
async function revisions(context, id) {
  const r = await context.request.post(`${env.server.base}/api/story_revisions`, {
    form: { id },
    headers: { accept: 'application/json' },
  });
  if (!r.ok()) throw new Error(`story_revisions: ${r.status()} ${await r.text()}`);
  return r.json();
}

async function story(page, id) {
  return page.evaluate(async (id) => {
    const r = await fetch('/api/story_get', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ id }),
    });
    return r.json();
  }, id);
}

/**
 * Waits until every save of the page has landed: it shows "saved" and its
 * version is the server's latest revision. Returns those revisions.
 */
async function settled(page, context, id) {
  for (let i = 0; i < 200; i++) {
    const seen = await page.evaluate(() => ({
      state: document.querySelector('.save-state')?.dataset.state,
      version: Number(document.querySelector('input[name="form[version]"]')?.value),
    }));
    const revs = await revisions(context, id);
    if (seen.state === 'saved' && revs.length > 0 && revs[revs.length - 1].number === seen.version) return revs;
    await page.waitForTimeout(100); // polling a state, not waiting for a guess
  }
  throw new Error('the page never settled: a save did not land');
}

const saveState = (page, state) => page.locator(`.save-state[data-state="${state}"]`).waitFor({ timeout: 20000 });

async function startInterview(page) {
  await page.goto(`${env.server.base}/verhalen/nieuw`);
  await hydrated(page);
  await page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Limbricht — Sittard-Geleen' });
  await page.getByLabel('Schuilnaam', { exact: true }).fill('Mevrouw Offermans');
  const answers = page.locator('.question-card textarea');
  await answers.nth(0).fill(ONLINE_TEXT);
  await answers.nth(0).blur();
  await saveState(page, 'saved');
  await page.waitForURL('**/bewerken');
  const id = page.url().match(/verhalen\/([0-9a-f-]{36})\/bewerken/)[1];
  return { id, answers };
}

test('text typed offline survives a reload and is saved exactly once', async () => {
  const { context, page } = await tablet(env.browser);
  await login(page, env.server.base, 'student@zuyd.example');
  const { id, answers } = await startInterview(page);
  assert.match(await page.locator('.save-state').innerText(), /^Opgeslagen \d\d:\d\d$/);
  // The service worker keeps this page for offline use.
  await page.waitForFunction(() => document.body.dataset.offlineReady === 'true', null, { timeout: 20000 });
  // The online typing may take more than one save: wait until the page says
  // "saved" and its version is the server's latest revision, so no save of
  // the online text is still on its way when the tablet is cut off.
  const before = await settled(page, context, id);

  await context.setOffline(true);
  await answers.nth(1).fill(OFFLINE_TEXT);
  await answers.nth(1).blur();
  await saveState(page, 'offline');
  assert.equal(await page.locator('.save-state').innerText(), 'Niet verbonden — lokaal bewaard');
  assert.equal((await revisions(context, id)).length, before.length, 'nothing reached the server while offline');

  // A reload while offline: the page comes from the service worker, the
  // text from this device.
  const reloaded = await page.reload();
  assert.ok(reloaded.fromServiceWorker(), 'the offline reload is served by the service worker');
  await hydrated(page);
  assert.equal(await page.locator('.question-card textarea').nth(1).inputValue(), OFFLINE_TEXT);
  assert.equal(await page.locator('.question-card textarea').nth(0).inputValue(), ONLINE_TEXT);
  await page.getByText('Uw tekst van dit apparaat is teruggezet').waitFor();
  await axe(page, 'interview (offline hersteld)');

  // Back online: saved once, however many times the browser retries.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await saveState(page, 'saved');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(1500);
  const after = await revisions(context, id);
  assert.equal(after.length, before.length + 1, `one new revision: ${JSON.stringify(after)}`);
  const stored = await story(page, id);
  const texts = Object.values(stored.answers);
  assert.ok(texts.includes(OFFLINE_TEXT), `offline text on the server: ${JSON.stringify(stored.answers)}`);
  assert.ok(texts.includes(ONLINE_TEXT));
  assert.deepEqual(page.jsErrors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError/.test(e)), []);
  await context.close();
});

test('a second tablet editing the same story gets the conflict screen, not an overwrite', async () => {
  const a = await tablet(env.browser);
  await login(a.page, env.server.base, 'student@zuyd.example');
  const { id, answers } = await startInterview(a.page);

  const b = await tablet(env.browser);
  await login(b.page, env.server.base, 'student@zuyd.example');
  await b.page.goto(`${env.server.base}/verhalen/${id}/bewerken`);
  await hydrated(b.page);
  const other = b.page.locator('.question-card textarea').first();
  await other.fill('Versie van de tweede tablet.');
  await other.blur();
  await saveState(b.page, 'saved');

  await answers.nth(0).fill('Versie van de eerste tablet.');
  await answers.nth(0).blur();
  const dialog = a.page.getByRole('alertdialog', { name: 'Iemand anders heeft dit verhaal intussen gewijzigd' });
  await dialog.waitFor();
  await dialog.getByText('Versie van de eerste tablet.').waitFor();
  await dialog.getByText('Versie van de tweede tablet.').waitFor();
  // Nothing was overwritten while the student decides.
  assert.equal(Object.values((await story(a.page, id)).answers)[0] ?? '', 'Versie van de tweede tablet.');
  await axe(a.page, 'conflict');

  await dialog.getByRole('button', { name: 'Mijn versie bewaren' }).click();
  await saveState(a.page, 'saved');
  const stored = await story(a.page, id);
  assert.ok(Object.values(stored.answers).includes('Versie van de eerste tablet.'), JSON.stringify(stored.answers));

  // The other tablet's next edit now meets the first tablet's version and
  // can take it instead.
  await other.fill('Versie van de tweede tablet, aangevuld.');
  await other.blur();
  const dialogB = b.page.getByRole('alertdialog');
  await dialogB.waitFor();
  await dialogB.getByRole('button', { name: 'Versie van de server nemen' }).click();
  assert.equal(await other.inputValue(), 'Versie van de eerste tablet.');
  await a.context.close();
  await b.context.close();
});
