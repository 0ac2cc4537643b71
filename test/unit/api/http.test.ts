import { answeredTo, CALLER_ADMIN_HEADER, corsHeaders } from '../../../lambdas/api/http';

const ALLOWED = ['https://app.example.com'];

describe('corsHeaders', () => {
  it('echoes an allowed origin and varies on it', () => {
    expect(corsHeaders('https://app.example.com', ALLOWED)).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Access-Control-Expose-Headers': CALLER_ADMIN_HEADER,
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
