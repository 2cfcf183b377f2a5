import { test, expect, Browser, Page } from '@playwright/test';
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { as, login, perform, reportCase, snap, waitForHydration } from './helpers';

// The 数字城管 steps in the browser: a report declared invalid (不予立案) and what the
// resident reads; a department's result failed on site, reworked, passed and rated, with
// the department's 返工率 moving; a deferred case (缓办) off the red list and back on its
// review date — on a server of its own whose clock the test sets.

const GRID = '360199001001001';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function caseIdByCode(page: Page, code: string): Promise<number> {
  const list = await (await page.request.get('/api/v1/cases?per_page=50&status=reported')).json();
  const found = list.cases.find((c: { tracking_code: string }) => c.tracking_code === code);
  expect(found, `case ${code} in the centre's list`).toBeTruthy();
  return found.id;
}

test('不予立案: the resident reads why their report is not a case', async ({ browser }) => {
  const phone = await browser.newContext(PHONE);
  const resident = await phone.newPage();
  await resident.goto(`/r/${GRID}`);
  await resident.getByText('市容城管', { exact: true }).click();
  await resident.getByLabel('问题描述').fill('楼上邻居装修噪音扰民，物业不管');
  await resident.getByRole('button', { name: '提交上报' }).click();
  await expect(resident).toHaveURL(/\/t\/[0-9A-Z]{10}\?k=/);
  const code = (await resident.locator('.success .code').textContent())!.trim();

  const center = await as(browser, 'center', '/inbox');
  const id = await caseIdByCode(center, code);
  await center.goto(`/cases/${id}`);
  await perform(center, '不予立案（作废）', async (f) => {
    await expect(f.getByLabel('作废原因')).toHaveValue('');
    await f.getByLabel('作废原因').selectOption('not_our_remit');
    await f.getByLabel('给报告人的说明（显示在查询页）').fill('装修噪音请向小区物业服务企业反映，或拨打12345转住建部门。');
  });
  await expect(center.locator('.facts')).toContainText('不予立案');
  await expect(center.locator('.facts')).toContainText('不属于受理范围');
  await snap(center, 'case-invalid');

  await resident.goto(`/t/${code}`);
  await expect(resident.locator('.status-line .chip')).toHaveText('经核实不予立案，原因见下方');
  const step = resident.locator('.step-invalidate');
  await expect(step).toContainText('不予立案');
  await expect(step.locator('.says')).toHaveText('该问题不属于本平台受理范围，请按下方说明向相关单位反映。');
  await expect(step.locator('.text')).toHaveText('装修噪音请向小区物业服务企业反映，或拨打12345转住建部门。');
  await expect(resident.locator('main')).not.toContainText('指挥中心');
  await snap(resident, 'resident-invalid');
  await phone.close();
});

/** Urban management's on-site checks this month: (checks, failed), and the 返工率 its row shows. */
async function urbanChecks(leader: Page): Promise<[number, number, string]> {
  const r = await (await leader.request.get('/api/v1/rankings?kind=department')).json();
  const urban = r.units.find((u: any) => u.facts.code === 'urban');
  await leader.goto('/rankings?kind=department');
  await waitForHydration(leader);
  const shown = (await leader.locator('tr[data-unit="urban"] td.rework').innerText()).trim();
  return [urban.facts.checks, urban.facts.checks_failed, shown];
}

