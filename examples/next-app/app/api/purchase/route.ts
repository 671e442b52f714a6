import { avsb } from '../../../lib/avsb';

/** POST /api/purchase { amount }: tracks a purchase for the visitor (an experiment's metric). */
export async function POST(request: Request) {
  const body = (await request.json().catch(() => ({}))) as { amount?: unknown };
  const flags = await avsb.flags();
  flags.track('purchase', { value: typeof body.amount === 'number' ? body.amount : undefined, properties: { currency: 'usd' } });
  return new Response(null, { status: 202 });
}
