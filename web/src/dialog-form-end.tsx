import type { ComponentChildren } from 'preact';

/**
 * The end of a dialog's form: what went wrong (an alert), Cancel, which closes the dialog, and the submit button,
 * disabled while the form is sent (`busy`) so a second press cannot send it twice, or while `disabled`.
 */
export function DialogFormEnd(props: {
  dialog: { current: HTMLDialogElement | null };
  problem: string | undefined;
  busy: boolean;
  disabled?: boolean;
  /** The submit button's words. */
  children: ComponentChildren;
}) {
  return (
    <>
      {props.problem && (
        <p class="error" role="alert">
          {props.problem}
        </p>
      )}
      <div class="dialog-buttons">
        <button type="button" class="secondary" onClick={() => props.dialog.current?.close()}>
          Cancel
        </button>
        <button type="submit" disabled={props.busy || props.disabled === true} aria-busy={props.busy}>
          {props.children}
        </button>
      </div>
    </>
  );
}
