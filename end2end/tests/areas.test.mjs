// A real installation's first hour, in a real browser at tablet size: the
// server starts empty (no demo data), the first administrator comes from
// the command line, signs in and builds the organisation's structure — a
// municipality with its CBS code, its wijken read from a CBS list chosen
// as a file (a bad list first: every bad line named, nothing imported),
// one wijk archived. Each page is checked with axe.

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

  const { page } = await tablet(env.browser);
  await login(page, env.server.base, 'coordinator@werkplaats.example', START);
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
