import { useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../../api';
import { DialogFormEnd } from '../../dialog-form-end';
import { rememberPin } from '../../unlock';
import { usePinSet } from './pin-state';

/*
 * The confirmation of a lock (the photo's page, the gallery's selection): what it does to the photos, and, when the
 * API says the owner has no PIN (`GET /locked/pin`), the PIN to set first (`PUT /locked/pin`): a folder with no PIN
 * could not be opened. Should the API not say, the PIN is asked too, and should it then answer that one is set
 * already (400), that one is kept, and the lock goes on.
 */

/** The API's 400 to a first PIN when one is set: "current: you have a PIN; …". */
const HAS_PIN = /you have a PIN/i;

export const MIN_PIN = 4;

export function LockDialog(props: {
  dialog: { current: HTMLDialogElement | null };
  id: string;
  /** "kite.jpg", "3 images". */
  what: string;
  /** Lock them; a refusal is said in the dialog. */
  lock: () => Promise<void>;
}) {
  const { dialog, id, what } = props;
  const known = usePinSet();
  const [setHere, setSetHere] = useState(false);
  // Until the API has answered, nothing to ask yet: the lock waits for it.
  const waiting = known.set === undefined && known.problem === undefined;
  const asking = !waiting && known.set !== true && !setHere;
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (waiting) return;
    setProblem(undefined);
    if (asking) {
      if (pin.length < MIN_PIN) return setProblem(`The PIN needs at least ${MIN_PIN} characters.`);
      if (pin !== again) return setProblem('The two PINs differ: type the same one twice.');
    }
    setBusy(true);
    try {
      if (asking) {
        try {
          await api.setPin({ pin });
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 400 && HAS_PIN.test(error.message))) throw error;
        }
        rememberPin();
        setSetHere(true);
        setPin('');
        setAgain('');
      }
      await props.lock();
      dialog.current?.close();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}>
      <form method="dialog" onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>Move {what} to the locked folder?</h2>
        <p id={`${id}-text`}>
          It leaves the timeline, albums, search and share links (a link that showed it stops showing it), and is seen
          only on the Locked page, with your PIN.
        </p>
        {asking && (
          <fieldset>
            <legend>Set a PIN for the locked folder first</legend>
            <p class="muted">{MIN_PIN} to 64 characters, asked each time the folder is opened.</p>
            <label for={`${id}-pin`}>New PIN</label>
            <input
              id={`${id}-pin`}
              type="password"
              autocomplete="new-password"
              maxLength={64}
              value={pin}
              onInput={(event) => setPin(event.currentTarget.value)}
            />
            <label for={`${id}-again`}>The PIN again</label>
            <input
              id={`${id}-again`}
              type="password"
              autocomplete="new-password"
              maxLength={64}
              value={again}
              onInput={(event) => setAgain(event.currentTarget.value)}
            />
          </fieldset>
        )}
        <DialogFormEnd dialog={dialog} problem={problem} busy={busy} disabled={waiting}>
          {asking ? 'Set the PIN and lock' : `Lock ${what}`}
        </DialogFormEnd>
      </form>
    </dialog>
  );
}
