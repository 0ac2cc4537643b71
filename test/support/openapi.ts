import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The committed document, as clients read it. */
export const OPENAPI_DOCUMENT = path.join(__dirname, '../../docs/openapi.json');

export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, unknown>;
  [field: string]: unknown;
}
export interface Operation {
  operationId: string;
  parameters?: Array<{ in: string; name: string; required?: boolean; description?: string; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

export function readOpenApi(file = OPENAPI_DOCUMENT): OpenApi {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApi;
}

/** `GET /images/{id}`, one entry per operation of the document. */
export function operationsOf(document: OpenApi): string[] {
  return Object.entries(document.paths).flatMap(([route, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${route}`),
  );
}

/** The keywords of an OpenAPI document and its Schema Objects that are not JSON Schema's. */
const OPENAPI_KEYWORDS = ['openapi', 'info', 'servers', 'security', 'paths', 'components', 'tags', 'webhooks'];
const SCHEMA_OBJECT_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];

/** `~` and `/` escaped as a JSON Pointer needs, then percent-encoded for a URI fragment (`{id}`). */
const pointer = (...parts: string[]) =>
  parts.map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/**
 * Validates bodies against a document's schemas with Ajv's JSON Schema 2020-12 dialect (the one OpenAPI 3.1 Schema
 * Objects are written in), strict, so a schema Ajv does not understand fails rather than passing everything.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApi) {
    this.ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    this.ajv.addVocabulary([...OPENAPI_KEYWORDS, ...SCHEMA_OBJECT_KEYWORDS]);
    // The document as one schema, so that each `$ref: '#/components/schemas/...'` resolves within it.
    this.ajv.addSchema(document, 'openapi.json');
  }

  /** Every schema of the document (request bodies, responses, parameters, components) compiled: their errors. */
  compileAll(): string[] {
    const problems: string[] = [];
    const compile = (where: string, ref: string) => {
      try {
        this.ajv.compile({ $ref: `openapi.json#/${ref}` });
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    };
    for (const name of Object.keys((this.document.components?.schemas as object | undefined) ?? {})) {
      compile(`components.schemas.${name}`, pointer('components', 'schemas', name));
    }
    for (const [route, item] of Object.entries(this.document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        (operation.parameters ?? []).forEach((parameter, i) => {
          compile(
            `${method} ${route} ${parameter.name}`,
            pointer('paths', route, method, 'parameters', String(i), 'schema'),
          );
        });
        if (operation.requestBody) {
          compile(
            `${method} ${route} body`,
            pointer('paths', route, method, 'requestBody', 'content', 'application/json', 'schema'),
          );
        }
        for (const [status, answer] of Object.entries(operation.responses)) {
          if (!answer.content) continue;
          compile(
            `${method} ${route} ${status}`,
            pointer('paths', route, method, 'responses', status, 'content', 'application/json', 'schema'),
          );
        }
      }
    }
    return problems;
  }

  /**
   * Why `body` is not what the document says `METHOD route` answers with `status` (empty when it is): the status
   * must be documented, and a body present exactly when the answer has content.
   */
  responseErrors(method: string, route: string, status: number, body: unknown): string[] {
    const operation = this.document.paths[route]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${route} is not in the document`];
    const answer = operation.responses[String(status)];
    if (!answer) return [`${method} ${route} does not document a ${status} answer`];
    if (!answer.content) return body === undefined ? [] : [`${status} has no body in the document, got one`];
    if (body === undefined) return [`${status} has a JSON body in the document, got none`];
    const ref = pointer(
      'paths',
      route,
      method.toLowerCase(),
      'responses',
      String(status),
      'content',
      'application/json',
      'schema',
    );
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json#/${ref}` });
      this.compiled.set(ref, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
