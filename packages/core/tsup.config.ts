import { packageBuild } from '../../tools/build/tsup-preset';

// ClientFacade's protected members are used by the subclasses of @avsb/node and @avsb/testing: their names stay
export default packageBuild({ runtime: 'neutral', shortMemberNames: { keep: ['_core', '_engine', '_engineMetrics'] } });
