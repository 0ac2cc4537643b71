// The viewer-request function of the renditions distribution (CloudFront Functions, runtime cloudfront-js-2.0).
// It runs before the cache lookup, on every request, with no network and no secret, so it only does what needs
// neither: it refuses what the origin would refuse anyway and can be told at the edge (a name outside the URL
// grammar, a name given twice, an unsigned or expired URL), puts the parameters in the grammar's order, and
// replaces the raw Accept header (hundreds of variants) by the one format it allows, `x-rendition-format`, the only
// header in the cache key. The signature itself is checked by the origin, which holds the key: a cache entry only
// ever exists for a URL the origin verified.
//
// One spelling per rendition, since every spelling is a cache key of its own and so a way to the origin: the API
// signs the spec in its canonical spelling (canonicalQuery, renditions/query.ts), in the order of SPEC_NAMES below,
// with exp, kid and sig last, and the origin verifies only that exact text (renditions/signing.ts). Here, before
// the cache, the function reads the query as the viewer wrote it (`request.rawQueryString()`, "the unparsed and
// unaltered query string" in CloudFront's general helper methods; the parsed `request.querystring` object need
// not show an empty pair, and CloudFront's docs do not say whether its names and values are percent-decoded, so
// it is only the fallback, for the console's test events, where rawQueryString() gives ''). It refuses (400, never
// cached) what it can tell without the key: a name that is not the grammar's as written (`%77` for `w`, `W`), an
// empty pair (`&&`, a trailing `&`), a name given twice. It puts the pieces, each exactly as written, in canonical
// order, so a shuffled URL (some HTTP clients sort them) is the issued URL's one cache key rather than a second,
// and the origin receives the text it signed. Only the origin, which holds the key, can tell a value spelled
// another way (`w=0400`, `%2C` for a comma) or a changed signature character: a 403 CloudFront keeps for 10 s.
//
// A public preset's URL, `/<imageId>/<preset>.<ext>` (renditions/public.ts), is unsigned and takes no query: any
// query on it is a 400 and any file no public preset is served at a 404, both from here, never cached and never
// reaching the origin; what passes has no format header, so its cache key is its path alone.
//
// Plain JavaScript for CloudFront's runtime: no modules, no imports. The construct writes the lists below at synth,
// and leaves out these comments for the 10 KB limit (rendition-request-code.ts): SPEC_NAMES is RENDITION_QUERY_NAMES (renditions/query.ts, one name per row of
// core/render/rendition-params.ts), so the edge, the cache key and the parser cannot disagree, and a new parameter
// needs no edit here; NEGOTIABLE_FORMATS is what `renditionFormats` allows of AVIF and WebP; PUBLIC_FILES is
// publicRenditionFiles (renditions/public.ts) of `renditionPresets`. To try the function in the CloudFront console,
// paste its code from the synthesised template (cdk.out), which has the lists written in.

// The URL grammar's names in canonical order: written at synth.
const SPEC_NAMES = [];
// A URL of a locked photo says `lk`; a URL a share link handed out names the link, and its original asks `download`:
// signed, after the spec.
const SCOPE_NAMES = ['lk', 'share', 'download'];
const SIGNATURE_NAMES = ['exp', 'kid', 'sig'];
const FORMAT_HEADER = 'x-rendition-format';
// Best first, the formats `format=auto` (or no format) may pick when the Accept header names them: AVIF and WebP
// as far as the deployment allows them (`renditionFormats`, written here at synth like the names).
const NEGOTIABLE_FORMATS = ['avif', 'webp'];
// Neither: the origin's fallback, which every client decodes (JPEG, or PNG for an image with alpha).
const FALLBACK_FORMAT = 'jpeg';
// The files the public presets are served at (`card.webp`), written at synth; none unless a preset is `public`.
const PUBLIC_FILES = [];
const IMAGE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the script's global `handler` by name.
function handler(event) {
  const request = event.request;
  if (request.uri.indexOf('/', 1) > 0) return publicRequest(request);
  const query = request.querystring;
  const pieces = rawPieces(request);
  const problem = pieces ? piecesProblem(pieces) : queryProblem(query);
  if (problem) return refuse(400, problem);
  const expiry = expiryProblem(query, Date.now());
  if (expiry) return refuse(403, expiry);

  request.querystring = pieces ? orderedPieces(pieces) : orderedQuery(query);
  const format = query.format ? query.format.value : 'auto';
  if (format === 'auto' && !query.download) {
    request.headers[FORMAT_HEADER] = { value: negotiate(request.headers.accept) };
  } else {
    // An explicit format decides alone: a header sent by the client must not split the cache or reach the origin.
    delete request.headers[FORMAT_HEADER];
  }
  return request;
}

/** A path of two segments or more: a public preset's URL, with no query, of a file a public preset is served at. */
function publicRequest(request) {
  const raw = typeof request.rawQueryString === 'function' ? request.rawQueryString() : '';
  if (raw !== '' || Object.keys(request.querystring).length > 0) {
    return refuse(
      400,
      'query: a public rendition URL takes no parameters; for another spec, ask the API for a signed URL',
    );
  }
  const parts = request.uri.split('/');
  if (parts.length !== 3 || !IMAGE_ID.test(parts[1]) || PUBLIC_FILES.indexOf(parts[2]) < 0) {
    const files = PUBLIC_FILES.length > 0 ? `public presets: ${PUBLIC_FILES.join(', ')}` : 'no preset is public here';
    return refuse(404, `not a public rendition URL, /<imageId>/<preset>.<ext> (${files})`);
  }
  // The extension decides the format: a header sent by the client must not split the cache or reach the origin.
  delete request.headers[FORMAT_HEADER];
  return request;
}

