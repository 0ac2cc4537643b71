"""The same analysis as lambdas/core, in Pillow, as fast as we know how to write it.

Run by bench/core/main.ts with Debian's /usr/bin/python3 (python3-pil 9.4); speaks the protocol in bench/support/protocol.ts:
job JSON in argv[1], prints READY, waits for one stdin line, prints RESULT <json>.

Per image:
1. sha256 of the bytes; open; read size, format and EXIF from the header.
2. JPEG draft mode: the decoder scales by 1/2, 1/4 or 1/8 in the DCT domain to the smallest size that still
   covers the 1024 thumbnail, so a 4000x3000 image is decoded at 2000x1500 and a 6000x4000 one at 1500x1000.
3. exif_transpose, then a thumbnail cascade 1024 -> 512 -> 128, each made from the previous (lanczos, with
   Pillow's default reducing_gap box pre-shrink), each saved as WebP quality 80 method 4.
4. From the 128 thumbnail: a 32x32 grey raster for the DCT hash (pure Python, only the 8 lowest rows and
   columns, as phash.ts does), and a 64x64 raster quantized (median cut) to the palette, plus mean luma.
"""

import hashlib
import io
import json
import math
import resource
import sys
import time

from PIL import Image, ImageOps, ImageStat

SIZES = (1024, 512, 128)
WEBP_QUALITY = 80
WEBP_METHOD = 4
PHASH_N = 32
KEEP = 8
PALETTE_SIZE = 6
COS = [[math.cos((2 * x + 1) * u * math.pi / (2 * PHASH_N)) for x in range(PHASH_N)] for u in range(KEEP)]


def phash(grey):
    """DCT hash of a 32x32 'L' image: 8x8 lowest frequencies against their median (DC excluded)."""
    px = list(grey.getdata())
    rows = []
    for y in range(PHASH_N):
        line = px[y * PHASH_N:(y + 1) * PHASH_N]
        rows.append([sum(p * c for p, c in zip(line, COS[u])) for u in range(KEEP)])
    coeffs = []
    for v in range(KEEP):
        cv = COS[v]
        for u in range(KEEP):
            coeffs.append(sum(rows[y][u] * cv[y] for y in range(PHASH_N)))
    median = sorted(coeffs[1:])[(KEEP * KEEP - 1) >> 1]
    bits = 0
    for c in coeffs:
        bits = (bits << 1) | (1 if c > median else 0)
    return format(bits, '016x')


def palette(small):
    q = small.quantize(colors=PALETTE_SIZE, method=Image.Quantize.MEDIANCUT)
    flat = q.getpalette()
    total = small.width * small.height
    entries = sorted(((count, index) for count, index in q.getcolors()), reverse=True)
    return [{'rgb': flat[i * 3:i * 3 + 3], 'proportion': round(count / total, 4)} for count, i in entries]


def analyze(data):
    sha256 = hashlib.sha256(data).hexdigest()
    im = Image.open(io.BytesIO(data))
    meta = {'format': im.format, 'width': im.width, 'height': im.height, 'exif': dict(im.getexif())}
    # The box is the 1024 thumbnail's own shape, not 1024x1024: draft keeps both sides at or above the box, so a
    # square box would hold a 3:2 24 MP image at 1/2 scale where 1/4 still leaves 1500x1000 to shrink from.
    longest = max(im.width, im.height)
    im.draft('RGB', (max(1, im.width * SIZES[0] // longest), max(1, im.height * SIZES[0] // longest)))
    im = ImageOps.exif_transpose(im)
    if im.mode in ('RGBA', 'LA', 'P'):
        im = im.convert('RGBA')
        flat = Image.new('RGB', im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel('A'))
        im = flat
    elif im.mode != 'RGB':
        im = im.convert('RGB')
    thumbs = []
    for size in SIZES:
        # In place: each size is encoded before the next, smaller one is made from it.
        im.thumbnail((size, size), Image.LANCZOS)
        out = io.BytesIO()
        im.save(out, 'WEBP', quality=WEBP_QUALITY, method=WEBP_METHOD)
        thumbs.append({'size': size, 'width': im.width, 'height': im.height, 'bytes': out.tell()})
    smallest = im
    grey = smallest.resize((PHASH_N, PHASH_N), Image.LANCZOS).convert('L')
    small = smallest.resize((64, 64), Image.LANCZOS)
    brightness = ImageStat.Stat(small.convert('L')).mean[0]
    return {'sha256': sha256, 'meta': meta, 'thumbnails': thumbs, 'phash': phash(grey),
            'palette': palette(small), 'brightness': round(brightness, 1)}


def max_rss_mb():
    # VmHWM is this address space's peak; getrusage's ru_maxrss also carries the parent's peak across fork+exec.
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    job = json.loads(sys.argv[1])
    inputs = {}
    for f in job['files'] + job['warmup']:
        with open(f, 'rb') as fh:
            inputs[f] = fh.read()
    for f in job['warmup']:
        analyze(inputs[f])
    print('READY', flush=True)
    sys.stdin.readline()

    if job['kind'] == 'latency':
        samples = []
        for _ in range(job['passes']):
            for f in job['files']:
                started = time.perf_counter()
                r = analyze(inputs[f])
                ms = (time.perf_counter() - started) * 1000
                samples.append({'file': f, 'ms': ms, 'thumbBytes': sum(t['bytes'] for t in r['thumbnails']),
                                'phash': r['phash']})
        result = {'kind': 'latency', 'samples': samples}
    elif job['kind'] == 'throughput':
        if job['inFlight'] != 1:
            raise SystemExit('pillow_core.py runs one image at a time; use more processes')
        queue = job['files'] * job['passes']
        started = time.perf_counter()
        for f in queue:
            analyze(inputs[f])
        result = {'kind': 'throughput', 'images': len(queue), 'wallMs': (time.perf_counter() - started) * 1000}
    else:
        raise SystemExit('pillow_core.py cannot run job ' + job['kind'])
    result['maxRssMb'] = max_rss_mb()
    print('RESULT ' + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
