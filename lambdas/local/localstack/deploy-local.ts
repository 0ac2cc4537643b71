import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { apiKeyCommand, apiKeyValue } from './api-key';
import { e2eCommandLine, e2eEnvironment, stackOutputs } from './outputs';
import {
  cdklocalEnvironment,
  LOCALSTACK_ENDPOINT,
  LocalDeployError,
  paidServices,
  parseContextPairs,
  planDeploy,
  REQUIRED_SERVICES,
  regionOf,
  unavailableServices,
} from './plan';

const ROOT = path.join(__dirname, '../../..');
const COMPOSE_UP = 'docker compose -f docker-compose.localstack.yml up -d';

/**
 * `npm run deploy:local [-- -c key=value ...]`: the CDK stack on LocalStack with cdklocal, then the command line
 * that runs the end-to-end suite against it.
 *
 * 1. Plan: context (free-tier defaults + the caller's), refused if the free image cannot run it; its notes.
 * 2. Check LocalStack answers and runs the services the stack needs.
 * 3. cdklocal bootstrap, cdklocal deploy --outputs-file.
 * 4. Map the outputs (and the API key's value) to the E2E_* variables and print them.
 */
async function main(argv: string[]): Promise<void> {
  const program = new Command('npm run deploy:local --')
    .description('Deploy the stack to LocalStack (docker-compose.localstack.yml) and print how to run the e2e suite.')
    .option('-c, --context <key=value>', 'CDK context, as cdk -c (repeatable)', collect, [] as string[])
    .option('--outputs-file <path>', 'where cdk writes the stack outputs', '.local/localstack-outputs.json')
    .parse(argv, { from: 'user' });
  const flags = program.opts<{ context: string[]; outputsFile: string }>();
  const region = regionOf(process.env);
  const outputsFile = path.resolve(ROOT, flags.outputsFile);
  const authToken = process.env.LOCALSTACK_AUTH_TOKEN || undefined;
  const plan = planDeploy({ context: parseContextPairs(flags.context), outputsFile, region, authToken });

  const missing = unavailableServices(await localstackHealth(), [...REQUIRED_SERVICES, ...paidServices(plan.settings)]);
  if (missing.length > 0) {
    throw new LocalDeployError(
      `LocalStack at ${LOCALSTACK_ENDPOINT} does not run ${missing.join(', ')}: start it with\n  ${COMPOSE_UP}\n` +
        '(LOCALSTACK_SERVICES overrides its service list).',
    );
  }
  for (const note of plan.notes) log(note);

  mkdirSync(path.dirname(outputsFile), { recursive: true });
  const env = cdklocalEnvironment(process.env, region);
  for (const { bin, args } of plan.commands) {
    log(`$ ${bin} ${args.join(' ')}`);
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', bin), args, { cwd: ROOT, env, stdio: 'inherit' });
    if (result.status !== 0) {
      throw new LocalDeployError(`${bin} ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`})`);
    }
  }

  const outputs = stackOutputs(JSON.parse(readFileSync(outputsFile, 'utf8')));
  let apiKey: string | undefined;
  if (outputs.ApiKeyId) {
    try {
      apiKey = await apiKeyValue({ endpoint: LOCALSTACK_ENDPOINT, region, apiKeyId: outputs.ApiKeyId });
    } catch (error) {
      log(`Could not read the API key (${(error as Error).message}); get it with:`);
      log(`  ${apiKeyCommand({ endpoint: LOCALSTACK_ENDPOINT, apiKeyId: outputs.ApiKeyId })}`);
      apiKey = '<the API key>';
    }
  }
  log('\nDeployed. Run the end-to-end suite against it with:\n');
  process.stdout.write(
    `${e2eCommandLine(e2eEnvironment(outputs, { endpoint: LOCALSTACK_ENDPOINT, region, apiKey }))}\n`,
  );
}

async function localstackHealth(): Promise<unknown> {
  try {
    const response = await fetch(`${LOCALSTACK_ENDPOINT}/_localstack/health`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.json();
  } catch (error) {
    throw new LocalDeployError(
      `LocalStack is not reachable at ${LOCALSTACK_ENDPOINT} (${(error as Error).message}). Start it with:\n` +
        `  ${COMPOSE_UP}\nand wait until \`docker compose -f docker-compose.localstack.yml ps\` shows it healthy.`,
    );
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  log(error instanceof LocalDeployError ? error.message : (error.stack ?? error.message));
  process.exit(1);
});
