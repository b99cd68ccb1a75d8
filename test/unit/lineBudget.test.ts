import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineBudget } from '../../src/docker/lineBudget';

/** A channel as the user reads it: the lines since the last clear. */
function channel(limit: () => number) {
  const budget = new LineBudget(limit);
  let shown: string[] = [];
  const clears: number[] = [];
  const append = (line: string) => {
    const cleared = budget.take();
    if (cleared !== undefined) {
      clears.push(cleared);
      shown = [];
      budget.take();
      shown.push(`cleared ${cleared}`);
    }
    shown.push(line);
  };
  return { append, get shown() { return shown; }, clears };
}

describe('LineBudget: an output channel that holds at most the set number of lines', () => {
  it('never holds more than the limit, and says how many lines each clear removed', () => {
    const c = channel(() => 1_000);
    for (let i = 0; i < 2_500; i++) c.append(`seq=${i}`);
    assert.ok(c.shown.length <= 1_000, `${c.shown.length} lines held`);
    assert.deepEqual(c.clears, [1_000, 1_000]);
    assert.equal(c.shown[0], 'cleared 1000', 'the channel starts with the notice');
    assert.equal(c.shown.at(-1), 'seq=2499', 'the newest line is kept');
    assert.equal(c.shown[1], 'seq=1999', 'nothing after the clear is lost');
  });

  it('0 holds every line; a limit set while tailing applies at the next line', () => {
    let limit = 0;
    const c = channel(() => limit);
    for (let i = 0; i < 5_000; i++) c.append(`seq=${i}`);
    assert.equal(c.shown.length, 5_000);
    limit = 1_000;
    c.append('seq=5000');
    assert.deepEqual(c.shown, ['cleared 5000', 'seq=5000']);
  });
});
