import { crc32, deflateSync } from "node:zlib";

export interface DatasetImage {
  name: string;
  contentType: "image/png" | "image/svg+xml";
  data: Buffer;
}

type Rgb = [number, number, number];
type Pattern = (x: number, y: number, size: number) => number; // 0..1 mix between two colours

const PATTERNS: Record<string, Pattern> = {
  gradient: (x, y, size) => (x + y) / (2 * (size - 1)),
  checkers: (x, y) => ((x >> 3) + (y >> 3)) % 2,
  stripes: (x) => ((x >> 2) % 2 === 0 ? 1 : 0),
  disc: (x, y, size) => (Math.hypot(x - size / 2, y - size / 2) < size / 3 ? 1 : 0),
};

const PALETTES: Array<[string, Rgb, Rgb]> = [
  ["sunset", [255, 94, 58], [255, 204, 0]],
  ["ocean", [0, 82, 147], [102, 204, 255]],
  ["forest", [20, 90, 50], [160, 220, 120]],
  ["plum", [90, 20, 90], [230, 170, 230]],
];

/** A PNG chunk: length, type, data, and the CRC of type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A valid 8-bit RGB PNG, square, drawn by mixing two colours with a pattern. */
export function renderPng(size: number, pattern: Pattern, from: Rgb, to: Rgb): Buffer {
  const rowBytes = 1 + size * 3; // each scanline starts with filter type 0 (none)
  const raw = Buffer.alloc(rowBytes * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = pattern(x, y, size);
      const at = y * rowBytes + 1 + x * 3;
      for (let c = 0; c < 3; c++) raw[at + c] = Math.round(from[c]! + (to[c]! - from[c]!) * t);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, default compression/filter/interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function renderSvg(label: string, [r, g, b]: Rgb): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">`
    + `<rect width="64" height="64" rx="10" fill="rgb(${r},${g},${b})"/>`
    + `<text x="32" y="38" font-family="sans-serif" font-size="12" text-anchor="middle" fill="#fff">${label}</text>`
    + `</svg>`;
  return Buffer.from(svg, "utf8");
}

/** The images the home page shows: every pattern in every palette, and one SVG badge per palette. */
export function datasetImages(): DatasetImage[] {
  const images: DatasetImage[] = [];
  for (const [palette, from, to] of PALETTES) {
    for (const [patternName, pattern] of Object.entries(PATTERNS)) {
      images.push({ name: `${palette}-${patternName}.png`, contentType: "image/png", data: renderPng(64, pattern, from, to) });
    }
    images.push({ name: `${palette}-badge.svg`, contentType: "image/svg+xml", data: renderSvg(palette, from) });
  }
  return images;
}
