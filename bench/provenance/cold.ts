/**
 * One cold read, in a process of its own (bench/provenance/main.ts runs it, bundled as the processor is, with c2pa-rs's
 * module and the reader's thread's script beside it): the first `readProvenance` of the file it is given, a signed one
 * (c2pa-rs's module compiled then and its thread started: nothing else in this process loaded it) or a plain one,
 * and the resident memory it adds (the thread's included: it is this process's). With `in-process`, c2pa-rs's first
 * read in this process instead, as the reader made it before its thread: the module compiled and instantiated here,
 * the manifest store read and parsed. With `restart`, what a failed read costs the next one: the median of ROUNDS
 * reads, each by a thread started anew (the module compiled once). Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';
import { readManifestStore } from '../../lambdas/provenance/c2pa';
import { C2paReader } from '../../lambdas/provenance/c2pa-reader';
import { readProvenance } from '../../lambdas/provenance/read-provenance';
import { C2PA_WASM_ASSET_PATH } from '../../lambdas/provenance/wasm-contract';
import { median } from '../../test/support/stats';

const ROUNDS = 20;

async function inProcess(bytes: Buffer): Promise<void> {
  initSync({ module: readFileSync(path.join(__dirname, C2PA_WASM_ASSET_PATH)) });
  const reader = await WasmReader.fromBytes('image/jpeg', new Uint8Array(bytes), '{}');
  JSON.parse(reader.json());
  reader.free();
}

async function restartMs(bytes: Buffer): Promise<number> {
  const reader = new C2paReader();
  await readManifestStore(bytes, 'jpeg', { reader });
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // What the reader does to a thread after a failed read: ends it, and the next read starts another.
    await reader.close();
    const start = performance.now();
    await readManifestStore(bytes, 'jpeg', { reader });
    times.push(performance.now() - start);
  }
  await reader.close();
  return Math.round(median(times) * 10) / 10;
}

async function main(): Promise<void> {
  const bytes = readFileSync(process.argv[2] as string);
  if (process.argv[3] === 'restart') {
    process.stdout.write(`${JSON.stringify({ restartMs: await restartMs(bytes) })}\n`);
    return;
  }
  const before = process.memoryUsage().rss;
  const start = performance.now();
  await (process.argv[3] === 'in-process' ? inProcess(bytes) : readProvenance(bytes, 'jpeg'));
  const firstMs = Math.round((performance.now() - start) * 10) / 10;
  const rssAddedMb = Math.round(((process.memoryUsage().rss - before) / 1e6) * 10) / 10;
  process.stdout.write(`${JSON.stringify({ firstMs, rssAddedMb })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
