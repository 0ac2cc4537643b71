import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDate } from '../../format';

/*
 * A signing secret the API has just answered with (a new endpoint, a rotation): it is in that answer only, so it is
 * shown here once, with a button that copies it (or selects it where the clipboard is refused) and a plain note that
 * it cannot be shown again. Focus moves to it, so a keyboard or screen reader user lands on it.
 */

export function ShownOnceSecret({
  title,
  secret,
  previousUntil,
  rotated,
  onDone,
  children,
}: {
  title: string;
  secret: string;
  /** After a rotation: until when the previous secret still signs beside this one. */
  previousUntil?: string;
  rotated?: boolean;
  onDone: () => void;
  children?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [said, setSaid] = useState<string>();
  useEffect(() => heading.current?.focus(), [secret]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setSaid('Copied.');
    } catch {
      const input = document.getElementById('webhook-secret') as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setSaid('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <section class="panel secret" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
      <p id="webhook-secret-note">
        <strong>Shown once:</strong> copy the secret now and give it to your receiver, which verifies each signature
        with it. It cannot be shown again; if it is lost, rotate it.
      </p>
      {rotated && (
        <p>
          {previousUntil
            ? `The previous secret keeps signing beside this one until ${formatDate(previousUntil)}.`
            : 'The previous secret no longer signs.'}
        </p>
      )}
      <label for="webhook-secret">Signing secret</label>
      <div class="copy-row">
        <input
          id="webhook-secret"
          type="text"
          readOnly
          value={secret}
          aria-describedby="webhook-secret-note"
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="small" onClick={() => void copy()}>
          Copy secret
        </button>
      </div>
      <p class="muted" role="status">
        {said}
      </p>
      <button type="button" class="secondary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
