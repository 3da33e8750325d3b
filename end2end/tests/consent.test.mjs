// The resident signs the consent with a finger on the tablet: an empty box
// is refused, a drawn signature is stored with the scopes and the consent
// text version, and the story can then be handed in without a witness.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

async function drawSignature(page) {
  const box = await page.locator('canvas.signature-pad').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 30, y);
  await page.mouse.down();
  for (let i = 1; i <= 30; i++) {
    await page.mouse.move(box.x + 30 + i * (box.width - 60) / 30, y + Math.sin(i / 2) * box.height * 0.3);
  }
  await page.mouse.up();
}

test('the resident signs on the tablet and the story can be handed in', async () => {
  const { page } = await tablet(env.browser);
  await login(page, env.server.base, 'student@zuyd.example');
  await page.goto(`${env.server.base}/verhalen/nieuw`);
  await hydrated(page);
  await page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Limbricht — Sittard-Geleen' });
  await page.getByLabel('Schuilnaam', { exact: true }).fill('Mevrouw Peters');
  await page.getByLabel(/onderzoek naar sociale verbinding/).check();
  await page.getByLabel(/boekje van de gemeente/).check();
  const answers = page.locator('.question-card textarea');
  for (let i = 0; i < (await answers.count()); i++) await answers.nth(i).fill(`We koken elke vrijdag samen (${i + 1}).`);
  await page.getByLabel('Titel van het verhaal', { exact: true }).fill('Samen koken');
  await page.getByLabel('Titel van het verhaal', { exact: true }).blur();
  await page.locator('.save-state[data-state="saved"]').waitFor({ timeout: 20000 });

  // An empty box is not a signature.
  await page.getByRole('button', { name: 'Handtekening bevestigen' }).click();
  await page.locator('.signature-error').getByText('De handtekening is leeg').waitFor();
  await axe(page, 'toestemming tekenen');

  await drawSignature(page);
  await page.getByRole('button', { name: 'Handtekening bevestigen' }).click();
  await page.getByText(/Getekend op .* toestemmingstekst versie 1/).waitFor();
  const img = page.getByRole('img', { name: 'Handtekening van de bewoner' });
  await img.waitFor();
  await page.waitForFunction(() => document.querySelector('.signature-done img')?.naturalWidth > 0);
  assert.equal(await page.getByLabel('Naam van de student die de toestemming heeft gezien', { exact: true }).inputValue(), '');

  // Handing in works without a witness: the signature confirms the consent.
  await page.getByRole('button', { name: 'Indienen' }).click();
  await page.waitForURL(/\/verhalen\/[0-9a-f-]+$/);
  await page.getByText('Ingediend', { exact: true }).first().waitFor();
  await page.getByText(/Toestemmingstekst versie 1/).waitFor();
  assert.deepEqual(page.jsErrors, []);
});
