import { avsb } from '../../../lib/avsb';

/** GET /api/flags: the visitor's flag values, read in a route handler. */
export async function GET() {
  const flags = await avsb.flags();
  return Response.json({
    user: flags.context.anonymous === true ? null : flags.context.key,
    showNewCheckout: flags.getBoolFlag('checkout-v2', false),
    theme: flags.getStringFlag('ui-theme', 'default'),
  });
}
