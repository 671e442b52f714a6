import type { JsonObject, StoredItem } from './records';

/**
 * A flag or segment as the admin API shows it: the datafile form plus
 * `name` and `description` when set.
 */
export function adminForm(item: StoredItem): JsonObject {
  const form: JsonObject = { key: item.key };
  if (item.name !== undefined) form.name = item.name;
  if (item.description !== undefined) form.description = item.description;
  // spread defines members: a "__proto__" member in stored JSON stays a member instead of replacing the prototype
  return { ...form, ...item.data };
}

/** Splits an admin form into a stored item: `name`/`description` out of the datafile form. */
export function fromAdminForm(kind: StoredItem['kind'], form: JsonObject): StoredItem {
  const { name, description, ...data } = form;
  return {
    kind,
    key: String(data.key),
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    data,
  };
}
