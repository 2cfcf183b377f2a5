import { expect, test } from '@playwright/test';
import { login, snap } from './helpers';

test.describe('leaders', () => {
  test('the dashboard shows the board, key figures and a trend; numbers lead to lists', async ({ page }) => {
    await login(page, 'leader', '/dashboard');
    const board = page.locator('section.board');
    await expect(board.getByRole('heading', { name: '三色看板' })).toBeVisible();
    const red = Number(await board.getAttribute('data-red'));
    expect(red).toBeGreaterThan(0);
    await expect(board.locator('.tile-red .tile-value')).toHaveText(String(red));
    // Per street, and the streets add up to the district.
    const rows = board.locator('table.areas tbody tr');
    await expect(rows).toHaveCount(5);
    const sums = await rows.locator('td.num-red').allInnerTexts();
    expect(sums.reduce((a, b) => a + Number(b), 0)).toBe(red);
    await expect(page.locator('[data-kpi="completion"] .stat-value')).toHaveText(/%$/);
    // ECharts draws the weekly trend as SVG.
    await expect(page.locator('.chart svg').first()).toBeVisible();
    await expect(page.locator('table.portrait')).toBeVisible();
    await snap(page, 'leader-dashboard');

    // Drill down into a street, then open its red cases.
    await rows.first().locator('th a').click();
    await expect(page).toHaveURL(/area=360199001/);
    await expect(page.locator('table.areas tbody tr').first()).toBeVisible();
    await snap(page, 'leader-dashboard-street');
  });

  test('the ranking shows ten grid workers with the parts of their scores', async ({ page }) => {
    await login(page, 'leader', '/rankings');
    await expect(page.getByRole('heading', { name: /排名/ })).toBeVisible();
    const rows = page.locator('table.workers tbody tr');
    await expect(rows).toHaveCount(10);
    await expect(page.locator('table.workers thead th')).toContainText(['名次', '网格员', '得分', '发现上报', '自办自结', '按期办结', '满意度', '走访完成', '红色扣分']);
    const scores = (await rows.locator('td.score').allInnerTexts()).map(Number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    await snap(page, 'leader-rankings');
    await page.getByRole('link', { name: '部门赛马' }).click();
    await expect(page.locator('table.units tbody tr').first()).toBeVisible();
    await snap(page, 'leader-rankings-departments');
  });
});
