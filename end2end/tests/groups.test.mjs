// Group administration in a real browser at tablet size (820×1180): an
// administrator creates a group, ticks a neighbourhood and pastes a list of
// people; a new student gets a start password (shown once), a bad line
// comes back into the box with its reason. The new student signs in with
// that password, chooses her own, and can start an interview in exactly
// that neighbourhood.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

test('an administrator sets up a group and its new student can start', async () => {
  const a = await tablet(env.browser);
  await login(a.page, env.server.base, 'beheer@zuyd.example');
  await a.page.getByRole('link', { name: 'Groepen' }).first().click();
  await a.page.waitForURL('**/groepen**');
  await hydrated(a.page);
  await a.page.getByRole('heading', { name: 'Groep Sittard-Geleen' }).waitFor();

  await a.page.getByLabel('Naam van de groep').fill('Groep Munstergeleen');
  await a.page.getByRole('button', { name: 'Groep aanmaken' }).click();
  const card = a.page.locator('section.group-card', {
    has: a.page.getByRole('heading', { name: 'Groep Munstergeleen' }),
  });
  await card.waitFor();
  // A fresh group says what it still lacks.
  await card.getByText('heeft nog geen docent').waitFor();
  await card.getByText('heeft nog geen wijk').waitFor();

  await card.getByRole('checkbox', { name: 'Limbricht' }).check();
  await card.getByText('heeft nog geen wijk').waitFor({ state: 'detached' });

  await card.getByLabel('Mensen toevoegen').fill('Nina Nieuw <nina@student.zuyd.example>\nkapot adres\n');
  await card.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  const password = (await card.locator('.start-passwords code').first().textContent()).trim();
  assert.match(password, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await card.getByText('Regel 2: kapot adres').waitFor();
  assert.equal(await card.getByLabel('Mensen toevoegen').inputValue(), 'kapot adres', 'the bad line is back in the box');
  await card.locator('.member-name', { hasText: 'Nina Nieuw' }).waitFor();

  // Add the lecturer as well: the warning goes.
  await card.getByLabel('Mensen toevoegen').fill('docent@zuyd.example');
  await card.getByRole('radio', { name: 'Docent' }).check();
  await card.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await card.getByText('heeft nog geen docent').waitFor({ state: 'detached' });
  await card.locator('.member-name', { hasText: 'Lotte Vranken' }).waitFor();

  const overflow = await a.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
  await axe(a.page, 'groepen');
  assert.deepEqual(a.page.jsErrors, []);

  // --- The new student signs in with the start password -------------------
  const s = await tablet(env.browser);
  await login(s.page, env.server.base, 'nina@student.zuyd.example', password);
  // A start password someone else saw: her own comes first.
  await s.page.waitForURL('**/account');
  await hydrated(s.page);
  await s.page.getByLabel('Huidig wachtwoord').fill(password);
  await s.page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('mijn eigen wachtwoord voor zuyd');
  await s.page.getByLabel('Nieuw wachtwoord nog eens').fill('mijn eigen wachtwoord voor zuyd');
  await s.page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await s.page.getByText('Uw wachtwoord is gewijzigd').waitFor();
  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await s.page.getByRole('link', { name: 'Nieuw interview' }).click();
  await hydrated(s.page);
  const options = await s.page.locator('#veld-wijk option:not([disabled])').allTextContents();
  assert.deepEqual(options, ['Limbricht — Sittard-Geleen']);
  await a.context.close();
  await s.context.close();
});
