import { ManifestStoreSchema, readCredentials } from '../../../lambdas/provenance/summarize';
import { sourceType } from '../../support/provenance';

/** A manifest store as c2pa-rs writes it out, with only what the summary reads. */
function store(manifests: Record<string, unknown>, active = 'm0', state = 'Valid') {
  return ManifestStoreSchema.parse({ active_manifest: active, manifests, validation_state: state });
}

const created = (code: string) => ({
  label: 'c2pa.actions.v2',
  data: { actions: [{ action: 'c2pa.created', digitalSourceType: sourceType(code) }] },
});
const edits = { label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.opened' }, { action: 'c2pa.cropped' }] } };
const parent = (label: string) => ({ relationship: 'parentOf', active_manifest: label, title: label });

describe('the summary of a manifest store (hostile ones included)', () => {
  it('follows a chain of edits down to the capture, and gives up past four levels', () => {
    const chain = (length: number) =>
      Object.fromEntries(
        Array.from({ length }, (_, i) => [
          `m${i}`,
          i === length - 1
            ? { assertions: [created('trainedAlgorithmicMedia')] }
            : {
                assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.opened' }] } }],
                ingredients: [parent(`m${i + 1}`)],
              },
        ]),
      );
    expect(readCredentials(store(chain(4)))?.reading.summary).toBe('ai-generated');
    expect(readCredentials(store(chain(12)))?.reading.summary).toBe('unknown');
  });

  it('reads a manifest that names itself, and one with thousands of ingredients, in bounded work', () => {
    const selfish = store({ m0: { assertions: [edits], ingredients: [parent('m0')] } });
    expect(readCredentials(selfish)?.reading.summary).toBe('edited');
    const many = store({
      m0: { assertions: [edits], ingredients: Array.from({ length: 5000 }, () => parent('m1')) },
      m1: { assertions: [created('digitalCapture')], ingredients: Array.from({ length: 5000 }, () => parent('m0')) },
    });
    const read = readCredentials(many);
    expect(read?.reading.summary).toBe('edited');
    expect(read?.credentials.ingredients).toHaveLength(10);
  });

  it('takes fields of the wrong type as absent, and a store with no active manifest as none', () => {
    const odd = store({
      m0: {
        title: 42,
        claim_generator_info: 'not a list',
        assertions: [
          { label: 'c2pa.actions', data: { actions: [{ action: 7 }, { action: 'c2pa.created', softwareAgent: 3 }] } },
        ],
        signature_info: { common_name: ['x'] },
      },
    });
    const read = readCredentials(odd);
    expect(read?.credentials).toMatchObject({ actions: [{ action: 'c2pa.created' }], signer: {} });
    expect(read?.credentials.title).toBeUndefined();
    expect(readCredentials(store({}, 'missing'))).toBeUndefined();
  });

  it('says trusted for c2pa-rs Trusted, invalid for Invalid, untrusted otherwise, and clips long texts', () => {
    const long = 'x'.repeat(5000);
    const one = (state: string) =>
      readCredentials(store({ m0: { title: long, assertions: [created('digitalCapture')] } }, 'm0', state));
    expect(one('Trusted')?.credentials.validation).toBe('valid');
    expect(one('Invalid')?.credentials.validation).toBe('invalid');
    expect(one('Valid')?.credentials.validation).toBe('untrusted');
    expect(one('Valid')?.credentials.title).toHaveLength(200);
  });
});

it("reads a source type named like an object's own property (constructor, toString) as one not in IPTC's list", async () => {
  const { summaryOfSourceType } = await import('../../../lambdas/provenance/digital-source-types');
  for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    expect(summaryOfSourceType(sourceType(code))).toBe('unknown');
  }
});
