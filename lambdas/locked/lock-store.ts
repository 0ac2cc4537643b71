import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lockoutSeconds } from './pin';

/** An owner's item in the locked table (table-design.ts). */
export interface OwnerLock {
  owner: string;
  /** The PIN's salted scrypt hash (pin.ts). */
  pin: string;
  /** 1 for the first PIN, one more with each change: an unlock token names the version it was made under. */
  pinVersion: number;
  /** Wrong PINs in a row (an attempt claimed and not yet found right counts). */
  failures: number;
  /** Epoch ms before which no attempt is taken. */
  blockedUntil?: number;
}

/** The outcome of claiming an attempt at the PIN. */
export type Claim = { claimed: true } | { claimed: false; retryAfterSeconds: number };

/**
 * The locked table's writes, one item by key each. An attempt at the PIN is claimed before it is checked, in one
 * conditional update on the failures as they were read: of attempts at once only one is checked, and each claim
 * already counts as a failure (with its lockout), forgotten only once the PIN is found right.
 */
export class LockStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(owner: string): Promise<OwnerLock | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { owner }, ConsistentRead: true }),
    );
    return Item as OwnerLock | undefined;
  }

  /** The owner's first PIN; false when they have one already (set meanwhile). */
  async create(owner: string, pin: string): Promise<boolean> {
    return conditional(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { owner, pin, pinVersion: 1, failures: 0 },
          ConditionExpression: 'attribute_not_exists(#owner)',
          ExpressionAttributeNames: { '#owner': 'owner' },
        }),
      ),
    );
  }

  /** A new PIN in place of the version read, its failures forgotten; false when it changed meanwhile. */
  async replace(lock: OwnerLock, pin: string): Promise<boolean> {
    return conditional(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { owner: lock.owner },
          UpdateExpression: 'SET #pin = :pin, #version = :next, #failures = :zero REMOVE #blocked',
          ConditionExpression: '#version = :seen',
          ExpressionAttributeNames: {
            '#pin': 'pin',
            '#version': 'pinVersion',
            '#failures': 'failures',
            '#blocked': 'blockedUntil',
          },
          ExpressionAttributeValues: {
            ':pin': pin,
            ':next': lock.pinVersion + 1,
            ':zero': 0,
            ':seen': lock.pinVersion,
          },
        }),
      ),
    );
  }

  /**
   * Claim one attempt at the PIN as read: refused while the folder is shut (`blockedUntil`), or when another
   * attempt was claimed since the read (try again in a second). The claim counts a failure and sets the lockout that
   * failure would bring (pin.ts `lockoutSeconds`), so a wrong PIN needs no second write.
   */
  async claimAttempt(lock: OwnerLock, now: Date): Promise<Claim> {
    const at = now.getTime();
    if (lock.blockedUntil !== undefined && lock.blockedUntil > at) {
      return { claimed: false, retryAfterSeconds: Math.ceil((lock.blockedUntil - at) / 1000) };
    }
    const failures = (lock.failures ?? 0) + 1;
    const lockout = lockoutSeconds(failures);
    const claimed = await conditional(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { owner: lock.owner },
          UpdateExpression: lockout > 0 ? 'SET #failures = :failures, #blocked = :until' : 'SET #failures = :failures',
          ConditionExpression:
            '#failures = :seen AND #version = :version AND (attribute_not_exists(#blocked) OR #blocked <= :now)',
          ExpressionAttributeNames: { '#failures': 'failures', '#blocked': 'blockedUntil', '#version': 'pinVersion' },
          ExpressionAttributeValues: {
            ':failures': failures,
            ':seen': lock.failures ?? 0,
            ':version': lock.pinVersion,
            ':now': at,
            ...(lockout > 0 && { ':until': at + lockout * 1000 }),
          },
        }),
      ),
    );
    return claimed ? { claimed: true } : { claimed: false, retryAfterSeconds: 1 };
  }

  /** The PIN was right: its failures and lockout forgotten (unless it changed meanwhile, which forgot them too). */
  async forgetFailures(lock: OwnerLock): Promise<void> {
    await conditional(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { owner: lock.owner },
          UpdateExpression: 'SET #failures = :zero REMOVE #blocked',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#failures': 'failures', '#blocked': 'blockedUntil', '#version': 'pinVersion' },
          ExpressionAttributeValues: { ':zero': 0, ':version': lock.pinVersion },
        }),
      ),
    );
  }
}

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
