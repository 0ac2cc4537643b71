import { EXIT } from './record';

/** `smoke --help`'s steps and exit codes (apart from smoke.ts, which loads the AWS SDK and sharp). */
export const SMOKE_EXIT_HELP = `
Steps, one line each (name, PASS/FAIL/skip, time, what happened or why not):
  subscribe  a temporary EventBridge rule and SQS queue for Image Processed
  upload     a new probe PNG through POST /uploads and its presigned POST
  processed  GET /images/{id} until PROCESSED (within --timeout)
  event      its Image Processed event reached the queue
  search     a unique label added (PATCH /images/{id}/labels) finds it alone
  rendition  one of its signed preset rendition URLs answers an image
  delete     DELETE /images/{id}, then GET /images/{id} answers 404
The first failure skips the rest; then the rule, its target and the queue are
removed and the probe image deleted (the cleanup line says so).

Exit codes:
  ${EXIT.ok}  every step passed and nothing was left behind
  ${EXIT.someRejectedOrFailed}  a step failed (its line says why), or the cleanup left something
     behind (its line says what, and the command that removes it)
  ${EXIT.usage}  usage error: neither --stack nor --api, an unknown option, a bad value
  ${EXIT.noTarget}  nothing was checked: the stack or its outputs could not be read, or
     the API could not be reached (the reason on stderr)
`;
