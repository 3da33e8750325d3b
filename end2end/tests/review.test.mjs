// The review loop in the browser: the lecturer asks for changes on one
// answer, the student sees the comment at that answer, edits one word and
// hands in again, the lecturer sees exactly that word highlighted and
// approves; the notification badges of both follow along.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

const FIRST = 'Ik drink elke dinsdag koffie in het buurthuis met de buren.';
const SECOND = 'Ik drink elke donderdag koffie in het buurthuis met de buren.';

async function badge(page) {
  await page.waitForLoadState('networkidle');
  const b = page.locator('.site-nav .badge');
  return (await b.count()) ? Number(await b.getAttribute('data-unread')) : 0;
}

test('changes requested on one answer, revised, diffed word by word and approved', async () => {
  const s = await tablet(env.browser);
  await login(s.page, env.server.base, 'student@zuyd.example');
  await s.page.goto(`${env.server.base}/verhalen/nieuw`);
  await hydrated(s.page);
  await s.page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Limbricht — Sittard-Geleen' });
  await s.page.getByLabel('Schuilnaam', { exact: true }).fill('Mevrouw Kessels');
  await s.page.getByLabel(/onderzoek naar sociale verbinding/).check();
  await s.page.getByLabel('Naam van de student die de toestemming heeft gezien', { exact: true }).fill('Sanne Hermans');
  const answers = s.page.locator('.question-card textarea');
  for (let i = 0; i < (await answers.count()); i++) await answers.nth(i).fill(i === 1 ? FIRST : `Antwoord ${i + 1}.`);
  await s.page.getByLabel('Titel van het verhaal', { exact: true }).fill('Koffie op dinsdag');
  await s.page.getByRole('button', { name: 'Indienen' }).click();
  await s.page.waitForURL(/\/verhalen\/[0-9a-f-]+$/);
  const storyUrl = s.page.url();

  // The lecturer's badge shows the story waiting.
  const l = await tablet(env.browser);
  await login(l.page, env.server.base, 'docent@zuyd.example');
  await hydrated(l.page);
  assert.equal(await badge(l.page), 1, 'lecturer: one notification');
  await l.page.getByRole('link', { name: /Meldingen/ }).click();
  await l.page.getByText('‘Koffie op dinsdag’ wacht op uw beoordeling').waitFor();
  await axe(l.page, 'meldingen');
  await l.page.getByRole('link', { name: /Koffie op dinsdag/ }).click();
  await l.page.waitForURL(storyUrl);
  await hydrated(l.page);
  // Changes requested about the second answer.
  const question2 = await l.page.locator('.answers dt').nth(1).innerText();
  await l.page.getByLabel('De opmerking gaat over').selectOption({ index: 2 });
  await l.page.getByLabel(/Opmerking voor de studenten/).fill('Welke dag precies? Op de markt zei ze donderdag.');
  await l.page.getByRole('button', { name: 'Om aanpassingen vragen' }).click();
  await l.page.getByText('Aanpassingen gevraagd', { exact: true }).first().waitFor();
  await l.page.getByRole('link', { name: 'Beoordelen' }).first().click();
  await l.page.waitForURL('**/beoordelen');
  assert.equal(await badge(l.page), 0, 'opening the story read its notification');

  // The student: a badge, the comment at that answer, one word changed.
  await s.page.goto(`${env.server.base}/verhalen`);
  await hydrated(s.page);
  assert.equal(await badge(s.page), 1, 'student: one notification');
  await s.page.goto(storyUrl);
  await hydrated(s.page);
  const dd = s.page.locator('.answers dd').nth(1);
  await dd.getByText('Welke dag precies?').waitFor();
  assert.ok((await s.page.locator('.answers dt').nth(1).innerText()).startsWith(question2.split('\n')[0]));
  await s.page.getByRole('link', { name: 'Bewerken' }).click();
  await s.page.waitForURL('**/bewerken');
  await hydrated(s.page);
  await s.page.locator('.question-card').nth(1).getByText('Welke dag precies?').waitFor();
  await s.page.locator('.question-card textarea').nth(1).fill(SECOND);
  await s.page.getByRole('button', { name: 'Opnieuw indienen' }).click();
  await s.page.waitForURL(storyUrl);
  await s.page.getByText('Ingediend', { exact: true }).first().waitFor();

  // The lecturer sees exactly the changed word and approves.
  await l.page.goto(`${env.server.base}/beoordelen`);
  await hydrated(l.page);
  assert.equal(await badge(l.page), 1);
  await l.page.goto(storyUrl);
  await hydrated(l.page);
  const diff = l.page.locator('.diff-panel');
  await diff.waitFor();
  assert.deepEqual(await diff.locator('del').allTextContents(), ['verwijderd: dinsdag']);
  assert.deepEqual(await diff.locator('ins').allTextContents(), ['toegevoegd: donderdag']);
  await axe(l.page, 'verhaal met wijzigingen');
  await l.page.getByRole('button', { name: 'Goedkeuren' }).click();
  await l.page.getByText('Goedgekeurd', { exact: true }).first().waitFor();

  await s.page.goto(`${env.server.base}/verhalen`);
  await hydrated(s.page);
  assert.equal(await badge(s.page), 1, 'student: approved');
  await s.page.getByRole('link', { name: /Meldingen/ }).click();
  await s.page.getByText('‘Koffie op dinsdag’ is goedgekeurd').waitFor();

  // The history shows both submissions; the first is kept as it was.
  await l.page.getByRole('link', { name: 'Geschiedenis: alle versies' }).click();
  await l.page.getByRole('heading', { name: 'Geschiedenis van het verhaal' }).waitFor();
  await axe(l.page, 'geschiedenis');
  const first = l.page.locator('.revision-list a', { hasText: 'ingediend' }).last();
  await first.click();
  await l.page.getByText(FIRST).waitFor();
});
