/** Where webhooks are kept and queued, with `webhooks` on. */
export interface WebhooksWiring {
  readonly tableName: string;
  readonly queueUrl: string;
}
