/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: '<rootDir>/test/node-environment.js',
  // @middy/core is ESM-only: let ts-jest turn it (and only it) into CommonJS for jest's module system. ts-jest through
  // a cache the nine projects share (jest keeps one per project): a file is compiled once a run, not once a project.
  transform: {
    '^.+\\.[tj]sx?$': ['<rootDir>/test/support/jest/transform.js', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!@middy/|jose/|request-filtering-agent/|@contentauth/|cbor2/|@cto.af/|@jsquash/)',
  ],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  // Synthesized assets (cdk.out) and the build hold copies of package.json and the sources.
  modulePathIgnorePatterns: ['<rootDir>/cdk.out', '<rootDir>/dist'],
  ...extra,
});

/**
 * The run's one moto server (test/support/shared-moto.ts), for every project that talks to AWS: jest runs a global
 * setup file once however many projects name it, before any worker starts, so each worker finds its endpoint in
 * IMAGE_INTEL_TEST_ENDPOINT. Each test file keeps to resources under a prefix of its own.
 */
const sharedMoto = {
  globalSetup: '<rootDir>/test/support/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest/global-teardown.ts',
};

module.exports = {
  // Model loads, child processes and synths run while other projects share the cores: 5 s is not enough on 2.
  testTimeout: 60_000,
  // The slow files (runners, Step Functions runs, the browser) first, so none is left alone at the end.
  testSequencer: '<rootDir>/test/support/jest/sequencer.js',
  projects: [
    // Pure code: no process started, no socket opened (test/support/jest/no-io.ts refuses both).
    project('unit', { setupFilesAfterEnv: ['<rootDir>/test/support/jest/no-io.ts'] }),
    // The offline models' real inference (ONNX Runtime and TF.js, their weights loaded in each file): pure code, but
    // seconds a file, so out of the unit layer's inner loop.
    project('models', { setupFilesAfterEnv: ['<rootDir>/test/support/jest/no-io.ts'] }),
    // CDK synths and template assertions, without CDK's stack traces (test/support/jest/cdk-context.js).
    project('infra', { setupFiles: ['<rootDir>/test/support/jest/cdk-context.js'] }),
    // Code against the run's moto, local servers on loopback, the CLI as a process.
    project('integration', sharedMoto),
    // The benchmarks' own code (bench/<name>/*.test.ts).
    project('bench', { ...sharedMoto, testMatch: ['<rootDir>/bench/**/*.test.ts'] }),
    project('e2e', {
      // Starts the local runner on the run's moto (or points at E2E_API_URL) once for the whole suite.
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
    }),
    // Fault injection, crashes, load and hostile clients against local runners each test file starts itself.
    project('resilience', sharedMoto),
    // The web app in headless Debian Chromium (playwright-core) against a local runner the suite starts.
    project('browser', sharedMoto),
    // The README's and docs' example outputs, made again by running their commands.
    project('docs', sharedMoto),
  ],
};
