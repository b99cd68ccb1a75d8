// Its own bundle (dist/yaml.js), loaded on first use: the yaml package is ~115 KB minified, twice
// the rest of the extension, and only Create Cluster needs it; it stays off the activation path.
import YAML = require('yaml');
export = YAML;
