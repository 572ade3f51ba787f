import { err, formatPath, ok, type Result } from '@evenhand/core';
import { logError, type LogError } from './errors.ts';

/**
 * A strict JSON reader for entries. JSON.parse keeps the last of duplicate keys silently
 * and turns 2^53+1 into 2^53, so an entry read with it could mean something other than
 * what its author signed. This reader rejects both, each with its own code, and names the
 * path of the offending member.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class JsonFault {
  constructor(readonly error: LogError) {}
}

function fail(code: 'ENTRY_MALFORMED' | 'ENTRY_DUPLICATE_KEY' | 'ENTRY_UNSAFE_NUMBER', message: string): never {
  throw new JsonFault(logError(code, message));
}

const pathOf = (path: readonly (string | number)[]): string => formatPath(path, '(entry)');

export function parseStrictJson(text: string): Result<JsonValue, LogError> {
  let at = 0;
  const path: (string | number)[] = [];

  const skipSpace = () => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at++;
    }
  };
  const expect = (char: string) => {
    if (text[at] !== char) fail('ENTRY_MALFORMED', `${pathOf(path)}: expected "${char}" at offset ${at}`);
    at++;
  };

  const readString = (): string => {
    expect('"');
    let out = '';
    let run = at;
    for (;;) {
      if (at >= text.length) fail('ENTRY_MALFORMED', `${pathOf(path)}: unterminated string`);
      const c = text.charCodeAt(at);
      if (c === 0x22) break;
      if (c < 0x20) fail('ENTRY_MALFORMED', `${pathOf(path)}: unescaped control character in a string`);
      if (c !== 0x5c) {
        at++;
        continue;
      }
      out += text.slice(run, at);
      const e = text[at + 1];
      at += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(at, at + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('ENTRY_MALFORMED', `${pathOf(path)}: bad \\u escape`);
          out += String.fromCharCode(parseInt(hex, 16));
          at += 4;
          break;
        }
        default:
          fail('ENTRY_MALFORMED', `${pathOf(path)}: bad escape \\${e ?? ''}`);
      }
      run = at;
    }
    out += text.slice(run, at);
    at++;
    // RFC 8785 §3.2.2.2 / I-JSON (RFC 7493 §2.1): strings must be valid Unicode.
    if (LONE_SURROGATE.test(out)) fail('ENTRY_MALFORMED', `${pathOf(path)}: string contains a lone surrogate`);
    return out;
  };

  const readNumber = (): number => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) fail('ENTRY_MALFORMED', `${pathOf(path)}: unexpected character at offset ${at}`);
    const literal = match[0];
    at += literal.length;
    if (/[.eE]/.test(literal)) fail('ENTRY_UNSAFE_NUMBER', `${pathOf(path)}: numbers must be integers, found ${literal}`);
    const value = Number(literal);
    // I-JSON (RFC 7493 §2.2): only integers in ±(2^53−1) are exchanged exactly.
    if (!Number.isSafeInteger(value)) fail('ENTRY_UNSAFE_NUMBER', `${pathOf(path)}: ${literal} is beyond ±(2^53−1) and cannot be represented exactly`);
    return value;
  };

  const readValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('ENTRY_MALFORMED', `${pathOf(path)}: nested deeper than ${MAX_DEPTH}`);
    skipSpace();
    const c = text[at];
    if (c === '{') {
      at++;
      const object: JsonObject = {};
      const keys = new Set<string>();
      skipSpace();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        if (keys.has(key)) fail('ENTRY_DUPLICATE_KEY', `${pathOf([...path, key])}: the key "${key}" appears twice`);
        keys.add(key);
        skipSpace();
        expect(':');
        path.push(key);
        const value = readValue(depth + 1);
        path.pop();
        // defineProperty, so that a "__proto__" key is data and never a prototype change.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect('}');
        return object;
      }
    }
    if (c === '[') {
      at++;
      const array: JsonValue[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (let i = 0; ; i++) {
        path.push(i);
        array.push(readValue(depth + 1));
        path.pop();
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect(']');
        return array;
      }
    }
    if (c === '"') return readString();
    if (text.startsWith('true', at)) {
      at += 4;
      return true;
    }
    if (text.startsWith('false', at)) {
      at += 5;
      return false;
    }
    if (text.startsWith('null', at)) {
      at += 4;
      return null;
    }
    return readNumber();
  };

  try {
    const value = readValue(0);
    skipSpace();
    if (at !== text.length) fail('ENTRY_MALFORMED', `(entry): unexpected text after the JSON value at offset ${at}`);
    return ok(value);
  } catch (cause) {
    if (cause instanceof JsonFault) return err(cause.error);
    throw cause;
  }
}
