import type { TableDeclaration } from '../settings/resources';

/** At most this many partners an owner grants to (the scale target is 10): a grant past it is a 409. */
export const MAX_PARTNERS_PER_OWNER = 20;
/**
 * The partners table, shared by the generic construct (lib/constructs/declared.ts), the store and the local runner.
 * Items:
 *
 * | item                              | pk               | sk             | besides                                     |
 * | --------------------------------- | ---------------- | -------------- | ------------------------------------------- |
 * | a grant (grantor to partner)      | `G#<grantor>`    | `P#<partner>`  | grantor, partner, albums?, from?, createdAt, updatedAt; `grantee`, `grantSort` |
 * | a grantor's partner count         | `G#<grantor>`    | `COUNT`        | partners                                    |
 *
 * Access patterns:
 *
 * | pattern                                                    | how                                              |
 * | ---------------------------------------------------------- | ------------------------------------------------ |
 * | may this partner read this grantor's photos (every partner read) | GetItem `G#<grantor>`/`P#<partner>`        |
 * | the partners an owner granted (`GET /partners`'s `granted`) | Query the table on `G#<owner>`, `P#` prefix (at most MAX_PARTNERS_PER_OWNER) |
 * | the grants an owner received (`received`, `partners=all`)  | Query `byGrantee` on the owner                   |
 * | grant within the cap                                       | a transaction: the count raised conditionally, the grant put if new; a re-grant is a conditional Put over the old one |
 * | revoke                                                     | a transaction: the grant deleted, the count lowered |
 *
 * Each grantor's items are their own partition and each partner's received grants their own index partition: no
 * write goes to a partition every owner shares.
 */
export const PARTNERS_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    byGrantee: {
      indexName: 'byGrantee',
      /** The partner a grant is to. Only grant items have it. */
      partitionKey: 'grantee',
      /** `<createdAt>#<grantor>`: oldest grant first. */
      sortKey: 'grantSort',
      projection: 'ALL',
    },
  },
} as const;

export function grantKey(grantor: string, partner: string) {
  return { pk: `G#${grantor}`, sk: `P#${partner}` };
}

export function partnerCountKey(grantor: string) {
  return { pk: `G#${grantor}`, sk: 'COUNT' };
}

/** Where the grants are kept: every deployment has partners. */
export interface PartnersWiring {
  readonly tableName: string;
}

/** The partners table's name from a function's wiring (the declaration's part). */
export function partnersTableOf(wiring: { readonly partners?: PartnersWiring }): string {
  if (!wiring.partners)
    throw new Error('the wiring has no partners table: lambdas/partners/table-design.ts declares it');
  return wiring.partners.tableName;
}

/** Grants between owners of the deployment (docs/api.md#partners). */
export const PARTNERS_TABLE: TableDeclaration = {
  name: 'partners',
  design: PARTNERS_TABLE_DESIGN,
  wiring: (tableName) => ({ partners: { tableName } satisfies PartnersWiring }),
  output: { name: 'PartnersTableName', description: "Owners' grants of read access to their partners" },
};
