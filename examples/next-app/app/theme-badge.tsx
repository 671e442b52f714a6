'use client';
import { useEffect, useState } from 'react';
import { useAvsbClient, useStringFlag } from '@avsb/next/client';

/** The ui-theme flag read in the browser: the server's value at first paint, the live datafile's after. */
export function ThemeBadge() {
  const theme = useStringFlag('ui-theme', 'default');
  const client = useAvsbClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (client === null) return;
    let active = true;
    void client.waitForReady({ timeoutMs: 10_000 }).then(
      () => active && setLive(true),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [client]);
  return (
    <p>
      Theme in the browser: <strong id="client-theme">{theme}</strong>{' '}
      <small id="client-status">{live ? 'live' : 'from the server'}</small>
    </p>
  );
}
