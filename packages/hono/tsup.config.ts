import { packageBuild } from '../../tools/build/tsup-preset';

// runs on Node and on Web-standard runtimes (workerd, Deno, Bun, Vercel Edge): no Node built-ins
export default packageBuild({ runtime: 'neutral' });
