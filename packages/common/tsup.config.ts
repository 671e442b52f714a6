import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({ runtime: 'neutral', shortMemberNames: {} });
