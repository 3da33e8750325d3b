// The whole journey in a real browser at tablet size (820×1180), with four
// real sign-ins: a student writes and hands in two interviews, the lecturer
// asks for changes on one, the student revises and resubmits, the lecturer
// approves it, the researcher puts it in the Sittard-Geleen booklet, builds
// and publishes the PDF, and municipality staff download it. axe-core checks
// every page on the way.

import { test, before, after } from 'node:test';
import { join } from 'node:path';
import { useServerAndBrowser, tablet, login, axe, hydrated, pdfText, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

const APPROVED_MARK = 'Het buurthuis De Baandert is mijn tweede huiskamer';
const UNAPPROVED_MARK = 'Deze-tekst-is-nooit-goedgekeurd';

async function writeInterview(page, { title, neighbourhood, pseudonym, answer }) {
  await page.getByRole('link', { name: 'Nieuw interview' }).click();
  await page.waitForURL('**/verhalen/nieuw');
  await page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: neighbourhood });
  await page.getByLabel('Schuilnaam', { exact: true }).fill(pseudonym);
  await page.getByLabel('Leeftijdsgroep', { exact: true }).selectOption('65-79');
  await page.getByLabel('Jaren in de wijk', { exact: true }).fill('41');
  for (const scope of ['onderzoek naar sociale verbinding', 'boekje van de gemeente', 'website van het project']) {
    await page.getByLabel(new RegExp(scope)).check();
  }
  await page.getByLabel('Naam van de student die de toestemming heeft gezien', { exact: true }).fill('Sanne Hermans');
  const answers = page.locator('.question-card textarea');
  const n = await answers.count();
  assert.equal(n, 6, 'one card per guide question');
  for (let i = 0; i < n; i++) {
    await answers.nth(i).fill(`${answer} (vraag ${i + 1}).`);
  }
  await page.getByLabel('Titel van het verhaal', { exact: true }).fill(title);
}

