// Its own bundle (dist/undici.js), loaded on first use: undici takes ~400 ms to load cold,
// which must not sit on the activation path.
import undici = require('undici');
export = undici;
