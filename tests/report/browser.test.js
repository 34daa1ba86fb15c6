// The HTML report in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// no console errors, no script from log text runs, charts render, the table has the expected rows.
// Without Chromium it skips with one line saying how to run it, except under CI=true (.ci/run sets it
// and installs Chromium), where a missing browser is a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderHtml } from '../../dist/report/html.js';
import { makeReport, XSS, XSS2 } from './fixture.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'test-artifacts');
const CHROMIUM = process.env.LAD_CHROMIUM || '/usr/bin/chromium';
const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const HAVE = fs.existsSync(CHROMIUM);
const HOW = `install Chromium (apt-get install -y chromium, or set LAD_CHROMIUM=/path/to/chromium) and run npm test again`;
// One visible line whatever the reporter.
if (!HAVE && !IN_CI) process.stderr.write(`browser test skipped: no Chromium at ${CHROMIUM}; to run it, ${HOW}\n`);

test('report renders in headless Chromium: charts, markers, rows, nothing from log text executes',
  { skip: !HAVE && !IN_CI ? `no Chromium at ${CHROMIUM}; to run it, ${HOW}` : false }, async () => {
  assert.ok(HAVE, `Chromium not found at ${CHROMIUM} with CI=${process.env.CI}: ${HOW}`);
  fs.mkdirSync(artifacts, { recursive: true });
  const report = makeReport();
  const file = path.join(artifacts, 'report.html');
  fs.writeFileSync(file, renderHtml(report));

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lad-chromium-'));
  // A fresh, empty --user-data-dir (playwright passes it for a persistent context).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] ?? await browser.newPage();
    const problems = [];
    const requests = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', async (d) => { problems.push(`dialog opened: ${d.message()}`); await d.dismiss(); });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });

    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });

    assert.deepEqual(problems, [], 'no console errors, page errors or dialogs');
    assert.deepEqual(requests, [], 'works offline: no network request');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script from log text ran');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 3);

    // One chart per stream, drawn on a canvas of non-zero size.
    const charts = page.locator('#charts .chart');
    assert.equal(await charts.count(), 2);
    for (let i = 0; i < 2; i++) {
      const box = await charts.nth(i).locator('canvas').first().boundingBox();
      assert.ok(box && box.width > 300 && box.height > 100, `chart ${i} canvas ${JSON.stringify(box)}`);
    }
    // Something was plotted, and the warning marker (orange, used only for markers) is on the canvas.
    // One readback (a second one makes Chromium warn about willReadFrequently).
    const pix = await page.evaluate(() => {
      const chart = document.querySelector('#charts .chart[data-stream="web"]');
      const c = chart.querySelector('canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let blue = 0, orange = 0;
      const cols = new Map();
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        if (Math.abs(r - 21) < 30 && Math.abs(g - 101) < 30 && Math.abs(b - 192) < 30) blue++;
        if (Math.abs(r - 239) < 20 && Math.abs(g - 108) < 25 && b < 40) {
          orange++;
          const x = (i / 4) % c.width;
          cols.set(x, (cols.get(x) || 0) + 1);
        }
      }
      // Where the warning marker is, in the overlay's CSS pixels (for a click later).
      const x = orange ? [...cols.entries()].sort((a, b) => b[1] - a[1])[0][0] : 0;
      const cr = c.getBoundingClientRect(), over = chart.querySelector('.u-over').getBoundingClientRect();
      return { blue, orange, hit: { x: cr.left + x * cr.width / c.width - over.left, y: over.height / 2 } };
    });
    assert.ok(pix.blue > 200, `rate line drawn (${pix.blue} px)`);
    assert.ok(pix.orange > 20, `warning marker drawn (${pix.orange} px)`);

    // The anomaly table: one row per anomaly, in time order, log text shown literally.
    const rows = page.locator('#anomaly-rows tr.anomaly');
    assert.equal(await rows.count(), report.anomalies.length);
    const types = await rows.locator('td:nth-child(4)').allTextContents();
    assert.deepEqual(types, ['new_pattern', 'rate_spike', 'error_spike', 'resolved']);
    const sev = await rows.locator('td:nth-child(3)').allTextContents();
    assert.deepEqual(sev, ['info', 'warning', 'critical', 'resolved']);
    const crit = rows.nth(2);
    assert.equal(await crit.locator('td.desc').textContent(), `error share 62% in window: ${XSS}`);
    // Its explanation: template, example line and samples, as text.
    await crit.locator('button.tog').click();
    const det = page.locator('#anomaly-rows tr.details').nth(2);
    assert.equal(await det.isVisible(), true);
    const pres = await det.locator('pre').allTextContents();
    assert.ok(pres.includes(XSS) && pres.includes(XSS2), JSON.stringify(pres.slice(0, 3)));
    // rate_spike explanation lists its top templates with counts and expected.
    await rows.nth(1).click();
    const top = await page.locator('#anomaly-rows tr.details').nth(1).locator('table.inner tbody tr').allTextContents();
    assert.equal(top.length, 2);
    assert.match(top[0], /GET <\*> HTTP\/1\.1 200\s*400\s*60\s*6\.7/);

    // Filter: critical only.
    await page.selectOption('#f-sev', 'critical');
    assert.equal(await page.locator('#anomaly-rows tr.anomaly:visible').count(), 1);
    await page.selectOption('#f-sev', 'all');
    assert.equal(await page.locator('#anomaly-rows tr.anomaly:visible').count(), 4);
    assert.equal(await page.locator('#anomaly-rows tr.details:visible').count(), 1, 'filtered-out rows were collapsed');
    // Clicking a chart marker jumps to (and opens) its row: the warning marker of stream web.
    await page.locator('#charts .chart[data-stream="web"] .u-over').click({ position: pix.hit });
    assert.equal(await page.locator('#anomaly-rows tr.details').nth(1).isVisible(), true, 'marker click opened the rate_spike row');

    // Templates sections.
    assert.equal(await page.locator('#top-rows tr').count(), 4);
    assert.deepEqual(await page.locator('#new-rows tr td:first-child').allTextContents(), ['t7', 't9']);
    assert.equal(await page.locator('h1').textContent(), `lad report: ${report.analyzed_file}`);

    await page.screenshot({ path: path.join(artifacts, 'report.png'), fullPage: true });
    assert.deepEqual(problems, [], 'still no errors after interaction');
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
