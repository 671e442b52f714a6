// The start-up page of @avsb/browser/inline for the paired comparison of two checkouts (start-up.test.ts): it imports
// nothing but the entry (start-up-inline-app.ts's breakdown imports @avsb/engine too), so that a build against the
// other checkout's dist carries that checkout's engine alone.
import { createClient } from '@avsb/browser/inline';
import { measureStartUp } from './start-up';

measureStartUp(createClient);
