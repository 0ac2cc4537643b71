import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { knownPin, rememberPin } from '../../unlock';

/** Whether the owner has a PIN (`set`, undefined while asked), or why the API could not say. */
export interface PinKnown {
  set?: boolean;
  problem?: string;
}

/**
 * Whether the signed-in owner has set a PIN, as the API says (`GET /locked/pin`: one read, nothing of the PIN),
 * asked once while signed in: unlock.ts keeps the answer in memory, forgotten with the sign-in.
 */
export function usePinSet(): PinKnown {
  const [known, setKnown] = useState<PinKnown>(() => ({ set: knownPin() }));
  useEffect(() => {
    if (known.set !== undefined) return;
    const asking = new AbortController();
    api.pinState(asking.signal).then(
      (answer) => {
        rememberPin(answer.set);
        setKnown({ set: answer.set });
      },
      (error) => {
        if (!asking.signal.aborted) setKnown({ problem: errorMessage(error) });
      },
    );
    return () => asking.abort();
  }, [known.set]);
  return known;
}
