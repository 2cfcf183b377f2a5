import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { as, snap } from './helpers';

// Integrations in the browser: an administrator issues an Open311 key on /admin/open311;
// a partner's client (no session, only the key) posts a request; the centre finds it in
// its inbox and on the live map, from "外部平台（Open311）". The case list offers its
// exports with the current filters. A centre imports the 12345 hotline's export and
// reads every refused row before anything is filed.

const GRID = '360199001001001';

test('Open311: a key issued by an administrator files a request the centre sees', async ({ browser, playwright, baseURL }) => {
  const admin = await as(browser, 'admin', '/cases');
  await admin.goto('/admin/open311');
  await admin.getByLabel('名称（对接平台）').fill('市民通 App');
  await admin.getByLabel('每分钟请求数').fill('30');
  await admin.getByRole('button', { name: '签发密钥' }).click();
  const key = (await admin.locator('#issued-key').textContent())!.trim();
  expect(key).toHaveLength(40);
  await expect(admin.getByRole('cell', { name: '市民通 App' })).toBeVisible();
  await snap(admin, 'open311-keys');

  // A point inside the worker's grid, from its boundary.
  const boundary = await (await admin.request.get(`/api/v1/territory/${GRID}/boundary`)).json();
  const ring: number[][] = boundary.geometry.coordinates[0].slice(0, -1);
  const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;

  const partner = await playwright.request.newContext({ baseURL });
  const refused = await partner.post('/open311/v2/requests.xml', { form: { service_code: 'sanitation', lat: String(lat), long: String(lng), description: 'x' } });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain('<errors><error><code>403</code>');
  const posted = await partner.post('/open311/v2/requests.json', {
    form: { api_key: key, service_code: 'sanitation', lat: String(lat), long: String(lng), description: '小区东门垃圾桶满溢（市民通）', phone: '13812341234' },
  });
  expect(posted.status()).toBe(201);
  const code: string = (await posted.json())[0].service_request_id;
  const back = await (await partner.get(`/open311/v2/requests/${code}.json`)).json();
  expect(back[0].status).toBe('open');

  const center = await as(browser, 'center', '/inbox');
  await expect(center.getByText('小区东门垃圾桶满溢（市民通）')).toBeVisible();
  const d = 0.01;
  const map = await (await center.request.get(`/api/v1/map/cases?bbox=${lat - d},${lng - d},${lat + d},${lng + d}&zoom=17`)).json();
  expect(map.cases.some((c: { tracking_code: string }) => c.tracking_code === code)).toBeTruthy();
  const found = await (await center.request.get(`/api/v1/cases?q=${code}`)).json();
  await center.goto(`/cases/${found.cases[0].id}`);
  await expect(center.getByText('外部平台（Open311）').first()).toBeVisible();
  await expect(center.locator('body')).not.toContainText('13812341234');
});

test('the case list exports what it shows', async ({ browser }) => {
  const center = await as(browser, 'center', '/cases?status=reported');
  const xlsx = center.getByRole('link', { name: 'XLSX' });
  await expect(xlsx).toHaveAttribute('href', '/api/v1/cases.xlsx?status=reported');
  await expect(center.getByRole('link', { name: 'GeoJSON' })).toHaveAttribute('href', '/api/v1/cases.geojson?status=reported');
  const [download] = await Promise.all([center.waitForEvent('download'), xlsx.click()]);
  expect(download.suggestedFilename()).toBe('cases.xlsx');
  const csv = await center.request.get('/api/v1/cases.csv?status=reported');
  expect(csv.status()).toBe(200);
  const rows = (await csv.text()).match(/^[0-9A-Z]{10},/gm) ?? [];
  const listed = await (await center.request.get('/api/v1/cases?status=reported&per_page=1')).json();
  expect(rows.length).toBe(listed.total);
  await snap(center, 'cases-exports');
});

test('12345: the import page names every refused row, then files the orders', async ({ browser }) => {
  const sample = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'hotline-orders.csv'), 'utf8');
  const center = await as(browser, 'center', '/inbox');
  await center.getByRole('link', { name: '12345 热线工单' }).click();
  await expect(center).toHaveURL(/\/hotline$/);
  const broken = sample + 'GD20261124009,昨天上午,x,,28.699406,115.862711,没有的类别,一般,,,,,\n';
  await center.getByLabel('选择文件').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  await center.getByRole('button', { name: '导入', exact: true }).click();
  const refused = center.locator('tr.refused-row');
  await expect(refused).toHaveCount(2);
  await expect(refused.first()).toContainText('时间格式应为');
  await expect(refused.nth(1)).toContainText('没有这个问题类别');
  await snap(center, 'hotline-refused');

  await center.getByLabel('选择文件').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(sample) });
  await center.getByRole('button', { name: '导入', exact: true }).click();
  await expect(center.getByText('已导入：新建 3 条，更新 0 条，回访 0 条。')).toBeVisible();
  await expect(center.getByRole('cell', { name: 'GD20261124002' })).toBeVisible();
  await snap(center, 'hotline-imported');
  await center.goto('/inbox');
  await expect(center.getByText('桂花路与荷塘路口井盖松动，车辆经过有响声')).toBeVisible();
});
