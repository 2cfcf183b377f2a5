import { expect, test } from '@playwright/test';
import { PNG_1PX, login, perform, snap, waitForHydration } from './helpers';

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
    // The key figures come first, on the first screen beside the board, not below the map.
    const figures = await page.locator('section.key-figures').boundingBox();
    const boardBox = await board.boundingBox();
    expect(figures!.y).toBeLessThan(boardBox!.y);
    expect(figures!.y + figures!.height).toBeLessThan(720);
    // uPlot draws the weekly trend on a canvas; its legend names both series.
    const chart = page.locator('.chart').first();
    await expect(chart.locator('canvas')).toBeVisible();
    await expect(chart.locator('.u-legend')).toContainText('受理');
    await expect(chart.locator('.u-legend')).toContainText('办结');
    // A narrower window draws the chart again at the new width.
    const canvasWidth = async () => (await chart.locator('canvas').boundingBox())!.width;
    const wide = await canvasWidth();
    await page.setViewportSize({ width: 420, height: 860 });
    await expect.poll(canvasWidth).toBeLessThan(wide * 0.8);
    await page.setViewportSize({ width: 1366, height: 860 });
    await expect.poll(canvasWidth).toBe(wide);
    await expect(page.locator('table.portrait')).toBeVisible();
    await snap(page, 'leader-dashboard');

    // Without tiles the map is drawn from the territory: the five streets named on it,
    // and their communities.
    await expect(page.locator('.leaflet-tooltip.area-label.street')).toHaveCount(5);
    await expect(page.locator('.leaflet-tooltip.area-label.street', { hasText: '东湖街道' })).toBeVisible();
    expect(await page.locator('.leaflet-tooltip.area-label.community').count()).toBeGreaterThan(5);

    // Filter the map to red cases: every grid's label then reads red/red.
    await expect(page.locator('.count-label').first()).toBeVisible();
    await page.locator('.map-filter', { hasText: '颜色' }).locator('select').selectOption('red');
    await expect.poll(async () => {
      const labels = await page.locator('.count-label').allInnerTexts();
      return labels.length > 0 && labels.every((t) => { const [r, n] = t.split('/'); return r === n; });
    }).toBe(true);

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
    await expect(page.locator('table.workers thead th')).toContainText(['名次', '网格员', '得分', '发现上报', '自办自结', '按期办结', '满意度', '走访完成', '红色扣分', '核查（及时）', '被作废']);
    const scores = (await rows.locator('td.score').allInnerTexts()).map(Number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    await snap(page, 'leader-rankings');
    // Kept as a workbook with every worker, or printed without the filters.
    const xlsx = page.getByRole('link', { name: '下载 Excel' });
    const [download] = await Promise.all([page.waitForEvent('download'), xlsx.click()]);
    expect(download.suggestedFilename()).toMatch(/^青湾区\d{4}年\d{1,2}月十佳格格\.xlsx$/);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: '打印排名' })).toBeHidden();
    await expect(rows).toHaveCount(10);
    await snap(page, 'leader-rankings-print');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('link', { name: '部门赛马' }).click();
    await expect(page.locator('table.units tbody tr').first()).toBeVisible();
    await snap(page, 'leader-rankings-departments');
  });

  test('a case resolved by a department changes the leader\'s map and board without a reload', async ({ browser }) => {
    const leaderCtx = await browser.newContext();
    const leader = await leaderCtx.newPage();
    await login(leader, 'leader', '/dashboard');
    await expect(leader.locator('.live-badge')).toHaveAttribute('data-live', 'live');
    const board = leader.locator('section.board');
    const red = Number(await board.getAttribute('data-red'));
    const yellow = Number(await board.getAttribute('data-yellow'));

    // A red case that is red only for being late, in the hands of a lead department —
    // whichever department the demo's start time gave one — whose staff then resolve it.
    const list = await (await leader.request.get('/api/v1/cases?colour=red&per_page=100')).json();
    let late: any = null;
    let lead = '';
    for (const c of list.cases.filter((c: any) => c.colour.reasons.every((r: string) => r === 'overdue' || r === 'ack_overdue'))) {
      const d = await (await leader.request.get(`/api/v1/cases/${c.id}`)).json();
      const active = d.dispatches.find((x: any) => x.role === 'lead' && !x.resolved_at && !x.returned_at && !x.withdrawn_at);
      if (active && ['dispatched', 'handling'].includes(d.summary.status)) { late = c; lead = active.department; break; }
    }
    expect(late, 'a late case in a lead department\'s hands').toBeTruthy();
    const deptCtx = await browser.newContext();
    const dept = await deptCtx.newPage();
    await login(dept, lead === 'urban' ? 'dept' : `dept-${lead}`, '/desk');

    // On the map (zoomed out: one circle per grid) its grid shows red/total.
    const label = leader.locator(`.count-${late.summary ? late.summary.grid_code : late.grid_code}`);
    await expect(label).toBeVisible();
    const [gridRed, gridTotal] = (await label.innerText()).split('/').map(Number);
    expect(gridRed).toBeGreaterThan(0);
    await dept.goto(`/cases/${late.id}`);
    await waitForHydration(dept);
    if (await dept.locator('details.action-form summary', { hasText: /^报到签收$/ }).count()) {
      await perform(dept, '报到签收');
    }
    await perform(dept, '办结', async (f) => {
      await f.getByLabel('办理结果').fill('已现场处置完毕');
      // Whatever its category, the result goes with a photo (some categories ask for one).
      await f.locator('input[name="photo"]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
    });

    // Without a reload, the board moves one case from red to yellow (waiting for feedback).
    await expect(board).toHaveAttribute('data-red', String(red - 1), { timeout: 15000 });
    await expect(board).toHaveAttribute('data-yellow', String(yellow + 1));
    await expect(label).toHaveText(`${gridRed - 1}/${gridTotal}`);
    await expect(leader.locator('.live-badge')).not.toHaveAttribute('data-events', '0');
    await snap(leader, 'leader-dashboard-live');
    // A click on the grid's circle zooms into the grid: single cases, this one now yellow,
    // its popup linking to the timeline.
    const gridCode = late.summary ? late.summary.grid_code : late.grid_code;
    await leader.locator(`.grid-count-${gridCode}`).dispatchEvent('click');
    await expect(leader.locator('.case-map')).toHaveAttribute('data-mode', 'cases');
    const marker = leader.locator(`.case-marker.case-${late.id}`);
    await expect(marker).toHaveClass(/colour-yellow/);
    // The click goes to this case's own marker: another case drawn at the same spot (the
    // demo's cases depend on its start time) must not catch it.
    await marker.dispatchEvent('click');
    await expect(leader.locator('.map-popup a')).toHaveAttribute('href', `/cases/${late.id}`);
    await expect(leader.locator('.leaflet-popup')).toHaveCSS('opacity', '1');
    await snap(leader, 'leader-map-grid');
    await leaderCtx.close();
    await deptCtx.close();
  });

  test('the monthly report prints on A4 and downloads as XLSX', async ({ page }) => {
    await login(page, 'leader', '/reports');
    await expect(page.locator('h1.report-title')).toHaveText(/月度调度表$/);
    await expect(page.locator('table.workers tbody tr')).toHaveCount(10);
    const received = await page.locator('[data-report="received"]').innerText();
    const kpis = await (await page.request.get('/api/v1/kpis')).json();
    expect(Number(received)).toBe(kpis.received);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载 Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/月度调度表\.xlsx$/);
    const path = await download.path();
    const fs = await import('fs');
    const bytes = fs.readFileSync(path!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await snap(page, 'leader-report');
    await page.emulateMedia({ media: 'print' });
    await snap(page, 'leader-report-print');
  });
});
