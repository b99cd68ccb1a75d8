import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { locateComposeError } from '../../src/compose/composeErrors';

// The error lines are what docker-compose 1.29.2 and compose 2.26.1 printed for these files.
describe('locateComposeError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-errors-'));
  const file = join(dir, 'multiconnect-compose.yml');
  const other = join(dir, 'override.yml');
  writeFileSync(other, "version: '3'\nservices:\n  db:\n    image: y\n");
  const files = ['multiconnect-compose.yml', 'override.yml'];
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file, line and column of a v1 YAML error', () => {
    writeFileSync(file, "version: '3'\nservices:\n  db:\n    image: x\n   ports: [1]\n");
    const lines = ['yaml.parser.ParserError: while parsing a block mapping', '  in "./multiconnect-compose.yml", line 3, column 3',
      "expected <block end>, but found '<block mapping start>'", '  in "./multiconnect-compose.yml", line 5, column 4'];
    assert.deepEqual(locateComposeError(lines, dir, files), { file, line: 5, column: 4 });
  });
  it('takes the one file that does not parse for a v2 YAML error, which names only the line', () => {
    writeFileSync(file, "version: '3'\nservices:\n  db:\n    image: x\n   ports: [1]\n");
    assert.deepEqual(locateComposeError(['yaml: line 2: did not find expected key'], dir, files), { file, line: 2 });
  });
  it('finds the line of the key a schema error names (v2 and v1 wording)', () => {
    writeFileSync(file, "version: '3'\nservices:\n  db:\n    image: x\n    portz: [1]\n");
    assert.deepEqual(locateComposeError([`validating ${file}: services.db Additional property portz is not allowed`], dir, files), { file, line: 5 });
    assert.deepEqual(locateComposeError(["The Compose file './multiconnect-compose.yml' is invalid because:", "Unsupported config option for services.db: 'portz'"], dir, files), { file, line: 5 });
    assert.deepEqual(locateComposeError(["The Compose file './multiconnect-compose.yml' is invalid because:", 'services.db.ports contains an invalid type, it should be a number, or an object'], dir, files), { file, line: 3 });
  });
  it('gives no place when compose names none', () => {
    assert.equal(locateComposeError(['Invalid containerPort: def'], dir, files), undefined);
  });
});
