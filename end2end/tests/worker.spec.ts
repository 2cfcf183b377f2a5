import { test, expect, Page } from '@playwright/test';
import { PNG_1PX, snap } from './helpers';

// The grid worker's workspace on a phone: one-tap report with photo and position,
// resolved on the spot (自办自结), a visit to an elderly resident living alone, the
// overdue list going down, and the work ledger's spreadsheet.
const GRID = '360199001001001';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const photo = (name: string) => ({ name, mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });

/** The light workspace has no WASM to wait for: log in and land on /w. */
async function loginWorker(page: Page) {
  await page.goto('/login?next=%2Fw');
  await page.getByLabel('用户名').fill('worker');
  await page.getByLabel('密码').fill('Demo@2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/w$/);
}

/** A point inside the worker's grid: the middle of its boundary's vertices (demo grids are convex). */
async function pointInGrid(page: Page): Promise<{ latitude: number; longitude: number }> {
  const feature = await (await page.request.get(`/api/v1/territory/${GRID}/boundary`)).json();
  const geometry = feature.geometry ?? feature;
  const ring: number[][] = geometry.coordinates[0].slice(0, -1);
  const longitude = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const latitude = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return { latitude, longitude };
}

test.use({ ...PHONE });

test('a grid worker reports, resolves on the spot, visits and downloads the ledger', async ({ page, context }) => {
  await loginWorker(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await snap(page, 'worker-home');

  // One-tap report: the phone's position, a photo, a category, one line, "I'll handle it".
  const here = await pointInGrid(page);
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation(here);
  await page.getByRole('link', { name: /一键上报/ }).first().click();
  await expect(page).toHaveURL(/\/w\/report$/);
  await expect(page.locator('input[name=lat]')).toHaveValue(here.latitude.toFixed(6));
  await page.locator('#quick-report input[type=file]').setInputFiles(photo('scene.png'));
  await expect(page.locator('#previews img')).toHaveCount(1);
  await page.locator('label.tile', { hasText: '基础设施' }).click();
  const text = `井盖松动 ${Date.now()}`;
  await page.getByLabel('问题描述').fill(text);
  await page.locator('label.tile', { hasText: '自办自结' }).click();
  await snap(page, 'worker-report');
  await page.getByRole('button', { name: '一键上报' }).click();
  await expect(page).toHaveURL(/\/w\?sent=\d+$/);
  await expect(page.locator('#sent')).toContainText('已发送');
  // The draft was cleared once the server stored the report.
  expect(await page.evaluate(() => localStorage.getItem('gridgov.report.draft'))).toBeNull();

  // Resolve it within its two-hour clock, with a result photo.
  const row = page.locator('li.case-row', { hasText: text });
  await expect(row.locator('.clock')).toContainText('剩余');
  await row.getByRole('link', { name: '办结' }).click();
  await expect(page).toHaveURL(/\/w\/cases\/\d+\/resolve$/);
  await page.locator('#resolve input[type=file]').setInputFiles(photo('after.png'));
  await page.getByLabel('处理结果').fill('已重新固定井盖');
  await snap(page, 'worker-resolve');
  await page.getByRole('button', { name: '办结' }).click();
  // The worker stays in the workspace: the case on the phone, its timeline, the tabs.
  await expect(page).toHaveURL(/\/w\/cases\/\d+\?done=1$/);
  await expect(page.getByRole('status').first()).toContainText('已记录“办结”。当前状态：已办结待评价');
  await expect(page.getByText('已重新固定井盖').first()).toBeVisible();
  await expect(page.locator('nav.tabs')).toBeVisible();
  await snap(page, 'worker-case');
  await page.goto('/w');
  await page.locator('a.case-link').first().click();
  await expect(page).toHaveURL(/\/w\/cases\/\d+$/);
  await expect(page.locator('.case-head h1')).toBeVisible();
  await expect(page.locator('nav.tabs')).toBeVisible();

  // A visit to a household that is overdue (the demo's worker has three on day one, so
  // the journey can run three times in a row on one demo).
  await page.goto('/w/visits');
  const before = Number(await page.locator('#overdue-count').textContent());
  expect(before).toBeGreaterThan(0);
  await snap(page, 'worker-visits');
  await page.locator('#overdue li').first().locator('a').click();
  await expect(page).toHaveURL(/\/w\/households\/\d+$/);
  // Numbers are masked until revealed (and the reveal is audited).
  await expect(page.locator('.numbers').first()).toContainText('****');
  await page.getByRole('button', { name: '查看完整号码' }).first().click();
  await expect(page.locator('.revealed')).toContainText(/1\d{10}|\d{17}[\dX]/);
  await page.getByLabel('走访情况').fill('家中情况稳定，已检查燃气');
  await page.getByLabel('时长（分钟）').fill('35');
  await snap(page, 'worker-household');
  await page.getByRole('button', { name: '登记走访' }).click();
  await expect(page.getByRole('status').first()).toContainText('走访已登记');
  await page.goto('/w/visits');
  await expect(page.locator('#overdue-count')).toHaveText(String(before - 1));

  // Households of the grid.
  await page.goto('/w/households');
  await expect(page.locator('#households li').first()).toBeVisible();
  await snap(page, 'worker-households');
  // A search without a match says so instead of leaving the page blank.
  await page.locator('#household-filter').fill('没有这个门牌');
  await expect(page.locator('#households-none')).toBeVisible();
  await page.locator('#household-filter').fill('');
  await expect(page.locator('#households-none')).toBeHidden();
  // A household added by hand, without a spreadsheet.
  const door = `幸福里${Date.now() % 100000}号`;
  await page.locator('details.add-member summary').click();
  await page.getByLabel('门牌地址').fill(door);
  await page.getByLabel('姓名').fill('王小明');
  await page.getByLabel('手机号码').fill('13912345678');
  await snap(page, 'worker-household-add');
  await page.getByRole('button', { name: '添加住户或成员' }).click();
  await expect(page.getByRole('status').first()).toContainText('新建住户 1');
  await expect(page.locator('#households li', { hasText: door })).toContainText('139****5678');

  // The ledger: on screen, and as a spreadsheet.
  await page.goto('/w/ledger');
  await expect(page.locator('#ledger-summary')).toBeVisible();
  await snap(page, 'worker-ledger');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#ledger-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^ledger-\d+-\d{4}-\d{2}\.xlsx$/);
  const path = await download.path();
  const bytes = require('node:fs').readFileSync(path) as Buffer;
  // An XLSX is a ZIP whose parts name the workbook; its figures are checked against the
  // database by the Rust suite (server/tests/households.rs), which reads it back.
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  expect(bytes.includes(Buffer.from('xl/workbook.xml'))).toBeTruthy();
  // The month the server's ledger shows (district time, the server's clock), not the
  // browser's UTC month, which differs for eight hours at every month's turn.
  const month = download.suggestedFilename().match(/(\d{4}-\d{2})\.xlsx$/)![1];
  const api = await (await page.request.get(`/api/v1/ledger?month=${month}`)).json();
  expect(api.summary.resolved).toBeGreaterThanOrEqual(1);
  expect(api.summary.visits).toBeGreaterThanOrEqual(1);
  await expect(page.locator('#ledger-summary div').nth(3).locator('strong')).toHaveText(String(api.summary.visits));
});

test('a report being typed keeps its draft on the phone', async ({ page }) => {
  await loginWorker(page);
  await page.goto('/w/report');
  // No category is chosen for the worker: the form asks for one.
  await expect(page.locator('input[name=category]:checked')).toHaveCount(0);
  await page.locator('label.tile', { hasText: '基础设施' }).click();
  await page.getByLabel('问题描述').fill('路灯不亮，稍后再发');
  // The page is left before sending (a call comes in); opened again, the draft is back.
  // (Sent without a signal, it waits in the outbox: offline.spec.ts.)
  await page.goto('/w');
  await page.goto('/w/report');
  await expect(page.getByLabel('问题描述')).toHaveValue('路灯不亮，稍后再发');
  await expect(page.locator('input[name=category]:checked')).toHaveValue('infrastructure');
  await expect(page.locator('#draft-status')).toContainText('草稿');
  await page.evaluate(() => localStorage.removeItem('gridgov.report.draft'));
});
