/**
 * The people table (docs/people.md), only when `faceGrouping` is on: the stack and the local runner create it from
 * this, so the two cannot drift apart. Persons are listed from `byOwnerPeople`, spread over PEOPLE_SHARDS keys per
 * owner so that no owner's list is one hot key.
 */
export const PEOPLE_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    byOwnerPeople: {
      indexName: 'byOwnerPeople',
      partitionKey: 'peopleShard',
      sortKey: 'peopleRank',
      projection: 'ALL',
    },
  },
} as const;

/** Keys an owner's people are spread over in `byOwnerPeople`. */
export const PEOPLE_SHARDS = 4;
