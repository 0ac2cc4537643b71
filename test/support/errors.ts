import { AppError, BadRequestError } from '../../lambdas/shared/errors';

/** The BadRequestError message `run` throws (fails the test if it throws nothing or something else). */
export function badRequest(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a BadRequestError, nothing was thrown');
}

/** DynamoDB's answer to a cancelled transaction, with the code of each item's reason in order. */
export function cancelledTransaction(...codes: string[]): Error {
  return Object.assign(new Error(`Transaction cancelled, please refer cancellation reasons [${codes.join(', ')}]`), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** The AppError a call is refused with (fails the test if it succeeds or fails otherwise). */
export async function refusal(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}
