import { useState } from 'preact/hooks';

/*
 * What a panel of names its owner adds to and takes from (labels, tags) keeps while a change is on its way: the
 * name being typed, whether a change is being sent (its buttons wait), and why the last one was refused, in words.
 */

export interface AddRemove {
  adding: string;
  setAdding: (text: string) => void;
  busy: boolean;
  problem: string | undefined;
  /** Send `{add}` or `{remove}`; the field is emptied and `onChange` told once it is taken. */
  change: (body: { add?: string[]; remove?: string[] }) => Promise<void>;
}

export function useAddRemove(
  send: (body: { add?: string[]; remove?: string[] }) => Promise<unknown>,
  onChange: () => void,
  problemOf: (error: unknown) => string,
): AddRemove {
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const change = async (body: { add?: string[]; remove?: string[] }) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await send(body);
      setAdding('');
      onChange();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return { adding, setAdding, busy, problem, change };
}
