import { test, expect, Page, Browser } from '@playwright/test';
import * as http from 'node:http';
import { login, perform, snap, waitForHydration } from './helpers';

const GRID = '360199001001001';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A 3000×2000 gradient PNG drawn by the browser: larger than we store, to see it shrink. */
async function bigPhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 3000;
    c.height = 2000;
    const g = c.getContext('2d')!;
    const grad = g.createLinearGradient(0, 0, 3000, 2000);
    grad.addColorStop(0, '#6d8f3a');
    grad.addColorStop(1, '#c9b28a');
    g.fillStyle = grad;
    g.fillRect(0, 0, 3000, 2000);
    g.fillStyle = '#333';
    g.fillRect(1200, 800, 600, 400);
    return c.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** Bytes on the wire for one URL when the client accepts brotli (what a phone downloads). */
function brotliBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'br' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => { n += c.length; });
      res.on('end', () => resolve(n));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function staffCaseId(browser: Browser, code: string): Promise<{ page: Page; id: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, 'worker', '/cases');
  const list = await (await page.request.get('/api/v1/cases?per_page=50')).json();
  const found = list.cases.find((c: { tracking_code: string }) => c.tracking_code === code);
  expect(found, `case ${code} in the worker's list`).toBeTruthy();
  return { page, id: found.id };
}

test('a resident reports with a photo on a phone, follows the case, and rates it green', async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`/r/${GRID}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText('网格员公示')).toBeVisible();
  await snap(page, 'resident-report');

  await page.getByText('环境卫生', { exact: true }).click();
  await page.getByLabel('问题描述').fill('小区南门垃圾桶满溢，三天没人清运');
  await page.getByLabel('从相册选择').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: await bigPhoto(page) });
  await expect(page.locator('#previews img')).toHaveCount(1);
  await page.getByLabel('手机号').fill('138 1234 1234');
  await page.getByRole('button', { name: '提交上报' }).click();

  await expect(page).toHaveURL(/\/t\/[0-9A-Z]{10}\?k=[0-9a-f]{24}&new=1$/);
  await expect(page.getByText('上报成功')).toBeVisible();
  // The personal link that rates the case is shown once, to the reporter.
  await expect(page.locator('.own-link a')).toHaveText(/^\/t\/[0-9A-Z]{10}\?k=[0-9a-f]{24}$/);
  const code = (await page.locator('.success .code').textContent())!.trim();
  const photo = page.locator('.step-report img');
  await expect(photo).toHaveCount(1);
  // Shrunk in the browser to 1,600 px (the server alone would have kept 2,048).
  await expect.poll(() => photo.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(1600);
  await snap(page, 'resident-track');

  // Staff of the grid see the masked phone, take the case and resolve it.
  const { page: staff, id } = await staffCaseId(browser, code);
  await staff.goto(`/cases/${id}`);
  await expect(staff.locator('.facts .contact')).toHaveText('138****1234');
  await perform(staff, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('simple'); });
  await perform(staff, '办结', async (f) => { await f.getByLabel('办理结果').fill('已通知环卫清运，现场已清理干净'); });
  await snap(staff, 'case-resident-staff');
  // Staff know the tracking code but not the reporter's link: they cannot rate.
  await staff.goto(`/t/${code}`);
  await expect(staff.locator('.rate-needs-link')).toBeVisible();
  await expect(staff.getByRole('button', { name: '提交评价' })).toHaveCount(0);

  await page.goto(`/t/${code}`);
  await expect(page.getByText('请评价办理结果')).toBeVisible();
  await expect(page.getByText('已通知环卫清运，现场已清理干净')).toBeVisible();
  await snap(page, 'resident-rate');
  await page.getByText('满意', { exact: true }).click();
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByText('感谢您的评价')).toBeVisible();
  // Residents hear how it went in words, never a colour's name.
  await expect(page.locator('.status-line .chip')).toHaveText('已办结归档');
  await expect(page.locator('.status-line')).toContainText('已归档');
  await snap(page, 'resident-rated');
  await context.close();
});

test('the same report works with JavaScript disabled', async ({ browser }) => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/r/${GRID}`);
  await expect(page.getByRole('button', { name: '使用我的位置' })).toBeHidden();
  await page.getByText('市容城管', { exact: true }).click();
  await page.getByLabel('问题描述').fill('路口有流动摊贩占道经营，影响通行');
  const png1px = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: png1px });
  await page.getByRole('button', { name: '提交上报' }).click();
  await expect(page).toHaveURL(/\/t\/[0-9A-Z]{10}\?k=[0-9a-f]{24}&new=1$/);
  await expect(page.getByText('上报成功')).toBeVisible();
  // The personal link that rates the case is shown once, to the reporter.
  await expect(page.locator('.own-link a')).toHaveText(/^\/t\/[0-9A-Z]{10}\?k=[0-9a-f]{24}$/);
  await expect(page.locator('.step-report img')).toHaveCount(1);

  // A refusal keeps what was typed and says why.
  await page.goto(`/r/${GRID}`);
  await page.getByText('市容城管', { exact: true }).click();
  await page.getByLabel('问题描述').fill('脏');
  await page.getByLabel('手机号').fill('12345');
  await page.getByRole('button', { name: '提交上报' }).click();
  await expect(page.getByRole('alert').first()).toContainText('上报未保存');
  await expect(page.getByLabel('问题描述')).toHaveValue('脏');
  await expect(page.getByLabel('手机号')).toHaveValue('12345');
  await snap(page, 'resident-refused-nojs');
  await context.close();
});

test('the first view of the report page stays within 100 KB brotli', async ({ browser, baseURL }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const urls = new Set<string>();
  page.on('request', (r) => { if (r.url().startsWith(baseURL!)) urls.add(r.url()); });
  await page.goto(`/r/${GRID}`, { waitUntil: 'networkidle' });
  let total = 0;
  const parts: string[] = [];
  for (const u of urls) {
    const n = await brotliBytes(u);
    total += n;
    parts.push(`${new URL(u).pathname} ${n} B`);
  }
  console.log(`page weight of /r/${GRID} (brotli): ${total} B = ${(total / 1024).toFixed(1)} KB — ${parts.join(', ')}`);
  expect([...urls].some((u) => u.includes('/pkg/'))).toBe(false);
  expect(total).toBeLessThanOrEqual(100 * 1024);
  await context.close();
});

test('staff print the QR posters of a grid and of its community', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, 'center', '/territory');
  await page.goto(`/posters/${GRID}`);
  await expect(page.locator('article.poster')).toHaveCount(1);
  await expect(page.locator('.poster .qr svg')).toBeVisible();
  await expect(page.getByRole('link', { name: '下载 PNG' })).toHaveAttribute('href', `/r/${GRID}/qr.png`);
  await snap(page, 'poster');
  await page.emulateMedia({ media: 'print' });
  await snap(page, 'poster-print');
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`/posters/${GRID.slice(0, 12)}`);
  expect(await page.locator('article.poster').count()).toBeGreaterThan(1);
  await context.close();
});
