import type * as Yaml from 'yaml';

/** The yaml package, from its own bundle (see yaml.ts). */
export function loadYaml(): typeof Yaml {
  return require('./yaml.js') as typeof Yaml;
}
