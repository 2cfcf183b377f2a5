import { test, expect, Page, BrowserContext, Browser } from '@playwright/test';
import { DEMO_PASSWORD, PNG_1PX, snap } from './helpers';

// A grid worker without a signal (issue 19): the workspace opens from the phone's cache,
// reports, a visit and a resolution wait in the outbox, and are sent in order, each
// exactly once, when the signal returns; a refusal is shown with the worker's words kept.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const photo = (name: string) => ({ name, mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });

async function workerPhone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto('/login?next=%2Fw');
  await page.getByLabel('用户名').fill('worker');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/w$/);
  return { context, page };
}

/** Waits until the service worker controls the page and has kept the workspace. */
async function keptForOffline(page: Page) {
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15000 }).toBe(true);
  await expect(page.locator('html')).toHaveAttribute('data-offline-pages', /^[1-9]\d*$/, { timeout: 30000 });
}

/** Files a self-handled report online and returns its case id. */
async function reportOnline(page: Page, text: string): Promise<number> {
  await page.goto('/w/report');
  await page.locator('label.tile', { hasText: '市容城管' }).click();
  await page.getByLabel('问题描述').fill(text);
  await page.locator('label.tile', { hasText: '自办自结' }).click();
  await page.getByRole('button', { name: '一键上报' }).click();
  await expect(page).toHaveURL(/\/w\?sent=\d+$/);
  return Number(new URL(page.url()).searchParams.get('sent'));
}

/** The worker's cases whose description is `text` (read back through the API). */
async function casesWith(page: Page, text: string) {
  const list = await (await page.request.get('/api/v1/cases?per_page=200')).json();
  return list.cases.filter((c: { description: string }) => c.description.includes(text));
}

/** A report filed on the (kept) report form; it lands in the outbox. */
async function reportOffline(page: Page, text: string) {
  await page.getByRole('link', { name: /一键上报/ }).first().click();
  await expect(page).toHaveURL(/\/w\/report$/);
  await page.locator('#quick-report input[type=file]').setInputFiles(photo('scene.png'));
  await expect(page.locator('#previews img')).toHaveCount(1);
  await page.locator('label.tile', { hasText: '市容城管' }).click();
  await page.getByLabel('问题描述').fill(text);
  await page.getByRole('button', { name: '一键上报' }).click();
  await expect(page).toHaveURL(/\/w\/outbox\?queued=\d+$/);
  await expect(page.locator('#outbox-queued')).toBeVisible();
}

test.use({ ...PHONE });

test('offline: the workspace opens from the cache, four writes wait, and are sent in order exactly once', async ({ browser }) => {
  test.setTimeout(120000);
  const { context, page } = await workerPhone(browser);
  const stamp = Date.now();
  // A case of the worker's own to resolve later without a signal.
  const own = await reportOnline(page, `占道堆物 ${stamp}`);
  await keptForOffline(page);
  // The manifest makes it installable: start at /w, standalone, with icons.
  const manifest = await (await page.request.get('/worker.webmanifest')).json();
  expect(manifest.start_url).toBe('/w');
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

  await context.setOffline(true);
  const home = await page.goto('/w');
  expect(home?.fromServiceWorker()).toBe(true);
  await expect(page.locator('li.case-row', { hasText: `占道堆物 ${stamp}` })).toBeVisible();

  await reportOffline(page, `离线上报一 ${stamp}`);
  await reportOffline(page, `离线上报二 ${stamp}`);

  // A visit to a household of the grid, from its kept page (masked numbers only).
  await page.getByRole('link', { name: /户/ }).first().click();
  await expect(page).toHaveURL(/\/w\/households$/);
  await page.locator('ul#households li a').first().click();
  await expect(page).toHaveURL(/\/w\/households\/\d+$/);
  const household = Number(new URL(page.url()).pathname.split('/').pop());
  await expect(page.locator('main')).not.toContainText(/1[3-9]\d{9}/);
  await page.locator('#visit textarea[name=notes]').fill(`离线走访 ${stamp}`);
  // Its need becomes a case of its own, filed with the visit.
  await page.locator('#visit textarea[name=needs]').fill(`楼道扶手松动 ${stamp}`);
  await page.locator('#visit input[name=to_case]').check();
  await page.locator('#visit select[name=category]').selectOption('infrastructure');
  await page.locator('#visit input[type=file]').setInputFiles(photo('visit.png'));
  await page.locator('#visit button[type=submit]').click();
  await expect(page).toHaveURL(/\/w\/outbox\?queued=\d+$/);

  // The resolution of the worker's own case, from its kept form.
  await page.goto(`/w/cases/${own}/resolve`);
  await page.locator('#resolve input[type=file]').setInputFiles(photo('after.png'));
  await page.getByLabel('处理结果').fill(`离线办结 ${stamp}`);
  await page.getByRole('button', { name: '办结' }).click();
  await expect(page).toHaveURL(/\/w\/outbox\?queued=\d+$/);
  await expect(page.locator('li.entry.state-waiting')).toHaveCount(4);
  await expect(page.locator('#outbox-status')).toContainText('没有网络');
  await expect(page.locator('#outbox-usage')).toContainText('MB / 50.0 MB');
  await snap(page, 'offline-outbox-waiting');
  // Every workspace page says what waits, and leads to the outbox.
  await page.goto('/w');
  await expect(page.locator('#outbox-bar')).toContainText('4 条待发送');
  await snap(page, 'offline-home-waiting');
  await page.locator('#outbox-bar a').click();
  await expect(page).toHaveURL(/\/w\/outbox$/);

  // The signal returns: sent by themselves, oldest first (after the one sent online).
  await context.setOffline(false);
  await expect(page.locator('li.entry.state-sent')).toHaveCount(5, { timeout: 30000 });
  await expect(page.locator('li.entry.state-waiting')).toHaveCount(0);
  const order = await page.locator('li.entry').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind).reverse());
  expect(order).toEqual(['report', 'report', 'report', 'visit', 'resolve']);
  // Each shows the tracking code it was filed under (the visit: its need's case).
  for (const code of await page.locator('li.entry.state-sent a.mono').allTextContents()) {
    expect(code).toMatch(/^[0-9A-Z]{8,}$/);
  }
  await expect(page.locator('li.entry.state-sent a.mono')).toHaveCount(5);
  await snap(page, 'offline-outbox-sent');

  // Each exactly once, read back through the API.
  const [first] = await casesWith(page, `离线上报一 ${stamp}`);
  const [second, twin] = await casesWith(page, `离线上报二 ${stamp}`);
  expect(first).toBeTruthy();
  expect(second).toBeTruthy();
  expect(twin).toBeUndefined();
  expect(await casesWith(page, `离线上报一 ${stamp}`)).toHaveLength(1);
  expect(first.id).toBeLessThan(second.id); // filed in the order they were made
  const visits = (await (await page.request.get(`/api/v1/households/${household}`)).json()).visits;
  expect(visits.filter((v: { notes: string }) => v.notes === `离线走访 ${stamp}`)).toHaveLength(1);
  expect(await casesWith(page, `楼道扶手松动 ${stamp}`)).toHaveLength(1);
  const resolved = await (await page.request.get(`/api/v1/cases/${own}`)).json();
  expect(resolved.summary.status).toBe('resolved');
  await context.close();
});

