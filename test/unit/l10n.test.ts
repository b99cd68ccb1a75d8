// Every user-facing string exists in English and Arabic (scripts/l10n-check.mjs; docs/languages.md).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

describe('localization', () => {
  it('every contributed and runtime string has its English and its Arabic, with the same placeholders and command links', async () => {
    const { checkL10n } = await import('../../scripts/l10n-check.mjs');
    const result = await checkL10n();
    assert.ok(result.messages > 200 && result.manifestKeys > 50, `found ${result.messages} runtime messages and ${result.manifestKeys} package.json strings`);
    assert.deepEqual(result.problems, [], `What is missing (fix each line; npm run l10n prints the same):\n${result.problems.join('\n')}`);
  });
});