/** The query's `name=value` pieces exactly as the viewer wrote them, or undefined where CloudFront gives no raw text. */
function rawPieces(request) {
  const raw = typeof request.rawQueryString === 'function' ? request.rawQueryString() : undefined;
  // The console's test events give '' whatever their querystring object holds: read that object instead.
  if (typeof raw !== 'string' || (raw === '' && Object.keys(request.querystring).length > 0)) return undefined;
  return raw === '' ? [] : raw.split('&');
}

/** A piece's name: the text before its first `=`, as written. */
function nameOf(piece) {
  const at = piece.indexOf('=');
  return at < 0 ? piece : piece.slice(0, at);
}

/** The raw query's problem: an empty pair, a name outside the grammar as written, or one given twice. */
function piecesProblem(pieces) {
  const seen = {};
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i] === '') return 'empty query parameter (a stray &): use the URL exactly as the API gave it';
    const name = nameOf(pieces[i]);
    if (!isQueryName(name)) return unknownName(name);
    if (seen[name]) return `query parameter ${name} is given more than once: give it once`;
    seen[name] = true;
  }
  return undefined;
}

/** A name of the grammar, of a link's scope, or of the signature. */
function isQueryName(name) {
  return SPEC_NAMES.indexOf(name) >= 0 || SCOPE_NAMES.indexOf(name) >= 0 || SIGNATURE_NAMES.indexOf(name) >= 0;
}

/** The raw pieces, unchanged, in the grammar's order then share, download, exp, kid, sig (runtime 2.0 takes a string). */
function orderedPieces(pieces) {
  const order = SPEC_NAMES.concat(SCOPE_NAMES, SIGNATURE_NAMES);
  return pieces
    .slice()
    .sort((a, b) => order.indexOf(nameOf(a)) - order.indexOf(nameOf(b)))
    .join('&');
}

/** The fallback for a parsed query: a name outside the grammar, or one given twice. */
function queryProblem(query) {
  const names = Object.keys(query);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (!isQueryName(name)) return unknownName(name);
    if (query[name].multiValue && query[name].multiValue.length > 1) {
      return `query parameter ${name} is given ${query[name].multiValue.length} times: give it once`;
    }
  }
  return undefined;
}

function unknownName(name) {
  return `unknown query parameter ${JSON.stringify(name.slice(0, 40))}: a rendition URL takes ${SPEC_NAMES.join(', ')}, a locked photo's or a share link's ${SCOPE_NAMES.join(', ')} and the signature's exp, kid, sig`;
}

/** What makes the URL unusable before its signature is even read: no signature, or an `exp` in the past. */
function expiryProblem(query, nowMs) {
  for (let i = 0; i < SIGNATURE_NAMES.length; i++) {
    const name = SIGNATURE_NAMES[i];
    if (!query[name] || query[name].value === '') {
      return `the URL is not signed: ${name} is missing (ask the API for a rendition URL)`;
    }
  }
  const exp = query.exp.value;
  if (!/^[0-9]{1,12}$/.test(exp))
    return 'exp must be the expiry as whole seconds since 1970 (ask the API for a new URL)';
  if (Number(exp) * 1000 <= nowMs) return `the URL expired at ${new Date(Number(exp) * 1000).toISOString()}`;
  return undefined;
}

/**
 * The fallback's query in the grammar's order, then exp, kid, sig, in the string form CloudFront's own normalising
 * example returns (runtime 2.0 takes a string): that is the order of the cache key and of the origin's request. A
 * flag given bare (`flip`) stays bare, as the API signs it.
 */
function orderedQuery(query) {
  const order = SPEC_NAMES.concat(SCOPE_NAMES, SIGNATURE_NAMES);
  return Object.keys(query)
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((name) => (query[name].value === '' ? name : `${name}=${query[name].value}`))
    .join('&');
}

/** The best format the Accept header allows: a type listed with a quality above 0; wildcards do not count. */
function negotiate(acceptHeader) {
  if (!acceptHeader) return FALLBACK_FORMAT;
  const values = acceptHeader.multiValue ? acceptHeader.multiValue.map((entry) => entry.value) : [acceptHeader.value];
  const accepted = {};
  values
    .join(',')
    .split(',')
    .forEach((range) => {
      const parts = range.split(';');
      const type = parts[0].trim().toLowerCase();
      let quality = 1;
      for (let i = 1; i < parts.length; i++) {
        const parameter = parts[i].trim().toLowerCase();
        if (parameter.indexOf('q=') === 0) quality = Number(parameter.slice(2));
      }
      if (quality > 0) accepted[type] = true;
    });
  for (let i = 0; i < NEGOTIABLE_FORMATS.length; i++) {
    if (accepted[`image/${NEGOTIABLE_FORMATS[i]}`]) return NEGOTIABLE_FORMATS[i];
  }
  return FALLBACK_FORMAT;
}

/** An answer from the edge: CloudFront never caches a response a viewer-request function generates. */
function refuse(statusCode, message) {
  return {
    statusCode: statusCode,
    statusDescription: { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[statusCode],
    headers: {
      'content-type': { value: 'application/json' },
      'cache-control': { value: 'no-store' },
    },
    body: { encoding: 'text', data: JSON.stringify({ message: message }) },
  };
}
