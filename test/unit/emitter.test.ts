// The one emitter behind every onDidChange (monitor, health, support feed, workspace, inspector,
// diagnose, test probe): a listener that unsubscribes while a change is told does not break it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Emitter } from '../../src/emitter';

describe('Emitter', () => {
  it('tells every listener, in the order they subscribed, until each unsubscribes', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    const a = emitter.subscribe((n) => heard.push(`a${n}`));
    emitter.subscribe((n) => heard.push(`b${n}`));
    emitter.fire(1);
    a.dispose();
    emitter.fire(2);
    assert.deepEqual(heard, ['a1', 'b1', 'b2']);
  });

  it('a listener that unsubscribes itself while told: the others still hear this change, it hears no later one', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    const once = emitter.subscribe((n) => { heard.push(`once${n}`); once.dispose(); });
    emitter.subscribe((n) => heard.push(`after${n}`));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(heard, ['once1', 'after1', 'after2']);
  });

  it('a listener unsubscribed by an earlier one during the same change is not told it', () => {
    const emitter = new Emitter<void>();
    const heard: string[] = [];
    emitter.subscribe(() => { heard.push('first'); second.dispose(); });
    const second = emitter.subscribe(() => heard.push('second'));
    emitter.fire();
    assert.deepEqual(heard, ['first']);
  });

  it('a listener subscribed during a change hears the next one, not this one (no endless loop)', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    emitter.subscribe((n) => { if (n === 1) emitter.subscribe((m) => heard.push(m)); });
    emitter.fire(1);
    assert.deepEqual(heard, []);
    emitter.fire(2);
    assert.deepEqual(heard, [2]);
  });

  it('after dispose nobody is told and hasListeners is false', () => {
    const emitter = new Emitter<number>();
    let heard = 0;
    emitter.subscribe(() => heard++);
    assert.equal(emitter.hasListeners, true);
    emitter.dispose();
    emitter.fire(1);
    assert.equal(heard, 0);
    assert.equal(emitter.hasListeners, false);
  });
});
