// @devcycle/bucketing-assembly-script: DevCycle's AssemblyScript bucketing
// engine, driven the way DevCycle's Node server SDK drives it: a protobuf
// VariableForUserParams_PB per call into `variableForUser_PB`, a protobuf
// SDKVariable_PB back. Events off (`shouldTrackEvent: false`, no event queue).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FLAGS, FLAG_META, type BenchContext, type Clause, type Flag, type Serve } from '../workload.js';
import type { Peer } from './types.js';

const SDK_KEY = 'dvc_server_bench';
const TYPE_NAME = { boolean: 'Boolean', number: 'Number', string: 'String' } as const;
const TYPE_PB = { boolean: 0, number: 1, string: 2 } as const; // VariableType_PB

const variationId = (f: Flag, i: number): string => `${f.key}-v${i}`;
const all = { type: 'all' };

function filter(c: Clause): object {
  const comparator = { in: '=', startsWith: 'startWith', greaterThan: '>', semVerGreaterThan: '>' }[c.op];
  switch (c.attribute) {
    case 'key':
      return { type: 'user', subType: 'user_id', comparator, values: c.values };
    case 'plan':
    case 'age':
      return {
        type: 'user', subType: 'customData', dataKey: c.attribute,
        dataKeyType: c.attribute === 'age' ? 'Number' : 'String', comparator, values: c.values,
      };
    default: // email, country, appVersion are DevCycle user fields
      return { type: 'user', subType: c.attribute, comparator, values: c.values };
  }
}

function target(f: Flag, id: string, filters: object[], s: Serve): object {
  const distribution = 'variation' in s
    ? [{ _variation: variationId(f, s.variation), percentage: 1 }]
    : s.rollout.variations.map((w) => ({ _variation: variationId(f, w.variation), percentage: w.weight / 100000 }));
  return { _id: `${f.key}-${id}`, _audience: { _id: `${f.key}-${id}-aud`, filters: { operator: 'and', filters } }, distribution };
}

function feature(f: Flag): object {
  const targets: object[] = [];
  if (!f.on) {
    // DevCycle has no off state that serves a variation: such a flag becomes
    // one "all users" target serving it.
    targets.push(target(f, 'off', [all], { variation: f.offVariation! }));
  } else {
    f.targets.forEach((t, i) => targets.push(target(f, `t${i}`, [filter({ attribute: 'key', op: 'in', values: t.values })], t)));
    for (const r of f.rules) targets.push(target(f, r.id, r.clauses.map(filter), r.serve));
    targets.push(target(f, 'fallthrough', [all], f.fallthrough));
  }
  return {
    _id: `${f.key}-feature`,
    key: f.key,
    type: 'release',
    variations: f.variations.map((value, i) => ({
      _id: variationId(f, i), key: `v${i}`, name: `v${i}`, variables: [{ _var: `${f.key}-var`, value }],
    })),
    configuration: { _id: `${f.key}-config`, targets },
  };
}

export function translate(): string {
  // An off flag that serves the caller's default is left out: DevCycle does not deliver disabled features.
  const flags = FLAGS.filter((f) => f.on || f.offVariation !== null);
  return JSON.stringify({
    project: { _id: 'bench-project', key: 'bench', a0_organization: 'bench-org', settings: {} },
    environment: { _id: 'bench-env', key: 'production' },
    audiences: {},
    features: flags.map(feature),
    variables: flags.map((f) => ({ _id: `${f.key}-var`, key: f.key, type: TYPE_NAME[FLAG_META[FLAGS.indexOf(f)]!.type] })),
  });
}

export const wasmPath = join(
  dirname(createRequire(import.meta.url).resolve('@devcycle/bucketing-assembly-script/package.json')),
  'build/bucketing-lib.release.wasm',
);

type Bucketing = Awaited<ReturnType<typeof import('@devcycle/bucketing-assembly-script').instantiate>>;
type PB = typeof import('@devcycle/bucketing-assembly-script').ProtobufTypes;

interface DvcUser {
  pb: object; // DVCUser_PB, as the Node SDK builds it per request
  plain: object; // serialised as JSON for the all-features call
}

export function createPeer(): Peer<DvcUser> {
  let wasm: Bucketing;
  let pb: PB;
  const value = (flag: number, out: Uint8Array | null): unknown => {
    const m = FLAG_META[flag]!;
    if (!out) return m.defaultValue;
    const v = pb.SDKVariable_PB.decode(out);
    return m.type === 'boolean' ? v.boolValue : m.type === 'number' ? v.doubleValue : v.stringValue;
  };
  return {
    label: '@devcycle/bucketing-assembly-script 1.42.8',
    api: '`variableForUser_PB(encode(params))` + decode',
    prepare: 'build the `DVCUser_PB` message object (user fields + customData)',
    bulkApi: '`generateBucketedConfigForUser(sdkKey, JSON.stringify(user))` + `JSON.parse`',
    async: false,
    wasmPath,
    sdkModule: '@devcycle/bucketing-assembly-script',
    async load(payload) {
      const dvc = await import('@devcycle/bucketing-assembly-script');
      wasm = await dvc.instantiate();
      pb = dvc.ProtobufTypes;
      wasm.setPlatformData(JSON.stringify({
        platform: 'NodeJS', platformVersion: process.version, deviceModel: '', sdkType: 'server', sdkVersion: '1.42.8', hostname: 'bench',
      }));
      wasm.setConfigDataUTF8(SDK_KEY, Buffer.from(payload, 'utf8'));
    },
    prepareContext: (c: BenchContext): DvcUser => {
      const customData = { plan: c.plan, age: c.age };
      return {
        pb: {
          user_id: c.key,
          email: { value: c.email, isNull: false },
          country: { value: c.country, isNull: false },
          appVersion: { value: c.appVersion, isNull: false },
          customData: {
            value: { plan: { type: 2, stringValue: c.plan }, age: { type: 1, doubleValue: c.age } },
            isNull: false,
          },
        },
        plain: { user_id: c.key, email: c.email, country: c.country, appVersion: c.appVersion, customData },
      };
    },
    evaluate: (u, flag) => {
      const m = FLAG_META[flag]!;
      const params = pb.VariableForUserParams_PB.encode({
        sdkKey: SDK_KEY, variableKey: m.key, variableType: TYPE_PB[m.type], user: u.pb, shouldTrackEvent: false,
      }).finish();
      return value(flag, wasm.variableForUser_PB(params));
    },
    evaluateAll: (u) => JSON.parse(wasm.generateBucketedConfigForUser(SDK_KEY, JSON.stringify(u.plain))),
  };
}
