/** The method section of bench/renditions/results.md: what each contender does and where it comes from. */

export const METHOD = `## Method

- **Corpus** (\`bench/renditions/corpus.ts\`, cached in \`bench/corpus/renditions/\`): 12 MP (4000x3000) photos as
  users upload them, in baseline JPEG, progressive JPEG, PNG, HEIC and AVIF, each made from the same pixels: the
  12 MP mosaics of \`bench/support/make-corpus.ts\` (native-scale crops of four different photos; from the 1280x800
  fixtures in \`test/fixtures/photos\` they are enlarged 1.9x) with a seeded Gaussian grain (sigma 2 on luma) as
  sensor noise. JPEG q90 4:2:0, PNG zlib 6, AVIF q55 (sharp, effort 2), HEIC q50 (Debian \`heif-enc\`, libheif +
  x265: \`apt-get install libheif-examples\`; one HEVC image, where an iPhone writes a grid of 512 px tiles). No
  EXIF orientation, no ICC profile. Each original also gets its stored WebP copies made by the processor's own
  \`analyzeImage\` with the processor's options (128, 512, 1024 px, q80 effort 4): ours renders from them. A
  12 MP photo as PNG is about 34 MB, over the default 25 MiB \`maxUploadBytes\`: a deployment that takes such
  uploads raises it, and the corpus does so for its own analysis.
- **Requests**: 400x225 WebP cover, 800 px AVIF, 1200 px JPEG, 200 px smart-crop square (WebP), watermarked
  1024 px JPEG (a 480x160 PNG logo, bottom right, opacity 0.5). Every contender gets the same size, format and
  encoder quality: the reference pipeline's defaults (sharp's: JPEG 80, WebP 80, AVIF 50).
- **(a) ours**: the render function's own \`renderRendition\` (\`lambdas/renditions/functions/render-image/\`) on a signed URL,
  on a miss: the signature checked with the instance's cached keys, the record's GetItem, then the look-up of the
  stored rendition (a 404) and the read of the planned object (the smallest stored copy with enough pixels, or the
  original for the 1200 px output) in flight together, the render, the answer, and the store (PUT) after it.
  **(a') stored**: the same function on a hit of what (a) stored: the GetItem, then the stored rendition's GET, with
  the source read started beside it and stopped (billed, not waited for). Every call is counted as the code makes it
  (\`bench/renditions/io-trace.ts\`): one after another they add up, in flight together the slowest counts.
- **(b) the reference pipeline**, Dynamic Image Transformation for Amazon CloudFront (formerly Serverless Image
  Handler), its Lambda image handler re-implemented step by step in \`bench/renditions/dit.ts\` from
  aws-solutions/dynamic-image-transformation-for-amazon-cloudfront: \`source/image-handler/image-request.ts\`
  (commit 0261985: \`getOriginalImage\`, the whole original by GetObject on every request) and
  \`source/image-handler/image-handler.ts\` (commit 1a8de92: \`process\` with
  \`sharp(original, { failOnError: false, animated, limitInputPixels })\`, a metadata read, \`.withMetadata()\`,
  \`applyEdits\` in the request's key order, \`modifyImageOutput\` = \`toFormat\` with sharp's default quality,
  \`applyOverlayWith\` with its extra render to learn the resized size and the overlay read from S3,
  \`applySmartCrop\` with its two renders for Rekognition). The edits are what its URL forms give:
  \`{"resize": {...}}\` + \`outputFormat\` for the first three, \`/200x200/filters:format(webp):smart_crop()/\` and
  \`/fit-in/1024x1024/filters:format(jpeg):watermark(assets,logo.png,-16,-16,50,20,none)/\`, in the orders that
  cost it least (resize before the smart crop; format before the overlay). sharp's own shrink-on-load applies,
  as in its code. It pays for reading the original and, for the watermark, the overlay object from S3 on every
  request; Rekognition's DetectFaces is answered at once with no face (the corpus has no people), so its smart
  crop keeps the whole frame.
- **(c) Pillow** (\`bench/renditions/pillow.py\`, Debian python3-pil, one long-lived process): JPEG \`draft\`
  (DCT-domain shrink-on-load), \`exif_transpose\`, a cover crop and resize in one call (Lanczos, reducing_gap 2),
  the logo pasted with its alpha scaled, WebP method 4 or JPEG. Pillow 9.4 opens neither AVIF nor HEIC and cannot
  write AVIF (\`pillow-heif\` and Pillow 11's AVIF plugin come from PyPI, which this machine cannot reach); it has no
  saliency, so its smart crop is a centred crop.
- **Smart crop, ours**: no face or object boxes are given (the stored analysis of these photos has none with
  \`inference=none\`), so ours takes its most expensive smart path: sharp's attention strategy on the copy.
- **Interleaving**: one process for ours and (b), one Python child for Pillow; each request is done by the three
  one after another, the order rotating from request to request and the requests' order from round to round;
  round 0 (every request on the first original, the first request on each other format) warms up and is
  dropped. Every input is a fresh copy of the bytes, and
  sharp's operation cache is off, so nothing carries over from one request to the next.
- **Quality**: for each request ours renders from a copy, the same spec rendered from the original too; both
  outputs decoded; SSIM (luma, 11x11 Gaussian window) and PSNR (RGB) of the copy's against the original's. For
  scale, both are also scored against the same spec rendered from the original losslessly (PNG): the gap
  between those two is what the copy costs beyond what the requested format and quality cost anyway. SSIM also
  punishes sub-pixel placement: from a JPEG original both renditions take the same path (shrink while decoding,
  then cut), from PNG, HEIC and AVIF the original's is cut then resized and can sit half an output pixel away, so
  the table splits the two, and the "path floor" column scores two lossless renditions of the same photo from
  its baseline JPEG and from its PNG (the same pixels but for the JPEG's q90 loss): no loss anyone would see.
- **Encoder settings**: ours encodes AVIF at effort 1, (b) with sharp's defaults (AVIF effort 4); JPEG and WebP
  alike. The encoder table times one output raster both ways, so the share of the gap that is encoder choice
  rather than source choice can be read off.
- **Smart crop quality**: the attention cut is made on whichever pixels the renderer has, so from the copy it
  can frame a different part of the picture than from the original; that row's SSIM measures the framing's
  agreement as much as sharpness.
`;
