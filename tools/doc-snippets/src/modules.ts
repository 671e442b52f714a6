// From the blocks of one README to the modules a user's project would hold: one module per block, named by the
// block's `// path.ts` first-line comment when it has one (so that another block's `import … from './app.js'`
// resolves to it), a hidden prelude put before it, a `continues` block appended to the module before it (or to the
// module it names).
import type { CodeBlock, MarkdownProblem, Target } from './markdown';

/** A run of text in a module and the README line its first line comes from. */
export interface Segment {
  readmeLine: number;
  /** Columns the README indents this text by (a block inside a list item). */
  indent: number;
  /** A hidden prelude: its failures point at the marker, and say so. */
  prelude: boolean;
  text: string;
}

export interface SnippetModule {
  /** The module's path inside the README's own folder of the work directory, e.g. `app.ts`, `snippet-L41.ts`. */
  file: string;
  target: Target;
  segments: Segment[];
}

export interface SkippedBlock {
  line: number;
  reason: string;
}

export interface ReadmeModules {
  modules: SnippetModule[];
  skipped: SkippedBlock[];
  /** Blocks typechecked (a `continues` block counts, though it shares a module). */
  checked: number;
  problems: MarkdownProblem[];
}

// A file named in the first line, `// lib/avsb.ts`, `// app/page.tsx (a server component)`, `// lib/session.ts: …`:
// a relative path without `..`, so that every module stays inside its README's folder.
const NAMED_FILE = /^\/\/\s*((?:[\w@-]+\/)*[\w@.-]+?\.(?:d\.ts|ts|tsx|js|jsx))(?=[\s:,]|$)/;

/** Groups one README's blocks into modules; `defaultTarget` is the README's own (targets.ts). */
export function buildModules(blocks: readonly CodeBlock[], defaultTarget: Target): ReadmeModules {
  const modules: SnippetModule[] = [];
  const skipped: SkippedBlock[] = [];
  const problems: MarkdownProblem[] = [];
  const files = new Set<string>();
  let checked = 0;

  for (const block of blocks) {
    const skip = block.markers.find((m) => m.kind === 'skip');
    if (skip) {
      if (block.markers.length > 1) problems.push({ line: skip.line, message: 'a skipped block takes no other snippet marker' });
      skipped.push({ line: block.fenceLine, reason: skip.reason });
      continue;
    }
    const segments: Segment[] = [];
    for (const m of block.markers) {
      if (m.kind === 'prelude') segments.push({ readmeLine: m.line, indent: 0, prelude: true, text: m.code });
    }
    segments.push({ readmeLine: block.fenceLine + 1, indent: block.indent, prelude: false, text: block.code });
    checked++;

    const targetMarker = block.markers.find((m) => m.kind === 'target');
    const continues = block.markers.find((m) => m.kind === 'continues');
    if (continues) {
      const previous = continues.file === undefined ? modules[modules.length - 1] : modules.find((m) => m.file === continues.file);
      if (previous) {
        if (targetMarker && targetMarker.target !== previous.target) {
          problems.push({ line: targetMarker.line, message: `a continuing block runs in its module's target (${previous.target})` });
        }
        previous.segments.push(...segments);
        continue;
      }
      // reported, and the block is still checked, as a module of its own
      const what = continues.file === undefined ? 'there is no checked block before it' : `no block before it names ${continues.file}`;
      problems.push({ line: continues.line, message: `\`snippet: continues\`: ${what}` });
    }

    const named = NAMED_FILE.exec(block.code.split('\n')[0] as string)?.[1];
    let file = named ?? `snippet-L${block.fenceLine}${block.extension}`;
    if (files.has(file)) {
      problems.push({ line: block.fenceLine, message: `a second block names ${file}: mark it \`<!-- snippet: continues ${file} -->\` or name another file` });
      file = `snippet-L${block.fenceLine}${block.extension}`;
    }
    files.add(file);
    modules.push({ file, target: targetMarker?.target ?? defaultTarget, segments });
  }
  return { modules, skipped, checked, problems };
}

/** Where a line of a written module comes from. */
export interface SourceLine {
  readmeLine: number;
  indent: number;
  prelude: boolean;
}

export interface WrittenModule {
  text: string;
  /** `lines[i]` is the origin of the module's line `i` (0-based); past the end: the `export {}` the writer adds. */
  lines: SourceLine[];
}

/**
 * The module's text and its line map. Every module ends in `export {}`, so that a block with no import or export is
 * still a module: its names stay its own, and top-level `await` is allowed, as in the ES module a user would write.
 */
export function writeModule(module: SnippetModule): WrittenModule {
  const parts: string[] = [];
  const lines: SourceLine[] = [];
  for (const s of module.segments) {
    const texts = s.text.split('\n');
    texts.forEach((_, i) => lines.push({ readmeLine: s.readmeLine + i, indent: s.indent, prelude: s.prelude }));
    parts.push(s.text);
  }
  if (!module.file.endsWith('.d.ts')) parts.push('export {};');
  return { text: `${parts.join('\n')}\n`, lines };
}
