import { packageBuild } from '../../tools/build/tsup-preset';

// Cloudflare Workers, Vercel Edge and Next.js middleware: no Node built-ins
export default packageBuild({ runtime: 'neutral', versionConstant: '__AVSB_EDGE_VERSION__' });
