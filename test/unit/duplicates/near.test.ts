import sharp from 'sharp';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import { windowHashes } from '../../../lambdas/core/analysis/window-hashes';
import { WINDOW_NAMES, type WindowHashes } from '../../../lambdas/core/analysis/windows';
import { distanceBetween, NEAR_DISTANCE, nearest, postedBands, probedBands } from '../../../lambdas/duplicates/near';

/** A picture with structure (bars of different greys and a disc), so its windows hash differently. */
async function picture(width = 640, height = 480): Promise<Buffer> {
  const svg = `<svg width="${width}" height="${height}"><rect width="100%" height="100%" fill="#203040"/>
    <rect x="${width * 0.1}" y="${height * 0.2}" width="${width * 0.25}" height="${height * 0.6}" fill="#e0d0a0"/>
    <circle cx="${width * 0.7}" cy="${height * 0.4}" r="${height * 0.2}" fill="#80a0f0"/>
    <rect x="0" y="${height * 0.85}" width="${width}" height="${height * 0.15}" fill="#f0f0f0"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

async function hashesOf(bytes: Buffer): Promise<WindowHashes> {
  const { data, info } = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true });
  return windowHashes({ data, width: info.width, height: info.height, channels: info.channels as 3 });
}

describe('window hashes', () => {
  it("hash the whole as the record's perceptual hash, and each window apart", async () => {
    const bytes = await picture();
    const { record } = await analyzeImage(bytes);
    if (record.status !== 'PROCESSED') throw new Error('the picture is analysed');
    const hashes = await hashesOf(bytes);
    expect(Object.keys(hashes).sort()).toEqual([...WINDOW_NAMES].sort());
    // The same decode the core hashes is at most 1024 px; this one is the picture's own 640 px: a bit or two apart.
    expect(distanceBetween(hashes, { ...hashes, whole: record.hashes.phash })).toBeLessThanOrEqual(2);
    expect(new Set(Object.values(hashes)).size).toBeGreaterThan(3);
  });
});

describe('the near-duplicate rule', () => {
  it('finds a re-encoded copy, and a copy cut 10 % off one side through its window', async () => {
    const bytes = await picture();
    const original = await hashesOf(bytes);
    const reencoded = await hashesOf(await sharp(bytes).jpeg({ quality: 30 }).toBuffer());
    const cut = await hashesOf(await sharp(bytes).extract({ left: 64, top: 0, width: 576, height: 480 }).toBuffer());
    expect(distanceBetween(original, reencoded)).toBeLessThanOrEqual(NEAR_DISTANCE);
    expect(distanceBetween(cut, original)).toBeLessThanOrEqual(NEAR_DISTANCE);
    // The cut copy's whole meets the original's right 90 %, better than whole to whole.
    const match = nearest(
      cut,
      WINDOW_NAMES.map((window) => ({ window, hash: original[window] })),
    );
    expect(match?.theirs).toBe('right90');
    expect(match?.mine).toBe('whole');
  });

  it('does not pair two different pictures', async () => {
    const a = await hashesOf(await picture());
    const other = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#102030' } })
      .composite([
        { input: Buffer.from('<svg width="640" height="480"><circle cx="100" cy="380" r="90" fill="#fff"/></svg>') },
      ])
      .jpeg()
      .toBuffer();
    expect(distanceBetween(a, await hashesOf(other))).toBeGreaterThan(NEAR_DISTANCE);
  });

  it('counts window to whole, never window to window', () => {
    const zero = '0000000000000000';
    const ones = 'ffffffffffffffff';
    const mine = Object.fromEntries(WINDOW_NAMES.map((w) => [w, w === 'whole' ? ones : zero])) as WindowHashes;
    // Their middle equals my middle exactly, but my whole is 64 bits from anything of theirs.
    expect(nearest(mine, [{ window: 'middle90', hash: zero }])?.distance).toBe(64);
    expect(nearest(mine, [{ window: 'whole', hash: zero }])).toEqual({
      distance: 0,
      mine: 'middle90',
      theirs: 'whole',
    });
  });

  it('probes every band value a near hash may share, and posts 4 a window', () => {
    const hashes = Object.fromEntries(WINDOW_NAMES.map((w, i) => [w, `${i}`.repeat(16)])) as WindowHashes;
    expect([...postedBands(hashes).keys()]).toHaveLength(28);
    const probed = probedBands(hashes);
    // The whole probed to 8 (188 values: bandRadii 2, 1, 1, 1), each window to 6 (52: 1, 1, 1, 0): 500 for these,
    // whose windows are too far apart to share a value; seven equal ones read the whole's alone.
    expect(probed).toHaveLength(188 + 6 * 52);
    const flat = Object.fromEntries(WINDOW_NAMES.map((w) => [w, '0123456789abcdef'])) as WindowHashes;
    expect(probedBands(flat)).toHaveLength(188);
    expect([...postedBands(flat).keys()]).toHaveLength(4);
    // Band 0 is probed 2 bits out (bandRadii(8): 2, 1, 1, 1): a value 2 bits off the whole's is read, 3 bits off not.
    expect(probed).toContain('0=0003');
    expect(probed).not.toContain('0=0007');
  });
});
