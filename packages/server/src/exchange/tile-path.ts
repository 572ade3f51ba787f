import { TILE_WIDTH } from '@evenhand/log';

export type TileRequest = { readonly kind: 'hash'; readonly level: number; readonly n: number; readonly width: number } | { readonly kind: 'entries'; readonly n: number; readonly width: number };

/**
 * Parses a C2SP tlog-tiles path after `tile/`: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`,
 * where N is written in groups of three digits, all but the last prefixed by `x`
 * ("x001/x234/067"). Anything else, including non-canonical spellings, is undefined.
 */
export function parseTilePath(rest: string): TileRequest | undefined {
  const match = /^(entries|\d+)\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d{1,3}))?$/.exec(rest);
  if (!match) return undefined;
  const [, levelText, indexText, widthText] = match as unknown as [string, string, string, string | undefined];
  const n = parseTileIndex(indexText);
  if (n === undefined) return undefined;
  // A partial tile has 1..255 entries, written without leading zeros; a full one has no suffix.
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && (width < 1 || width >= TILE_WIDTH || String(width) !== widthText)) return undefined;
  if (levelText === 'entries') return { kind: 'entries', n, width };
  const level = Number(levelText);
  if (String(level) !== levelText || level > 63) return undefined;
  return { kind: 'hash', level, n, width };
}

/** A tile index in tlog-tiles' 3-digit groups ("x001/x234/067"), canonical spellings only. */
export function parseTileIndex(text: string): number | undefined {
  if (!/^(?:x\d{3}\/)*\d{3}$/.test(text)) return undefined;
  const groups = text.split('/').map((group) => group.replace(/^x/, ''));
  if (groups.length > 1 && groups[0] === '000') return undefined; // no leading zero groups
  const n = Number(groups.join(''));
  return Number.isSafeInteger(n) ? n : undefined;
}
