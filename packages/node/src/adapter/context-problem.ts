const KIND_NAME = /^[A-Za-z0-9._-]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? type : `a ${type}`;
}

function keyProblem(path: string, key: unknown): string | null {
  return typeof key === 'string' && key !== '' ? null : `${path}.key: must be a non-empty string, not ${describe(key)}`;
}

/**
 * What is wrong with a context by the rules of the datafile format (SPEC.md
 * §2), or `null`. Messages name the path and the type, never a value (values
 * can be personal data).
 */
export function contextProblem(context: unknown): string | null {
  if (!isObject(context)) return `the context must be an object such as { kind: 'user', key: 'u_1' }, not ${describe(context)}`;
  const kind = context.kind ?? 'user';
  if (typeof kind !== 'string') return `context.kind: must be a string, not ${describe(kind)}`;
  if (kind !== 'multi') {
    if (!KIND_NAME.test(kind) || kind === 'kind') return 'context.kind: must be a kind name such as "user" or "org" ([A-Za-z0-9._-])';
    return keyProblem('context', context.key);
  }
  let kinds = 0;
  for (const [name, member] of Object.entries(context)) {
    if (name === 'kind') continue;
    if (!KIND_NAME.test(name) || name === 'multi') return 'a multi-kind context has a member that is not a kind name ([A-Za-z0-9._-])';
    if (!isObject(member)) return `context.${name}: must be an object with a key, not ${describe(member)}`;
    const problem = keyProblem(`context.${name}`, member.key);
    if (problem !== null) return problem;
    kinds++;
  }
  return kinds === 0 ? 'a multi-kind context needs at least one kind' : null;
}
