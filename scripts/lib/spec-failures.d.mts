// Types for spec-failures.mjs.
export interface TestFailure { title: string; message: string }
export function specFailures(specOutput: string): TestFailure[];
