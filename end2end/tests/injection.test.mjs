// Markup in user text stays text. Every kind of text a user can write — a
// story's title, pseudonym and answers, a comment, an editorial lead, a
// quote, a guide question, a chapter intro, the foreword and colophon, a
// group name — is filled with the classic breakout strings (closing
// </textarea>, </title>, </script>, an open <!--, a <meta refresh>, a
// <base href>, an inline script and an onerror handler). Then every page
// that shows that text is opened in Chromium, with JavaScript and (for the
// forms) without, and must: run none of it, navigate nowhere, report no
// Content-Security-Policy violation (nothing tried to run), and show the
// text literally.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, hydrated, api, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

/** A long payload, marked with `tag` so each field's copy can be found. */
const evil = (tag) =>
  `${tag}: </textarea></title></script></style></noscript> ` +
  `<script>window.__pwned = (window.__pwned || []).concat('${tag}')</script> ` +
  `<img src="/x.png" onerror="window.__pwned = (window.__pwned || []).concat('${tag}')"> ` +
  `<meta http-equiv="refresh" content="0;url=/pwned-${tag}"> <base href="http://127.0.0.9/"> <!-- ${tag}`;

// Short fields (a title holds 120 characters, a pseudonym 60).
const TITLE = '</textarea><meta http-equiv=refresh content="0;url=/t">';
const PSEUDONYM = '</title><script>window.__pwned=1</script>';
const GROUP = '</textarea><base href="http://127.0.0.9/"><!-- groep';

