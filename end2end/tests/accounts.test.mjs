// Accounts in a real browser at tablet size: the administrator finds a
// student on "Gebruikers", deactivates her (the tablet she is signed in on
// is sent to the sign-in page at its next step), activates her again and
// gives her a new start password (shown once); the student signs in with
// it, must choose her own first, then carries on. The last administrator
// cannot step down. Each page is checked with axe.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

test('an administrator deactivates, reactivates and resets a student; the student chooses her own password', async () => {
  const s = await tablet(env.browser);
  await login(s.page, env.server.base, 'student@zuyd.example');
  const a = await tablet(env.browser);
  await login(a.page, env.server.base, 'beheer@zuyd.example');
  await a.page.getByRole('link', { name: 'Gebruikers' }).first().click();
  await a.page.waitForURL('**/gebruikers**');
  await hydrated(a.page);
  await axe(a.page, 'gebruikers');

  // The search is a plain GET form: the address holds the query.
  await a.page.getByLabel('Zoek op naam of e-mailadres').fill('hermans');
  await a.page.getByRole('button', { name: 'Zoeken' }).click();
  await a.page.waitForURL(/q=hermans/);
  await a.page.getByText('1 account gevonden').waitFor();
  const row = a.page.locator('li.account', { has: a.page.getByRole('heading', { name: 'Sanne Hermans' }) });
  await row.waitFor();

  await row.getByRole('button', { name: 'Deactiveren' }).click();
  await row.getByText('gedeactiveerd').waitFor();
  // Her tablet: the next step leads to the sign-in page.
  await s.page.goto(`${env.server.base}/verhalen`);
  await s.page.waitForURL('**/inloggen**');

  await row.getByRole('button', { name: 'Weer activeren' }).click();
  await row.getByText('gedeactiveerd').waitFor({ state: 'detached' });
  await row.getByRole('button', { name: 'Nieuw startwachtwoord' }).click();
  const start = (await row.locator('code.start-password').textContent()).trim();
  assert.match(start, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await row.getByText('startwachtwoord', { exact: true }).waitFor();
  await axe(a.page, 'gebruikers (startwachtwoord)');

  // The last administrator cannot step down.
  await a.page.goto(`${env.server.base}/gebruikers?q=beheer`);
  await hydrated(a.page);
  const self = a.page.locator('li.account', { has: a.page.getByRole('heading', { name: 'Anouk Janssen' }) });
  await self.getByRole('button', { name: /Rol intrekken: Beheerder/ }).click();
  await self.getByText('laatste beheerder').waitFor();

  // The student signs in with the start password and chooses her own.
  await login(s.page, env.server.base, 'student@zuyd.example', start);
  await s.page.waitForURL('**/account');
  await hydrated(s.page);
  await s.page.getByText('U bent ingelogd met een startwachtwoord').waitFor();
  await s.page.getByLabel('Huidig wachtwoord').fill(start);
  await s.page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('buurthuis op de markt');
  await s.page.getByLabel('Nieuw wachtwoord nog eens').fill('buurthuis op de markt');
  await s.page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await s.page.getByText('Uw wachtwoord is gewijzigd').waitFor();
  await axe(s.page, 'account (gewijzigd)');
  await s.page.getByRole('link', { name: 'Mijn verhalen' }).first().click();
  await s.page.waitForURL('**/verhalen');
  for (const p of [a.page, s.page]) assert.deepEqual(p.jsErrors, []);
  await a.context.close();
  await s.context.close();
});

test('a forgotten password: a link by mail, used once', async () => {
  const v = await tablet(env.browser);
  await v.page.goto(`${env.server.base}/inloggen`);
  await hydrated(v.page);
  await v.page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
  await v.page.waitForURL('**/wachtwoord-vergeten');
  await axe(v.page, 'wachtwoord vergeten');
  await v.page.getByLabel('E-mailadres').fill('docent@zuyd.example');
  await v.page.getByRole('button', { name: 'Stuur mij een link' }).click();
  await v.page.getByText('Als dit adres bij Wijkverhalen bekend is').waitFor();

  // The mail leaves in the background: wait for the file, not for a time.
  let mail;
  for (let i = 0; i < 100 && !mail; i++) {
    mail = env.server.mails().find((m) => m.includes('sleutel'));
    if (!mail) await v.page.waitForTimeout(100); // polling a file the server writes
  }
  assert.ok(mail, 'a reset mail');
  const text = mail.replace(/=\r?\n/g, '');
  const secret = /sleutel=(?:3D)?([0-9a-f]{64})/.exec(text)[1];
  const link = `${env.server.base}/wachtwoord-herstellen?sleutel=${secret}`;
  await v.page.goto(link);
  await hydrated(v.page);
  await v.page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('de docent kiest een zin');
  await v.page.getByLabel('Nieuw wachtwoord nog eens').fill('de docent kiest een zin');
  await v.page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await v.page.getByText('Uw nieuwe wachtwoord is opgeslagen').waitFor();
  await axe(v.page, 'wachtwoord hersteld');
  // The same link again: expired or used, with a way to ask for a new one.
  await v.page.goto(link);
  await v.page.getByText('Deze link is verlopen of al gebruikt.').waitFor();
  await v.page.getByRole('link', { name: 'Vraag een nieuwe link aan' }).waitFor();
  await login(v.page, env.server.base, 'docent@zuyd.example', 'de docent kiest een zin');
  await v.page.getByRole('link', { name: 'Beoordelen' }).first().waitFor();
  assert.deepEqual(v.page.jsErrors, []);
  await v.context.close();
});
