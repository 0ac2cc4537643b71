import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REQUIRED_SERVICES } from '../../../../lambdas/local/localstack/plan';

interface ComposeService {
  image: string;
  ports: string[];
  environment: string[];
  volumes: string[];
  healthcheck: { test: string[]; interval: string; retries: number };
}

const compose = parse(readFileSync(path.join(__dirname, '../../../../docker-compose.localstack.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const localstack = compose.services.localstack as ComposeService;

/** What compose makes of `${NAME:-default}` when NAME is unset. */
function interpolated(value: string): string {
  return value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');
}

/** The variable and fallback of a value that is exactly `${NAME:-fallback}`. */
function substitution(value: string | undefined): { variable: string; fallback: string } | undefined {
  const found = /^\$\{(\w+):-([^}]*)\}$/.exec(value ?? '');
  return found ? { variable: found[1] as string, fallback: found[2] as string } : undefined;
}

/** An environment entry's value as written, before interpolation. */
function rawEnvironment(name: string): string | undefined {
  return localstack.environment.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1);
}

function environment(name: string): string | undefined {
  const raw = rawEnvironment(name);
  return raw === undefined ? undefined : interpolated(raw);
}

describe('docker-compose.localstack.yml', () => {
  it('runs localstack/localstack 4.14.0 unless LOCALSTACK_IMAGE names another', () => {
    expect(substitution(localstack.image)).toEqual({
      variable: 'LOCALSTACK_IMAGE',
      fallback: 'localstack/localstack:4.14.0',
    });
  });

  it('publishes the gateway on 4566 and the external service ports, on loopback only', () => {
    expect(localstack.ports).toEqual(['127.0.0.1:4566:4566', '127.0.0.1:4510-4559:4510-4559']);
  });

  it('mounts the docker socket, through which Lambda functions run in containers', () => {
    expect(localstack.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
  });

  it('reports healthy from /_localstack/health', () => {
    expect(localstack.healthcheck.test).toEqual(['CMD', 'curl', '-fsS', 'http://localhost:4566/_localstack/health']);
    expect(localstack.healthcheck.retries).toBeGreaterThan(0);
  });

  it('loads exactly the services the stack and cdk bootstrap use', () => {
    const services = environment('SERVICES')?.split(',');
    expect(new Set(services)).toEqual(new Set(REQUIRED_SERVICES));
  });

  it('passes LOCALSTACK_AUTH_TOKEN through, empty when unset', () => {
    expect(substitution(rawEnvironment('LOCALSTACK_AUTH_TOKEN'))).toEqual({
      variable: 'LOCALSTACK_AUTH_TOKEN',
      fallback: '',
    });
  });

  it('keeps its state under the git-ignored .local folder', () => {
    expect(localstack.volumes.map(interpolated)).toContain('./.local/localstack:/var/lib/localstack');
  });
});