/** Records navigations, CSP violations and page errors from the first byte on. */
async function watched(browser, email, { javaScriptEnabled = true } = {}) {
  const t = await tablet(browser, { javaScriptEnabled });
  if (email) await login(t.page, env.server.base, email);
  const navigations = [];
  t.page.on('framenavigated', (f) => {
    if (f === t.page.mainFrame()) navigations.push(f.url());
  });
  await t.context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`),
    );
  });
  t.navigations = navigations;
  return t;
}

/** Opens `path` and checks that nothing in it ran or navigated. */
async function visit(t, path, expected) {
  const url = `${env.server.base}${path}`;
  t.navigations.length = 0;
  const response = await t.page.goto(url);
  assert.equal(response.status(), 200, `${path}: status ${response.status()}: ${(await response.text()).replace(/<script[^]*?<\/script>/g, "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").slice(0, 1500)}`);
  if (!t.page.jsDisabled) {
    await hydrated(t.page).catch(async (e) => {
      // Enough to tell a policy/nonce mismatch from a client that failed.
      const policy = (await response.allHeaders())['content-security-policy'];
      const nonces = await t.page.evaluate(() => [...document.scripts].map((s) => s.nonce || '(none)'));
      throw new Error(
        `${path}: not hydrated (${e.message}); policy: ${policy}; script nonces: ${JSON.stringify(nonces)}; ` +
          `page errors: ${JSON.stringify(t.page.jsErrors)}`,
      );
    });
  }
  await t.page.waitForLoadState('load');
  // A <meta refresh> or <base> that became markup would have moved the page.
  assert.deepEqual([...new Set(t.navigations)], [url], `${path}: the page navigated`);
  assert.equal(t.page.url(), url, `${path}: the page moved`);
  if (!t.page.jsDisabled) {
    const state = await t.page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      violations: window.__violations,
      bases: document.querySelectorAll('base').length,
      metas: document.querySelectorAll('meta[http-equiv]').length,
    }));
    assert.deepEqual(state, { pwned: null, violations: [], bases: 0, metas: 0 }, `${path}: injected markup`);
  } else {
    // Leptos' own inline scripts carry the page's nonce; anything else
    // would be the user's.
    const injected = await t.page.locator('base, meta[http-equiv], script:not([nonce])').evaluateAll((els) =>
      els.map((e) => e.outerHTML.slice(0, 200)),
    );
    assert.deepEqual(injected, [], `${path}: injected markup without JavaScript`);
  }
  for (const [what, text] of expected) {
    const shown = await t.page.evaluate((text) => {
      const fields = [...document.querySelectorAll('textarea, input')].map((f) => f.value);
      // In a field, in the page's text, or (for a title) in the tab's title.
      const shown = fields.includes(text) || document.body.innerText.includes(text) || document.title.includes(text);
      return { shown, fields, body: `${document.title} | ${document.body.innerText}` };
    }, text);
    assert.ok(
      shown.shown,
      `${path}: ${what} is not shown literally: ${JSON.stringify(text)} not in fields ${JSON.stringify(shown.fields)} nor in the text ${JSON.stringify(shown.body.slice(0, 3000))}`,
    );
  }
  assert.deepEqual(t.page.jsErrors, [], `${path}: script errors`);
}

test('breakout strings in every user text stay text on every page', async () => {
  const base = env.server.base;
  const s = await watched(env.browser, 'student@zuyd.example');
  const l = await watched(env.browser, 'docent@zuyd.example');
  const r = await watched(env.browser, 'onderzoeker@zuyd.example');
  const a = await watched(env.browser, 'beheer@zuyd.example');

  // --- The texts, written through the same server functions the forms use --
  const guide = await api(r.page, 'guide_editor', {});
  await api(r.page, 'guide_add', {
    edition: guide.edition.id,
    question: crypto.randomUUID(),
    text: evil('vraag').slice(0, 290),
    help_text: evil('hulp'),
  });
  const f = await api(s.page, 'story_new_form', {});
  const answers = {};
  const fields = {
    neighbourhood: f.groups[0].neighbourhoods[0].id,
    title: TITLE,
    pseudonym: PSEUDONYM,
    scopes: 'research,booklet,web',
    witness_name: 'Sanne Hermans',
  };
  f.questions.forEach((q) => {
    answers[q.id] = evil(`antwoord-${q.id}`);
    fields[`answers.q${q.id}`] = answers[q.id];
  });
  const story = f.story_id;
  const done = await api(
    s.page,
    'story_autosave',
    { patch: { id: story, save_id: crypto.randomUUID(), base_version: 0, group: f.groups[0].id, fields, intent: 'submit' } },
    true,
  );
  const firstQ = f.questions[0].id;
  await api(l.page, 'story_review', {
    id: story,
    version: String(done.version),
    decision: 'request_changes',
    comment: evil('opmerking'),
    question: String(firstQ),
  });
  // Sent back, so the student's editor holds every text again: the form
  // with JavaScript and, without it, the server's HTML alone.
  const original = Object.entries(answers).map(([q, t]) => [`answer ${q}`, t]);
  const editor = [['title', TITLE], ['pseudonym', PSEUDONYM], ...original];
  await visit(s, `/verhalen/${story}/bewerken`, editor);
  const sNoJs = await watched(env.browser, null, { javaScriptEnabled: false });
  await sNoJs.context.addCookies(await s.context.cookies());
  await visit(sNoJs, `/verhalen/${story}/bewerken`, editor);
  const returned = await api(s.page, 'story_get', { id: story });
  const changed = await api(
    s.page,
    'story_autosave',
    {
      patch: {
        id: story,
        save_id: crypto.randomUUID(),
        base_version: returned.version,
        group: f.groups[0].id,
        fields: { [`answers.q${firstQ}`]: `${answers[firstQ]} (aangepast)` },
        intent: 'submit',
      },
    },
    true,
  );
  answers[firstQ] = `${answers[firstQ]} (aangepast)`;
  await api(l.page, 'story_comment', { id: story, body: evil('reactie') });
  await api(l.page, 'story_review', { id: story, version: String(changed.version), decision: 'approve' });

  // The booklet of the story's own municipality.
  let cur = await api(r.page, 'curation', {});
  for (const mu of cur.municipalities) {
    const view = await api(r.page, 'curation', { municipality: mu.id });
    if (view.stories.some((x) => x.story.id === story)) cur = view;
  }
  const municipality = cur.municipality.id;
  assert.ok(cur.stories.some((x) => x.story.id === story), 'the approved story is up for selection');
  await api(r.page, 'curation_select', { story, selected: 'true' });
  const edit = await api(r.page, 'story_curation', { story });
  const editorialAnswers = {};
  for (const x of edit.answers) editorialAnswers[`answers[q${x.question}]`] = x.answer;
  await api(r.page, 'story_editorial', {
    story,
    version: String(edit.version),
    title: TITLE,
    lead: evil('lead'),
    ...editorialAnswers,
  });
  const afterEdit = await api(r.page, 'story_curation', { story });
  const quoteText = afterEdit.answers[0].answer.slice(0, 80);
  await api(r.page, 'quote_save', {
    story,
    question: String(afterEdit.answers[0].question),
    revision: String(afterEdit.revision),
    text: quoteText,
  });
  const withChapter = await api(r.page, 'curation', { municipality });
  const chapter = withChapter.chapters[0];
  await api(r.page, 'curation_intro', {
    municipality,
    neighbourhood: chapter.neighbourhood,
    intro: evil('intro'),
    version: String(chapter.version),
  });
  await api(r.page, 'curation_texts', {
    municipality,
    foreword: evil('voorwoord'),
    colophon_extra: evil('colofon'),
    funder_line: 'Fonds </title><!--',
    version: String(withChapter.texts.version),
  });
  const groups = await api(a.page, 'groups', {});
  await api(a.page, 'group_rename', { group: groups.groups[0].id, name: GROUP });

  // Build and publish, so the portal shows the story too.
  const build = await api(r.page, 'booklet_build', { municipality });
  let status;
  for (let i = 0; i < 600; i++) {
    status = await api(r.page, 'booklet_status', { build });
    if (status.status === 'done' || status.status === 'failed') break;
    await r.page.waitForTimeout(100); // polling a job, not waiting for a guess
  }
  assert.equal(status.status, 'done', `build: ${status.error}`);
  await api(r.page, 'booklet_publish', { build });

  // --- Every page that shows the texts -------------------------------------
  const answerTexts = Object.entries(answers).map(([q, t]) => [`answer ${q}`, t]);
  const edited = afterEdit.answers.map((x) => [`editorial answer ${x.question}`, x.answer]);
  await visit(s, `/verhalen/${story}`, [['title', TITLE], ...answerTexts]);
  await visit(s, '/verhalen', [['title', TITLE]]);
  await visit(s, '/meldingen', []);
  await visit(s, '/', []);
  await visit(l, `/verhalen/${story}`, [['title', TITLE], ['comment', evil('reactie')], ...answerTexts]);
  // The history: the list, one revision in full, and a comparison (its
  // words are split into marked changes, so only safety is checked there).
  await visit(l, `/verhalen/${story}/geschiedenis`, []);
  await visit(l, `/verhalen/${story}/geschiedenis?versie=1`, [['title', TITLE], ...original]);
  await visit(l, `/verhalen/${story}/geschiedenis?van=1&tot=${changed.version}`, []);
  await visit(l, '/beoordelen', [['title', TITLE]]);
  await visit(r, `/verhalen/${story}`, [['lead', evil('lead')], ...edited]);
  await visit(r, '/samenstellen', [
    ['chapter intro', evil('intro')],
    ['foreword', evil('voorwoord')],
    ['colophon', evil('colofon')],
  ]);
  await visit(r, '/vragenlijst', [['question', evil('vraag').slice(0, 290)], ['help', evil('hulp')]]);
  await visit(a, '/groepen', [['group name', GROUP]]);
  const m = await watched(env.browser, /stein/i.test(cur.municipality.name) ? 'gemeente@stein.example' : 'gemeente@sittard-geleen.example');
  const portal = `/portaal/${municipality}/${cur.year}`;
  await visit(m, portal, [['title', TITLE]]);
  await visit(m, `${portal}/${story}`, [['lead', evil('lead')], ...edited]);

  // The researcher's forms also without JavaScript.
  const rNoJs = await watched(env.browser, null, { javaScriptEnabled: false });
  await rNoJs.context.addCookies(await r.context.cookies());
  await visit(rNoJs, `/verhalen/${story}`, [['lead', evil('lead')], ...edited]);
  await visit(rNoJs, '/samenstellen', [['foreword', evil('voorwoord')]]);
  await visit(rNoJs, '/vragenlijst', [['help', evil('hulp')]]);
});

test('every response carries a Content-Security-Policy; pages carry their nonce', async () => {
  const base = env.server.base;
  const page = await fetch(`${base}/inloggen`);
  const csp = page.headers.get('content-security-policy');
  const html = await page.text();
  const nonce = /<script[^>]*nonce="([^"]+)"/.exec(html)?.[1];
  assert.ok(nonce, 'the hydration script has a nonce');
  for (const d of [`'nonce-${nonce}'`, "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]) {
    assert.ok(csp?.includes(d), `${d} in ${csp}`);
  }
  const other = await fetch(`${base}/inloggen`);
  assert.notEqual(/nonce-([^' ]+)/.exec(other.headers.get('content-security-policy'))?.[1], nonce, 'a new nonce per page');
  for (const path of ['/pkg/wijkverhalen.css', '/bestanden/media/00000000-0000-0000-0000-000000000000', '/gezond']) {
    const r = await fetch(`${base}${path}`);
    const p = r.headers.get('content-security-policy') ?? '';
    assert.ok(p.includes("object-src 'none'") && !p.includes('nonce-'), `${path}: ${p}`);
  }
});
