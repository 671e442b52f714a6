import { Inject } from '@nestjs/common';

// strings, not symbols: a program that loads both the ESM and the CommonJS build still has one token
/** The injection token of the A vs B server (`AvsbServer` or the `server` given to `forRoot`). */
export const AVSB_SERVER = '@avsb/nestjs:server';
/** The injection token of the module's options. */
export const AVSB_MODULE_OPTIONS = '@avsb/nestjs:options';

/** Injects the A vs B server: `constructor(@InjectAvsbServer() private readonly avsb: AvsbServer) {}`. */
export function InjectAvsbServer(): PropertyDecorator & ParameterDecorator {
  return Inject(AVSB_SERVER);
}
