import exifReader from 'exif-reader';
import sharp from 'sharp';

/**
 * Where an encoded image could say where it was taken, found two ways: an EXIF reader (exif-reader, the one the
 * core reads EXIF with) on the EXIF sharp finds, with sharp's XMP beside it; and a scan of the bytes for the
 * containers EXIF and XMP travel in, in case a format's metadata is one sharp does not expose. The marks:
 * JPEG's APP1 and AVIF's item both say `Exif`, PNG's chunk `eXIf`, WebP's `EXIF`; XMP is an `x:xmpmeta` packet
 * (`exif:GPSLatitude` in it names a position in words).
 */
const MARKS = ['Exif', 'eXIf', 'EXIF', 'x:xmpmeta', 'GPSLatitude', 'GPSLongitude'];

/** An image with GPS in its EXIF and in its XMP, as cameras and photo editors write them. */
export const GPS_EXIF = {
  IFD0: { Make: 'Fixture Camera Co', Model: 'FC-1' },
  IFD2: { DateTimeOriginal: '2024:05:17 09:30:12' },
  // Basel (47.5600 N, 7.5900 E), to the hundredth of a second of arc.
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '47/1 33/1 3600/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '7/1 35/1 2400/100',
  },
};
export const GPS_XMP =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' +
  'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ' +
  'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">' +
  '<exif:GPSLatitude>47,33.6N</exif:GPSLatitude><exif:GPSLongitude>7,35.4E</exif:GPSLongitude>' +
  '<photoshop:City>Basel</photoshop:City></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

/** The formats a test photo with GPS is made in: every one sharp writes that the pipeline accepts (not HEIC). */
export const GPS_INPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'tiff'] as const;
export type GpsInputFormat = (typeof GPS_INPUT_FORMATS)[number];

/** `source` as a `format` photo with GPS in its EXIF and in its XMP. */
export function withGps(source: Buffer, format: GpsInputFormat): Promise<Buffer> {
  return sharp(source).withExif(GPS_EXIF).withXmp(GPS_XMP).toFormat(format).toBuffer();
}

/**
 * What in `bytes` says where the picture was taken, or could: `EXIF GPS <lat>,<lon>` for GPS tags the reader
 * finds, `EXIF` for an EXIF block without them, `XMP` for an XMP packet, `bytes: <mark>` for each container mark
 * the scan finds. Empty: nothing.
 */
export async function locationIn(bytes: Buffer): Promise<string[]> {
  const found: string[] = [];
  const { exif, xmp } = await sharp(bytes).metadata();
  if (exif) {
    const gps = exifReader(exif).GPSInfo;
    found.push(gps && Object.keys(gps).length > 0 ? `EXIF GPS ${gps.GPSLatitude},${gps.GPSLongitude}` : 'EXIF');
  }
  if (xmp) found.push('XMP');
  for (const mark of MARKS) if (bytes.includes(mark)) found.push(`bytes: ${mark}`);
  return found;
}

/** The EXIF tags an encoded image carries, by IFD, as exif-reader reads them; none: undefined. */
export async function exifTags(bytes: Buffer): Promise<ReturnType<typeof exifReader> | undefined> {
  const { exif } = await sharp(bytes).metadata();
  return exif && exifReader(exif);
}
