import { useState } from 'preact/hooks';

/*
 * A URL in a read-only field with a button that copies it; where the clipboard is refused (an insecure origin, a
 * denied permission), the field is selected for Ctrl+C instead. Says what happened in a status line.
 */

export function CopyUrl({ id, label, url }: { id: string; label: string; url: string }) {
  const [said, setSaid] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setSaid('Copied.');
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setSaid('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <>
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} type="text" readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" class="small" aria-label={`Copy URL (${label})`} onClick={() => void copy()}>
          Copy URL
        </button>
      </div>
      <span class="muted" role="status">
        {said}
      </span>
    </>
  );
}
