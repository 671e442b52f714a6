// The fenced code blocks of one Markdown file and the `<!-- snippet… -->` markers written before them. Only a line
// scanner: READMEs use plain fences (``` or ~~~, possibly indented inside a list item), and a scanner keeps the
// markers' line numbers exact, which is what a failure report needs.

/** The languages whose blocks are typechecked, and the extension each is written with. */
const LANGUAGES: Readonly<Record<string, string>> = {
  ts: '.ts',
  typescript: '.ts',
  mts: '.ts',
  tsx: '.tsx',
  js: '.js',
  javascript: '.js',
  mjs: '.js',
  jsx: '.jsx',
};

/** Where a snippet runs, which picks its compiler options and globals (see targets.ts). */
export type Target = 'node' | 'bundler' | 'workers';
const TARGETS: readonly Target[] = ['node', 'bundler', 'workers'];

/** One `<!-- snippet… -->` marker, as written. */
export type Marker =
  | { kind: 'skip'; line: number; reason: string }
  | { kind: 'continues'; line: number; file?: string }
  | { kind: 'target'; line: number; target: Target }
  /** `line`: the line of the code's first line. */
  | { kind: 'prelude'; line: number; code: string };

/** A fenced block of a checked language, with the markers that precede it. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  fenceLine: number;
  /** The extension the block is written with (`.ts`, `.tsx`, `.js`, `.jsx`). */
  extension: string;
  /** The block's text, its fence's indentation removed; its first line is `fenceLine + 1`. */
  code: string;
  /** Columns of indentation removed from each line (a block inside a list item). */
  indent: number;
  markers: Marker[];
}

/** Something wrong with the Markdown itself: an unknown marker, a skip without a reason, a marker before no block. */
export interface MarkdownProblem {
  line: number;
  message: string;
}

export interface ScannedMarkdown {
  blocks: CodeBlock[];
  problems: MarkdownProblem[];
}

const FENCE = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER_START = /^\s*<!--\s*snippet/;

/** Reads the blocks and markers of one Markdown text. */
export function scanMarkdown(text: string): ScannedMarkdown {
  const lines = text.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const problems: MarkdownProblem[] = [];
  let pending: Marker[] = [];

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (MARKER_START.test(line)) {
      const end = findCommentEnd(lines, i);
      if (end < 0) {
        problems.push({ line: i + 1, message: 'a snippet marker without its closing `-->`' });
        break;
      }
      const marker = parseMarker(lines.slice(i, end + 1).join('\n'), i + 1);
      if ('message' in marker) problems.push(marker);
      else pending.push(marker);
      i = end;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const indent = (fence[1] as string).length;
      const close = findFenceEnd(lines, i + 1, fence[2] as string);
      const extension = LANGUAGES[(fence[3] as string).toLowerCase()];
      if (extension) {
        const body = lines.slice(i + 1, close).map((l) => stripIndent(l, indent));
        blocks.push({ fenceLine: i + 1, extension, code: body.join('\n'), indent, markers: pending });
      } else if (pending.length > 0) {
        problems.push({ line: pending[0]!.line, message: `a snippet marker before a \`${fence[3] || 'plain'}\` block, which is not checked` });
      }
      pending = [];
      i = close;
      continue;
    }
    if (line.trim() !== '' && pending.length > 0) {
      problems.push({ line: pending[0]!.line, message: 'a snippet marker that no code block follows (only blank lines may stand between)' });
      pending = [];
    }
  }
  if (pending.length > 0) problems.push({ line: pending[0]!.line, message: 'a snippet marker at the end of the file' });
  return { blocks, problems };
}

function findCommentEnd(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) if ((lines[i] as string).includes('-->')) return i;
  return -1;
}

/** The closing fence: the same character, at least as long, alone on its line; an unclosed block runs to the end. */
function findFenceEnd(lines: readonly string[], from: number, opening: string): number {
  const char = opening[0] as string;
  for (let i = from; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim();
    if (trimmed.length >= opening.length && trimmed === char.repeat(trimmed.length)) return i;
  }
  return lines.length;
}

function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === ' ') n++;
  return line.slice(n);
}

function parseMarker(comment: string, line: number): Marker | MarkdownProblem {
  const body = /^\s*<!--\s*([\s\S]*?)\s*-->/.exec(comment)?.[1] ?? '';
  const prelude = /^(\s*<!--\s*snippet-prelude:\s*)([\s\S]*?)\s*-->/.exec(comment);
  if (prelude) {
    // the code may start on the marker's line or below it: its own first line is what a failure points at
    const codeLine = line + ((prelude[1] as string).match(/\n/g)?.length ?? 0);
    return { kind: 'prelude', line: codeLine, code: prelude[2] as string };
  }
  const directive = /^snippet:\s*([\s\S]*)$/.exec(body)?.[1];
  if (directive === undefined) return { line, message: `unknown snippet marker \`${firstLine(body)}\` (snippet: skip/continues/target, or snippet-prelude:)` };
  const continues = /^continues(?:\s+(\S+))?$/.exec(directive);
  if (continues) return continues[1] ? { kind: 'continues', line, file: continues[1] } : { kind: 'continues', line };
  const skip = /^skip\b\s*[—–:-]?\s*([\s\S]*)$/.exec(directive);
  if (skip) {
    const reason = (skip[1] as string).trim();
    return reason ? { kind: 'skip', line, reason } : { line, message: 'a skipped snippet needs its reason: `<!-- snippet: skip — why -->`' };
  }
  const target = /^target\s+(\S+)$/.exec(directive);
  if (target) {
    const name = target[1] as Target;
    return TARGETS.includes(name) ? { kind: 'target', line, target: name } : { line, message: `unknown snippet target \`${name}\` (${TARGETS.join(', ')})` };
  }
  return { line, message: `unknown snippet directive \`${firstLine(directive)}\` (skip — reason, continues [FILE], target NAME)` };
}

function firstLine(text: string): string {
  return text.split('\n')[0] as string;
}
