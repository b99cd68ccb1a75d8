import type { RequestError } from './rpc';
import { t } from './l10n';

type Attrs = Record<string, string>;

/** Creates an element with properties and children (text or nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> & Attrs = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'className') element.className = value;
    else element.setAttribute(key, value);
  }
  element.append(...children);
  return element;
}

/**
 * A labelled input (or textarea) with a slot for its validation message. Its value is kept in the
 * webview's state unless it is `secret` (a PIN is typed each time, never stored).
 */
export function field(name: string, label: string, value = '', options: { multiline?: boolean; secret?: boolean } = {}): HTMLLabelElement {
  const input = options.multiline ? el('textarea', { name, rows: '3', spellcheck: 'false' })
    : el('input', { name, type: options.secret ? 'password' : 'text', autocomplete: 'off' });
  input.value = options.secret ? '' : value;
  if (!options.secret) input.dataset.draft = '';
  return el('label', {}, label, input, el('span', { className: 'field-error', 'data-error-for': name }));
}

export function setBusy(button: HTMLButtonElement, busy: boolean): void {
  button.disabled = busy;
  button.classList.toggle('busy', busy);
}

export function showResult(card: HTMLElement, text: string, isError: boolean): void {
  let slot = card.querySelector<HTMLElement>('.result');
  if (!slot) {
    slot = el('p', { className: 'result', role: 'status' });
    card.append(slot);
  }
  slot.textContent = text;
  slot.classList.toggle('error', isError);
}

export function values(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
}

export function button(label: string, onClick: (b: HTMLButtonElement) => unknown): HTMLButtonElement {
  const b = el('button', { type: 'button' }, label);
  b.addEventListener('click', () => void onClick(b));
  return b;
}

/** Runs a request with the button busy; shows the outcome, and field errors next to their fields. */
export async function run(b: HTMLButtonElement, card: HTMLElement, action: () => Promise<unknown>): Promise<void> {
  setBusy(b, true);
  for (const e of card.querySelectorAll('.field-error')) e.textContent = '';
  try {
    const message = await action();
    showResult(card, typeof message === 'string' ? message : t('Done.'), false);
  } catch (error) {
    const e = error as RequestError;
    for (const [name, text] of Object.entries(e.fieldErrors ?? {})) {
      const slot = card.querySelector(`[data-error-for="${name}"]`) ?? card.querySelector(`[data-error-for="shards_${name}"]`);
      if (slot) slot.textContent = text;
    }
    showResult(card, e.message, true);
  } finally {
    setBusy(b, false);
  }
}

/**
 * Makes `parent`'s children one element per item, in order. An item drawn before with the same data
 * keeps its element; only new and changed items are built. With 35 nodes a health change touches one
 * or two rows, and rebuilding the rest made the webview lay out the whole card again.
 */
export function syncKeyed<T>(parent: Element, items: readonly T[], key: (item: T) => string, build: (item: T) => Element): void {
  const before = new Map<string, Element>();
  for (const child of Array.from(parent.children)) {
    const k = child.getAttribute('data-key');
    if (k !== null) before.set(k, child);
  }
  const used = new Map<string, number>();
  const wanted = items.map((item) => {
    const base = key(item);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    const k = n ? `${base}#${n}` : base;
    const data = JSON.stringify(item);
    const old = before.get(k);
    if (old?.getAttribute('data-drawn') === data) return old;
    const element = build(item);
    element.setAttribute('data-key', k);
    element.setAttribute('data-drawn', data);
    old?.replaceWith(element);
    return element;
  });
  // Whatever is not wanted goes: the other items, and children drawn without a key (a placeholder).
  const keep = new Set<Element>(wanted);
  for (const child of Array.from(parent.children)) if (!keep.has(child)) child.remove();
  let next = parent.firstElementChild;
  for (const element of wanted) {
    if (element === next) next = element.nextElementSibling;
    else parent.insertBefore(element, next);
  }
}
