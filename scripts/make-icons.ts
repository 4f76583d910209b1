/**
 * Draws Latchkey's toolbar and store icons (16, 48, 128 px): a blue rounded
 * square with a white keyhole, the same drawing as extension/ui/LatchkeyMark.tsx.
 *
 *   npx tsx scripts/make-icons.ts
 *
 * The PNG writer below is hand-written on purpose: three small RGBA images need
 * only the PNG framing (signature, IHDR, IDAT, IEND, each chunk with a CRC-32)
 * and zlib's deflate, both of which node:zlib provides. An image package would
 * be a dependency for forty lines. PNG format: https://www.w3.org/TR/png-3/
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const SIZES = [16, 48, 128] as const;
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', 'icons');

// The drawing, on a 16-unit grid (the SVG viewBox of LatchkeyMark).
const BLUE = [0x1d, 0x5f, 0xd1] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
const SQUARE = { x: 1, y: 1, size: 14, radius: 3.5 };
const HOLE = { cx: 8, cy: 6.4, r: 2.3 };
const STEM = { top: 7.6, bottom: 12, topHalfWidth: 1, bottomHalfWidth: 1.8 };
/** Samples per pixel along each axis: edges get 8×8 = 64 levels of coverage (anti-aliasing). */
const SUPERSAMPLE = 8;

function inRoundedSquare(x: number, y: number): boolean {
  const { x: left, y: top, size, radius } = SQUARE;
  const right = left + size;
  const bottom = top + size;
  if (x < left || x > right || y < top || y > bottom) return false;
  // Distance from the nearest corner circle's centre, when in a corner zone.
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function inKeyhole(x: number, y: number): boolean {
  if ((x - HOLE.cx) ** 2 + (y - HOLE.cy) ** 2 <= HOLE.r ** 2) return true;
  if (y < STEM.top || y > STEM.bottom) return false;
  const t = (y - STEM.top) / (STEM.bottom - STEM.top);
  const halfWidth = STEM.topHalfWidth + t * (STEM.bottomHalfWidth - STEM.topHalfWidth);
  return Math.abs(x - HOLE.cx) <= halfWidth;
}

/** RGBA pixels, non-premultiplied, row by row from the top. */
function drawIcon(size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const unitsPerPixel = 16 / size;
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0;
      let hole = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) * unitsPerPixel;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * unitsPerPixel;
          if (!inRoundedSquare(x, y)) continue;
          square++;
          if (inKeyhole(x, y)) hole++;
        }
      }
      const at = (py * size + px) * 4;
      if (square === 0) continue; // transparent
      for (let c = 0; c < 3; c++) {
        pixels[at + c] = Math.round((BLUE[c]! * (square - hole) + WHITE[c]! * hole) / square);
      }
      pixels[at + 3] = Math.round((255 * square) / samples);
    }
  }
  return pixels;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(4 + typeAndData.length + 4);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 4 + typeAndData.length);
  return out;
}

/** An 8-bit RGBA, non-interlaced PNG. Every scanline uses filter type 0 (None); deflate does the rest. */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method: adaptive (per-scanline filter byte)
  header[12] = 0; // no interlace
  const stride = width * 4;
  const scanlines = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines[y * (stride + 1)] = 0; // filter: None
    scanlines.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

mkdirSync(OUT_DIR, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT_DIR, `icon-${size}.png`);
  writeFileSync(file, encodePng(size, size, drawIcon(size)));
  console.log(`wrote ${file}`);
}
