import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({ runtime: 'neutral', versionConstant: '__AVSB_EVENTS_VERSION__', shortMemberNames: { keep: ['_ring'] }, shortMessages: true });
