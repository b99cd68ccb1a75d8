// Its own bundle (dist/dockerode.js): dockerode with ssh2, grpc and protobufjs behind it takes
// ~100 ms to parse, so the extension loads it on first use, not on the activation path.
import Docker = require('dockerode');
export = Docker;
