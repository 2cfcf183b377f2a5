import { test, expect, Page, CDPSession } from '@playwright/test';
import { login } from './helpers';
import * as fs from 'fs';

// A staff page's first load on a slow mobile network (issue #18, item 2): Chromium's
// DevTools "Slow 4G" profile (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, which
// DevTools applies as 562.5 ms per request), an empty cache, the session already open.
// Each page must become interactive (the WASM has taken over: body[data-hydrated]) with
// every script, style and WASM file compressed on the wire. The time and the bytes are
// written to test-results/weight.json for docs/BENCHMARKS.md ("Staff app"); they are
// figures to watch, not asserted against the target (timing asserts would be flaky).
const SLOW_4G = {
  offline: false,
  downloadThroughput: (1.6 * 1000 * 1000) / 8 * 0.9,
  uploadThroughput: (750 * 1000) / 8 * 0.9,
  latency: 150 * 3.75,
};

type Weight = {
  page: string;
  ms: number;
  bytes: number;
  /** Until everything the page draws is there (the dashboard's chart and map), if it draws more. */
  complete_ms?: number;
  complete_bytes?: number;
  /** Requests the network answered until interactive (not the browser's cache). */
  requests: number;
  files: Record<string, number>;
  plain: string[];
};

/** Counts what `page` receives: bytes (headers included, as the radio carries them) per
 *  file, and the scripts, styles and WASM that came uncompressed. */
function meter(cdp: CDPSession) {
  const urls = new Map<string, string>();
  // Answered from the browser's cache, not the network (a hashed name kept from before).
  const cached = new Set<string>();
  const m = { bytes: 0, requests: 0, files: {} as Record<string, number>, plain: [] as string[] };
  cdp.on('Network.requestServedFromCache', (e) => { cached.add(e.requestId); });
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) cached.add(e.requestId);
    urls.set(e.requestId, e.response.url);
    const url = new URL(e.response.url);
    const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
    if (/\.(wasm|js|css)$/.test(url.pathname) && !encoding && e.response.status !== 304 && !cached.has(e.requestId)) m.plain.push(url.pathname);
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (cached.has(e.requestId)) return;
    m.bytes += e.encodedDataLength;
    m.requests += 1;
    const url = urls.get(e.requestId);
    if (url) m.files[new URL(url).pathname] = (m.files[new URL(url).pathname] ?? 0) + e.encodedDataLength;
  });
  return m;
}

/** Opens `path` throttled and uncached; returns the time until it is interactive and the
 *  bytes received (headers included, as the radio carries them). */
async function firstLoad(page: Page, cdp: CDPSession, path: string, drawn: readonly string[] = []): Promise<Weight> {
  const m = meter(cdp);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  const start = Date.now();
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 60_000 });
  const ms = Date.now() - start;
  const interactive = m.bytes;
  const requests = m.requests;
  let complete: { complete_ms: number; complete_bytes: number } | undefined;
  if (drawn.length > 0) {
    for (const what of drawn) await expect(page.locator(what).first()).toBeVisible({ timeout: 60_000 });
    complete = { complete_ms: Date.now() - start, complete_bytes: m.bytes };
  }
  await cdp.send('Network.emulateNetworkConditions', { offline: false, downloadThroughput: -1, uploadThroughput: -1, latency: 0 });
  return { page: path, ms, bytes: interactive, requests, ...complete, files: { ...m.files }, plain: [...m.plain] };
}

/** Opens `path` again, throttled, with what the browser kept from the first visit: a file
 *  with a content-hashed name is not asked for again; a plain name costs a round trip. */
async function keptLoad(page: Page, cdp: CDPSession, path: string): Promise<Weight> {
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const m = meter(cdp);
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  const start = Date.now();
  await page.goto('about:blank');
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 60_000 });
  const ms = Date.now() - start;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, downloadThroughput: -1, uploadThroughput: -1, latency: 0 });
  return { page: `${path} (again)`, ms, bytes: m.bytes, requests: m.requests, files: { ...m.files }, plain: [...m.plain] };
}

test.describe('first load on a slow 4G network', () => {
  test.setTimeout(180_000);

  const results: Weight[] = [];

  for (const [who, path, drawn] of [['leader', '/dashboard', ['.chart canvas', '.case-map .count-label']], ['center', '/inbox', []]] as const) {
    test(`${path} becomes interactive with every file compressed`, async ({ browser }) => {
      const context = await browser.newContext();
      await login(await context.newPage(), who, path);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const w = await firstLoad(page, cdp, path, drawn);
      console.log(`slow 4G ${path}: interactive after ${w.ms} ms, ${w.bytes} bytes; drawn after ${w.complete_ms ?? '-'} ms, ${w.complete_bytes ?? '-'} bytes; ${JSON.stringify(w.files)}`);
      expect(w.plain, 'scripts, styles and WASM are served compressed').toEqual([]);
      expect(Object.keys(w.files).some((f) => f.endsWith('.wasm')), 'the app was loaded').toBe(true);
      results.push(w);
      // The next visit: the app's files carry hashed names and are kept for a year.
      const again = await keptLoad(page, cdp, path);
      console.log(`slow 4G ${path} again: interactive after ${again.ms} ms, ${again.bytes} bytes, ${again.requests} requests; ${JSON.stringify(again.files)}`);
      const asked = Object.keys(again.files).filter((f) => f.startsWith('/pkg/'));
      expect(asked, 'no file of the app is asked for again').toEqual([]);
      results.push(again);
      await context.close();
    });
  }

  test.afterAll(() => {
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/weight.json', JSON.stringify(results, null, 2));
  });
});
