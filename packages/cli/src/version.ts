declare const __AVSB_CLI_VERSION__: string;

/** The package's version (set at build time by tsup). */
export const VERSION: string = typeof __AVSB_CLI_VERSION__ === 'string' ? __AVSB_CLI_VERSION__ : '0.0.0-dev';
export const VERSION_TEXT = `avsb ${VERSION}`;
