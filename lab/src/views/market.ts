import { explain } from '../dom.ts';
import type { LabState } from '../core/url.ts';
export function marketView(root: HTMLElement, _state: LabState, _setUrl: (s: Partial<LabState>) => void): () => void {
  root.append(explain('<p>The market view is not built yet.</p>'));
  return () => {};
}
