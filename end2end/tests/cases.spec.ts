import { test, expect } from '@playwright/test';
import { PNG_1PX, actionForm, as, perform, reportCase, snap, waitForHydration } from './helpers';

test('a grid worker reports a simple case, closes it in the grid, and the centre records the resident\'s answer', async ({ browser }) => {
  const page = await as(browser, 'worker', '/cases', true);
  await expect(page.getByRole('heading', { name: '事件列表' })).toBeVisible();
  await snap(page, 'cases-worker');

  await reportCase(page, '市容城管', '桂花路口有流动摊贩占道经营');
  await snap(page, 'case-new-worker');
  await expect(page.locator('.facts')).toContainText('待受理');

  await perform(page, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('simple'); });
  await expect(page.locator('.facts')).toContainText('网格办理中');
  await perform(page, '办结', async (f) => { await f.getByLabel('办理结果').fill('已劝离摊贩，恢复通行'); });
  await expect(page.locator('.facts')).toContainText('已办结待评价');
  await expect(page.locator('.case-head .chip')).toHaveText(/黄/);
  // A result photo on the resolution, from the phone's camera.
  await page.getByLabel('添加照片').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
  await page.getByRole('button', { name: '上传照片' }).click();
  await expect(page.locator('.timeline li').nth(2).locator('.photos img')).toHaveCount(1);
  await expect(page.locator('.timeline li').nth(2).locator('.photos img')).toHaveJSProperty('naturalWidth', 1);
  await waitForHydration(page);
  // Whoever resolved the case never rates it (satisfaction weighs in their ranking).
  await expect(actionForm(page, '评价回访')).toHaveCount(0);
  const id = Number(page.url().split('/').pop());
  const center = await as(browser, 'center', `/cases/${id}`);
  await waitForHydration(center);
  await perform(center, '评价回访', async (f) => {
    await expect(f.getByLabel('评价回访')).toHaveValue(''); // nothing pre-selected
    await f.getByLabel('评价回访').selectOption('satisfied');
    await f.getByLabel('居民的回答').fill('电话回访：居民表示摊贩已离开，满意');
  });
  await expect(center.locator('.facts')).toContainText('已归档');
  await expect(center.locator('.timeline li').nth(3)).toContainText('工作人员代录回访');
  await page.reload();
  await expect(page.locator('.facts')).toContainText('已归档');
  await expect(page.locator('.case-head .chip')).toHaveText('绿');

  // The timeline shows every step with who and when.
  const steps = page.locator('.timeline li');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(2)).toContainText('办结');
  await expect(steps.nth(2)).toContainText('已劝离摊贩，恢复通行');
  await snap(page, 'case-green-worker');
});

test('the command centre blows the whistle to two departments and the lead reports for duty', async ({ browser }) => {
  const worker = await as(browser, 'worker', '/cases');
  const id = await reportCase(worker, '环境卫生', '小区垃圾桶满溢三天未清运');

  const center = await as(browser, 'center', `/cases/${id}`);
  await perform(center, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('coordination'); });
  await expect(center.locator('.facts')).toContainText('待派单');
  await perform(center, '派单（吹哨）', async (f) => {
    await f.getByLabel('主办部门').selectOption('urban');
    await f.getByLabel('协办部门').first().selectOption('police');
  });
  await expect(center.locator('.facts')).toContainText('已派单待报到');
  const rows = center.locator('table.dispatches tbody tr');
  await expect(rows).toHaveCount(3); // lead, co-handler and the copy to the competent department
  await snap(center, 'case-dispatched');

  const dept = await as(browser, 'dept', '/cases');
  await expect(dept.locator('.case-card').first()).toContainText('小区垃圾桶满溢三天未清运');
  await dept.goto(`/cases/${id}`);
  await perform(dept, '报到签收');
  await expect(dept.locator('.facts')).toContainText('部门办理中');

  // Both departments' states, side by side.
  await center.reload();
  await expect(center.locator('tr[data-department="urban"] .dispatch-state')).toHaveText('部门办理中');
  await expect(center.locator('tr[data-department="police"] .dispatch-state')).toHaveText('待报到');
  await expect(center.locator('tr[data-department="sanitation"] .dispatch-state')).toHaveText('知会');
  await snap(center, 'case-two-departments');
});

test('a key case gets a consultation record with its decision', async ({ browser }) => {
  const worker = await as(browser, 'worker', '/cases');
  const id = await reportCase(worker, '基础设施', '老旧小区雨污管网混接，雨天污水外溢');
  const center = await as(browser, 'center', `/cases/${id}`);
  await perform(center, '受理分类', async (f) => {
    await f.getByLabel('分类').selectOption('key');
    await f.getByLabel(/工作日/).fill('12');
  });
  await expect(center.locator('.facts')).toContainText('重点难点问题');
  await perform(center, '派单（吹哨）', async (f) => {
    await f.getByLabel('主办部门').selectOption('water');
    await f.getByLabel('协办部门').first().selectOption('housing');
  });
  const form = actionForm(center, '部门会商');
  await form.locator('summary').click();
  await form.getByLabel('会商日期').fill('2026-11-25');
  await form.getByLabel('参会单位和人员').fill('区水务局、区住建局、桂花社区');
  await form.getByLabel('会商意见').fill('水务局牵头改造管网，住建局配合，12月10日前完工');
  await form.getByLabel('会议纪要').fill('一、现场踏勘结论：雨污混接点 7 处。\n二、分工：水务局改造管网，住建局协调物业。');
  await form.getByLabel('责任部门').first().selectOption('water');
  await form.getByLabel('完成期限').first().fill('2026-12-10');
  await form.getByRole('button', { name: '部门会商' }).click();
  await expect(center.getByRole('heading', { name: '部门会商' })).toBeVisible();
  await expect(center.locator('.members').last()).toContainText('完成期限 2026-12-10');
  await expect(center.locator('.timeline li').last()).toContainText('水务局牵头改造管网');
  await snap(center, 'case-consultation');
});
