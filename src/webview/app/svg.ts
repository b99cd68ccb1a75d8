// SVG elements for the panel's diagrams (topology, timeline), coloured by CSS classes that map to
// VS Code theme colours (media/panel.css), so they follow the user's theme.
const NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  element.append(...children);
  return element;
}

/** A tooltip for an SVG element (what a hover shows). */
export function titled<T extends SVGElement>(element: T, text: string): T {
  element.append(svg('title', {}, text));
  return element;
}

/**
 * Draws `slot`'s diagram only when its data changed (no flicker on every health poll): `draw` either
 * replaces the picture or patches the one there. Returns the ms it took up to a laid-out page, or
 * undefined when unchanged.
 */
export function drawIfChanged(slot: HTMLElement, data: unknown, draw: () => void): number | undefined {
  const key = JSON.stringify(data);
  if (slot.dataset.drawn === key) return undefined;
  const started = performance.now();
  draw();
  // Forces style and layout, so the figure counts what the user waits for, not just building the DOM.
  slot.getBoundingClientRect();
  const ms = performance.now() - started;
  slot.dataset.drawn = key;
  slot.dataset.renderMs = ms.toFixed(1);
  return ms;
}
