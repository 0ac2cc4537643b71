import { useState } from 'preact/hooks';
import { useConfig } from '../config';
import type { Auth } from '../signer';

/**
 * The command that makes a token for this runner, whole, to copy and run as it is (lambdas/cli/token/command.ts):
 * `--api` is where the app calls the API (its own origin on the runner), `--user "$USER"` the shell's user name.
 */
export function tokenCommand(apiUrl: string): string {
  return `npx image-intel token --api ${apiUrl || location.origin} --user "$USER"`;
}

/** Asks for the API key or token once (kept for the browser session), or sends the user to the hosted login. */
export function SignIn({ auth }: { auth: Auth }) {
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(auth.problem);
  const { apiUrl } = useConfig();
  if (auth.mode === 'cognito') {
    return (
      <section class="sign-in">
        <h1>Sign in</h1>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await auth.signIn();
            // Still here: the hosted login could not be opened.
            setProblem(auth.problem);
            setBusy(false);
          }}
        >
          Sign in
        </button>
      </section>
    );
  }
  const label = auth.mode === 'apikey' ? 'API key' : 'Token';
  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      {auth.mode === 'apikey' ? (
        <p>This API asks for an API key. It is kept for this browser session only.</p>
      ) : (
        <>
          <p>
            This API asks for a token. Make one in the checkout the runner was started from (add <code>--admin</code>{' '}
            for an admin's, <code>--ttl</code> for other than an hour), then paste it below. It is kept for this browser
            session only.
          </p>
          <label for="token-command">Command</label>
          <input
            id="token-command"
            class="command"
            type="text"
            readOnly
            value={tokenCommand(apiUrl)}
            onFocus={(event) => event.currentTarget.select()}
          />
        </>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          if (!secret.trim() || busy) return;
          setBusy(true);
          setProblem(undefined);
          const refused = await auth.remember(secret);
          if (refused) {
            setProblem(refused);
            setBusy(false);
          }
        }}
      >
        <label for="secret">{label}</label>
        <input
          id="secret"
          type="password"
          autocomplete="off"
          required
          value={secret}
          onInput={(event) => setSecret(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
