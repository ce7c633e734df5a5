// Re-renders its children every second while `active`: running durations count up.

import { type ReactNode, useEffect, useState } from 'react';

export function Ticker({ active, children }: { active: boolean; children: () => ReactNode }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return <>{children()}</>;
}
