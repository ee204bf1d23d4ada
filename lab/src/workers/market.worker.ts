/**
 * The Market view's worker: runs a MarketSession at the chosen speed and posts a snapshot about
 * once per frame (16 ms): the book's top levels, the trades since the last snapshot, the mid and
 * spread, the Hawkes intensities, the visitor's orders; the stylized facts twice a second.
 * Speed is simulated seconds per wall second (Infinity = as fast as it goes, in slices of 12 ms
 * of work per snapshot).
 */
import { branchingRatio, MarketSession, type LiveParams } from '../core/market-session.ts';
import { MARKET_PRESETS } from '../../../configs/index.ts';

export type MarketRequest =
  | { type: 'reset'; preset: string; seed: number; live: LiveParams }
  | { type: 'speed'; speed: number; paused: boolean }
  | { type: 'step'; seconds: number }
  | { type: 'post'; side: 1 | -1; qty: number }
  | { type: 'cancel' };

let session: MarketSession | null = null;
let speed = 10;
let paused = false;
let lastWall = 0;
let lastFacts = 0;
let tapeMark = 0;
let seriesMark = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let simSecondsDone = 0;
let wallAtRate = 0;
let simRate = 0;

function post(msg: unknown, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

function snapshot(withFacts: boolean): void {
  const s = session as MarketSession;
  const m = s.market;
  const tp = m.tape;
  const n = tp.length - tapeMark;
  const trades = { time: tp.time.slice(tapeMark, tp.length), price: tp.price.slice(tapeMark, tp.length), qty: tp.qty.slice(tapeMark, tp.length), sign: Int8Array.from(tp.sign.subarray(tapeMark, tp.length)) };
  tapeMark = tp.length;
  const [lamBuy, lamSell] = s.intensities();
  const depth = s.depth().slice();
  const ser = m.series;
  const midTimes = new Float64Array(ser.length - seriesMark);
  for (let k = 0; k < midTimes.length; k++) midTimes[k] = ser.t0 + (seriesMark + k) * ser.dt;
  const mids = ser.mid.slice(seriesMark, ser.length);
  seriesMark = ser.length;
  post(
    {
      type: 'snapshot',
      now: m.now,
      end: s.sessionEnd,
      mid: m.mid(),
      spread: m.spread(),
      depth,
      midTimes,
      mids,
      levels: s.levels,
      trades,
      tradeCount: n,
      lamBuy,
      lamSell,
      mine: s.myOrders(),
      simRate,
      events: m.counts.events,
      facts: withFacts ? s.facts() : null,
    },
    [depth.buffer, midTimes.buffer, mids.buffer, trades.time.buffer, trades.price.buffer, trades.qty.buffer, trades.sign.buffer],
  );
}

function loop(): void {
  timer = null;
  if (session === null) return;
  const now = performance.now();
  const wall = (now - lastWall) / 1000;
  lastWall = now;
  const before = session.market.now;
  if (!paused && session.market.now < session.sessionEnd) {
    if (Number.isFinite(speed)) session.advance(Math.min(speed * wall, speed * 0.1));
    else {
      const stop = now + 12;
      while (performance.now() < stop && session.market.now < session.sessionEnd) session.advance(0.5);
    }
  }
  simSecondsDone += session.market.now - before;
  if (now - wallAtRate >= 500) {
    simRate = simSecondsDone / ((now - wallAtRate) / 1000);
    simSecondsDone = 0;
    wallAtRate = now;
  }
  const withFacts = now - lastFacts >= 500;
  if (withFacts) lastFacts = now;
  snapshot(withFacts);
  timer = setTimeout(loop, 16);
}

function handle(req: MarketRequest): void {
  switch (req.type) {
    case 'reset':
      session = new MarketSession(req.preset, req.seed, req.live);
      tapeMark = 0;
      seriesMark = 0;
      post({ type: 'session', draw: session.draw, preset: req.preset, seed: req.seed, branching: branchingRatio(session.params), tickCents: session.params.tickDollars * 100, limitRate: session.params.liquidity.limitRate, start: session.market.now, end: session.sessionEnd });
      lastWall = wallAtRate = performance.now();
      lastFacts = 0;
      if (timer === null) loop();
      break;
    case 'speed':
      speed = req.speed;
      paused = req.paused;
      break;
    case 'step':
      if (session === null) return;
      session.advance(req.seconds);
      snapshot(true);
      break;
    case 'post':
      session?.postMine(req.side, req.qty);
      break;
    case 'cancel':
      session?.cancelMine();
      break;
  }
}

post({ type: 'presets', list: MARKET_PRESETS });
self.onmessage = (ev: MessageEvent<MarketRequest>) => {
  try {
    handle(ev.data);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
