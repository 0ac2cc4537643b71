import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeName, PREFIX_LENGTH, prefixOf } from '../store/labels';
import { type PeopleTable, resolvePerson, searchIdsOf } from './person-item';
import { nameWordKey } from './table-design';

/*
 * People found by a word of their name, for the search box (`GET /images?q=`): every rename files each word of the
 * new name under its search prefix, and a reader keeps only the people whose name, as it is now, still has the word.
 * So an old name's words need no removal, and a merged person's lead to the person it now is.
 */

/** People one query word reads at most: a name word shared by more of an owner's people is not a useful search. */
export const MAX_NAMED = 10;

/** The distinct words of a name, normalised as search words are (at least two characters). */
function nameWords(name: string): string[] {
  return [...new Set(normalizeName(name).split(' '))].filter((word) => [...word].length >= 2);
}

/** Does a query word find a word of this name: it begins one, or, shorter than a prefix, it is one. */
function nameHas(name: string, queried: string): boolean {
  const short = [...queried].length < PREFIX_LENGTH;
  return nameWords(name).some((word) => (short ? word === queried : word.startsWith(queried)));
}

/** File each word of a person's new name (puts of whole items: a retried rename changes nothing). */
export async function fileNameWords(table: PeopleTable, owner: string, personId: string, name: string | null) {
  await Promise.all(
    (name === null ? [] : nameWords(name)).map((word) =>
      table.client.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { ...nameWordKey(owner, prefixOf(word), word, personId), personId },
        }),
      ),
    ),
  );
}

/**
 * The person ids a search word stands for: of each of the owner's people (at most MAX_NAMED) whose name has a word
 * it begins, the person's own id and those merged into it whose images are not re-pointed yet (person-item.ts
 * `searchIdsOf`: the ids its images' faces are posted under).
 */
export async function namedBy(table: PeopleTable, owner: string, queried: string): Promise<string[]> {
  const short = [...queried].length < PREFIX_LENGTH;
  const { pk, sk } = nameWordKey(owner, prefixOf(queried), queried, '');
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :word)',
      ExpressionAttributeValues: { ':pk': pk, ':word': short ? sk : queried },
      Limit: MAX_NAMED * 2,
    }),
  );
  const ids = [...new Set(Items.map((item) => item.personId as string))];
  const people = await Promise.all(ids.map((id) => resolvePerson(table, owner, id)));
  const found = new Map<string, string[]>();
  for (const person of people) {
    if (person === undefined || person.name === null || !nameHas(person.name, queried)) continue;
    if (found.size < MAX_NAMED) found.set(person.personId, searchIdsOf(person));
  }
  return [...new Set([...found.values()].flat())];
}
