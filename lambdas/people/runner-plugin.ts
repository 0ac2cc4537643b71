import type { RunnerPlugin } from '../settings/runner-plugins';

/** Face grouping on the runner: `npm start -- --face-grouping`, the same as `-c faceGrouping=true`. */
export const PEOPLE_RUNNER_PLUGIN: RunnerPlugin = {
  name: 'people',
  option: {
    flags: '--face-grouping',
    description:
      'group faces into people (GET /people, person= on GET /images; docs/people.md): the same as -c faceGrouping=true',
    context: { faceGrouping: 'true' },
  },
  banner: (settings) =>
    settings.faceGrouping ? ['  people        face grouping on: faces are biometric data (docs/people.md)'] : [],
};
