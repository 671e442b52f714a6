// The start-up page of the default entry (.wasm fetched from beside the bundle); see start-up.ts.
import { createClient } from '@avsb/browser';
import { measureStartUp } from './start-up';

measureStartUp(createClient);
document.documentElement.dataset.loaded = 'true';
