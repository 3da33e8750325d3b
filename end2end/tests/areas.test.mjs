// A real installation's first hour, in a real browser at tablet size: the
// server starts empty (no demo data), the first administrator comes from
// the command line, signs in, replaces the start password with their own
// and builds the organisation's structure — a
// municipality with its CBS code, its wijken read from a CBS list chosen
// as a file (a bad list first: every bad line named, nothing imported),
// one wijk archived. Then the werkplaats's years: a first edition with its
// consent text, the next year's made from it (the text comes along as
// version 1, a new version is written), the first one closed and, after
// the confirmation, published. Each page is checked with axe.

import { test, before, after } from 'node:test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, launch, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = { server: null, browser: null };
before(async () => {
  env.server = await startServer({ demo: false });
  env.browser = await launch();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const START = 'eerste-beheerder-2027';
const OWN = 'de mijnstreek heeft veel wijken';

function csvFile(name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'wv-cbs-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('a fresh installation: CLI admin, a municipality, its wijken from a CBS file, one archived', async () => {
  const out = env.server.cli(
    ['admin', 'create', '--email', 'coordinator@werkplaats.example', '--org', 'Werkplaats Westelijke Mijnstreek', '--name', 'Coby Coördinator', '--password-stdin'],
    `${START}\n`,
  );
  assert.match(out, /coordinator@werkplaats\.example/);

  // The start password was seen by whoever ran the command: the first
  // sign-in leads to choosing one's own, and nothing else is open before.
  const { page } = await tablet(env.browser);
  await login(page, env.server.base, 'coordinator@werkplaats.example', START);
  await page.waitForURL('**/account');
  await hydrated(page);
  await page.getByText('U bent ingelogd met een startwachtwoord').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Gemeenten en wijken' }).count(), 0);
  await axe(page, 'account (startwachtwoord)');
  await page.getByLabel('Huidig wachtwoord').fill(START);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('kort');
  await page.getByLabel('Nieuw wachtwoord nog eens').fill('kort');
  assert.equal(await page.locator('#wachtwoord-nieuw:invalid').count(), 1, 'too short for the form');
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(OWN);
  await page.getByLabel('Nieuw wachtwoord nog eens').fill(`${OWN}!`);
  await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await page.getByText('De twee nieuwe wachtwoorden zijn niet gelijk').waitFor();
  await page.getByLabel('Nieuw wachtwoord nog eens').fill(OWN);
  await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await page.getByText('Uw wachtwoord is gewijzigd').waitFor();
  await page.getByRole('link', { name: 'Gemeenten en wijken' }).first().click();
  await page.waitForURL('**/gebieden**');
  await hydrated(page);
  await page.locator('.lead', { hasText: 'Werkplaats Westelijke Mijnstreek' }).waitFor();

  // A wrong code first: the reason, and the typed name stays.
  await page.locator('#gemeente-naam').fill('Sittard-Geleen');
  await page.getByLabel('CBS-gemeentecode').fill('GM188');
  await page.getByRole('button', { name: 'Gemeente toevoegen' }).click();
  await page.getByText('geen geldige CBS-code').waitFor();
  assert.equal(await page.locator('#gemeente-naam').inputValue(), 'Sittard-Geleen');
  await page.getByLabel('CBS-gemeentecode').fill('GM1883');
  await page.getByRole('button', { name: 'Gemeente toevoegen' }).click();
  const card = page.locator('section.area-card', { has: page.getByRole('heading', { name: 'Sittard-Geleen (GM1883)' }) });
  await card.waitFor();
  await card.getByText('heeft nog geen wijken').waitFor();
  await axe(page, 'gebieden (leeg)');

  // A CBS list with bad lines: nothing imported, each line named.
  await card.getByLabel('CSV-bestand').setInputFiles(
    csvFile('fout.csv', 'WK_CODE;WK_NAAM;GM_CODE\nWK188301;Noord;GM1883\nWK18830;Kapot;GM1883\nWK188302;;GM1883\n'),
  );
  await card.getByLabel('Of plak de lijst').evaluate((el) => el.value.length > 0 || new Promise((r) => el.addEventListener('input', r, { once: true })));
  await card.getByRole('button', { name: 'Inlezen' }).click();
  await card.getByText('Er is niets ingelezen').waitFor();
  await card.getByText('Regel 3').waitFor();
  await card.getByText('Regel 4').waitFor();
  assert.match(await card.getByLabel('Of plak de lijst').inputValue(), /WK18830;Kapot/, 'the list stays in the box');
  await card.getByText('heeft nog geen wijken').waitFor();
  await axe(page, 'gebieden (foute lijst)');

  // The corrected file: three wijken, a Stein line passed over.
  await card.getByLabel('CSV-bestand').setInputFiles(
    csvFile(
      'wijken.csv',
      '\ufeffWK_CODE;WK_NAAM;GM_CODE\r\nWK188301;Noord;GM1883\r\nWK188302;"Midden; oud";GM1883\r\nWK188303;Zuid;GM1883\r\nWK097101;Elsloo;GM0971\r\n',
    ),
  );
  await page.waitForFunction(() => [...document.querySelectorAll('textarea')].some((t) => t.value.includes('WK188303')));
  await card.getByRole('button', { name: 'Inlezen' }).click();
  await card.getByText('De lijst is ingelezen.').waitFor();
  await card.getByText('3 nieuwe wijken').waitFor();
  for (const name of ['Noord', 'Midden; oud', 'Zuid']) {
    await card.getByRole('rowheader', { name, exact: true }).waitFor();
  }
  await axe(page, 'gebieden (ingelezen)');

  // Archive one wijk: marked, and listed after the others.
  const row = card.getByRole('row', { name: /Zuid/ });
  await row.locator('summary').click();
  await row.getByRole('button', { name: /^Archiveren/ }).click();
  await card.getByRole('row', { name: /Zuid/ }).getByText('gearchiveerd').waitFor();
  const names = await card.locator('tbody th').allTextContents();
  assert.match(names[names.length - 1], /^Zuid/);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
  assert.deepEqual(page.jsErrors, []);
});

test('editions: the first year, the next one made from it, closed and published', async () => {
  const { page } = await tablet(env.browser);
  await login(page, env.server.base, 'coordinator@werkplaats.example', OWN);
  await page.getByRole('link', { name: 'Edities' }).first().click();
  await page.waitForURL('**/edities**');
  await hydrated(page);
  await page.getByText('Dit wordt de eerste editie').waitFor();
  await page.getByText('Er is nog geen editie.').waitFor();
  await axe(page, 'edities (leeg)');

  await page.getByLabel('Jaar', { exact: true }).fill('2026');
  await page.getByRole('button', { name: 'Editie aanmaken' }).click();
  const first = page.locator('section#editie-2026');
  await first.getByRole('heading', { name: '2026 · Wijkverhalen 2026' }).waitFor();
  await first.getByText('Nog geen tekst').waitFor();
  await first.getByLabel('Tekst die de bewoner leest en tekent').fill('Ik geef toestemming. </textarea><b>vet</b>');
  await first.getByRole('button', { name: 'Nieuwe versie opslaan' }).click();
  await first.getByText('Opgeslagen als versie 1.').waitFor();
  await first.getByText('Bewoners zien nu versie 1').waitFor();
  assert.equal(await first.getByLabel('Tekst die de bewoner leest en tekent').inputValue(), 'Ik geef toestemming. </textarea><b>vet</b>');

  // The next year, from the first: the form proposes 2027. The same year
  // again is refused with the reason, and nothing is made.
  await page.getByText('Wordt gemaakt vanuit editie 2026').waitFor();
  assert.equal(await page.getByLabel('Jaar', { exact: true }).inputValue(), '2027');
  await page.getByLabel('Jaar', { exact: true }).fill('2026');
  await page.getByRole('button', { name: 'Editie aanmaken' }).click();
  await page.getByText('Er is al een editie 2026').waitFor();
  assert.equal(await page.locator('section[id^=editie-]').count(), 1);
  await axe(page, 'edities (fout jaar)');
  await page.getByLabel('Jaar', { exact: true }).fill('2027');
  await page.getByRole('button', { name: 'Editie aanmaken' }).click();
  await page.getByText('De toestemmingstekst is overgenomen als versie 1.').waitFor();
  const next = page.locator('section#editie-2027');
  await next.getByRole('heading', { name: '2027 · Wijkverhalen 2027' }).waitFor();
  await next.getByText('Bewoners zien nu versie 1').waitFor();
  await next.getByLabel('Tekst die de bewoner leest en tekent').fill('Ik geef toestemming voor 2027; intrekken kan altijd.');
  await next.getByRole('button', { name: 'Nieuwe versie opslaan' }).click();
  await next.getByText('Opgeslagen als versie 2.').waitFor();
  await axe(page, 'edities (twee jaren)');

  // Close 2026, then publish it: only after the confirmation.
  await first.getByRole('button', { name: 'Editie sluiten' }).click();
  await first.locator('.badge', { hasText: 'gesloten' }).waitFor();
  await first.getByRole('button', { name: 'Publiceren (daarna alleen lezen)' }).click();
  assert.equal(await first.locator('input[type=checkbox]:invalid').count(), 1, 'the confirmation is asked for');
  assert.equal(await first.locator('.badge').textContent(), 'gesloten', 'not published without the confirmation');
  await first.getByText('Ik weet dat de verhalen van deze editie').click();
  await first.getByRole('button', { name: 'Publiceren (daarna alleen lezen)' }).click();
  await first.locator('.badge', { hasText: 'gepubliceerd' }).waitFor();
  await first.locator('blockquote', { hasText: 'Ik geef toestemming. </textarea><b>vet</b>' }).waitFor();
  assert.equal(await first.getByRole('button').count(), 0, 'a published edition offers no changes');
  await axe(page, 'edities (gepubliceerd)');
  assert.deepEqual(page.jsErrors, []);
});
