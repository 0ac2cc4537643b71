import { useState } from 'preact/hooks';

/*
 * What an edit on the photo's page keeps while it is on its way: whether it is being sent (its controls wait), and
 * why the last one was refused, in words. `useSend` for any edit; `useAddRemove` for a panel of names its owner adds
 * to and takes from (labels, tags), with the name being typed.
 */

export interface Sending {
  busy: boolean;
  problem: string | undefined;
  /** Send one edit; `onChange` is told once it is taken, and a refusal is kept in `problem`. */
  run: (call: () => Promise<unknown>) => Promise<void>;
  /** Say what is wrong before anything is sent (a form's own check). */
  setProblem: (problem: string | undefined) => void;
}

export function useSend(onChange: () => void, problemOf: (error: unknown) => string): Sending {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await call();
      onChange();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run, setProblem };
}

export interface AddRemove extends Omit<Sending, 'run' | 'setProblem'> {
  adding: string;
  setAdding: (text: string) => void;
  /** Send `{add}` or `{remove}`; the field is emptied once it is taken. */
  change: (body: { add?: string[]; remove?: string[] }) => Promise<void>;
}

export function useAddRemove(
  send: (body: { add?: string[]; remove?: string[] }) => Promise<unknown>,
  onChange: () => void,
  problemOf: (error: unknown) => string,
): AddRemove {
  const [adding, setAdding] = useState('');
  const { busy, problem, run } = useSend(onChange, problemOf);
  const change = (body: { add?: string[]; remove?: string[] }) =>
    run(async () => {
      await send(body);
      setAdding('');
    });
  return { adding, setAdding, busy, problem, change };
}
