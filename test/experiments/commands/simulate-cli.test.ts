/**
 * `execution-gym simulate --view`: the tape read by aggressive order (the market's own view) or as a
 * LOBSTER file shows it (executions at one timestamp on one side are one market order), the view
 * `realism` compares with a real file. Both views of one session count the same aggressive orders;
 * the file view's market orders are the market's own file grouping of the tape, and its facts read
 * them.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-capture.ts';
import { loadMarketConfig } from '../../../configs/index.ts';
import { Market } from '../../../simulator/index.ts';
import { sessionFacts } from '../../../simulator/stats/index.ts';

const SECONDS = 1800;

interface Run {
  marketOrders: number;
  aggressiveOrders: number;
  view: string;
  facts: { signAcf: { lag: number; acf: number }[] };
}

async function simulateJson(view: string): Promise<Run> {
  const { stdout } = await runCli(['simulate', '--market', 'default', '--seed', '7', '--seconds', String(SECONDS), '--view', view, '--json']);
  return (JSON.parse(stdout) as { runs: Run[] }).runs[0];
}

describe('execution-gym simulate --view', () => {
  it('reads one session by aggressive order or as a file shows it', async () => {
    const byOrder = await simulateJson('order');
    const byFile = await simulateJson('file');
    // The same session (same seed): the same aggressive orders in both views.
    expect(byFile.aggressiveOrders).toBe(byOrder.aggressiveOrders);
    expect(byOrder.marketOrders).toBe(byOrder.aggressiveOrders);
    expect(byOrder.view).toBe('order');
    expect(byFile.view).toBe('file');
    // The same session run directly: the file view is the market's own file grouping of its tape.
    const market = Market.fromSpec(loadMarketConfig('default'), 7);
    market.runUntil(market.now + SECONDS);
    const file = market.marketOrders(0, 'file');
    expect(byFile.marketOrders).toBe(file.time.length);
    expect(byOrder.aggressiveOrders).toBe(market.marketOrders(0, 'order').time.length);
    // The default preset's fundamental traders send two orders at one instant now and then: a file
    // shows fewer market orders than there were aggressive orders.
    expect(byFile.marketOrders).toBeLessThan(byFile.aggressiveOrders);
    // The facts read the chosen view: the trade-sign ACF is the file-view orders' own.
    const direct = sessionFacts(market, 0, SECONDS, { limit: 0, cancel: 0 }, undefined, { fileView: true }).facts;
    expect(byFile.facts.signAcf).toEqual(direct.signAcf);
    expect(byOrder.facts.signAcf[0].acf).not.toBe(direct.signAcf[0].acf);
  });

  it('rejects a view it does not know, naming the value and what is allowed', async () => {
    await expect(runCli(['simulate', '--seconds', '60', '--view', 'tape'])).rejects.toThrow(/--view must be 'order' or 'file', got 'tape'/);
  });
});
