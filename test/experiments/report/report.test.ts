import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDistributionChart, inventoryChart, pairedDiffChart, learningCurveChart, exampleEpisodeChart, writeReport, resultsTable, markdownToHtml, renderChart } from '../../../experiments/report/index.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('charts', () => {
  it('renders a vega-lite spec to SVG and a PNG with text drawn', async () => {
    const spec = learningCurveChart(
      [
        { algo: 'ppo', step: 0, value: -10 },
        { algo: 'ppo', step: 100, value: -5 },
      ],
      'return',
    );
    const { svg, png } = await renderChart(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('environment steps');
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    // 2× zoom of a 560-px-wide plot plus axes: the PNG is at least 1,100 px wide (bytes 16..19 of IHDR).
    const width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
    expect(width).toBeGreaterThan(1100);
  });

  it('spans the IS axis over the 1st–99th percentile, keeps the data unclipped and counts the episodes beyond', () => {
    const rows = [];
    for (let i = 0; i < 100; i++) rows.push({ policy: 'twap', isBps: i });
    rows.push({ policy: 'sell-now', isBps: 1e6 });
    type Layer = { data: { values: { isBps?: number; text?: string; policy?: string }[] }; encoding: { x?: { scale?: { domain?: number[] } } }; mark: { clip?: boolean } };
    const spec = isDistributionChart(rows, ['twap', 'sell-now']) as unknown as { layer: Layer[] };
    const [box, points, , ...labels] = spec.layer;
    // Outliers are drawn only inside the axis (points far outside it made resvg abort the process):
    // twap's 0..99 has none by Tukey's fences; sell-now's one value lies beyond the axis.
    expect(points.data.values).toEqual([]);
    // The data keep the outlier (no pile at the edge); the axis ends at the 99th percentile and marks beyond are cut.
    expect(Math.max(...box.data.values.map((v) => v.isBps as number))).toBe(1e6);
    // 101 values: the 1st percentile is the second smallest (1), the 99th the 100th (99).
    expect(box.encoding.x?.scale?.domain).toEqual([1, 99]);
    expect(box.mark.clip).toBe(true);
    const texts = labels.flatMap((l) => l.data.values);
    expect(texts).toEqual([
      { policy: 'twap', x: 1, text: '← 1', align: 'left' },
      { policy: 'sell-now', x: 99, text: '1 →', align: 'right' },
    ]);
  });

  it('draws the Tukey outliers inside the axis, and renders a PNG with episodes far beyond it', async () => {
    const rows = [];
    for (let i = 0; i < 400; i++) rows.push({ policy: 'twap', isBps: i % 20 }, { policy: 'ppo', isBps: (i * 7) % 41 });
    // twap 0..19 and 35: quartiles 5 and 15 (IQR 10, upper fence 30), so 35 is an outlier inside the axis
    // (ppo's 0..40 spans it); ppo's 250, 3,000 and −400 lie beyond it.
    rows.push({ policy: 'twap', isBps: 35 }, { policy: 'ppo', isBps: 250 }, { policy: 'ppo', isBps: 3000 }, { policy: 'ppo', isBps: -400 });
    const spec = isDistributionChart(rows, ['twap', 'ppo']);
    const layers = (spec as unknown as { layer: { data: { values: { policy: string; isBps: number }[] } }[] }).layer;
    expect(layers[1].data.values).toEqual([{ policy: 'twap', isBps: 35 }]);
    const { png } = await renderChart(spec);
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
  });
});

describe('report', () => {
  it('writes report.md, report.html and every chart as SVG and PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eg-report-'));
    try {
      const policies = ['twap', 'ac'];
      const res = await writeReport(dir, {
        title: 'Test report',
        meta: { seed: 1, budget: 'quick' },
        rows: [
          { policy: 'twap', episodes: 2, meanIsBps: 5, ciLowBps: 4, ciHighBps: 6, stdIsBps: 1 },
          { policy: 'ac', episodes: 2, meanIsBps: 4, ciLowBps: 3, ciHighBps: 5, stdIsBps: 1, vsTwap: { meanBps: -1, ciLowBps: -2, ciHighBps: 0, pT: 0.01, pWilcoxon: 0.02 } },
        ],
        acCheck: [{ policy: 'ac', objectiveBps: 10, optimumBps: 10, gapPct: 0 }],
        notes: ['A note with `code`.'],
        charts: [
          { name: 'is-distribution', title: 'IS', caption: 'c1', spec: isDistributionChart([{ policy: 'twap', isBps: 5 }, { policy: 'ac', isBps: 4 }], policies) },
          { name: 'inventory', title: 'Inventory', caption: 'c2', spec: inventoryChart([{ policy: 'twap', t: 0, remaining: 1 }, { policy: 'twap', t: 1, remaining: 0 }], policies, [{ t: 0, remaining: 1 }, { t: 1, remaining: 0 }]) },
          { name: 'paired', title: 'Paired', caption: 'c3', spec: pairedDiffChart([{ policy: 'ac', against: 'twap', meanBps: -1, ciLowBps: -2, ciHighBps: 0 }], policies) },
          { name: 'example', title: 'Example', caption: 'c4', spec: exampleEpisodeChart({ policy: 'ac', seed: 1, mid: [{ t: 0, price: 10 }, { t: 1, price: 10.01 }], fills: [{ t: 0.5, price: 10, qty: 100, passive: false }], inventory: [{ t: 0, remaining: 100 }, { t: 1, remaining: 0 }] }) },
        ],
      });
      const md = readFileSync(res.markdownPath, 'utf8');
      expect(md).toContain('| ac | 2 | 4.00 | [3.00, 5.00]');
      expect(md).toContain('![Inventory](inventory.png)');
      const html = readFileSync(res.htmlPath, 'utf8');
      expect(html.match(/<svg/g)?.length).toBe(4);
      expect(html).toContain('<table>');
      for (const c of res.charts) {
        expect(existsSync(c.svgPath)).toBe(true);
        expect([...readFileSync(c.pngPath).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats the results table and converts its markdown to HTML', () => {
    const t = resultsTable([{ policy: 'twap', episodes: 10, meanIsBps: 1.234, ciLowBps: 1, ciHighBps: 2, stdIsBps: 0.5 }]);
    expect(t.split('\n')).toHaveLength(3);
    const html = markdownToHtml(`# T\n\n${t}\n\nuse \`x < y\``);
    expect(html).toContain('<h1>T</h1>');
    expect(html).toContain('<td>1.23</td>');
    expect(html).toContain('<code>x &lt; y</code>');
  });
});
