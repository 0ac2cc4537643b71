// Setup file of the infra project: every App its files make skips the stack traces CDK captures for each construct
// (`aws:cdk:disable-creation-stack-traces`) and each annotation (`aws:cdk:disable-stack-trace`). They go only into
// the assembly's metadata, which no assertion reads, and capturing them, source-mapped under jest, was about a tenth
// of the project's CPU time. An App reads CDK_CONTEXT_JSON when it is made (as under `cdk synth`), below the context
// it is given, so the templates are those of a plain App. `cdk synth` itself (test/integration/infra) keeps them.
const CDK_CONTEXT_ENV = 'CDK_CONTEXT_JSON';

process.env[CDK_CONTEXT_ENV] = JSON.stringify({
  ...JSON.parse(process.env[CDK_CONTEXT_ENV] || '{}'),
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
});
