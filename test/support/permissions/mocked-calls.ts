import type { AwsCall } from '../../../lambdas/local/aws-calls';
import { resourceFields } from '../../../lambdas/local/aws-calls';

/*
 * Calls the local runner cannot make (Rekognition's collections, Bedrock, S3 Vectors' real service) made by the code
 * itself with its SDK clients mocked (aws-sdk-client-mock), then recorded as the runner records calls, for the
 * permissions check (check.ts).
 */

/** `IndexFacesCommand` -> IndexFaces; the document client's commands by the DynamoDB operation they send. */
const DOCUMENT_OPERATIONS: Record<string, string> = {
  BatchGetCommand: 'BatchGetItem',
  DeleteCommand: 'DeleteItem',
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  TransactWriteCommand: 'TransactWriteItems',
};

/** A mocked client's received commands, under the service name the runner's recorder gives its calls. */
export interface MockedService {
  service: string;
  calls: () => { args: unknown[] }[];
}

/** Every command the mocks received, as the runner's recorder writes calls, as made by `fn`. */
export function recorded(fn: string, mocks: readonly MockedService[]): AwsCall[] {
  return mocks.flatMap(({ service, calls }) =>
    calls().map(({ args }) => {
      const command = args[0] as { constructor: { name: string }; input: Record<string, unknown> };
      const name = command.constructor.name;
      const operation = DOCUMENT_OPERATIONS[name] ?? name.replace(/Command$/, '');
      return { fn, service, operation, input: resourceFields(command.input) };
    }),
  );
}
