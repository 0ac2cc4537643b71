/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: '<rootDir>/test/node-environment.js',
  // @middy/core is ESM-only: let ts-jest turn it (and only it) into CommonJS for jest's module system.
  transform: { '^.+\\.[tj]sx?$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!@middy/|jose/)'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  // Synthesized assets (cdk.out) and the build hold copies of package.json and the sources.
  modulePathIgnorePatterns: ['<rootDir>/cdk.out', '<rootDir>/dist'],
  ...extra,
});

module.exports = {
  // Model loads, child processes and synths run while other projects share the cores: 5 s is not enough on 2.
  testTimeout: 60_000,
  projects: [
    project('unit'),
    project('infra'),
    project('e2e', {
      // Starts the local runner on moto (or points at E2E_API_URL) once for the whole suite.
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
    }),
    // Fault injection, crashes, load and hostile clients against local runners each test file starts itself.
    project('resilience'),
    // The web app in headless Debian Chromium (playwright-core) against a local runner the suite starts.
    project('browser'),
    // The README's and docs' example outputs, made again by running their commands (local runners of their own).
    project('docs'),
  ],
};
