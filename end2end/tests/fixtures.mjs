// Test images built in code, so every byte of a fixture is explained here:
// an EXIF segment (orientation + GPS) to splice into a JPEG, a PNG header
// that declares an enormous image (a decompression bomb's calling card).

/** CRC-32 as PNG uses it. */
export function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/**
 * An APP1 segment with a big-endian TIFF block: IFD0 holds Orientation and a
 * pointer to a GPS IFD with latitude/longitude (52°22'12.34"N 4°53'56.78"E).
 */
export function exifApp1({ orientation = 6 } = {}) {
  const tiff = Buffer.alloc(140);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  // IFD0 at 8: two entries.
  tiff.writeUInt16BE(2, 8);
  const entry = (at, tag, type, count, value) => {
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    value(at + 8);
  };
  entry(10, 0x0112, 3, 1, (v) => tiff.writeUInt16BE(orientation, v)); // Orientation, SHORT
  entry(22, 0x8825, 4, 1, (v) => tiff.writeUInt32BE(38, v)); // GPS IFD pointer
  tiff.writeUInt32BE(0, 34);
  // GPS IFD at 38: four entries, rationals at 92 and 116.
  tiff.writeUInt16BE(4, 38);
  entry(40, 0x0001, 2, 2, (v) => tiff.write('N\0', v, 'latin1'));
  entry(52, 0x0002, 5, 3, (v) => tiff.writeUInt32BE(92, v));
  entry(64, 0x0003, 2, 2, (v) => tiff.write('E\0', v, 'latin1'));
  entry(76, 0x0004, 5, 3, (v) => tiff.writeUInt32BE(116, v));
  tiff.writeUInt32BE(0, 88);
  const rationals = (at, values) => values.forEach(([n, d], i) => {
    tiff.writeUInt32BE(n, at + i * 8);
    tiff.writeUInt32BE(d, at + i * 8 + 4);
  });
  rationals(92, [[52, 1], [22, 1], [1234, 100]]);
  rationals(116, [[4, 1], [53, 1], [5678, 100]]);
  const header = Buffer.from([0xff, 0xe1, 0, 0, 0x45, 0x78, 0x69, 0x66, 0, 0]); // APP1, length, "Exif\0\0"
  header.writeUInt16BE(2 + 6 + tiff.length, 2);
  return Buffer.concat([header, tiff]);
}

/** The JPEG with `segment` inserted right after its SOI marker. */
export function spliceAfterSoi(jpeg, segment) {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** A copy of a PNG whose IHDR claims width × height (CRC fixed up). */
export function pngDeclaring(png, width, height) {
  const out = Buffer.from(png);
  // Signature (8) + IHDR length (4) + "IHDR" (4): width at 16, height at 20, CRC at 29.
  if (out.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/**
 * Draws a 300×200 picture in the page (grey, with a red block top-left) and
 * returns it encoded as `type` ('image/jpeg' or 'image/png').
 */
export async function drawImage(page, type) {
  const base64 = await page.evaluate(async (type) => {
    const canvas = new OffscreenCanvas(300, 200);
    const g = canvas.getContext('2d');
    g.fillStyle = '#808080';
    g.fillRect(0, 0, 300, 200);
    g.fillStyle = '#dc1e1e';
    g.fillRect(0, 0, 40, 40);
    const blob = await canvas.convertToBlob({ type, quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }, type);
  return Buffer.from(base64, 'base64');
}
