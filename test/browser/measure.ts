/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';

/** Cards the first page of the gallery asks for (web/src/pages/gallery.tsx PAGE_SIZE). */
const FIRST_PAGE = 20;
/** Visits a figure is the median of (bench/web/results.md). */
export const RUNS = 5;

export interface PageTiming {
  /** Images of the owner in the table when measured. */
  images: number;
  /** Each run: from navigation start to every thumbnail of the first page's cards in view decoded, ms. */
  runs: number[];
  median: number;
}

/**
 * Time to the first page of thumbnails, as a first visit sees it: a fresh context (nothing cached), the gallery's
 * URL, until the first page's cards are there and every thumbnail in the viewport has loaded and decoded. The
 * browser's own clock (performance.now() from navigation start), median of `visits` (`open` gives each visit its fresh
 * context, signed in).
 */
export async function timeToFirstPage(
  open: () => Promise<{ context: BrowserContext; page: Page }>,
  url: string,
  images: number,
  visits = RUNS,
): Promise<PageTiming> {
  const runs: number[] = [];
  for (let run = 0; run < visits; run++) {
    const { context, page } = await open();
    try {
      await page.goto(url);
      const cards = Math.min(FIRST_PAGE, images);
      const ms = await page.waitForFunction(
        (wanted) => {
          const items = [...document.querySelectorAll('ul[aria-label="Images"] > li.card')];
          if (items.length < wanted) return false;
          const shown = [...document.querySelectorAll<HTMLImageElement>('ul[aria-label="Images"] img')].filter(
            (img) => img.getBoundingClientRect().top < window.innerHeight,
          );
          if (shown.length === 0 || !shown.every((img) => img.complete && img.naturalWidth > 0)) return false;
          return performance.now();
        },
        cards,
        { timeout: 60_000, polling: 'raf' },
      );
      runs.push(Math.round((await ms.jsonValue()) as number));
    } finally {
      await context.close();
    }
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { images, runs, median: sorted[sorted.length >> 1] as number };
}

export interface Bundle {
  files: Array<{ file: string; bytes: number; gzipBytes: number }>;
  bytes: number;
  gzipBytes: number;
}

/**
 * The JavaScript a first visit of `url` loads, as the browser asks for it (index.html's script, the chunk of the page
 * it opens, what they import), in a fresh context (`open`) until `ready` and the network is idle; each file gzipped
 * (level 9) from `distDir`. Read in the browser, not from index.html: the page's chunk is imported, not linked.
 */
export async function scriptsOfVisit(
  open: () => Promise<{ context: BrowserContext; page: Page }>,
  url: string,
  ready: (page: Page) => Promise<unknown>,
  distDir: string,
): Promise<Bundle> {
  const { context, page } = await open();
  const urls = new Set<string>();
  try {
    page.on('request', (request) => {
      if (request.resourceType() === 'script') urls.add(new URL(request.url()).pathname);
    });
    await page.goto(url);
    await ready(page);
    await page.waitForLoadState('networkidle');
  } finally {
    await context.close();
  }
  const files = [...urls].map((file) => {
    const content = readFileSync(path.join(distDir, file.replace(/^\/app\//, '')));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  if (files.length === 0) throw new Error(`no script loaded by ${url}`);
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const fileTable = (bundle: Bundle) => [
  '| file | bytes | gzipped (level 9) |',
  '| --- | --- | --- |',
  ...bundle.files.map(
    (f) => `| \`${f.file}\` | ${f.bytes.toLocaleString('en')} | ${f.gzipBytes.toLocaleString('en')} |`,
  ),
];

/** The figures as markdown, written to `out` when given (UPDATE_DOCS runs); returned either way. */
export function writeResults(options: { timings: PageTiming[]; bundle: Bundle; shared: Bundle; out?: string }): string {
  const { timings, bundle, shared } = options;
  const lines = [
    '# Web app: time to the first page of thumbnails, and the bundle',
    '',
    '`UPDATE_DOCS=1 npx jest --selectProjects browser` (npm run docs:web), the browser suite ' +
      '(test/browser/web-app.test.ts). ' +
      `Measured ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}, headless Debian Chromium, ` +
      'the local runner on moto (API, records and thumbnails on this machine, no network latency).',
    '',
    'Time from navigation start (a fresh browser context: nothing cached) until the first page of cards is there and',
    "every thumbnail in the viewport has loaded and decoded, by the browser's clock; median of 5 visits. The same",
    'run measures the gallery with only the uploaded photos, then again after 1,000 more images are written to the',
    'table with the store code: a page is one Query per list shard and one BatchGetItem, whatever the table holds.',
    '',
    '| images in the table | visits (ms) | median (ms) |',
    '| --- | --- | --- |',
    ...timings.map((t) => `| ${t.images.toLocaleString('en')} | ${t.runs.join(', ')} | ${t.median} |`),
    '',
    `JavaScript a first visit loads: ${kb(bundle.bytes)}, **${kb(bundle.gzipBytes)} gzipped** (budget 150 KB):`,
    '',
    ...fileTable(bundle),
    '',
    `A share link's page, opened signed out: ${kb(shared.bytes)}, **${kb(shared.gzipBytes)} gzipped**:`,
    '',
    ...fileTable(shared),
    '',
    'Each file as the browser asked for it on a fresh visit (the app, then the chunk of the page it opens). The ' +
      'albums, an album, the share links and the Places map are chunks loaded when first opened; the Cognito ' +
      'client (oidc-client-ts) is one loaded only with `auth=cognito`.',
    '',
  ];
  const text = lines.join('\n');
  if (options.out) writeFileSync(options.out, text);
  return text;
}
