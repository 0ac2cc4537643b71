const path = require('node:path');
const root = require('../../jest.config.js');

/**
 * The patched moto's check (patched-moto.check.ts), out of `npm test`: the patch serves the search-scale bench only,
 * so the bench runs the check before it measures (main.ts), as do `npm run bench:search-scale:moto` and
 * `npm run test:changed` when the patch changes. In `npm test` it was a second moto server for one bench's sake.
 */
const bench = root.projects.find((project) => project.displayName === 'bench');

module.exports = {
  ...bench,
  rootDir: path.join(__dirname, '../..'),
  displayName: 'bench-moto',
  testMatch: ['<rootDir>/bench/search-scale/patched-moto.check.ts'],
};
