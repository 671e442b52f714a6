import { packageBuild } from '../../tools/build/tsup-preset';

// minifySyntax folds the limits (`1024 * 1024`) and the key pattern's template to literals, which a bundler can then
// drop when unused: @avsb/core inlines two of these constants, and a page's bundle must not carry the rest twice
export default packageBuild({ runtime: 'neutral', minifySyntax: true });
