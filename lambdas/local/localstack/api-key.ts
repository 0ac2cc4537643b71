import { signV4 } from './sigv4';

/**
 * The value of an API key (API Gateway GetApiKey with includeValue), from the endpoint given: the stack outputs
 * only the key's id, so that the value never appears in CloudFormation.
 */
export async function apiKeyValue(options: {
  endpoint: string;
  region: string;
  apiKeyId: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): Promise<string> {
  const url = new URL(`/apikeys/${encodeURIComponent(options.apiKeyId)}`, options.endpoint);
  url.searchParams.set('includeValue', 'true');
  const headers = signV4(
    { method: 'GET', url, headers: { accept: 'application/json' } },
    options.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    { region: options.region, service: 'apigateway' },
  );
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GetApiKey ${options.apiKeyId}: HTTP ${response.status} ${text.slice(0, 200)}`);
  const value = (JSON.parse(text) as { value?: unknown }).value;
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`GetApiKey ${options.apiKeyId}: the answer has no value`);
  }
  return value;
}

/** The same call with the AWS CLI, for when the script's own call fails. */
export function apiKeyCommand(options: { endpoint: string; apiKeyId: string }): string {
  return `aws --endpoint-url ${options.endpoint} apigateway get-api-key --api-key ${options.apiKeyId} --include-value --query value --output text`;
}