test('核查 and 返工: a department\'s result fails on site with a photo, is reworked, passes and is rated', async ({ browser }) => {
  const leader = await as(browser, 'leader', '/rankings?kind=department');
  const [checks, failed] = await urbanChecks(leader);

  const worker = await as(browser, 'worker', '/cases/new', true);
  const id = await reportCase(worker, '市容城管', '幸福路人行道护栏倒伏，需要修复');

  const center = await as(browser, 'center', `/cases/${id}`);
  await perform(center, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('coordination'); });
  await perform(center, '派单（吹哨）', async (f) => { await f.getByLabel('主办部门').selectOption('urban'); });
  const urban = await as(browser, 'dept', `/cases/${id}`);
  await perform(urban, '报到签收');
  await perform(urban, '办结', async (f) => { await f.getByLabel('办理结果').fill('护栏已扶正'); });
  await expect(urban.locator('.facts')).toContainText('待核查');

  // The grid worker checks on site, on the phone: not fixed — a photo says why.
  await worker.goto(`/cases/${id}`);
  await perform(worker, '现场核查', async (f) => {
    await f.getByLabel('核查结果').selectOption('no');
    await f.getByLabel('说明').fill('护栏底座仍松动，一推就倒');
  });
  await worker.getByLabel('添加照片').setInputFiles({ name: 'check.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
  await worker.getByRole('button', { name: '上传照片' }).click();
  await expect(worker.locator('.timeline li').last().locator('.photos img')).toHaveCount(1);
  await expect(worker.locator('.facts')).toContainText('返工次数');
  await snap(worker, 'case-rework-phone');

  await urban.goto('/notifications');
  await expect(urban.locator('.notice').first()).toContainText('核查未通过');
  await urban.goto(`/cases/${id}`);
  await perform(urban, '办结', async (f) => { await f.getByLabel('办理结果').fill('已更换底座并加固'); });
  await worker.goto(`/cases/${id}`);
  await perform(worker, '现场核查', async (f) => { await f.getByLabel('核查结果').selectOption('yes'); });
  await center.goto(`/cases/${id}`);
  await perform(center, '评价回访', async (f) => {
    await f.getByLabel('评价回访').selectOption('satisfied');
    await f.getByLabel('居民的回答').fill('电话回访：护栏已修好，满意');
  });
  await expect(center.locator('.facts')).toContainText('已归档');
  const steps = center.locator('ol.timeline > li');
  const names = ['上报', '受理分类', '派单', '报到签收', '办结', '现场核查', '办结', '现场核查', '评价回访'];
  await expect(steps).toHaveCount(names.length);
  for (const [i, name] of names.entries()) await expect(steps.nth(i)).toContainText(name);
  await expect(steps.nth(5)).toContainText('不通过：返工');
  await expect(steps.nth(7)).toContainText('通过：问题已解决');
  await snap(center, 'case-verified-timeline');

  const after = await urbanChecks(leader);
  expect(after.slice(0, 2), 'two more checks, one failed').toEqual([checks + 2, failed + 1]);
  expect(after[2]).toBe(`${((failed + 1) / (checks + 2) * 100).toFixed(1)}%`);
  await snap(leader, 'rankings-departments-rework');
});

// ---- 缓办 on a server whose clock the test sets ----

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const ROOT = path.resolve(__dirname, '../..');

/** Starts the demo server on `dir` with its clock at `now`; resolves once healthy. */
async function serve(dir: string, port: number, now: string): Promise<ChildProcess> {
  const child = spawn(path.join(ROOT, 'target/debug/gridgov'), [], {
    cwd: ROOT,
    env: {
      ...process.env,
      LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      GRIDGOV_DEMO: '1',
      GRIDGOV_DEMO_NOW: now,
      GRIDGOV_DATA_DIR: dir,
      RUST_LOG: 'warn',
    },
    stdio: 'ignore',
  });
  // Loading the demo's 5,000 cases takes seconds; on a busy machine, minutes.
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error('the deferral server did not become healthy');
}

async function stop(child: ChildProcess) {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

async function on(browser: Browser, base: string, username: string, next: string) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await login(page, username, next);
  return page;
}

test('缓办: a deferred case leaves the red list and comes back on its review date', async ({ browser }) => {
  test.setTimeout(900_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridgov-deferral-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = await serve(dir, port, '2026-11-25T10:00:00+08:00');
  try {
    // Wednesday: a coordination case dispatched to urban management (due next Wednesday).
    const worker = await on(browser, base, 'worker', '/cases/new');
    await worker.getByText('市容城管', { exact: true }).click();
    await worker.getByLabel('问题描述').fill('滨河步道路灯整排不亮，需更换线路');
    await worker.getByRole('button', { name: '提交' }).click();
    await expect(worker).toHaveURL(/\/cases\/\d+$/);
    const id = Number(worker.url().split('/').pop());
    const center = await on(browser, base, 'center', `/cases/${id}`);
    await perform(center, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('coordination'); });
    await perform(center, '派单（吹哨）', async (f) => { await f.getByLabel('主办部门').selectOption('urban'); });
    const urban = await on(browser, base, 'dept', `/cases/${id}`);
    await perform(urban, '报到签收');
    await perform(urban, '申请缓办', async (f) => {
      await f.getByLabel('复查日期').fill('2026-12-08');
      await f.getByLabel('原因').fill('需整体更换线路，纳入年度维修计划，待资金下达');
    });
    await center.reload();
    await perform(center, '审批缓办', async (f) => { await f.getByLabel('审批缓办').selectOption('yes'); });
    await expect(center.locator('.facts')).toContainText('缓办');
    await expect(center.locator('.facts')).toContainText('2026-12-08');
    await snap(center, 'case-deferred');

    // Next Friday, past its deadline: deferred, so not red — it is off the red list.
    await stop(server);
    server = await serve(dir, port, '2026-12-04T10:00:00+08:00');
    const friday = await on(browser, base, 'leader', `/cases/${id}`);
    await expect(friday.locator('.facts')).toContainText('缓办');
    await expect(friday.locator('.case-head .chip')).not.toHaveText(/红/);
    const red = await (await friday.request.get('/api/v1/cases?colour=red&status=deferred')).json();
    expect(red.total, 'no deferred case is red').toBe(0);
    const deferred = await (await friday.request.get('/api/v1/cases?status=deferred&per_page=100')).json();
    expect(deferred.cases.map((c: any) => c.id)).toContain(id);

    // The review date, Tuesday morning: back in urban's hands by itself, with time to act.
    await stop(server);
    server = await serve(dir, port, '2026-12-08T09:00:00+08:00');
    const again = await on(browser, base, 'leader', `/cases/${id}`);
    await expect.poll(async () => {
      const d = await (await again.request.get(`/api/v1/cases/${id}`)).json();
      return d.summary.status;
    }, { timeout: 120_000 }).toBe('handling');
    await again.reload();
    await waitForHydration(again);
    await expect(again.locator('ol.timeline > li').last()).toContainText('恢复办理');
    await expect(again.locator('ol.timeline > li').last()).toContainText('系统');
    await expect(again.locator('.case-head .chip')).not.toHaveText(/红/);
    await snap(again, 'case-resumed');
    const urbanAgain = await on(browser, base, 'dept', '/notifications');
    await expect(urbanAgain.locator('.notice').first()).toContainText('缓办到期，恢复办理');
  } finally {
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
