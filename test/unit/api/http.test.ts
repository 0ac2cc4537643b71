import { corsHeaders } from '../../../lambdas/api/http';

const ALLOWED = ['https://app.example.com'];

describe('corsHeaders', () => {
  it('echoes an allowed origin and varies on it', () => {
    expect(corsHeaders('https://app.example.com', ALLOWED)).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example.com',
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
