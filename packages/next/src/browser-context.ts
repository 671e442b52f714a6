import type { AvsbContext } from '@avsb/core';
import { ContextRedactor } from '@avsb/events';
import type { RedactionOptions } from '@avsb/events';

type JsonRecord = Record<string, unknown>;

/**
 * The context as the browser may see it: a JSON copy without the private
 * attributes (the server's `privateAttributes`/`allAttributesPrivate`, and
 * each kind's `_meta.privateAttributes`), the same rule that keeps them out
 * of events. `null` when the context cannot be represented as JSON.
 */
export function browserContext(context: AvsbContext, options: RedactionOptions): AvsbContext | null {
  const redacted = new ContextRedactor(options).redact(context as unknown as JsonRecord) as JsonRecord | undefined;
  if (redacted === undefined) return null;
  // `_meta.redactedAttributes` names what was removed: the page does not need it
  if (redacted.kind === 'multi') {
    for (const kind of Object.keys(redacted)) {
      const part = redacted[kind];
      if (typeof part === 'object' && part !== null) delete (part as JsonRecord)._meta;
    }
  } else {
    delete redacted._meta;
  }
  return redacted as unknown as AvsbContext;
}
