// The document title of a page, as Drone's UI sets it ("octocat/hello - Hangar").

import { useEffect } from 'react';

export function useTitle(...parts: Array<string | undefined>): void {
  const title = [...parts.filter(Boolean), 'Hangar'].join(' - ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
