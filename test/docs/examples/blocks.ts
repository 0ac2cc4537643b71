import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The example output blocks of the README and docs/: an HTML comment `<!-- output of: ... [example ID] -->` that
 * says which command made the block, then the fenced block. In a `console` block a line starting with `$ ` is a
 * command and the lines after it, up to the next command, are its output.
 */

export const ROOT = path.resolve(__dirname, '../../..');

/** The Markdown files whose examples are checked. */
export const DOC_FILES = [
  'README.md',
  'docs/api.md',
  'docs/events.md',
  'docs/local.md',
  'docs/record.md',
  'docs/renditions.md',
  'docs/vision.md',
];

export interface Command {
  /** The command as the doc writes it, without the `$ `. */
  text: string;
  /** The lines the doc shows as its output. */
  output: string[];
}

export interface Block {
  file: string;
  /** 1-based line of the `output of:` comment. */
  line: number;
  /** The id in the comment's `[example ID]`, which names the block's scenario. */
  id: string;
  comment: string;
  /** The lines between the fences. */
  body: string[];
  /** 0-based index in the file's lines of the first body line. */
  bodyStart: number;
  /** The body read as commands and their output (empty when it has no `$ ` line). */
  commands: Command[];
}

const COMMENT = /^<!-- output of: (.*?)(?: \[example ([a-z0-9-]+)\])? -->$/;

/** Commands and their outputs in a console block's lines. */
export function commandsOf(body: string[]): Command[] {
  const commands: Command[] = [];
  for (const line of body) {
    if (line.startsWith('$ ')) commands.push({ text: line.slice(2), output: [] });
    else commands.at(-1)?.output.push(line);
  }
  return commands;
}

/** Every example block of one Markdown text; a comment with no id, or not followed by a fence, is an error. */
export function blocksOf(file: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  lines.forEach((text, index) => {
    const match = COMMENT.exec(text);
    if (!match) return;
    const where = `${file}:${index + 1}`;
    if (!match[2]) throw new Error(`${where}: the output-of comment has no [example ID] naming its scenario`);
    if (!lines[index + 1]?.startsWith('```'))
      throw new Error(`${where}: the output-of comment is not followed by a fence`);
    const end = lines.findIndex((line, at) => at > index + 1 && line === '```');
    if (end < 0) throw new Error(`${where}: the fenced block is not closed`);
    const body = lines.slice(index + 2, end);
    blocks.push({
      file,
      line: index + 1,
      id: match[2],
      comment: match[1] as string,
      body,
      bodyStart: index + 2,
      commands: commandsOf(body),
    });
  });
  return blocks;
}

/**
 * Fenced `console` blocks that show a command's output but carry no `output of:` comment: each must get one (and a
 * scenario), or say in `UNCHECKED` why it cannot be checked.
 */
export function uncommentedOutputs(markdown: string): number[] {
  const lines = markdown.split('\n');
  return lines.flatMap((line, index) =>
    line === '```console' && !COMMENT.test(lines[index - 1] ?? '') ? [index + 1] : [],
  );
}

export function readDoc(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}
