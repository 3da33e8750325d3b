// The booklet's files in a real browser at tablet size: a student enters the
// resident's real first name (with consent to print it), the researcher
// builds the booklet and watches it being made, looks at the page previews
// (the first pages and one chosen by number), publishes, and municipality
// staff download the print edition and a chapter. axe-core checks the pages.

import { test, before, after } from 'node:test';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { useServerAndBrowser, tablet, login, axe, hydrated, pdfText, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

test('first name, build progress, previews and every file of the booklet', async () => {
  // --- Student: an interview whose resident may be named ---------------------
  const s = await tablet(env.browser);
  await login(s.page, env.server.base, 'student@zuyd.example');
  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await s.page.getByRole('link', { name: 'Nieuw interview' }).click();
  await s.page.waitForURL('**/verhalen/nieuw');
  await hydrated(s.page);
  await s.page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Limbricht — Sittard-Geleen' });
  await s.page.getByLabel('Schuilnaam', { exact: true }).fill('Mevrouw Kessels');
  await s.page.getByLabel(/Echte voornaam/).fill('Annelies');
  for (const scope of ['onderzoek naar sociale verbinding', 'boekje van de gemeente', 'echte voornaam mag genoemd']) {
    await s.page.getByLabel(new RegExp(scope)).check();
  }
  await s.page.getByLabel('Naam van de student die de toestemming heeft gezien', { exact: true }).fill('Sanne Hermans');
  const answers = s.page.locator('.question-card textarea');
  for (let i = 0; i < (await answers.count()); i++) {
    await answers.nth(i).fill(`Over de markt in Limbricht, antwoord ${i + 1}.`);
  }
  await s.page.getByLabel('Titel van het verhaal', { exact: true }).fill('De markt op zaterdag');
  await axe(s.page, 'nieuw interview met voornaam');
  await s.page.getByRole('button', { name: 'Concept opslaan' }).click();
  await s.page.waitForURL('**/bewerken');
  assert.equal(await s.page.getByLabel(/Echte voornaam/).inputValue(), 'Annelies', 'first name kept after save');
  const storyUrl = s.page.url().replace(/\/bewerken$/, '');
  await s.page.getByRole('button', { name: 'Indienen' }).click();
  await s.page.waitForURL(storyUrl);

  // --- Lecturer: approves -----------------------------------------------------
  const l = await tablet(env.browser);
  await login(l.page, env.server.base, 'docent@zuyd.example');
  await l.page.goto(storyUrl);
  await hydrated(l.page);
  assert.ok(!(await l.page.content()).includes('Annelies'), 'the lecturer does not see the real first name');
  await l.page.getByRole('button', { name: 'Goedkeuren' }).click();
  await l.page.getByText('Goedgekeurd', { exact: true }).first().waitFor();

  // --- Researcher: build, watch, preview, publish -----------------------------
  const r = await tablet(env.browser);
  await login(r.page, env.server.base, 'onderzoeker@zuyd.example');
  await r.page.goto(`${env.server.base}/samenstellen`);
  await hydrated(r.page);
  await r.page.getByRole('button', { name: 'In het boekje: De markt op zaterdag' }).click();
  await r.page.getByRole('button', { name: 'Uit het boekje halen: De markt op zaterdag' }).waitFor();
  // Record every state the build row shows while the page polls.
  await r.page.evaluate(() => {
    window.__seen = new Set();
    const note = () => {
      for (const el of document.querySelectorAll('.build-status')) window.__seen.add(el.textContent.trim());
      if (document.querySelector('.build-progress')) window.__seen.add('<progress>');
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await r.page.getByRole('button', { name: 'Boekje bouwen (PDF)' }).click();
  await r.page.getByRole('button', { name: 'Publiceren voor de gemeente' }).waitFor({ timeout: 60000 });
  const seen = await r.page.evaluate(() => [...window.__seen]);
  assert.ok(
    seen.some((t) => t.startsWith('In de wachtrij') || t.startsWith('Bezig:')),
    `the build was shown while it was made: ${JSON.stringify(seen)}`,
  );
  assert.ok(seen.includes('Klaar'), JSON.stringify(seen));

  // The first pages as small images, each loaded; any page by its number.
  const strip = r.page.locator('.preview-strip img');
  assert.equal(await strip.count(), 4, 'first four pages');
  await r.page.waitForFunction(() =>
    [...document.querySelectorAll('.preview-strip img')].every((i) => i.complete && i.naturalWidth > 100),
  );
  assert.equal(await strip.first().getAttribute('alt'), 'Pagina 1');
  const pick = r.page.getByLabel(/Bekijk pagina/);
  await pick.fill('5');
  const chosen = r.page.locator('img.preview-page');
  await r.page.waitForFunction(() => {
    const img = document.querySelector('img.preview-page');
    return img && img.src.endsWith('/pagina-5.png') && img.complete && img.naturalWidth > 100;
  });
  assert.equal(await chosen.getAttribute('alt'), 'Pagina 5');
  await axe(r.page, 'samenstellen met voorbeelden');
  await r.page.getByRole('button', { name: 'Publiceren voor de gemeente' }).click();
  await r.page.locator('.build-row .badge-published').waitFor();

  // --- Municipality: the print edition and a chapter --------------------------
  const m = await tablet(env.browser);
  await login(m.page, env.server.base, 'gemeente@sittard-geleen.example');
  await m.page.getByRole('link', { name: 'Boekjes' }).first().click();
  await m.page.waitForURL('**/boekjes');
  await m.page.getByText('Andere bestanden: drukversie en hoofdstukken').click();
  await axe(m.page, 'boekjes met alle bestanden');
  const save = async (name, file) => {
    const [download] = await Promise.all([m.page.waitForEvent('download'), m.page.getByRole('link', { name }).click()]);
    const path = join(env.server.dataDir, file);
    await download.saveAs(path);
    return path;
  };
  const print = await save('Drukversie (A5, 3 mm afloop)', 'druk.pdf');
  const info = execFileSync('pdfinfo', [print], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+436\.535 x 612\.283 pts/, 'A5 plus 3 mm bleed on every side');
  const chapter = await save('Hoofdstuk 1: Limbricht', 'hoofdstuk.pdf');
  const text = pdfText(chapter).replace(/\s+/g, ' ');
  assert.ok(text.includes('De markt op zaterdag'), 'the story is in its chapter');
  assert.ok(text.includes('Annelies'), 'the first name is printed, with consent');
  assert.ok(!text.includes('Mevrouw Kessels'), 'instead of the pseudonym');

  for (const p of [s, l, r, m]) {
    assert.deepEqual(p.page.jsErrors, [], 'no JavaScript errors');
    await p.context.close();
  }
});
