import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ActionButton } from './action-button';
import { errorMessage } from './api';

/**
 * A Delete button (or `label`) behind a confirmation dialog (`id`-title and `id`-text name it for screen readers); once `remove`
 * is done the app goes to `then`, and a refusal is said in the dialog.
 */
export function ConfirmedDelete(props: {
  id: string;
  /** The button that opens the dialog. @default 'Delete' */
  label?: string;
  title: string;
  text: ComponentChildren;
  /** The dialog's button. */
  confirm: string;
  remove: () => Promise<void>;
  then: string;
  /** Replace the page in the history (it no longer exists), rather than add one. */
  replace?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { route } = useLocation();
  const [problem, setProblem] = useState<string>();
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setProblem(undefined);
          dialog.current?.showModal();
        }}
      >
        {props.label ?? 'Delete'}
      </button>
      <dialog ref={dialog} aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-text`}>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <p id={`${props.id}-text`}>{props.text}</p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
          <ActionButton
            class="danger"
            action={async () => {
              try {
                await props.remove();
                dialog.current?.close();
                route(props.then, props.replace);
              } catch (error) {
                setProblem(errorMessage(error));
              }
            }}
          >
            {props.confirm}
          </ActionButton>
        </div>
      </dialog>
    </>
  );
}
