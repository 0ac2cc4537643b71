/**
 * How many partition key values an owner's people are listed under in `byOwnerPeople` (`<owner>#<n>`, n = a hash
 * of the person id modulo this). Every new face of a person rewrites its rank, so one owner's people under one key
 * value would take all of that owner's grouping writes; 4 values spread them, and `GET /people` merges 4 Queries.
 */
export const PEOPLE_SHARDS = 4;

/**
 * The people table's key design (docs/people.md), shared by the CDK construct, the people store and the local runner
 * so the three cannot drift. Every item is `pk` + `sk` (strings):
 *
 * | item                 | pk                                   | sk              |
 * | -------------------- | ------------------------------------ | --------------- |
 * | face                 | `<owner>#IMAGE#<imageId>`            | `FACE#<nn>`     |
 * | person               | `<owner>#PERSON#<personId>`          | `PERSON`        |
 * | face bucket (offline) | `<owner>#FB#<table>#<bits hex>`      | `<imageId>#<nn>` |
 * | Rekognition face ref | `<owner>#REK#<rekognitionFaceId>`    | `FACE`          |
 *
 * | pattern                                   | how                                                             |
 * | ----------------------------------------- | --------------------------------------------------------------- |
 * | an image's faces                          | Query `<owner>#IMAGE#<imageId>`                                 |
 * | a person                                  | GetItem `<owner>#PERSON#<personId>`                             |
 * | an owner's people, most faces first       | Query `byOwnerPeople` on every `<owner>#<n>`, desc; merge       |
 * | a Rekognition match's face                | BatchGetItem `<owner>#REK#<faceId>` (another owner's: no item)  |
 *
 * Every key starts with the owner, so no query can reach another owner's faces.
 */
export const PEOPLE_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    /** pk `<owner>#<n>`, sk `<faceCount zero-padded to 10>#<personId>`; a merged person has neither (not listed). */
    byOwnerPeople: {
      indexName: 'byOwnerPeople',
      partitionKey: 'peopleShard',
      sortKey: 'peopleRank',
      projection: 'ALL',
    },
  },
} as const;
