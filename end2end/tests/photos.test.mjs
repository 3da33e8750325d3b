// Photos on the tablet: a photo with EXIF orientation 6 and a GPS position
// is stored upright without any metadata; an empty file, a PNG renamed .jpg,
// a 20 000 × 20 000 image and a text file are each refused with a message
// while everything typed stays on the page.

import { test, before, after } from 'node:test';
import { useServerAndBrowser, tablet, login, axe, hydrated, assert } from './helpers.mjs';
import { exifApp1, spliceAfterSoi, pngDeclaring, drawImage } from './fixtures.mjs';

const env = useServerAndBrowser({ before, after });

const TYPED = 'Op het bankje bij de kerk zit altijd wel iemand om mee te praten.';

test('photos are stored upright without metadata, bad files are refused and nothing typed is lost', async () => {
  const { page } = await tablet(env.browser);
  await login(page, env.server.base, 'student@zuyd.example');
  await page.goto(`${env.server.base}/verhalen/nieuw`);
  await hydrated(page);
  await page.getByLabel('Wijk waar de bewoner woont', { exact: true }).selectOption({ label: 'Limbricht — Sittard-Geleen' });
  await page.getByLabel('Schuilnaam', { exact: true }).fill('Meneer Janssen');
  await page.getByLabel(/onderzoek naar sociale verbinding/).check();
  await page.getByLabel(/foto's/i).first().check();
  const answer = page.locator('.question-card textarea').first();
  await answer.fill(TYPED);
  await answer.blur();
  await page.locator('.save-state[data-state="saved"]').waitFor({ timeout: 20000 });
  await page.waitForURL('**/bewerken');
  await page.goto(page.url());
  await hydrated(page);

  const picker = page.getByLabel('Of een foto kiezen', { exact: true });
  const alt = page.getByLabel(/Wat is er te zien\?/);
  const add = page.getByRole('button', { name: 'Foto toevoegen' });
  await alt.fill('Een houten bank voor de kerk');

  const jpeg = await drawImage(page, 'image/jpeg');
  const png = await drawImage(page, 'image/png');
  const refusals = [
    { file: { name: 'leeg.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) }, message: 'Het bestand is leeg' },
    { file: { name: 'foto.jpg', mimeType: 'image/jpeg', buffer: png }, message: 'heet .jpg maar is eigenlijk een PNG' },
    { file: { name: 'groot.png', mimeType: 'image/png', buffer: pngDeclaring(png, 20000, 20000) }, message: '20000 × 20000 pixels' },
    { file: { name: 'notities.txt', mimeType: 'text/plain', buffer: Buffer.from('Gesprek met meneer Janssen') }, message: 'Dit bestand is geen foto' },
  ];
  for (const { file, message } of refusals) {
    await picker.setInputFiles(file);
    await add.click();
    await page.locator('.photo-error').getByText(message).waitFor();
    // Nothing typed is lost: the answer and the description are still there.
    assert.equal(await answer.inputValue(), TYPED, `answer kept after ${file.name}`);
    assert.equal(await alt.inputValue(), 'Een houten bank voor de kerk', `description kept after ${file.name}`);
  }
  assert.equal(await page.locator('.photo-grid img').count(), 0);
  await axe(page, 'interview met foutmelding foto');

  // The real photo: 300×200 pixels stored sideways, EXIF says "turn 90°", GPS attached.
  const withExif = spliceAfterSoi(jpeg, exifApp1({ orientation: 6 }));
  assert.ok(withExif.includes(Buffer.from('Exif\0\0')), 'the fixture carries EXIF');
  await picker.setInputFiles({ name: 'bank.jpg', mimeType: 'image/jpeg', buffer: withExif });
  await page.getByLabel(/Bijschrift/).fill('De bank bij de kerk');
  await add.click();
  const img = page.locator('.photo-grid img[alt="Een houten bank voor de kerk"]');
  await img.waitFor();
  await page.getByText('De bank bij de kerk', { exact: true }).waitFor();
  assert.equal(await answer.inputValue(), TYPED);

  const href = await page.locator('.photo-grid a').first().getAttribute('href');
  const stored = await page.evaluate(async (href) => {
    const r = await fetch(href);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }), { imageOrientation: 'none' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const topRight = Array.from(g.getImageData(bitmap.width - 5, 5, 1, 1).data.slice(0, 3));
    const topLeft = Array.from(g.getImageData(5, 5, 1, 1).data.slice(0, 3));
    let app1 = false;
    for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xe1) app1 = true;
    const text = new TextDecoder('latin1').decode(bytes);
    return { status: r.status, type: r.headers.get('content-type'), width: bitmap.width, height: bitmap.height, topRight, topLeft, app1, exif: text.includes('Exif'), gps: text.includes('GPS') };
  }, href);
  assert.equal(stored.status, 200);
  assert.equal(stored.type, 'image/jpeg');
  assert.deepEqual([stored.width, stored.height], [200, 300], 'turned upright');
  assert.ok(stored.topRight[0] > 180 && stored.topRight[1] < 90, `red mark now top-right: ${stored.topRight}`);
  assert.ok(stored.topLeft[0] < 180, `top-left is grey: ${stored.topLeft}`);
  assert.equal(stored.app1, false, 'no APP1 segment (EXIF/XMP) at all');
  assert.equal(stored.exif, false);
  assert.equal(stored.gps, false);
  await axe(page, 'interview met foto');

  // Another student cannot open the photo.
  const other = await tablet(env.browser);
  await login(other.page, env.server.base, 'student2@zuyd.example');
  const status = await other.page.evaluate(async (href) => (await fetch(href)).status, href);
  assert.equal(status, 404);
  await other.context.close();
});
