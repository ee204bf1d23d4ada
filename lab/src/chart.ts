/**
 * A small canvas chart for the live views: lines, step lines, points and horizontal bars on
 * linear axes with "nice" ticks. Redrawing a chart is one pass over the data, cheap enough for
 * every animation frame (the project's Vega-Lite charts are for static reports).
 */
export interface Series {
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** 'line' (default), 'step' (holds each value until the next x), 'points', 'dash'. */
  kind?: 'line' | 'step' | 'points' | 'dash';
  /** Point radii (points only), px. */
  r?: ArrayLike<number>;
  /** Point fill per point (points only); default `color`. */
  colors?: string[];
}

export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Fixed ranges (else from the data). */
  xRange?: [number, number];
  yRange?: [number, number];
  legend?: boolean;
}

/** Up to ~n round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A tick label: as many decimals as the tick step needs. */
function fmt(v: number, step: number): string {
  if (Math.abs(v) >= 1e6 && step >= 1e5) return `${Number((v / 1e6).toPrecision(4))}M`;
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
  return v.toFixed(decimals);
}

function stepOf(ticks: number[]): number {
  return ticks.length > 1 ? ticks[1] - ticks[0] : 1;
}

export class Chart {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  constructor(parent: HTMLElement, width = 560, height = 260, testId?: string) {
    this.canvas = document.createElement('canvas');
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    this.canvas.width = width * dpr;
    this.canvas.height = height * dpr;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    if (testId !== undefined) this.canvas.dataset.testid = testId;
    parent.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d') as CanvasRenderingContext2D;
    this.ctx.scale(dpr, dpr);
  }

  draw(series: readonly Series[], o: ChartOptions = {}): void {
    const ctx = this.ctx;
    const W = this.canvas.width / Math.min(2, globalThis.devicePixelRatio || 1);
    const H = this.canvas.height / Math.min(2, globalThis.devicePixelRatio || 1);
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    const L = 56;
    const R = 10;
    const T = o.title === undefined ? 10 : 24;
    const B = 34;
    let [x0, x1] = o.xRange ?? [Infinity, -Infinity];
    let [y0, y1] = o.yRange ?? [Infinity, -Infinity];
    for (const s of series) {
      for (let i = 0; i < s.x.length; i++) {
        const x = s.x[i];
        const y = s.y[i];
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        if (o.xRange === undefined) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
        }
        if (o.yRange === undefined) {
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (!Number.isFinite(x0)) [x0, x1] = [0, 1];
    if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) {
      y0 -= 1;
      y1 += 1;
    } else if (o.yRange === undefined) {
      const pad = (y1 - y0) * 0.05;
      y0 -= pad;
      y1 += pad;
    }
    const px = (x: number): number => L + ((x - x0) / (x1 - x0)) * (W - L - R);
    const py = (y: number): number => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = '#e5e5e5';
    ctx.fillStyle = '#555';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const yt = niceTicks(y0, y1);
    for (const t of yt) {
      ctx.beginPath();
      ctx.moveTo(L, py(t));
      ctx.lineTo(W - R, py(t));
      ctx.stroke();
      ctx.fillText(fmt(t, stepOf(yt)), L - 4, py(t));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const xt = niceTicks(x0, x1, 6);
    for (const t of xt) ctx.fillText(fmt(t, stepOf(xt)), px(t), H - B + 4);
    if (o.xLabel !== undefined) ctx.fillText(o.xLabel, (L + W - R) / 2, H - 14);
    if (o.yLabel !== undefined) {
      ctx.save();
      ctx.translate(12, (T + H - B) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(o.yLabel, 0, -6);
      ctx.restore();
    }
    if (o.title !== undefined) {
      ctx.textAlign = 'left';
      ctx.font = 'bold 12px system-ui, sans-serif';
      ctx.fillStyle = '#222';
      ctx.fillText(o.title, L, 6);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(L, T, W - L - R, H - T - B);
    ctx.clip();
    for (const s of series) {
      const n = s.x.length;
      if (s.kind === 'points' && s.r === undefined && s.colors === undefined) {
        // Many same-colored points (live trades): one fill style, squares, no path per point.
        ctx.fillStyle = s.color;
        for (let i = 0; i < n; i++) ctx.fillRect(px(s.x[i]) - 1.5, py(s.y[i]) - 1.5, 3, 3);
        continue;
      }
      if (s.kind === 'points') {
        for (let i = 0; i < n; i++) {
          ctx.fillStyle = s.colors?.[i] ?? s.color;
          ctx.beginPath();
          ctx.arc(px(s.x[i]), py(s.y[i]), s.r?.[i] ?? 3, 0, 2 * Math.PI);
          ctx.fill();
        }
        continue;
      }
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.6;
      ctx.setLineDash(s.kind === 'dash' ? [5, 4] : []);
      ctx.beginPath();
      let started = false;
      for (let i = 0; i < n; i++) {
        const X = px(s.x[i]);
        const Y = py(s.y[i]);
        if (!Number.isFinite(X) || !Number.isFinite(Y)) continue;
        if (!started) {
          ctx.moveTo(X, Y);
          started = true;
        } else if (s.kind === 'step') {
          ctx.lineTo(X, py(s.y[i - 1]));
          ctx.lineTo(X, Y);
        } else ctx.lineTo(X, Y);
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.restore();
    if (o.legend !== false) {
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.font = '11px system-ui, sans-serif';
      let lx = L + 6;
      const ly = T + 8;
      for (const s of series) {
        if (s.label === '') continue;
        ctx.fillStyle = s.color;
        ctx.fillRect(lx, ly - 4, 10, 8);
        ctx.fillStyle = '#333';
        ctx.fillText(s.label, lx + 13, ly);
        lx += 20 + ctx.measureText(s.label).width;
      }
    }
  }
}

/** Distinct colors for policies, in order. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#000000'];
