// Test support: the conformance vectors as plain jobs (load a datafile, then evaluate contexts), so a browser reached
// over a slow protocol can run a whole file in one round trip and be compared with Node case by case.
import { loadCaseFiles } from '@avsb/conformance';

export interface VectorJob {
  /** `rules.json`, or `invalid-datafiles.json: <case name>`. */
  readonly name: string;
  readonly datafile: unknown;
  /** `[case name, context, flag key]`. */
  readonly evaluations: [string, unknown, string][];
}

/** One job per datafile: every evaluation file, the invalid-contexts file, and each datafile of the other two. */
export function vectorJobs(): VectorJob[] {
  const jobs: VectorJob[] = [];
  for (const file of loadCaseFiles()) {
    switch (file.type) {
      case 'evaluation':
        jobs.push({ name: file.file, datafile: file.datafile, evaluations: file.cases.map(([name, context, flag]) => [name, context, flag]) });
        break;
      case 'invalid-contexts':
        jobs.push({ name: file.file, datafile: file.datafile, evaluations: file.cases.map(([name, context]) => [name, context, file.flagKey]) });
        break;
      case 'invalid-datafiles':
        for (const [name, datafile] of file.cases) jobs.push({ name: `${file.file}: ${name}`, datafile, evaluations: [] });
        break;
      case 'datafile-warnings':
        for (const [name, datafile, , , evaluations] of file.cases) {
          jobs.push({ name: `${file.file}: ${name}`, datafile, evaluations: evaluations.map(([context, flag], i) => [`#${i}`, context, flag]) });
        }
        break;
      case 'bucketing':
        break; // needs the test binary's export: the engine's own tests cover it
    }
  }
  return jobs;
}
