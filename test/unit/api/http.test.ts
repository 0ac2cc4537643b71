import type { Context } from 'aws-lambda';
import { ApiEnvSchema } from '../../../lambdas/api/env';
import { answeredTo, apiFunction, CALLER_ADMIN_HEADER, corsHeaders, jsonBody } from '../../../lambdas/api/http';
import { BadRequestError, UnsupportedMediaTypeError } from '../../../lambdas/shared/errors';
import { apiEvent, useApiEnv } from '../../support/api-events';

const ALLOWED = ['https://app.example.com'];

describe('corsHeaders', () => {
  it('echoes an allowed origin and varies on it', () => {
    expect(corsHeaders('https://app.example.com', ALLOWED)).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Access-Control-Expose-Headers': `${CALLER_ADMIN_HEADER}, Retry-After`,
      Vary: 'Origin',
    });
  });

  it.each(['https://app.example.com.evil.net', 'https://evil.app.example.com', 'http://app.example.com', 'null', '*'])(
    'does not allow %s, which only resembles an allowed origin',
    (origin) => {
      expect(corsHeaders(origin, ALLOWED)).toEqual({ Vary: 'Origin' });
    },
  );

  it('adds nothing when no origin is configured', () => {
    expect(corsHeaders('https://app.example.com', [])).toEqual({});
  });
});

describe('answeredTo', () => {
  it('says on the answer whether its caller is an admin, keeping the headers it had', () => {
    const answer = { statusCode: 200, body: {}, headers: { 'Retry-After': '1' } };
    expect(answeredTo(answer, { owner: 'client-a', admin: false }).headers).toEqual({
      'Retry-After': '1',
      'X-Image-Intel-Admin': 'false',
    });
    expect(answeredTo({ statusCode: 204 }, { owner: 'root', admin: true }).headers).toEqual({
      'X-Image-Intel-Admin': 'true',
    });
  });
});

describe('apiFunction', () => {
  const answer = async () => ({ statusCode: 200, body: { ok: true } });
  const call = (handler: ReturnType<ReturnType<typeof apiFunction>['serve']>, as: null | undefined) =>
    handler(apiEvent({ as, method: 'GET', resource: '/shared/{token}', path: '/shared/t' }), {} as Context, () => {});

  it('serves a public route without reading a caller, and without saying whether one is an admin', async () => {
    useApiEnv({ AUTH_MODE: 'cognito' });
    const { serve, servePublic } = apiFunction('test-public', ApiEnvSchema);
    const open = await call(servePublic(answer), null);
    expect(open).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    expect(open?.headers).not.toHaveProperty(CALLER_ADMIN_HEADER);
    // The same request to a route that reads its caller: refused, as one API Gateway let through by mistake.
    expect(await call(serve(answer), null)).toMatchObject({ statusCode: 401 });
  });
});

describe('jsonBody', () => {
  const sent = (headers: Record<string, string>, body = '{"personIds":["p1"]}') =>
    apiEvent({ method: 'POST', resource: '/people/{id}/merge', path: '/people/p2/merge', headers, body });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])(
    'reads a body sent as %s',
    (type) => {
      expect(jsonBody(sent({ 'Content-Type': type }))).toEqual({ personIds: ['p1'] });
    },
  );

  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain;charset=UTF-8', 'text/plain'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x', 'multipart/form-data'],
  ])('refuses a JSON body sent as %s, which a page elsewhere can send without a preflight (415)', (type, named) => {
    const refusal = () => jsonBody(sent({ 'content-type': type }));
    expect(refusal).toThrow(UnsupportedMediaTypeError);
    expect(refusal).toThrow(`content-type: ${named}; the body must be sent as application/json`);
  });

  it('refuses a body with no content type', () => {
    const event = sent({});
    event.headers = { Host: 'api.example.com' };
    expect(() => jsonBody(event)).toThrow('content-type: none; the body must be sent as application/json');
  });

  it('still says 400 for a missing or malformed body', () => {
    expect(() => jsonBody(sent({ 'content-type': 'application/json' }, ''))).toThrow(BadRequestError);
    expect(() => jsonBody(sent({ 'content-type': 'application/json' }, '{'))).toThrow('body: not valid JSON');
  });
});
