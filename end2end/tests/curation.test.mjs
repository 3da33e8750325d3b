// Curation in the browser: a researcher puts approved stories in the
// booklet, writes a chapter intro, reorders stories by keyboard (focus stays,
// the new place is announced) and chapters by drag and drop, builds a small
// codebook and tags a story, then on the story page saves a quote by
// selecting text and makes it the pull quote.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, api, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

/** A student writes and hands in a story; the lecturer approves it. */
async function approvedStory(student, lecturer, neighbourhood, title) {
  const f = await api(student, 'story_new_form', {});
  const fields = {
    neighbourhood: f.groups[0].neighbourhoods[neighbourhood].id,
    title,
    pseudonym: 'Mevrouw Kessels',
    scopes: 'research,booklet',
    witness_name: 'Sanne Hermans',
  };
  f.questions.forEach((q, i) => (fields[`answers.q${q.id}`] = `${title}: we drinken koffie in het buurthuis, antwoord ${i + 1}.`));
  const done = await api(
    student,
    'story_autosave',
    { patch: { id: f.story_id, save_id: crypto.randomUUID(), base_version: 0, group: f.groups[0].id, fields, intent: 'submit' } },
    true,
  );
  await api(lecturer, 'story_review', { id: f.story_id, version: String(done.version), decision: 'approve' });
  return { id: f.story_id, neighbourhood: f.groups[0].neighbourhoods[neighbourhood].name };
}

async function storyOrder(page, chapterIndex) {
  return page.locator('.chapter-card').nth(chapterIndex).locator('.curation-row .curation-title').allInnerTexts();
}

