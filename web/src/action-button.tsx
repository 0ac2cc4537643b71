import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/* A button that runs an asynchronous action and stays disabled until it is done, so a second click cannot start it twice. */

export function ActionButton(props: { class: string; action: () => Promise<void>; children: ComponentChildren }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class={props.class}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await props.action();
        } finally {
          setBusy(false);
        }
      }}
    >
      {props.children}
    </button>
  );
}
