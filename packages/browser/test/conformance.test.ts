// Every conformance vector (tools/conformance) evaluated in Chromium by the engine as @avsb/browser loads it, case by
// case, with the same result as the same host in Node (and as the vector expects): avsb-engine.wasm with the JSON
// datafile, and avsb-evaluator.wasm with the compiled datafile Node's compileDatafile writes of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadOutcome, runConformance } from '@avsb/conformance';
import type { Page } from 'playwright-core';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';
import { nodeCompile, nodeEvaluate, nodeLoad } from './support/node-host';

let suite: BrowserSuite;
let page: Page;
let evaluatorPage: Page;

beforeAll(async () => {
  suite = await startBrowserSuite('engine-host');
  page = await suite.newPage();
  await page.evaluate(() => window.engineHost.start('full'));
  evaluatorPage = await suite.newPage();
  await evaluatorPage.evaluate(() => window.engineHost.start('evaluator'));
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

describe('conformance vectors in Chromium on the evaluator (compiled datafiles)', () => {
  runConformance(
    {
      async load(datafile) {
        const expected = nodeLoad(datafile);
        const { document, outcome } = nodeCompile(datafile);
        expect(outcome).toEqual(expected);
        if (document === null) return outcome as LoadOutcome;
        // as it travels: JSON text
        const inPage = await evaluatorPage.evaluate((text) => window.engineHost.load(text), JSON.stringify(document));
        expect(inPage).toEqual({ error: null, warnings: [] });
        return outcome as LoadOutcome;
      },
      async evaluate(context, flagKey) {
        const inPage = (await evaluatorPage.evaluate(([c, k]) => window.engineHost.evaluate(c, k), [context, flagKey] as const)) as never;
        expect(inPage).toEqual(nodeEvaluate(context, flagKey));
        return inPage;
      },
    },
    { describe, it, expect },
  );
});
