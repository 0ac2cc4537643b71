import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { useConfig } from '../../config';

/*
 * Start a backfill (POST /backfills): the API checks the bucket, prefix and owner, and says what it refuses. With face
 * grouping on, it can also group every face afresh (`regroupFaces`, which is a re-analysis: docs/people.md). Re-own
 * (`reown`) gives images already recorded under another owner, or none, the one they get now (docs/deploy.md).
 */

export function StartForm({ onStarted }: { onStarted: (id: string) => void }) {
  const [bucket, setBucket] = useState('');
  const [prefix, setPrefix] = useState('');
  const [owner, setOwner] = useState('');
  const [reprocess, setReprocess] = useState(false);
  const [regroupFaces, setRegroupFaces] = useState(false);
  const [reown, setReown] = useState(false);
  const { faceGrouping } = useConfig();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  return (
    <form
      class="stack"
      aria-label="Start a backfill"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setProblem(undefined);
        try {
          const started = await api.startBackfill({
            bucket: bucket.trim(),
            ...(prefix && { prefix }),
            ...(owner.trim() && { owner: owner.trim() }),
            reprocess: reprocess || regroupFaces,
            ...(regroupFaces && { regroupFaces }),
            ...(reown && { reown }),
          });
          onStarted(started.id);
        } catch (error) {
          setProblem(errorMessage(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label class="field">
        Bucket
        <input required value={bucket} onInput={(event) => setBucket(event.currentTarget.value)} />
      </label>
      <label class="field">
        Prefix
        <input
          value={prefix}
          placeholder="the source's own, or uploads/"
          onInput={(event) => setPrefix(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        Owner
        <input
          value={owner}
          placeholder="the source's; needed where it names none"
          onInput={(event) => setOwner(event.currentTarget.value)}
        />
      </label>
      <label>
        <input type="checkbox" checked={reprocess} onChange={(event) => setReprocess(event.currentTarget.checked)} />{' '}
        Re-analyse images from an older analysis version
      </label>
      <label>
        <input type="checkbox" checked={reown} onChange={(event) => setReown(event.currentTarget.checked)} /> Re-own
        images recorded under another owner or none (their search entries and faces move too)
      </label>
      {faceGrouping && (
        <label>
          <input
            type="checkbox"
            checked={regroupFaces}
            onChange={(event) => setRegroupFaces(event.currentTarget.checked)}
          />{' '}
          Group every face afresh (re-analyses every image, whatever its version)
        </label>
      )}
      <div>
        <button type="submit" disabled={busy}>
          Start backfill
        </button>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
