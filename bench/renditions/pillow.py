"""The renditions bench's requests done with Pillow, the way a competent Pillow user would write them.

Run by bench/renditions/pillow.ts with Debian's /usr/bin/python3 (python3-pil 9.4). Job JSON in argv[1]
({"files": {key: path}, "logo": path}); loads every file into memory, prints `READY <versions json>`, then answers
one JSON request per stdin line ({"key": ..., "request": {...}}) with `RESULT <json>`: the time Pillow took
(decode, resize, watermark, encode; not the S3 read, which the bench charges itself), the output's size and bytes,
or an error saying what Pillow cannot do.

Per request:
1. Open; for a JPEG, `draft` asks libjpeg for the smallest DCT scale (1/2, 1/4, 1/8) that still covers the output
   (Pillow's shrink-on-load); then `exif_transpose` and RGB.
2. Cover: the centred crop of the output's aspect, resized in one call (`box=`); inside: a plain resize. Lanczos
   with `reducing_gap=2.0` (a box pre-shrink first, as `Image.thumbnail` does by default).
3. Smart crop: Pillow has no saliency or face detection, so it is the centred crop (less work than ours).
4. Watermark: the logo (loaded once, as a module-level asset would be) resized to its share of the width, its alpha
   scaled by the opacity, pasted bottom right.
5. Encode: WebP quality q method 4, JPEG quality q (4:2:0). Pillow 9.4 has no AVIF (nor HEIF) codec: those
   requests answer an error without doing any work.
"""

import io
import json
import math
import sys
import time

import PIL
from PIL import Image, ImageOps

RESAMPLE = Image.LANCZOS
REDUCING_GAP = 2.0
ORIENTATION = 0x0112


def decode_size(width, height, request):
    """The smallest (width, height) the decoder may hand back and still cover the output."""
    w, h = request['w'], request.get('h')
    if request['mode'] == 'cover':
        scale = max(w / width, h / height)
    else:
        scale = min(1.0, w / width, (h / height) if h else math.inf)
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def open_for(data, request):
    im = Image.open(io.BytesIO(data))
    if im.format == 'JPEG':
        turned = im.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
        width, height = (im.height, im.width) if turned else (im.width, im.height)
        need_w, need_h = decode_size(width, height, request)
        im.draft('RGB', (need_h, need_w) if turned else (need_w, need_h))
    im = ImageOps.exif_transpose(im)
    if im.mode in ('RGBA', 'LA', 'P'):
        im = im.convert('RGBA')
        flat = Image.new('RGB', im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel('A'))
        return flat
    return im if im.mode == 'RGB' else im.convert('RGB')


def resized(im, request, full_width, full_height):
    w, h = request['w'], request.get('h')
    if request['mode'] == 'cover':
        aspect = w / h
        if im.width / im.height > aspect:
            crop_w, crop_h = im.height * aspect, im.height
        else:
            crop_w, crop_h = im.width, im.width / aspect
        left, top = (im.width - crop_w) / 2, (im.height - crop_h) / 2
        return im.resize((w, h), RESAMPLE, box=(left, top, left + crop_w, top + crop_h), reducing_gap=REDUCING_GAP)
    # Sized from the full-resolution dimensions, so a draft-scaled decode gives the same output size as sharp.
    scale = min(1.0, w / full_width, (h / full_height) if h else math.inf)
    size = (max(1, round(full_width * scale)), max(1, round(full_height * scale)))
    return im.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)


def watermarked(im, logo, mark):
    width = max(1, round(im.width * mark['widthRatio']))
    height = max(1, round(logo.height * width / logo.width))
    small = logo.resize((width, height), RESAMPLE)
    opacity = mark['opacity']
    small.putalpha(small.getchannel('A').point(lambda a: int(a * opacity)))
    im.paste(small, (im.width - width - mark['margin'], im.height - height - mark['margin']), small)
    return im


def render(data, request, logo):
    if request['format'] not in ('jpeg', 'webp'):
        return {'error': 'Pillow %s has no %s encoder' % (PIL.__version__, request['format'].upper())}
    started = time.perf_counter()
    try:
        probe = Image.open(io.BytesIO(data))
    except Image.UnidentifiedImageError:
        return {'error': 'Pillow %s cannot open this format (no AVIF or HEIF plugin)' % PIL.__version__}
    full_width, full_height = probe.size
    if probe.format == 'JPEG' and probe.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):
        full_width, full_height = full_height, full_width
    im = resized(open_for(data, request), request, full_width, full_height)
    if request.get('watermark'):
        im = watermarked(im, logo, request['watermark'])
    out = io.BytesIO()
    if request['format'] == 'webp':
        im.save(out, 'WEBP', quality=request['q'], method=4)
    else:
        im.save(out, 'JPEG', quality=request['q'])
    ms = (time.perf_counter() - started) * 1000
    return {'ms': ms, 'bytes': out.tell(), 'width': im.width, 'height': im.height}


def main():
    job = json.loads(sys.argv[1])
    files = {}
    for key, path in job['files'].items():
        with open(path, 'rb') as fh:
            files[key] = fh.read()
    logo = Image.open(job['logo']).convert('RGBA')
    versions = {'pillow': PIL.__version__, 'python': sys.version.split()[0]}
    print('READY ' + json.dumps(versions), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        try:
            answer = render(files[message['key']], message['request'], logo)
        except Exception as error:  # an unexpected failure is a result to report, not a reason to stop the run
            answer = {'error': '%s: %s' % (type(error).__name__, error)}
        print('RESULT ' + json.dumps(answer), flush=True)


if __name__ == '__main__':
    main()
