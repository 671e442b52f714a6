import { packageBuild } from '../../tools/build/tsup-preset';

// shortMessages: a web page bundles it (tools/build/README.md)
export default packageBuild({ runtime: 'neutral', shortMemberNames: {}, shortMessages: true });
