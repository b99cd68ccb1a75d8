import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passwordProblem } from '../../src/contract';

describe('password rules of the webapp', () => {
  it('accepts 8-64 characters with a digit, both cases and a special character', () => {
    assert.equal(passwordProblem('Secret-2026'), undefined);
  });
  it('says what is missing', () => {
    assert.equal(passwordProblem('secret'), 'must be 8 to 64 characters long');
    assert.equal(passwordProblem('secretsecret'), 'needs a digit, an upper-case letter, a special character');
    assert.equal(passwordProblem('A1!' + 'a'.repeat(62)), 'must be 8 to 64 characters long');
  });
});
