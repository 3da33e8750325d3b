// The student's part with JavaScript disabled: every form is a plain HTML
// form that the server answers with a redirect, so a tablet whose browser
// fails to load the client can still record and hand in an interview.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

test('a student records and hands in an interview without JavaScript', async () => {
  const { context, page } = await tablet(env.browser, { javaScriptEnabled: false });
  await login(page, env.server.base, 'student@zuyd.example');
  await page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await page.getByRole('link', { name: 'Nieuw interview' }).click();
  await page.waitForURL('**/verhalen/nieuw');
  await axe(page, 'nieuw interview (zonder JS)');

  await page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Kollenberg — Sittard-Geleen' });
  await page.getByLabel('Schuilnaam', { exact: true }).fill('Tante Riet');
  await page.getByLabel(/onderzoek naar sociale verbinding/).check();
  await page.getByLabel('Naam van de student die de toestemming heeft gezien', { exact: true }).fill('Sanne Hermans');
  const answers = page.locator('.question-card textarea');
  await answers.nth(0).fill('Sinds 1972, via mijn werk bij de mijn.');

  // Handing in too early: the draft is stored, the problems are listed, no text is lost.
  await page.getByRole('button', { name: 'Indienen' }).click();
  await page.waitForURL(/\/bewerken\?indienen=1$/);
  await page.getByText('Nog niet ingediend').waitFor();
  await page.getByText('De titel is nog leeg.').waitFor();
  assert.equal(await answers.nth(0).inputValue(), 'Sinds 1972, via mijn werk bij de mijn.');
  assert.equal(await page.getByLabel('Schuilnaam', { exact: true }).inputValue(), 'Tante Riet');
  await axe(page, 'bewerken met fouten (zonder JS)');

  await answers.nth(1).fill('In de supermarkt en bij de kapper.');
  await answers.nth(2).fill('Mijn buurman bracht soep toen ik ziek was.');
  await page.getByLabel('Titel van het verhaal', { exact: true }).fill('Soep van de buurman');
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await page.waitForURL('**/bewerken');
  assert.equal(await page.getByLabel('Titel van het verhaal', { exact: true }).inputValue(), 'Soep van de buurman');

  await page.getByRole('button', { name: 'Indienen' }).click();
  await page.waitForURL(/\/verhalen\/[0-9a-f-]+$/);
  await page.getByText('Ingediend', { exact: true }).first().waitFor();
  await page.getByText('Mijn buurman bracht soep toen ik ziek was.').waitFor();
  await axe(page, 'verhaal (zonder JS)');
  await context.close();
});
