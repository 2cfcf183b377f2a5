import { test, expect } from '@playwright/test';
import { readFileSync } from 'fs';
import { snap } from './helpers';

// A real district set up from an empty database (issue #14): the first administrator
// (created by `gridgov admin create` in .ci/serve-district.sh) imports the example
// district's boundaries on the territory page — a refused file first, with its problem on
// the map — then imports the example's departments and accounts on their pages (a refused
// table first), adds a community police officer to the first grid; the grid worker must
// replace the temporary password, reports from inside the imported grid, and the grid's QR
// page names its members. Runs against DISTRICT_URL (an empty server).

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

  // Departments and accounts from the example's tables, on their pages.
  await page.getByRole('navigation').getByRole('link', { name: '职能部门管理' }).click();
  await expect(page).toHaveURL(/\/admin\/departments$/);
  await page.locator('#table').setInputFiles(`${__dirname}/../../examples/district/departments.csv`);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('已完成');
  await expect(page.locator('table.departments')).toContainText('云溪区环境卫生管理处');
  await snap(page, 'admin-departments');

  await page.getByRole('navigation').getByRole('link', { name: '账号管理' }).click();
  // A table with a wrong row first: every reason, nothing created.
  await page.locator('#table').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('用户名,姓名,角色,所属\nwang.fang,王芳,队长,360299001001001\n') });
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.locator('tr.refused-row')).toContainText('没有这个角色');
  await snap(page, 'admin-accounts-refused');
  await page.locator('#table').setInputFiles(`${__dirname}/../../examples/district/accounts.csv`);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.locator('.issued td.temporary')).toHaveCount(10);
  const temporary = (await page.locator('.issued tr', { hasText: 'wang.fang' }).locator('td.temporary').textContent())!.trim();
  await expect(page.locator('table.accounts')).toContainText('溪口社区第1网格');
  await snap(page, 'admin-accounts-issued');

  // A community police officer joins the first grid (1+3+N).
  await page.getByRole('navigation').getByRole('link', { name: '网格成员（1+3+N）' }).click();
  await page.locator('#grid').selectOption(GRID);
  await page.getByRole('button', { name: '查看' }).click();
  await expect(page.locator('table.members')).toContainText('王芳');
  await page.getByLabel('姓名').fill('钱警官');
  await page.getByLabel('类别').selectOption('part_time_police');
  await page.getByLabel('工作电话').fill('0791-86120110');
  await page.getByRole('button', { name: '添加成员' }).click();
  await expect(page.locator('table.members')).toContainText('钱警官');
  await snap(page, 'admin-members');
  await context.close();

  // The worker: the temporary password leads to the password change, then the workspace;
  // a report from inside the imported grid lands in it.
  const phone = await browser.newContext({ baseURL: DISTRICT_URL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
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

  const grid = JSON.parse(EXAMPLE).features.find((f: any) => f.properties.code === GRID);
  const ring: number[][] = grid.geometry.coordinates[0].slice(0, -1);
  const here = {
    longitude: ring.reduce((s, p) => s + p[0], 0) / ring.length,
    latitude: ring.reduce((s, p) => s + p[1], 0) / ring.length,
  };
  await phone.grantPermissions(['geolocation']);
  await phone.setGeolocation(here);
  await worker.goto('/w/report');
  await expect(worker.locator('input[name=lat]')).toHaveValue(here.latitude.toFixed(6));
  await worker.locator('label.tile', { hasText: '环境卫生' }).click();
  await worker.getByLabel('问题描述').fill('溪口社区垃圾桶满了');
  await worker.getByRole('button', { name: '一键上报' }).click();
  await expect(worker).toHaveURL(/\/w\?sent=\d+$/);
  const id = new URL(worker.url()).searchParams.get('sent');
  const filed = await (await worker.request.get(`/api/v1/cases/${id}`)).json();
  expect(JSON.stringify(filed)).toContain(GRID);

  // The grid's QR page names its members at once.
  await worker.goto(`/r/${GRID}`);
  await expect(worker.getByText('溪口社区第1网格').first()).toBeVisible();
  await expect(worker.locator('.workers')).toContainText('王芳');
  await expect(worker.locator('.workers')).toContainText('钱警官');
  await snap(worker, 'district-qr');
  await phone.close();
});
