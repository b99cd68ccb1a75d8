/**
 * Test-only hooks: answers given to a command as arguments (skip the trust dialog, skip a
 * confirmation, scripted choices). They count only when VS Code runs the extension in Test mode
 * (`context.extensionMode`); in production any other extension could pass them, so they are dropped.
 */
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
