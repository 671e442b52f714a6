import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  runtime: 'neutral',
  // React and the browser SDK come from the application (react as a peer), never bundled in
  external: ['react', '@avsb/browser'],
  // the provider and hooks are client components: React Server Components (Next.js App Router) may import them
  // from a server component, which renders them on the server from bootstrap values and hydrates them in the page
  banner: { js: "'use client';" },
});
