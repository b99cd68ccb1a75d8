/**
 * Test-only hooks: answers given to a command as arguments (skip the trust dialog, skip a
 * confirmation, scripted choices). They count only when VS Code runs the extension in Test mode
 * (`context.extensionMode`); in production any other extension could pass them, so they are dropped.
 */
import { Emitter } from '../emitter';

let enabled = false;

/** Set once by activate() from context.extensionMode. */
export function enableTestHooks(on: boolean): void {
  enabled = on;
}

export function testHooksEnabled(): boolean {
  return enabled;
}

/** `given` in Test mode, else undefined (the command asks the user as usual). */
export function testAnswers<T>(given: T | undefined): T | undefined {
  return enabled ? given : undefined;
}

/**
 * What the user would see change, with the moment it changed (epoch ms, sub-ms precision): the
 * benchmark times the views with it. A no-op outside Test mode.
 */
export type ProbeEvent =
  | { kind: 'health' }
  /** The Cluster Nodes rows changed (onDidChangeTreeData fired) / VS Code fetched them. */
  | { kind: 'treeChanged' | 'treeServed'; rows: ReadonlyArray<{ id: string; label: string; contextValue: string; description?: string }> }
  /** A webview was sent state number `seq` / finished rendering it (`ms`: its own DOM and layout work). */
  | { kind: 'posted'; view: string; seq: number }
  | { kind: 'rendered'; view: string; seq: number; ms: number }
  /** A node's terminal (Open Shell, Database Console) showed `text`. */
  | { kind: 'terminalOutput'; terminal: string; text: string };

const probes = new Emitter<ProbeEvent & { at: number }>();

export const testProbe = {
  emit(event: ProbeEvent): void {
    if (!enabled || !probes.hasListeners) return;
    probes.fire({ ...event, at: performance.timeOrigin + performance.now() });
  },
  subscribe(listener: (event: ProbeEvent & { at: number }) => void): { dispose(): void } {
    return probes.subscribe(listener);
  },
};