test('offline: a connection cut in the middle of an upload still ends with exactly one case', async ({ browser }) => {
  const { context, page } = await workerPhone(browser);
  const text = `断线上报 ${Date.now()}`;
  // The first upload reaches the server, but its answer is lost on the way back.
  let cut = false;
  await page.route('**/w/report?*', async (route) => {
    if (cut || route.request().method() !== 'POST') return route.continue();
    cut = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.goto('/w/report');
  await page.locator('#quick-report input[type=file]').setInputFiles(photo('scene.png'));
  await page.locator('label.tile', { hasText: '市容城管' }).click();
  await page.getByLabel('问题描述').fill(text);
  await page.getByRole('button', { name: '一键上报' }).click();
  await expect(page).toHaveURL(/\/w\/outbox\?queued=\d+$/);
  expect(cut).toBe(true);
  // Sent again with the same key: the server answers with the case it already filed.
  await page.getByRole('button', { name: '立即发送' }).click();
  await expect(page.locator('li.entry.state-sent')).toHaveCount(1);
  expect(await casesWith(page, text)).toHaveLength(1);
  await context.close();
});

test('offline: a queued resolution of a case handed on meanwhile shows the refusal and keeps the text and photo', async ({ browser }) => {
  test.setTimeout(90000);
  const { context, page } = await workerPhone(browser);
  const stamp = Date.now();
  const own = await reportOnline(page, `井盖异响 ${stamp}`);
  await keptForOffline(page);

  await context.setOffline(true);
  await page.goto(`/w/cases/${own}/resolve`);
  await page.locator('#resolve input[type=file]').setInputFiles(photo('after.png'));
  await page.getByLabel('处理结果').fill(`已加垫片 ${stamp}`);
  await page.getByRole('button', { name: '办结' }).click();
  await expect(page).toHaveURL(/\/w\/outbox\?queued=\d+$/);

  // Meanwhile, at the desk, the case is handed up (上报): it is no longer the worker's.
  const desk = await workerPhone(browser);
  const handed = await desk.page.request.post(`/api/v1/cases/${own}/actions`, { data: { action: 'escalate', reason: '需社区协调' } });
  expect(handed.status()).toBe(200);
  await desk.context.close();

  await context.setOffline(false);
  const entry = page.locator('li.entry.state-refused');
  await expect(entry).toHaveCount(1, { timeout: 30000 });
  await expect(entry.getByRole('alert')).toContainText('服务器未受理');
  await expect(entry.locator('textarea')).toHaveValue(`已加垫片 ${stamp}`);
  await expect(entry.locator('.previews img')).toHaveCount(1);
  await snap(page, 'offline-outbox-refused');
  // Nothing was recorded for it on the server.
  const detail = await (await page.request.get(`/api/v1/cases/${own}`)).json();
  expect(detail.summary.status).not.toBe('resolved');
  // Edited and resent, it goes as a new request and is answered again (still not the
  // worker's case): the edited words and the photo stay.
  await entry.locator('textarea').fill(`已加垫片并拍照 ${stamp}`);
  const resent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/w/cases/${own}/resolve`));
  await entry.getByRole('button', { name: '修改后重发' }).click();
  expect((await resent).status()).toBe(409);
  await expect(page.locator('li.entry.state-refused')).toHaveCount(1);
  await expect(page.locator('li.entry.state-refused textarea')).toHaveValue(`已加垫片并拍照 ${stamp}`);
  await expect(page.locator('li.entry.state-refused .previews img')).toHaveCount(1);
  // Discarding asks first, then the entry is gone.
  page.once('dialog', (d) => d.accept());
  await entry.getByRole('button', { name: '放弃' }).click();
  await expect(page.locator('li.entry.state-refused')).toHaveCount(0);
  await context.close();
});

/** Bytes over the network and load time of the page just opened (Navigation/Resource Timing). */
async function weight(page: Page): Promise<{ bytes: number; ms: number; fromCache: number }> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const all = [nav, ...res];
    return {
      bytes: all.reduce((n, e) => n + e.transferSize, 0),
      ms: Math.round(nav.loadEventEnd - nav.startTime),
      fromCache: all.filter((e) => e.transferSize === 0).length,
    };
  });
}

test('the workspace\'s weight: first view over the network, then from the phone without one', async ({ browser }) => {
  const { context, page } = await workerPhone(browser);
  await keptForOffline(page);
  const figures: string[] = [`pages kept ${await page.locator('html').getAttribute('data-offline-pages')}`];
  for (const path of ['/w', '/w/report', '/w/households', '/w/outbox']) {
    // A first view: nothing cached by the browser or the service worker for this request.
    const fresh = await browser.newContext({ ...PHONE, serviceWorkers: 'block', storageState: await context.storageState() });
    const p = await fresh.newPage();
    await p.goto(path, { waitUntil: 'load' });
    const first = await weight(p);
    await fresh.close();
    await context.setOffline(true);
    await page.goto(path, { waitUntil: 'load' });
    const kept = await weight(page);
    await context.setOffline(false);
    expect(kept.bytes, `${path} offline takes nothing from the network`).toBe(0);
    expect(first.bytes).toBeGreaterThan(0);
    figures.push(`${path}: first view ${first.bytes} B in ${first.ms} ms; kept view 0 B in ${kept.ms} ms`);
  }
  console.log(`workspace weight (390×844, brotli as served): ${figures.join(' | ')}`);
  await context.close();
});

test('a new version of the workspace waits until the worker chooses to reload', async ({ browser }) => {
  const { context, page } = await workerPhone(browser);
  await keptForOffline(page);
  // The next release, as the browser meets it: another worker script for the same scope.
  // (A release changes /w/sw.js's version stamp; a new script address is the same event.)
  await page.goto('/w/report');
  await page.getByLabel('问题描述').fill('写了一半的上报');
  await page.evaluate(() => navigator.serviceWorker.register('/w/sw.js?release=next', { scope: '/w' }));
  const bar = page.locator('#update-bar');
  await expect(bar).toBeVisible({ timeout: 15000 });
  await expect(bar).toContainText('新版本');
  // Nothing reloads by itself: what is being typed stays until the worker says so.
  await expect(page.getByLabel('问题描述')).toHaveValue('写了一半的上报');
  await snap(page, 'offline-update-ready');
  const reloaded = page.waitForEvent('load');
  await bar.getByRole('button', { name: '重新加载' }).click();
  await reloaded;
  await expect(page.locator('#update-bar')).toBeHidden();
  const script = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  expect(script).toContain('release=next');
  // The draft came back with the reload.
  await expect(page.getByLabel('问题描述')).toHaveValue('写了一半的上报');
  await page.evaluate(() => localStorage.removeItem('gridgov.report.draft'));
  await context.close();
});

test('signing out forgets the pages kept on the phone: nothing opens offline afterwards', async ({ browser }) => {
  const { context, page } = await workerPhone(browser);
  await keptForOffline(page);
  expect(await page.evaluate(() => caches.has('gridgov-w-pages'))).toBe(true);
  await page.goto('/cases');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect.poll(() => page.evaluate(() => caches.has('gridgov-w-pages'))).toBe(false);
  await context.setOffline(true);
  const res = await page.goto('/w');
  expect(res?.status()).toBe(503);
  await expect(page.locator('h1')).toHaveText('此页面尚未离线保存');
  await expect(page.locator('main')).not.toContainText('孙子涵');
  await snap(page, 'offline-not-kept');
  await context.close();
});
