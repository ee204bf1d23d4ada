/** Tiny DOM helpers (no UI framework: the views are a few controls and canvases). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'html') e.innerHTML = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A labelled control. */
export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', { text: label }), control);
}

export function select(options: readonly string[], value: string, testId?: string): HTMLSelectElement {
  const s = el('select', testId === undefined ? {} : { 'data-testid': testId });
  for (const o of options) s.append(el('option', { value: o, text: o }));
  s.value = value;
  return s;
}

export function numberInput(value: number | undefined, attrs: Record<string, string> = {}): HTMLInputElement {
  const i = el('input', { type: 'number', ...attrs });
  if (value !== undefined) i.value = String(value);
  return i;
}

export function button(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs, text });
  b.addEventListener('click', onClick);
  return b;
}

/** The explanation panel beside a view. */
export function explain(html: string): HTMLElement {
  return el('aside', { class: 'explain', html });
}
