#!/usr/bin/env node
// The `image-intel` command: runs the compiled CLI that `npm ci` builds (the `prepare` script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'lambdas', 'cli', 'main.js');
if (!existsSync(compiled)) {
  console.error('image-intel is not built yet: run `npm run build` (npm ci does it for you).');
  process.exit(2);
}
require(compiled)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
