// The interview guide editor in a real browser at tablet size (820×1180):
// a researcher adds a question, moves it up, makes it required and archives
// another; a student's "Nieuw interview" then asks the new question (with
// "Vraag x van N") and not the archived one. The same editor works without
// JavaScript. axe-core checks the editor.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

const NEW_QUESTION = 'Welke plek in de buurt zou u missen als hij verdween?';
const NEW_HELP = 'Vraag naar een concrete plek: een bank, een winkel, een boom.';
const ARCHIVED = 'Voelt u zich thuis in de wijk? Wanneer wel, en wanneer niet?';

/** The question text field of the card at 1-based position `n`. */
const questionField = (page, n) => page.getByLabel(`Vraag ${n}`, { exact: true });

async function waitForValue(locator, value) {
  for (let i = 0; i < 100; i++) {
    if ((await locator.inputValue().catch(() => null)) === value) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await locator.inputValue(), value);
}

test('a researcher edits the guide and the student form follows it', async () => {
  const r = await tablet(env.browser);
  await login(r.page, env.server.base, 'onderzoeker@zuyd.example');
  await r.page.getByRole('link', { name: 'Vragenlijst' }).first().click();
  await r.page.waitForURL('**/vragenlijst**');
  await hydrated(r.page);
  await r.page.getByRole('heading', { name: 'Vraag 6 van 6' }).waitFor();
  await axe(r.page, 'vragenlijst');

  // Add a question: it comes last, as question 7.
  await r.page.getByLabel('Nieuwe vraag', { exact: true }).fill(NEW_QUESTION);
  await r.page.locator('#nieuwe-hulp').fill(NEW_HELP);
  await r.page.getByRole('button', { name: 'Vraag toevoegen' }).click();
  await r.page.getByRole('heading', { name: 'Vraag 7 van 7' }).waitFor();
  await waitForValue(questionField(r.page, 7), NEW_QUESTION);
  assert.equal(await r.page.getByLabel('Nieuwe vraag', { exact: true }).inputValue(), '', 'the add form is empty again');

  // Move it up with the keyboard: it becomes question 6, focus stays on the button.
  await r.page.getByRole('button', { name: 'Omhoog: vraag 7' }).focus();
  await r.page.keyboard.press('Enter');
  await waitForValue(questionField(r.page, 6), NEW_QUESTION);
  await r.page.waitForFunction(() => document.activeElement?.id?.startsWith('omhoog-'));
  assert.equal(await r.page.getByRole('button', { name: 'Omhoog: vraag 6' }).evaluate((b) => b === document.activeElement), true);

  // Text typed into another question survives the move of this one.
  await questionField(r.page, 2).fill('Nog niet opgeslagen tekst');
  await r.page.getByRole('button', { name: 'Omlaag: vraag 6' }).click();
  await waitForValue(questionField(r.page, 7), NEW_QUESTION);
  assert.equal(await questionField(r.page, 2).inputValue(), 'Nog niet opgeslagen tekst', 'draft kept');
  await r.page.getByRole('button', { name: 'Omhoog: vraag 7' }).click();
  await waitForValue(questionField(r.page, 6), NEW_QUESTION);
  const q2 = await r.page.reload().then(() => hydrated(r.page)).then(() => questionField(r.page, 2).inputValue());
  assert.notEqual(q2, 'Nog niet opgeslagen tekst', 'a draft is not saved by itself');

  // Make it required and save.
  const card6 = r.page.locator('.guide-card').nth(5);
  await card6.getByRole('checkbox', { name: /Verplicht.*\(vraag 6\)/ }).check();
  await card6.getByRole('button', { name: 'Opslaan: vraag 6' }).click();
  await card6.getByText('Opgeslagen', { exact: true }).waitFor();

  // Archive question 4: it moves to the archived list.
  await waitForValue(questionField(r.page, 4), ARCHIVED);
  await r.page.getByRole('button', { name: 'Archiveren: vraag 4' }).click();
  await r.page.getByRole('heading', { name: 'Gearchiveerde vragen (1)' }).waitFor();
  await r.page.getByRole('heading', { name: 'Vraag 6 van 6' }).waitFor();
  await waitForValue(questionField(r.page, 5), NEW_QUESTION);
  await r.page.getByRole('button', { name: /^Terugzetten: / }).waitFor();
  await axe(r.page, 'vragenlijst (bewerkt)');

  // --- The student's new interview follows the guide -----------------------
  const s = await tablet(env.browser);
  await login(s.page, env.server.base, 'student@zuyd.example');
  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await s.page.getByRole('link', { name: 'Nieuw interview' }).click();
  await s.page.waitForURL('**/verhalen/nieuw');
  await hydrated(s.page);
  const cards = s.page.locator('.question-card');
  assert.equal(await cards.count(), 6, 'six active questions');
  const card = cards.filter({ hasText: NEW_QUESTION });
  assert.equal(await card.count(), 1);
  assert.equal((await card.locator('.progress').innerText()).toLowerCase(), 'vraag 5 van 6');
  await card.getByText('(verplicht)').waitFor();
  await card.getByText(NEW_HELP).waitFor();
  assert.equal(await s.page.getByText(ARCHIVED).count(), 0, 'the archived question is not asked');

  for (const p of [r, s]) {
    assert.deepEqual(p.page.jsErrors, [], 'no JavaScript errors');
    await p.context.close();
  }
});

test('the guide editor works without JavaScript', async () => {
  const { context, page } = await tablet(env.browser, { javaScriptEnabled: false });
  await login(page, env.server.base, 'beheer@zuyd.example');
  await page.getByRole('link', { name: 'Vragenlijst' }).first().click();
  await page.waitForURL('**/vragenlijst**');
  await axe(page, 'vragenlijst (zonder JS)');
  const first = await questionField(page, 1).inputValue();
  const second = await questionField(page, 2).inputValue();

  await page.getByRole('button', { name: 'Omlaag: vraag 1' }).click();
  await page.waitForURL(/#vraag-/);
  assert.equal(await questionField(page, 1).inputValue(), second);
  assert.equal(await questionField(page, 2).inputValue(), first);

  // An empty question is refused; the typed help text stays.
  await questionField(page, 1).fill('');
  await page.getByLabel('Toelichting voor de interviewer (optioneel) bij vraag 1', { exact: true }).fill('Mijn toelichting');
  await page.getByRole('button', { name: 'Opslaan: vraag 1' }).click();
  await page.getByText('De vraag is nog leeg.').first().waitFor();
  assert.equal(await page.getByLabel('Toelichting voor de interviewer (optioneel) bij vraag 1', { exact: true }).inputValue(), 'Mijn toelichting');
  await axe(page, 'vragenlijst met fout (zonder JS)');
  await context.close();
});
