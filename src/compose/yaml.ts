// Its own bundle (dist/yaml.js), loaded on first use (loadYaml): the parser is a third of the
// extension's code and is not needed until the compose files are read, after activation.
import yaml = require('yaml');
export = yaml;
