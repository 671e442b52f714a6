import type { ReactNode } from 'react';
import { AvsbProvider } from '@avsb/next/client';
import { avsb } from '../lib/avsb';

export const metadata = { title: 'A vs B shop (Next.js)' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the client-side flags' values for this visitor: the first paint shows them, the browser client takes over after
  const props = await avsb.clientProps();
  return (
    <html lang="en">
      <body>
        <AvsbProvider {...props}>{children}</AvsbProvider>
      </body>
    </html>
  );
}
