// The story page hydrates on every load, for every reader. It once did not,
// now and then: the researcher's curation panel created its data resource
// while the page's own data was being rendered, so the server and the
// browser could number their resources differently (a race, seen as a
// rare "unreachable" panic in CI). One load proves nothing about a race;
// twenty in a row, for each kind of reader, would have caught it.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, hydrated, api, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });
const LOADS = Number(process.env.WV_HYDRATION_LOADS || 20);

/** A story handed in by the student and approved by the lecturer. */
async function approvedStory() {
  const s = await tablet(env.browser);
  const l = await tablet(env.browser);
  await login(s.page, env.server.base, 'student@zuyd.example');
  await login(l.page, env.server.base, 'docent@zuyd.example');
  const f = await api(s.page, 'story_new_form', {});
  const fields = {
    neighbourhood: f.groups[0].neighbourhoods[0].id,
    title: 'Koffie bij de buren',
    pseudonym: 'Mevrouw Hendriks',
    scopes: 'research,booklet,web',
    witness_name: 'Sanne Hermans',
  };
  for (const q of f.questions) fields[`answers.q${q.id}`] = 'Elke dinsdag drinken we koffie.';
  const done = await api(
    s.page,
    'story_autosave',
    { patch: { id: f.story_id, save_id: crypto.randomUUID(), base_version: 0, group: f.groups[0].id, fields, intent: 'submit' } },
    true,
  );
  assert.equal(done.status, 'submitted', JSON.stringify(done.problems));
  await api(l.page, 'story_review', { id: f.story_id, version: String(done.version), decision: 'approve' });
  await s.context.close();
  await l.context.close();
  return f.story_id;
}

// Made by the first test that needs it (after the server and browser are up).
let story;

async function loadsHydrate(email) {
  story ??= await approvedStory();
  const t = await tablet(env.browser);
  await login(t.page, env.server.base, email);
  const failures = [];
  for (let i = 0; i < LOADS; i++) {
    t.page.jsErrors.length = 0;
    await t.page.goto(`${env.server.base}/verhalen/${story}`);
    await hydrated(t.page).catch((e) => failures.push(`load ${i + 1}: ${e.message} ${JSON.stringify(t.page.jsErrors).slice(0, 400)}`));
  }
  const curating = await t.page.locator('#redactie-kop').count();
  await t.context.close();
  assert.deepEqual(failures, [], `${email}: the story page did not hydrate every time`);
  return curating;
}

test('the researcher’s story page, with its curation panels, hydrates on every load', async () => {
  assert.ok((await loadsHydrate('onderzoeker@zuyd.example')) > 0, 'the researcher sees the curation panels');
});

test('a student’s story page hydrates on every load', async () => {
  assert.equal(await loadsHydrate('student@zuyd.example'), 0, 'a student sees no curation panels');
});
