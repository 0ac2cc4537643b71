/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: '<rootDir>/test/node-environment.js',
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

module.exports = {
  projects: [project('unit'), project('infra'), project('e2e')],
};