test('student, lecturer, researcher and municipality complete the journey', async () => {
  // --- Student: two interviews --------------------------------------------
  const s = await tablet(env.browser);
  await s.page.goto(`${env.server.base}/`);
  await s.page.waitForURL('**/inloggen**');
  await axe(s.page, 'inloggen');
  await login(s.page, env.server.base, 'student@zuyd.example');
  await hydrated(s.page);
  await axe(s.page, 'start (student)');
  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await s.page.waitForURL('**/verhalen');
  await axe(s.page, 'mijn verhalen (leeg)');

  await writeInterview(s.page, {
    title: 'Koffie in De Baandert',
    neighbourhood: 'Limbricht — Sittard-Geleen',
    pseudonym: 'Mevrouw Kessels',
    answer: 'Ik woon hier al mijn hele leven',
  });
  await axe(s.page, 'nieuw interview (ingevuld)');
  await s.page.getByRole('button', { name: 'Concept opslaan' }).click();
  await s.page.waitForURL('**/bewerken');
  const storyUrl = s.page.url().replace(/\/bewerken$/, '');
  assert.equal(await s.page.getByLabel('Schuilnaam', { exact: true }).inputValue(), 'Mevrouw Kessels', 'draft kept after save');
  await axe(s.page, 'interview bewerken');
  await s.page.getByRole('button', { name: 'Indienen' }).click();
  await s.page.waitForURL(storyUrl);
  await s.page.getByText('Ingediend', { exact: true }).first().waitFor();
  await axe(s.page, 'verhaal (ingediend)');

  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await writeInterview(s.page, {
    title: 'Het bankje bij de kerk',
    neighbourhood: 'Ophoven — Sittard-Geleen',
    pseudonym: 'Meneer Dassen',
    answer: UNAPPROVED_MARK,
  });
  // A title that is too long: a clear Dutch message, nothing typed is lost.
  const longTitle = 'Het bankje bij de kerk, waar iedereen elkaar ziet '.repeat(3);
  await s.page.getByLabel('Titel van het verhaal', { exact: true }).fill(longTitle);
  await s.page.getByRole('button', { name: 'Indienen' }).click();
  await s.page.getByText('Nog niet ingediend: los eerst de punten hieronder op.').first().waitFor();
  await s.page.getByText(/De titel is te lang: \d+ tekens, maximaal 120/).first().waitFor();
  assert.equal((await s.page.getByLabel('Titel van het verhaal', { exact: true }).inputValue()).trim(), longTitle.trim());
  assert.equal(await s.page.getByLabel('Schuilnaam', { exact: true }).inputValue(), 'Meneer Dassen');
  await axe(s.page, 'bewerken met fout');
  await s.page.getByLabel('Titel van het verhaal', { exact: true }).fill('Het bankje bij de kerk');
  // A double-clicked submit hands in one story, once.
  await s.page.getByRole('button', { name: 'Indienen' }).dblclick();
  await s.page.waitForURL(/\/verhalen\/[0-9a-f-]+$/);
  await s.page.getByText('Ingediend', { exact: true }).first().waitFor();
  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await s.page.waitForURL('**/verhalen');
  // The list loads after the navigation: wait for it before counting.
  await s.page.locator('.story-card').first().waitFor();
  await s.page.getByText('Het bankje bij de kerk').first().waitFor();
  assert.equal(await s.page.locator('.story-card').count(), 2, 'two interviews, no duplicates');
  await axe(s.page, 'mijn verhalen');

  // --- Lecturer: ask for changes on the first ------------------------------
  const l = await tablet(env.browser);
  await login(l.page, env.server.base, 'docent@zuyd.example');
  await l.page.getByRole('link', { name: 'Beoordelen' }).first().click();
  await l.page.getByText('2 verhalen wachten op beoordeling.').waitFor();
  await axe(l.page, 'beoordelen');
  await l.page.getByRole('link', { name: /Koffie in De Baandert/ }).click();
  await l.page.waitForURL(storyUrl);
  await hydrated(l.page);
  await axe(l.page, 'verhaal (docent)');
  await l.page.getByRole('button', { name: 'Om aanpassingen vragen' }).click();
  await l.page.getByRole('alert').filter({ hasText: 'Schrijf erbij' }).waitFor();
  await l.page.getByLabel(/Opmerking voor de studenten/).fill('Vertel meer over wat het buurthuis voor u betekent.');
  await l.page.getByRole('button', { name: 'Om aanpassingen vragen' }).click();
  await l.page.getByText('Aanpassingen gevraagd', { exact: true }).first().waitFor();

  // --- Student: sees the comment, revises, resubmits -----------------------
  await s.page.goto(storyUrl);
  await s.page.getByText('Aanpassingen gevraagd', { exact: true }).first().waitFor();
  await s.page.getByText('Vertel meer over wat het buurthuis voor u betekent.').first().waitFor();
  await s.page.getByRole('link', { name: 'Bewerken' }).click();
  await s.page.waitForURL('**/bewerken');
  await hydrated(s.page);
  await s.page.getByText('Vertel meer over wat het buurthuis voor u betekent.').first().waitFor();
  const first = s.page.locator('.question-card textarea').first();
  await first.fill(`${APPROVED_MARK}: daar drink ik elke dinsdag koffie met de buren.`);
  await s.page.getByRole('button', { name: 'Opnieuw indienen' }).click();
  await s.page.waitForURL(storyUrl);
  await s.page.getByText('Ingediend', { exact: true }).first().waitFor();

  // --- Lecturer: approves ----------------------------------------------------
  await l.page.goto(storyUrl);
  await hydrated(l.page);
  await l.page.getByRole('button', { name: 'Goedkeuren' }).click();
  await l.page.getByText('Goedgekeurd', { exact: true }).first().waitFor();

  // --- Researcher: select, build, publish ------------------------------------
  const r = await tablet(env.browser);
  await login(r.page, env.server.base, 'onderzoeker@zuyd.example');
  await r.page.getByRole('link', { name: 'Boekje samenstellen' }).first().click();
  await r.page.waitForURL('**/samenstellen**');
  await hydrated(r.page);
  await axe(r.page, 'samenstellen');
  await r.page.getByRole('button', { name: 'In het boekje: Koffie in De Baandert' }).click();
  await r.page.getByRole('button', { name: 'Uit het boekje halen: Koffie in De Baandert' }).waitFor();
  await r.page.getByRole('button', { name: 'Boekje bouwen (PDF)' }).click();
  await r.page.getByRole('button', { name: 'Publiceren voor de gemeente' }).waitFor({ timeout: 60000 });
  await axe(r.page, 'samenstellen (gebouwd)');
  await r.page.getByRole('button', { name: 'Publiceren voor de gemeente' }).click();
  await r.page.locator('.build-row .badge-published').waitFor();

  // --- Municipality: download ------------------------------------------------
  const m = await tablet(env.browser);
  await login(m.page, env.server.base, 'gemeente@sittard-geleen.example');
  await m.page.getByRole('link', { name: 'Boekjes' }).first().click();
  await m.page.waitForURL('**/boekjes');
  await axe(m.page, 'boekjes');
  const [download] = await Promise.all([
    m.page.waitForEvent('download'),
    m.page.getByRole('link', { name: /Download het boekje/ }).click(),
  ]);
  const file = join(env.server.dataDir, 'boekje.pdf');
  await download.saveAs(file);
  const text = pdfText(file).replace(/\s+/g, ' ');
  assert.ok(text.includes('Het buurthuis De Baandert is mijn tweede huiskamer'), 'approved story in the PDF');
  assert.ok(!text.includes(UNAPPROVED_MARK), 'unapproved story not in the PDF');
  assert.ok(text.includes('Mevrouw Kessels'), 'resident pseudonym in the PDF');

  // --- Municipality: read the story online in the portal -----------------------
  await m.page.getByRole('link', { name: 'Verhalen lezen' }).first().click();
  await m.page.waitForURL('**/portaal');
  await m.page.getByRole('link', { name: /Sittard-Geleen 2026/ }).click();
  await m.page.waitForURL('**/portaal/*/2026');
  await m.page.getByRole('heading', { level: 1, name: 'Wijkverhalen Sittard-Geleen 2026' }).waitFor();
  await axe(m.page, 'portaal (boekje)');
  await m.page.getByRole('link', { name: /Koffie in De Baandert/ }).click();
  await m.page.getByRole('heading', { level: 1, name: 'Koffie in De Baandert' }).waitFor();
  await m.page.getByText('Het buurthuis De Baandert is mijn tweede huiskamer').waitFor();
  await axe(m.page, 'portaal (verhaal)');
  // Not public yet: a visitor without an account is told it does not exist.
  const v = await tablet(env.browser);
  await v.page.goto(m.page.url());
  await v.page.getByText('bestaat niet of is (nog) niet voor u gepubliceerd').waitFor();
  await v.context.close();

  for (const p of [s, l, r, m]) {
    assert.deepEqual(p.page.jsErrors, [], 'no JavaScript errors');
    await p.context.close();
  }
});
