import { expect, it } from 'vitest';
import { TestData, TestDataError } from './index';

// @avsb/testing refuses what the server's admin API refuses: both run @avsb/validator.

it('lists every problem of a flag, not only the first one the engine meets', () => {
  const td = new TestData();
  const broken = {
    key: 'four-problems',
    on: 'yes',
    variations: [false, true],
    rules: [{ clauses: [{ attribute: 'plan', op: 'greather', values: ['pro'] }], serve: { variation: 7 } }],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 10 }] } },
  };
  let error: unknown;
  try {
    td.update(broken as never);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TestDataError);
  const message = (error as Error).message;
  for (const path of ['flags[0].on', 'flags[0].rules[0].clauses[0].op', 'flags[0].rules[0].serve.variation', 'flags[0].fallthrough.rollout.variations']) {
    expect(message).toContain(`${path}: `);
  }
});

it('refuses a client-side flag whose prerequisite is server-only, as the server does', () => {
  const td = new TestData({ flags: [TestData.flag('gate').booleanFlag()] });
  const banner = { key: 'banner', on: true, clientSide: true, variations: [false, true], prerequisites: [{ key: 'gate', variation: 1 }], fallthrough: { variation: 1 } };
  expect(() => td.update(banner as never)).toThrow(/flags\[1\]\.prerequisites\[0\]\.key: "gate" is not client-side/);
  td.update(TestData.flag('gate').booleanFlag().clientSide());
  expect(() => td.update(banner as never)).not.toThrow();
});
