/**
 * Chart rendering: a vega-lite spec → SVG (vega's headless renderer) → PNG (@resvg/resvg-js).
 * Fonts: resvg loads the system fonts; DejaVu Sans is the default family (present on Debian).
 */
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../configs/fs.ts';

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

/** Renders a vega-lite spec to SVG and PNG (PNG at `scale`× the spec's pixel size, white background). */
export async function renderChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const { Resvg } = await import('@resvg/resvg-js');
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png) };
  } finally {
    view.finalize();
  }
}

/** Renders `spec` and writes `<base>.svg` and `<base>.png` atomically; returns both paths. */
export async function writeChart(spec: TopLevelSpec, base: string): Promise<{ svgPath: string; pngPath: string; svg: string }> {
  const { svg, png } = await renderChart(spec);
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, png);
  return { svgPath: `${base}.svg`, pngPath: `${base}.png`, svg };
}
