import { test, expect } from '@playwright/test';
import { readFileSync } from 'fs';
import { snap } from './helpers';

// A real district set up from an empty database (issue #14): the first administrator
// (created by `gridgov admin create` in .ci/serve-district.sh) imports the example
// district's boundaries on the territory page — a refused file first, with its problem on
// the map — then creates a grid worker, who must replace the temporary password, and the
// imported grid's QR page shows the grid. Runs against DISTRICT_URL (an empty server).

const DISTRICT_URL = process.env.DISTRICT_URL;
const ADMIN_PASSWORD = '云溪河边的第一棵枫树';
const GRID = '360299001001001';
const EXAMPLE = readFileSync(`${__dirname}/../../examples/district/territory.geojson`, 'utf-8');

test.skip(!DISTRICT_URL, 'DISTRICT_URL names the empty server (.ci/test.sh starts one)');

test('an administrator sets up a district from an empty database', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: DISTRICT_URL });
  const page = await context.newPage();
  await page.goto('/login?next=%2Fadmin%2Fterritory');
  await page.getByLabel('用户名').fill('yunxi');
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/admin\/territory$/);
  await expect(page.getByRole('heading', { name: '辖区边界' })).toBeVisible();

  // A file with a hole in a community: refused, the gap listed and marked on the map.
  const gap = JSON.parse(EXAMPLE);
  gap.features = gap.features.filter((f: any) => f.properties.code !== '360299002001004');
  await page.locator('#file').setInputFiles({ name: 'gap.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(gap)) });
  await page.getByRole('button', { name: '检查并预览' }).click();
  await expect(page.getByText('未导入，发现问题：')).toBeVisible();
  await expect(page.locator('tr.problem-gap')).toContainText('360299002001');
  await expect(page.locator('#territory-map .leaflet-interactive').first()).toBeVisible();
  await snap(page, 'admin-territory-refused');

  // The example: the plan, then the import.
  await page.locator('#file').setInputFiles({ name: 'territory.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(EXAMPLE) });
  await page.getByRole('button', { name: '检查并预览' }).click();
  await expect(page.getByText('检查通过，导入将会：')).toBeVisible();
  await expect(page.locator('.plan')).toContainText('新增 26');
  await snap(page, 'admin-territory-plan');
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByText('已导入。')).toBeVisible();
  await expect(page.locator('main')).toContainText('网格 20');
  await snap(page, 'admin-territory-applied');

  // A grid worker for the first grid, with a temporary password shown once.
  const created = await page.request.post('/api/v1/admin/accounts', {
    headers: { Origin: DISTRICT_URL! },
    data: { username: 'wang.fang', display_name: '王芳', role: 'worker', node: GRID },
  });
  expect(created.status()).toBe(201);
  const temporary = (await created.json()).temporary_password as string;
  await context.close();

  const phone = await browser.newContext({ baseURL: DISTRICT_URL, viewport: { width: 390, height: 844 } });
  const worker = await phone.newPage();
  await worker.goto('/login?next=%2Fw');
  await worker.getByLabel('用户名').fill('wang.fang');
  await worker.getByLabel('密码').fill(temporary);
  await worker.getByRole('button', { name: '登录' }).click();
  await expect(worker).toHaveURL(/\/account\/password$/);
  await worker.getByLabel('当前密码').fill(temporary);
  await worker.getByLabel('新密码').fill('王芳在溪口社区的新密码');
  await worker.getByRole('button', { name: '修改密码' }).click();
  await expect(worker.getByRole('status')).toBeVisible();
  await worker.goto(`/r/${GRID}`);
  await expect(worker.getByText('溪口社区第1网格').first()).toBeVisible();
  await phone.close();
});
