// Test support: a TestData source that attaches only when the test says so,
// for a real AvsbServer that is not ready until then.
import type { DataSourceFactory } from '@avsb/node';
import type { TestData } from '@avsb/testing';

export interface DeferredSource {
  readonly factory: DataSourceFactory;
  /** Delivers the TestData's datafile to the server now (and every later update). */
  deliver(): void;
}

export function deferredSource(td: TestData): DeferredSource {
  let deliver: () => void = () => {
    throw new Error('the server has not started its data source');
  };
  const factory: DataSourceFactory = (sink, platform) => {
    let attached: { stop(): void } | undefined;
    deliver = () => {
      attached = td.source()(sink, platform);
    };
    return {
      start() {},
      stop() {
        attached?.stop();
      },
    };
  };
  return { factory, deliver: () => deliver() };
}
