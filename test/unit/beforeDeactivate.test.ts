// What deactivate() waits for (src/composition/deactivation.ts): the work still registered, all of it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BeforeDeactivate } from '../../src/composition/deactivation';

describe('BeforeDeactivate', () => {
  it('runs every registered piece of work and resolves when all have finished; nothing registered, nothing to wait for', async () => {
    const work = new BeforeDeactivate();
    assert.equal(work.run(), undefined);
    const done: string[] = [];
    work.add(async () => { await new Promise((r) => setTimeout(r, 20)); done.push('webhook URL restored'); });
    const taken = work.add(async () => { done.push('taken back'); });
    work.add(async () => { done.push('second'); });
    taken.dispose();
    await work.run();
    assert.deepEqual(done.sort(), ['second', 'webhook URL restored']);
  });
});
