// The start-up page of the default entry for the paired comparison of two checkouts (start-up.test.ts): it imports
// nothing but the entry, so that a build against the other checkout's dist carries that checkout's SDK alone.
import { createClient } from '@avsb/browser';
import { measureStartUp } from './start-up';

measureStartUp(createClient);
