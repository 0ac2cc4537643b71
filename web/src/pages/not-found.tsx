import { appPath } from '../config';

export function NotFound({ what }: { what?: string }) {
  return (
    <section class="not-found">
      <h1>Not found</h1>
      <p>{what ?? 'There is no page at this address.'}</p>
      <p>
        <a href={appPath()}>Back to the gallery</a>
      </p>
    </section>
  );
}
