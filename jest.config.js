/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: '<rootDir>/test/node-environment.js',
  // @middy/core is ESM-only: let ts-jest turn it (and only it) into CommonJS for jest's module system.
  transform: { '^.+\\.[tj]sx?$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

module.exports = {
  projects: [project('unit'), project('infra'), project('e2e')],
};