test('researcher orders, introduces, tags and quotes', async () => {
  const base = env.server.base;
  const s = await tablet(env.browser);
  await login(s.page, base, 'student@zuyd.example');
  const l = await tablet(env.browser);
  await login(l.page, base, 'docent@zuyd.example');
  const a1 = await approvedStory(s.page, l.page, 0, 'Eerste A');
  const a2 = await approvedStory(s.page, l.page, 0, 'Tweede A');
  const b1 = await approvedStory(s.page, l.page, 1, 'Eerste B');

  const r = await tablet(env.browser);
  const page = r.page;
  await login(page, base, 'onderzoeker@zuyd.example');
  await page.goto(`${base}/samenstellen`);
  await hydrated(page).catch((e) => {
    throw new Error(`${e}\n${page.jsErrors.join('\n')}`);
  });
  for (const title of ['Eerste A', 'Tweede A', 'Eerste B']) {
    await page.getByRole('button', { name: `In het boekje: ${title}` }).click();
    await page.getByRole('button', { name: `Uit het boekje halen: ${title}` }).waitFor();
  }
  assert.equal(await page.locator('.chapter-card').count(), 2);
  assert.deepEqual(await storyOrder(page, 0), ['Eerste A', 'Tweede A']);

  // Keyboard: Alt+ArrowUp on the handle of "Tweede A"; focus stays on it
  // and the new place is announced.
  await page.locator(`#greep-${a2.id}`).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await page.getByRole('status').filter({ hasText: 'Verhaal Tweede A staat nu op plaats 1 van 2' }).waitFor();
  assert.deepEqual(await storyOrder(page, 0), ['Tweede A', 'Eerste A']);
  assert.equal(await page.evaluate(() => document.activeElement?.id), `greep-${a2.id}`);
  // The "omlaag" button keeps focus too (on the other button once at the end).
  await page.getByRole('button', { name: 'Omlaag: Tweede A' }).click();
  await page.getByRole('status').filter({ hasText: 'Verhaal Tweede A staat nu op plaats 2 van 2' }).waitFor();
  assert.deepEqual(await storyOrder(page, 0), ['Eerste A', 'Tweede A']);
  assert.equal(await page.evaluate(() => document.activeElement?.id), `omhoog-${a2.id}`);

  // Drag and drop by the handle (pointer events: mouse, pen and touch):
  // chapter B onto chapter A's place.
  const chapterB = page.locator('.chapter-card').nth(1);
  assert.ok((await chapterB.locator('h3').innerText()).startsWith(b1.neighbourhood));
  const chapterA = page.locator('.chapter-card').nth(0);
  await chapterB.locator('.drag-handle').first().dragTo(chapterA.locator('h3'));
  await page.getByRole('status').filter({ hasText: `Hoofdstuk ${b1.neighbourhood} staat nu op plaats 1 van 2` }).waitFor();
  assert.ok((await page.locator('.chapter-card').nth(0).locator('h3').innerText()).startsWith(b1.neighbourhood));
  // And a story by drag within its chapter.
  const rows = page.locator('.chapter-card').nth(1).locator('.curation-row');
  await rows.nth(1).locator('.drag-handle').dragTo(rows.nth(0).locator('.hint'));
  await page.getByRole('status').filter({ hasText: 'Verhaal Tweede A staat nu op plaats 1 van 2' }).waitFor();
  assert.deepEqual(await storyOrder(page, 1), ['Tweede A', 'Eerste A']);

  // A chapter intro.
  await page.getByLabel(`Inleiding van het hoofdstuk ${a1.neighbourhood}`).fill('In deze wijk draait alles om het buurthuis.');
  await page.getByRole('button', { name: 'Inleiding opslaan' }).nth(1).click();
  await page.getByRole('status').filter({ hasText: 'Opgeslagen.' }).waitFor();
  await page.reload();
  await hydrated(page);
  assert.equal(
    await page.getByLabel(`Inleiding van het hoofdstuk ${a1.neighbourhood}`).inputValue(),
    'In deze wijk draait alles om het buurthuis.',
  );
  assert.ok((await page.locator('.colophon-students').innerText()).includes('Sanne Hermans'));

  // The codebook: a theme and a sub-theme; tag a story with the sub-theme.
  await page.getByLabel('Nieuw thema').fill('Ontmoeting');
  await page.getByRole('button', { name: 'Thema toevoegen' }).click();
  await page.locator('.theme-tree li', { hasText: 'Ontmoeting' }).waitFor();
  await page.getByLabel('Nieuw thema').fill('Buurthuis');
  await page.getByLabel('Valt onder').selectOption({ label: 'Ontmoeting' });
  await page.getByRole('button', { name: 'Thema toevoegen' }).click();
  await page.locator('.theme-tree li[data-depth="1"]', { hasText: 'Buurthuis' }).waitFor();
  await page.getByLabel('Thema voor Eerste A').selectOption({ label: '— Buurthuis' });
  await page.locator(`.curation-row[data-story="${a1.id}"]`).getByRole('button', { name: 'Thema toekennen' }).click();
  await page.getByRole('button', { name: 'Thema Buurthuis weghalen bij Eerste A' }).waitFor();
  await axe(page, 'samenstellen');

  // Filtering by the parent theme shows the tagged story only.
  await page.getByLabel('Thema', { exact: true }).selectOption({ label: 'Ontmoeting' });
  await page.getByRole('button', { name: 'Tonen' }).click();
  await page.waitForURL(/thema=/);
  await hydrated(page);
  // (All three are in the booklet, so the approved list is empty, but the
  // filter is applied.)
  await page.getByText('Geen (andere) verhalen met dit thema.').waitFor();

  // A quote by selecting text in an answer, then the pull quote.
  await page.goto(`${base}/verhalen/${a1.id}`);
  await hydrated(page);
  const source = page.locator('.quote-source').first();
  await source.waitFor();
  const wanted = 'koffie in het buurthuis';
  await source.evaluate((el, wanted) => {
    const node = el.firstChild;
    const start = node.textContent.indexOf(wanted);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + wanted.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }, wanted);
  await page.getByRole('button', { name: 'Selectie als citaat bewaren' }).click();
  await page.locator('.quote-item blockquote', { hasText: wanted }).waitFor();
  await page.getByRole('button', { name: `Kiezen als streamer: ${wanted}` }).click();
  await page.getByText('Streamer in het boekje').waitFor();
  await axe(page, 'verhaal met citaten');

  // The editorial version: a new title; the students' one stays in the history.
  await page.getByLabel('Titel', { exact: true }).fill('Eerste A, geredigeerd');
  await page.getByRole('button', { name: 'Redactieversie opslaan' }).click();
  await page.getByText('Het boekje gebruikt deze redactieversie.', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Titel', { exact: true }).inputValue(), 'Eerste A, geredigeerd');
  assert.equal(await page.locator('h1').first().innerText(), 'Eerste A');

  for (const p of [page, s.page, l.page]) assert.deepEqual(p.jsErrors, []);
});
