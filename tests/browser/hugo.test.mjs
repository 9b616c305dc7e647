// Browser test of the Hugo site newsdesk writes (hugo.toml and the newsdesk theme), in Debian's headless
// Chromium driven by playwright-core, with axe-core run in each page. Run by
// crates/newsdesk/tests/hugo_browser.rs, which builds the site from the offline example with the real
// pipeline and Hugo, serves public/ on a loopback port and passes: BASE_URL, SHOT_DIR (where screenshots
// go), PAGES (JSON: {"home": path, "article": path, "story": path, "tag": path}).
//
// Checks, at desktop and phone widths: the page loads; it has one main landmark, a labelled navigation,
// one h1, a language, alt text on every picture, no script and nothing loaded from elsewhere but the
// publishers' pictures; it fits a phone screen; the first Tab reaches the skip link; and axe-core finds no
// serious or critical violation, in the light and the dark colour scheme.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SHOT_DIR;
const PAGES = JSON.parse(process.env.PAGES || '{}');
assert.ok(BASE && SHOTS && PAGES.home && PAGES.article && PAGES.story && PAGES.tag,
  'BASE_URL, SHOT_DIR and PAGES (home, article, story, tag) must be set');
mkdirSync(SHOTS, { recursive: true });
const origin = new URL(BASE).origin;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// The publishers' pictures are not reachable from here: each request for one gets this drawing instead,
// so that the screenshots show where pictures go.
const PICTURE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8fb8d8"/>
<stop offset="1" stop-color="#dce9f2"/></linearGradient></defs>
<rect width="1200" height="675" fill="url(#sky)"/>
<path d="M0 430 Q150 400 300 430 T600 430 T900 430 T1200 430 V675 H0 Z" fill="#2f6f8f"/>
<path d="M0 500 Q150 470 300 500 T600 500 T900 500 T1200 500 V675 H0 Z" fill="#1f5470"/>
<circle cx="950" cy="150" r="70" fill="#f4d58d"/></svg>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

const offsite = [];
const pictures = [];
const problems = [];

async function newPage(viewport, colorScheme = 'light') {
  const context = await browser.newContext({ viewport, colorScheme });
  await context.route('**/*', (route) => {
    const request = route.request();
    const url = request.url();
    if (url.startsWith(origin + '/')) return route.continue();
    if (request.resourceType() === 'image') {
      pictures.push(url);
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: PICTURE });
    }
    offsite.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return page;
}

async function structure(page, what) {
  assert.equal(await page.locator('main#main').count(), 1, `${what}: one main landmark`);
  assert.ok((await page.locator('nav[aria-label]').count()) >= 1, `${what}: a labelled navigation`);
  assert.equal(await page.locator('h1').count(), 1, `${what}: one h1`);
  assert.equal(await page.locator('html[lang]').count(), 1, `${what}: the document language is set`);
  assert.equal(await page.locator('img:not([alt])').count(), 0, `${what}: every picture has alt text`);
  assert.equal(await page.locator('script').count(), 0, `${what}: no script`);
  const sheets = await page.locator('link[rel="stylesheet"]').evaluateAll((ls) => ls.map((l) => l.href));
  assert.ok(sheets.every((h) => h.startsWith(origin + '/')), `${what}: stylesheets are the site's own`);
}

async function axe(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3)
    .map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.deepEqual(described, [], `${what}: axe-core found serious or critical violations`);
  return result.violations.map((v) => `${v.id} (${v.impact})`);
}

const views = [
  { suffix: '', viewport: { width: 1280, height: 900 } },
  { suffix: '-phone', viewport: { width: 390, height: 844 } },
];
const minor = [];
for (const { suffix, viewport } of views) {
  const page = await newPage(viewport);
  for (const [name, path] of Object.entries(PAGES)) {
    const what = `${name} page at ${viewport.width}px`;
    const response = await page.goto(BASE + path);
    assert.equal(response.status(), 200, `${what}: ${path} loads`);
    await page.waitForLoadState('load');
    await structure(page, what);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${what}: fits the screen (overflow ${overflow}px)`);
    await page.screenshot({ path: join(SHOTS, `hugo-${name}${suffix}.png`), fullPage: true });
    minor.push([what, await axe(page, what)]);
  }
  // Keyboard: the first Tab reaches the skip link, which leads to the main content.
  await page.goto(BASE + PAGES.home);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#main');
}

// The dark colour scheme keeps its contrast too.
const dark = await newPage({ width: 1280, height: 900 }, 'dark');
for (const [name, path] of Object.entries(PAGES)) {
  await dark.goto(BASE + path);
  minor.push([`${name} page, dark`, await axe(dark, `${name} page in the dark scheme`)]);
}

// The story page: its coverage in time order, the first to report marked.
const story = await newPage({ width: 1280, height: 900 });
await story.goto(BASE + PAGES.story);
assert.ok((await story.locator('ol.timeline > li').count()) >= 2, 'the story lists its coverage');
assert.equal(await story.locator('ol.timeline > li.first .badge').innerText(), 'First to report');

assert.deepEqual(offsite, [], 'nothing but pictures is requested from elsewhere');
assert.ok(pictures.length >= 1, 'the article picture is shown');
assert.deepEqual(problems, [], 'no page errors');
await browser.close();
console.log(`hugo browser test passed; axe-core's minor and moderate findings: ${JSON.stringify(minor)}`);
console.log(`screenshots in ${SHOTS}`);
