import Link from 'next/link';
import { avsb } from '../lib/avsb';
import { ThemeBadge } from './theme-badge';

export default async function Home() {
  const flags = await avsb.flags();
  return (
    <main>
      <h1>A vs B shop</h1>
      <p>
        Visitor: <code id="visitor">{flags.context.anonymous === true ? 'anonymous' : String(flags.context.key)}</code>
      </p>
      <p>
        Theme on the server: <strong id="server-theme">{flags.getStringFlag('ui-theme', 'default')}</strong>
      </p>
      <ThemeBadge />
      <p>
        New checkout: <strong id="server-checkout">{String(flags.getBoolFlag('checkout-v2', false))}</strong> — <Link href="/checkout">go to checkout</Link>
      </p>
    </main>
  );
}
