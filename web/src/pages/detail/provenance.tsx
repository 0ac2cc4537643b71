import type { ComponentChildren } from 'preact';
import { formatDate } from '../../format';
import { Section } from './panels';
import {
  actionInWords,
  type Credentials,
  ingredientInWords,
  type Provenance,
  provenanceInWords,
  signerInWords,
  sourceTypeInWords,
  validationInWords,
} from './provenance-words';

/*
 * Where the photo comes from (docs/provenance.md), as its record keeps it: one sentence of what it is and who says
 * so, then its Content Credentials: their check, who signed them, with what and when, what was done, and what it was
 * made from. On the detail page (a panel) and in the gallery's viewer (`ProvenanceDetails`, beside its details).
 */

/** The detail page's panel; nothing for a record analysed before provenance was read. */
export function ProvenancePanel({ provenance }: { provenance: Provenance | undefined }) {
  if (!provenance) return null;
  return (
    <Section title="Provenance">
      <ProvenanceDetails provenance={provenance} />
    </Section>
  );
}

/** The sentence and the facts (`brief`: without the manifest's id, for the viewer's narrow panel). */
export function ProvenanceDetails({ provenance, brief }: { provenance: Provenance; brief?: boolean }) {
  const { credentials } = provenance;
  return (
    <div class="provenance" data-summary={provenance.summary} data-validation={credentials?.validation}>
      <p class={credentials?.validation === 'invalid' ? 'warning' : undefined}>{provenanceInWords(provenance)}</p>
      {provenance.basis === 'xmp' && provenance.digitalSourceType && (
        <Rows
          rows={[
            ['Declared by', 'The file’s XMP metadata (IPTC digital source type), unsigned'],
            ['Source type', <SourceType key="type" code={provenance.digitalSourceType} />],
          ]}
        />
      )}
      {credentials && <CredentialRows provenance={provenance} credentials={credentials} brief={brief} />}
    </div>
  );
}

function CredentialRows(props: { provenance: Provenance; credentials: Credentials; brief?: boolean }) {
  const { provenance, credentials, brief } = props;
  const { claimGenerator } = credentials;
  const invalid = credentials.validation === 'invalid';
  return (
    <>
      <Rows rows={[['Validation', <Validation key="validation" credentials={credentials} />]]} />
      {invalid && <p class="muted">What they claim, not verified:</p>}
      <Rows
        rows={[
          ['Signed by', signerInWords(credentials.signer)],
          ['Signed', credentials.signedAt && formatDate(credentials.signedAt)],
          ['Made with', provenance.generator],
          // The software that wrote the manifest, where it is not the one named above (an editor saving a camera's).
          ['Credentials written by', claimGenerator !== provenance.generator && claimGenerator],
          ['Title', credentials.title],
          [
            'Actions',
            credentials.actions.length > 0 && (
              <ol class="plain" key="actions">
                {credentials.actions.map((action, index) => (
                  <li key={`${index}-${action.action}`}>
                    <span title={action.action}>{actionInWords(action.action)}</span>
                    <Aside
                      parts={[
                        action.softwareAgent,
                        action.digitalSourceType && sourceTypeInWords(action.digitalSourceType),
                        action.when && formatDate(action.when),
                      ]}
                    />
                  </li>
                ))}
              </ol>
            ),
          ],
          [
            'Made from',
            credentials.ingredients.length > 0 && (
              <ul class="plain" key="ingredients">
                {credentials.ingredients.map((ingredient, index) => (
                  <li key={`${index}-${ingredient.title}`}>
                    {ingredient.title ?? 'An untitled asset'}
                    <Aside parts={[ingredientInWords(ingredient)]} />
                  </li>
                ))}
              </ul>
            ),
          ],
          ['Manifest', !brief && credentials.manifest && <code class="wrap">{credentials.manifest}</code>],
        ]}
      />
    </>
  );
}

/** The check, and for one that failed, the C2PA codes of why (the untrusted signer's is the check itself). */
function Validation({ credentials }: { credentials: Credentials }) {
  const failures = credentials.validation === 'invalid' ? credentials.failures : [];
  return (
    <>
      {validationInWords(credentials)}
      {failures.length > 0 && (
        <ul class="plain provenance-failures" aria-label="Why it does not validate">
          {failures.map((failure) => (
            <li key={failure.code}>
              <code>{failure.code}</code>
              {failure.explanation && <span class="muted"> {failure.explanation}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function SourceType({ code }: { code: string }) {
  const words = sourceTypeInWords(code);
  return words === code ? <code>{code}</code> : <span title={code}>{words}</span>;
}

function Aside({ parts }: { parts: Array<string | undefined | false> }) {
  const shown = parts.filter((part): part is string => Boolean(part));
  return shown.length > 0 ? <span class="muted"> ({shown.join(', ')})</span> : null;
}

/** A term/value list whose values may be elements (panels.tsx's Facts takes text). */
function Rows({ rows }: { rows: Array<[string, ComponentChildren]> }) {
  const shown = rows.filter(([, value]) => value !== undefined && value !== false && value !== '' && value !== null);
  return shown.length === 0 ? null : (
    <dl class="facts-list">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
