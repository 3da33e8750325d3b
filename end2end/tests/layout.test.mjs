// The interview form on the devices students carry: tablet portrait and
// landscape (820×1180, 1024×1366) and a phone (390×844). Nothing may scroll
// sideways, every control is a comfortable touch target, and each guide
// question sits on its own card with its place in the guide ("Vraag 2 van 6").

import { test, before, after } from 'node:test';
import { useServerAndBrowser, login, hydrated, axe, assert } from './helpers.mjs';

const env = useServerAndBrowser({ before, after });

const SIZES = [
  { name: 'tablet staand', width: 820, height: 1180 },
  { name: 'tablet liggend', width: 1180, height: 820 },
  { name: 'grote tablet staand', width: 1024, height: 1366 },
  { name: 'grote tablet liggend', width: 1366, height: 1024 },
  { name: 'telefoon', width: 390, height: 844 },
];

test('the interview form fits tablets in both orientations and a phone', async () => {
  for (const size of SIZES) {
    const context = await env.browser.newContext({
      viewport: { width: size.width, height: size.height },
      hasTouch: true,
      isMobile: size.width < 600,
      locale: 'nl-NL',
    });
    const page = await context.newPage();
    await login(page, env.server.base, 'student@zuyd.example');
    await page.goto(`${env.server.base}/verhalen/nieuw`);
    await hydrated(page);
    const report = await page.evaluate(() => {
      const doc = document.documentElement;
      const small = [];
      for (const el of document.querySelectorAll('main button, main select, main textarea, main input:not([type=hidden]), main .button')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // not shown
        const target = el.type === 'checkbox' ? el.closest('label') ?? el : el;
        const t = target.getBoundingClientRect();
        if (t.height < 44) small.push(`${el.tagName.toLowerCase()}[${el.name || el.id || el.textContent.trim()}] ${Math.round(t.width)}×${Math.round(t.height)}`);
      }
      const cards = [...document.querySelectorAll('.question-card')];
      return {
        overflow: doc.scrollWidth - doc.clientWidth,
        small,
        cards: cards.length,
        progress: cards.map((c) => c.querySelector('.progress')?.textContent.trim()),
        textareas: cards.map((c) => c.querySelectorAll('textarea').length),
      };
    });
    assert.ok(report.overflow <= 0, `${size.name}: page scrolls sideways by ${report.overflow}px`);
    assert.deepEqual(report.small, [], `${size.name}: touch targets under 44px`);
    assert.equal(report.cards, 6, `${size.name}: one card per question`);
    assert.deepEqual(report.textareas, Array(6).fill(1), `${size.name}: one question per card`);
    assert.deepEqual(report.progress, [1, 2, 3, 4, 5, 6].map((i) => `Vraag ${i} van 6`), size.name);
    if (size.width === 390) await axe(page, 'nieuw interview (telefoon)');
    await context.close();
  }
});
