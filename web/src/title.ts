import { useEffect } from 'preact/hooks';

/** The document's title follows the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Image Intel` : 'Image Intel';
  }, [title]);
}
