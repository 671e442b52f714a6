// The test page: the real OpenFeature web SDK with the A vs B web provider, driven from the tests on `window.page`.
import type { EvaluationContext, EvaluationDetails, JsonValue, TrackingEventDetails } from '@openfeature/web-sdk';
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import type { BrowserClientOptions } from '@avsb/browser';
import { createClient } from '@avsb/browser';
import type { AvsbWebClientOptions, AvsbWebProviderOptions } from '../../src/web/index';
import { AvsbWebProvider } from '../../src/web/index';

type Kind = 'boolean' | 'string' | 'number' | 'object';

/** The provider events OpenFeature's client ran handlers for, in order (type, flagsChanged, message, metadata). */
const events: { type: string; flagsChanged?: string[]; message?: string; metadata?: unknown }[] = [];
const client = OpenFeature.getClient();
for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.ConfigurationChanged, ProviderEvents.ContextChanged, ProviderEvents.Reconciling]) {
  client.addHandler(type, (details) =>
    void events.push({ type, flagsChanged: details?.flagsChanged as string[] | undefined, message: details?.message as string | undefined, metadata: details?.metadata }),
  );
}

let provider: AvsbWebProvider | null = null;

const page = {
  events,
  /** `setProviderAndWait` with a provider that creates its client; resolves with the error message if it rejected. */
  async start(options: AvsbWebClientOptions, context: EvaluationContext, providerOptions?: AvsbWebProviderOptions): Promise<string | null> {
    try {
      provider = new AvsbWebProvider(options, providerOptions);
      await OpenFeature.setProviderAndWait(provider, context);
      return null;
    } catch (error) {
      return String((error as Error)?.message ?? error);
    }
  },
  /** The same with a client the page created (`new AvsbWebProvider(client, options)`). */
  async startWithClient(clientOptions: BrowserClientOptions, options: AvsbWebProviderOptions, context: EvaluationContext): Promise<string | null> {
    try {
      await OpenFeature.setProviderAndWait(new AvsbWebProvider(createClient(clientOptions), options), context);
      return null;
    } catch (error) {
      return String((error as Error)?.message ?? error);
    }
  },
  /** Shuts the provider of `start` down and unregisters it (`clearProviders`), then sets the same one again. */
  async restart(context: EvaluationContext): Promise<{ closedClient: boolean; before: boolean; after: boolean }> {
    const first = provider!.client;
    await OpenFeature.clearProviders();
    const before = provider!.client === null;
    await OpenFeature.setProviderAndWait(provider!, context);
    return { closedClient: first !== null && !first.ready, before, after: provider!.client !== null && provider!.client !== first };
  },
  status: (): string => client.providerStatus,
  details(kind: Kind, key: string, defaultValue: JsonValue): EvaluationDetails<JsonValue> {
    switch (kind) {
      case 'boolean':
        return client.getBooleanDetails(key, defaultValue as boolean);
      case 'string':
        return client.getStringDetails(key, defaultValue as string);
      case 'number':
        return client.getNumberDetails(key, defaultValue as number);
      case 'object':
        return client.getObjectDetails(key, defaultValue);
    }
  },
  setContext: (context: EvaluationContext): Promise<void> => OpenFeature.setContext(context),
  track: (name: string, details?: TrackingEventDetails): void => client.track(name, details),
  close: (): Promise<void> => OpenFeature.close(),
};

declare global {
  interface Window {
    page: typeof page;
  }
}

window.page = page;
document.documentElement.dataset.loaded = 'true';
