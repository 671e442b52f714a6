// Every conformance vector (tools/conformance) evaluated in Chromium by the engine as @avsb/browser loads it, case by
// case, with the same result as the same host in Node (and as the vector expects).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadOutcome, runConformance } from '@avsb/conformance';
import type { Page } from 'playwright-core';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';
import { nodeEvaluate, nodeLoad } from './support/node-host';

let suite: BrowserSuite;
let page: Page;

beforeAll(async () => {
  suite = await startBrowserSuite('engine-host');
  page = await suite.newPage();
  await page.evaluate(() => window.engineHost.start());
}, 60_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

describe('conformance vectors in Chromium', () => {
  runConformance(
    {
      async load(datafile) {
        const inPage = await page.evaluate((d) => window.engineHost.load(d), datafile);
        expect(inPage).toEqual(nodeLoad(datafile));
        return inPage as LoadOutcome;
      },
      async evaluate(context, flagKey) {
        const inPage = (await page.evaluate(([c, k]) => window.engineHost.evaluate(c, k), [context, flagKey] as const)) as never;
        expect(inPage).toEqual(nodeEvaluate(context, flagKey));
        return inPage;
      },
    },
    { describe, it, expect },
  );
});
