import { parseRequest } from '../../../lambdas/api/http';
import { CreateWebhookSchema } from '../../../lambdas/webhooks/functions/create-webhook/route';
import { UpdateWebhookSchema } from '../../../lambdas/webhooks/functions/update-webhook/route';

/*
 * The client text rule (lambdas/store/client-text.ts) on the webhook routes: a lone surrogate (a 500 from DynamoDB
 * before), NUL or ESC (stored and echoed before) in a description or URL is a 400 naming the field, refused before
 * anything is stored.
 */

const refusal = (schema: typeof CreateWebhookSchema | typeof UpdateWebhookSchema, body: unknown) => {
  try {
    parseRequest(schema, body, 'body');
    return 'accepted';
  } catch (error) {
    return `${(error as { statusCode: number }).statusCode} ${(error as Error).message}`;
  }
};

const url = 'https://hooks.example.com/in';
const bad = { 'a lone surrogate': 'cms \ud800', NUL: 'cms\u0000', ESC: 'cms \u001b[31mred', 'a newline': 'a\nb' };

describe('webhook text from clients', () => {
  it.each(Object.entries(bad))('refuses %s in a description, on create and on update', (_, text) => {
    const expected = /^400 description: must (be valid Unicode|not contain control characters)/;
    expect(refusal(CreateWebhookSchema, { url, description: text })).toMatch(expected);
    expect(refusal(UpdateWebhookSchema, { description: text })).toMatch(expected);
  });

  it.each(Object.entries(bad))('refuses %s in a URL, on create and on update', (_, text) => {
    const expected = /^400 url: must (be valid Unicode|not contain control characters)/;
    expect(refusal(CreateWebhookSchema, { url: `${url}?${text}` })).toMatch(expected);
    expect(refusal(UpdateWebhookSchema, { url: `https://hooks.exa${text}mple.com/` })).toMatch(expected);
  });

  it('takes any other text, accents and emoji too', () => {
    expect(refusal(CreateWebhookSchema, { url, description: 'Café CMS 🚀, "prod"' })).toBe('accepted');
  });
});
