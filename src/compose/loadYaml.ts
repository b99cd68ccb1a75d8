import type * as Yaml from 'yaml';

/** The yaml library from dist/yaml.js (under tsx: src/compose/yaml.ts), loaded when first needed. */
export function loadYaml(): typeof Yaml {
  return require('./yaml.js') as typeof Yaml;
}
