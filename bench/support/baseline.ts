/**
 * The commit a bench compares this tree with, in the same run: `--against <commit>`, else the newest release tag
 * (`v*`) this commit descends from, else the commit before HEAD. Its tree is a detached worktree in the system's
 * temp directory, kept for the next run and sharing this tree's node_modules (so both run the same sharp, the same
 * libvips, the same Node).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

export interface Baseline {
  /** What the report calls it: the tag, or the commit as given. */
  label: string;
  /** Abbreviated to 12 hex digits. */
  sha: string;
  /** How it was chosen, for the report. */
  chosenBy: 'given' | 'release tag' | 'HEAD~1';
  tree: string;
}

/** The newest `v*` tag HEAD descends from, if any. */
function lastReleaseTag(): string | undefined {
  try {
    return git('describe', '--tags', '--abbrev=0', '--match', 'v*', 'HEAD') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The baseline's commit and tree. `prepare` runs once in a new tree, before it is used (the inference budget folds
 * its models there).
 */
export function baselineOf(given: string | undefined, prepare?: (tree: string) => void): Baseline {
  const tag = given ? undefined : lastReleaseTag();
  const label = given ?? tag ?? 'HEAD~1';
  const chosenBy = given ? 'given' : tag ? 'release tag' : 'HEAD~1';
  let sha: string;
  try {
    sha = git('rev-parse', '--short=12', `${label}^{commit}`);
  } catch {
    throw new Error(`--against ${label}: not a commit in this repository (a tag, a branch or a commit id)`);
  }
  return { label, sha, chosenBy, tree: baselineTree(sha, prepare) };
}

function baselineTree(sha: string, prepare?: (tree: string) => void): string {
  const dir = path.join(tmpdir(), `image-intel-baseline-${sha}`);
  if (!existsSync(dir)) {
    git('worktree', 'add', '--detach', dir, sha);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    prepare?.(dir);
  }
  return dir;
}

/** The commit this tree is at, with `+changes` when its working tree differs from it. */
export function thisTree(): string {
  const sha = git('rev-parse', '--short=12', 'HEAD');
  return git('status', '--porcelain', '--untracked-files=no') === '' ? sha : `${sha}+changes`;
}
