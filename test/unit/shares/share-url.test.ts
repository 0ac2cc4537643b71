import { apiUrlOf, shareUrlOf } from '../../../lambdas/albums/functions/share-contract';

describe("a link's URL", () => {
  it("is the web app's shared page when there is a web app, the token in its fragment only", () => {
    const url = shareUrlOf('https://d111.cloudfront.net', 'https://api.example/prod')('tok');
    expect(url).toBe('https://d111.cloudfront.net/app/shared#tok');
    // What a browser sends for it, and so what the web app's access logs can hold: no token.
    const sent = new URL(url);
    expect(`${sent.pathname}${sent.search}`).toBe('/app/shared');
    expect(sent.hash).toBe('#tok');
    expect(shareUrlOf('http://localhost:3000/', 'http://localhost:3000')('tok')).toBe(
      'http://localhost:3000/app/shared#tok',
    );
  });

  it("is the API's GET /shared/{token} without one, on the API as the request reached it", () => {
    const deployed = apiUrlOf({
      headers: {},
      requestContext: { domainName: 'abc.execute-api.eu-west-1.amazonaws.com', stage: 'prod' },
    });
    expect(shareUrlOf('', deployed)('tok')).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod/shared/tok');
    // The runner's events have no domain: its Host says where it listens.
    expect(shareUrlOf('', apiUrlOf({ headers: { Host: 'localhost:3917' }, requestContext: {} }))('tok')).toBe(
      'http://localhost:3917/shared/tok',
    );
  });
});
