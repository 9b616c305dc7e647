// Browser test of the newsdesk web reader in Debian's headless Chromium, driven by playwright-core.
// Run by crates/newsdesk/tests/serve_browser.rs, which fills a store with the real pipeline, starts
// `newsdesk serve` and passes: BASE_URL, SHOT_DIR (where screenshots go), HOSTILE_ID (an article whose
// stored HTML carries <script>, onerror=, javascript: links and <meta http-equiv=refresh>).
//
// Checks: the front page, search with highlighted snippets, a story, an article reader view, keyboard
// access and alt text; and that nothing of the hostile article runs, redirects or loads from elsewhere.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SHOT_DIR;
const HOSTILE_ID = process.env.HOSTILE_ID;
assert.ok(BASE && SHOTS && HOSTILE_ID, 'BASE_URL, SHOT_DIR and HOSTILE_ID must be set');
mkdirSync(SHOTS, { recursive: true });
const origin = new URL(BASE).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

const problems = [];
const offsite = [];
const dialogs = [];
const navigations = [];

async function newPage(viewport) {
  const context = await browser.newContext({ viewport, javaScriptEnabled: true });
  // Nothing may leave the loopback server: record and refuse every other request (the article pictures of
  // the fixtures point at example hosts, which do not exist anyway).
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

async function accessible(page, what) {
  assert.equal(await page.locator('main#main').count(), 1, `${what}: one main landmark`);
  assert.equal(await page.locator('nav[aria-label]').count() >= 1, true, `${what}: a labelled nav`);
  assert.equal(await page.locator('img:not([alt])').count(), 0, `${what}: every image has alt text`);
  assert.equal(await page.locator('html[lang]').count(), 1, `${what}: the document language is set`);
}

const page = await newPage({ width: 1280, height: 900 });

// Front page: today's stories with outlets and times.
await page.goto(BASE + '/');
assert.equal(await page.locator('h1').innerText(), "Today's stories");
const storyLinks = page.locator('.story h2 a');
assert.ok((await storyLinks.count()) >= 2, 'the offline example makes at least two stories');
assert.ok((await page.locator('.story time').count()) >= 2, 'stories show times');
await accessible(page, 'front page');
// Keyboard: the first Tab reaches the skip link, and it leads to the main content.
await page.keyboard.press('Tab');
assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
await shot(page, 'front.png');

// Search through the form, as a user would.
await page.getByLabel('Search articles').fill('tidal');
await page.getByLabel('Search articles').press('Enter');
await page.waitForURL(/\/search\?q=tidal/);
const results = page.locator('ol.results > li');
assert.ok((await results.count()) >= 2, 'two articles mention tidal power');
assert.ok((await page.locator('ol.results mark').count()) >= 1, 'snippets highlight the match');
assert.match((await page.locator('ol.results mark').first().innerText()).toLowerCase(), /tidal/);
await accessible(page, 'search page');
await shot(page, 'search.png');

// A story and its coverage.
await page.goto(BASE + '/');
// The story covered by two outlets (the tidal power plant of the offline example).
const tidal = storyLinks.filter({ hasText: /tidal/i }).first();
const headline = await tidal.innerText();
await tidal.click();
await page.waitForURL(/\/story\//);
assert.equal(await page.locator('h1').innerText(), headline);
assert.equal(await page.locator('ol.coverage > li').count(), 2, 'both outlets are listed');
await accessible(page, 'story page');
await shot(page, 'story.png');

// The reader view of one of its articles.
await page.locator('ol.coverage h2 a').first().click();
await page.waitForURL(/\/article\/\d+$/);
assert.ok((await page.locator('article.reader .body p').count()) >= 2, 'the article text is shown');
assert.ok((await page.locator('article.reader a', { hasText: 'Read the original' }).count()) === 1);
await accessible(page, 'article page');
await shot(page, 'article.png');

// The same front page on a phone: no horizontal scrolling.
const phone = await newPage({ width: 390, height: 844 });
await phone.goto(BASE + '/');
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
assert.ok(overflow <= 1, `the front page fits a phone screen (overflow ${overflow}px)`);
await shot(phone, 'front-phone.png');

// The hostile article: shown, but nothing of it runs, redirects or loads from elsewhere.
navigations.length = 0;
const hostileUrl = `${BASE}/article/${HOSTILE_ID}`;
const response = await phone.goto(hostileUrl);
const csp = response.headers()['content-security-policy'] || '';
assert.match(csp, /default-src 'none'/, 'the page is served with a strict CSP');
assert.ok(!/script-src/.test(csp) || !/unsafe-inline/.test(csp), 'no inline script is allowed');
assert.ok((await phone.locator('article.reader .body').innerText()).includes('Harmless paragraph'),
  'the hostile article text is shown');
assert.equal(await phone.locator('script').count(), 0, 'no script element reaches the page');
assert.equal(await phone.locator('meta[http-equiv]').count(), 0, 'no meta refresh reaches the page');
assert.equal(await phone.locator('[onerror], [onclick], [onload]').count(), 0, 'no event handler attribute');
assert.equal(await phone.locator('a[href^="javascript:" i]').count(), 0, 'no javascript: link');
// Click what was the javascript: link; and give a refresh every chance to fire: wait for the load event
// and for a navigation that would follow it (none must come).
await phone.getByText('click me', { exact: false }).first().click();
await phone.waitForLoadState('load');
const redirected = await phone.waitForURL((u) => u.toString() !== hostileUrl, { timeout: 2500 })
  .then(() => true, () => false);
assert.equal(redirected, false, `the page must not navigate away (went to ${phone.url()})`);
assert.equal(phone.url(), hostileUrl);
assert.equal(await phone.evaluate(() => window.__pwned), undefined, 'no hostile script ran');
assert.notEqual(await phone.title(), 'pwned');
await shot(phone, 'hostile.png');

assert.deepEqual(dialogs, [], 'no alert, confirm or prompt was opened');
assert.deepEqual(problems, [], 'no page errors');
const evil = offsite.filter((u) => /evil/.test(u));
assert.deepEqual(evil, [], 'nothing was requested from the hostile hosts');
assert.ok(navigations.every((u) => u.startsWith(origin)), `navigations stayed on the server: ${navigations}`);

await browser.close();
console.log(`browser test passed; screenshots in ${SHOTS}`);
