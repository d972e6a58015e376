import type * as Yaml from 'yaml';

/**
 * A small, fast YAML emitter for plain JSON data (what `ApiObject.toJson()` returns), written to
 * produce the same bytes as cdk8s's `Yaml.stringify` (the `yaml` package with
 * `{ keepUndefined: true, lineWidth: 0, version: '1.1' }`) for ordinary manifests, and a
 * semantically identical document in every case.
 *
 * Where it deliberately differs (always by quoting more, never less):
 * - strings that YAML 1.2 core reads as another type (`0o17`) are quoted as well as the YAML 1.1
 *   ones, so that 1.1 and 1.2 parsers (PyYAML, go-yaml, kubectl) all read a string;
 * - `<<` and `=` are quoted (merge key and value type in YAML 1.1);
 * - strings starting with `---` or `...` are quoted (document markers);
 * - C1 controls, U+2028/U+2029, U+FEFF, U+FFFE and U+FFFF are escaped inside double quotes (the
 *   `yaml` package writes them raw, which YAML 1.1 parsers read as line breaks or reject);
 * - strings with a tab are double-quoted with `\t` (the `yaml` package writes `a<TAB>b` plain,
 *   which PyYAML rejects);
 * - double-quoted strings with line breaks are written on one line with `\n` escapes (the `yaml`
 *   package folds long ones over several lines).
 *
 * Anything that is not plain JSON data (class instances, Dates, Maps, bigints, functions,
 * symbols, keys longer than 1000 characters) makes the whole document fall back to the `yaml`
 * package with cdk8s's options, so the output is always correct.
 */

const FALLBACK = Symbol('yaml-emitter.fallback');

/** The options cdk8s passes to the `yaml` package (see cdk8s `Yaml.stringify`). */
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

/** Serialises documents exactly like cdk8s `Yaml.stringify(...docs)`: joined by `---\n`. */
export function stringifyDocuments(docs: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) out += '---\n';
    out += stringifyDocument(docs[i]);
  }
  return out;
}

/** One document, like `YAML.stringify(doc, cdk8sOptions)`; an undefined document is `\n`. */
export function stringifyDocument(doc: unknown): string {
  if (doc === undefined) return '\n';
  if (typeof doc === 'object' && doc !== null && isPlainContainer(doc)) {
    try {
      return emitRoot(doc);
    } catch (e) {
      if (e !== FALLBACK) throw e;
    }
  }
  // the general-purpose writer, for what the fast path does not write: loaded only then
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('yaml') as typeof Yaml).stringify(doc, CDK8S_YAML_OPTIONS);
}

function isPlainContainer(x: object): boolean {
  if (Array.isArray(x)) return true;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function emitRoot(doc: object): string {
  if (Array.isArray(doc)) {
    return doc.length === 0 ? '[]\n' : emitSeq(doc, '');
  }
  const keys = Object.keys(doc);
  return keys.length === 0 ? '{}\n' : emitMap(doc as Record<string, unknown>, keys, '');
}

/**
 * A block mapping whose entries start at column `ind.length`; every line ends with `\n`.
 * The first line carries no indentation (the caller has written it, e.g. after `- `).
 */
function emitMap(map: Record<string, unknown>, keys: string[], ind: string): string {
  let out = '';
  const childInd = ind + '  ';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key.length > 1000) throw FALLBACK; // the `yaml` package switches to an explicit `? key`
    if (i > 0) out += ind;
    out += emitKey(key);
    out += ':';
    const value = map[key];
    if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) {
        if (value.length === 0) out += ' []\n';
        else out += '\n' + childInd + emitSeq(value, childInd);
      } else {
        if (!isPlainContainer(value)) throw FALLBACK;
        const childKeys = Object.keys(value);
        if (childKeys.length === 0) out += ' {}\n';
        else out += '\n' + childInd + emitMap(value as Record<string, unknown>, childKeys, childInd);
      }
    } else {
      out += ' ' + emitScalar(value, childInd) + '\n';
    }
  }
  return out;
}

/** A block sequence whose `- ` markers are at column `ind.length` (first line unindented). */
function emitSeq(seq: readonly unknown[], ind: string): string {
  let out = '';
  const childInd = ind + '  ';
  for (let i = 0; i < seq.length; i++) {
    if (i > 0) out += ind;
    out += '- ';
    const value = seq[i];
    if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) {
        out += value.length === 0 ? '[]\n' : emitSeq(value, childInd);
      } else {
        if (!isPlainContainer(value)) throw FALLBACK;
        const keys = Object.keys(value);
        out += keys.length === 0 ? '{}\n' : emitMap(value as Record<string, unknown>, keys, childInd);
      }
    } else {
      out += emitScalar(value, childInd) + '\n';
    }
  }
  return out;
}

/** A scalar value; `ind` is the indentation of a block scalar's content lines. */
function emitScalar(value: unknown, ind: string): string {
  switch (typeof value) {
    case 'string':
      return emitString(value, ind, false);
    case 'number':
      if (!isFinite(value)) return isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      if (value === null) return 'null';
      throw FALLBACK;
    default:
      throw FALLBACK;
  }
}

const keyCache = new Map<string, string>();

function emitKey(key: string): string {
  let out = keyCache.get(key);
  if (out === undefined) {
    out = emitString(key, '', true);
    if (keyCache.size < 10000) keyCache.set(key, out);
  }
  return out;
}

/** Strings that are plain whatever the schema: a letter, then letters, digits and `_./-`. */
const SIMPLE = /^[A-Za-z][A-Za-z0-9_./-]*$/;
/**
 * What {@link SIMPLE} strings can spell that is not a string: YAML 1.1 booleans, nulls, and `e1`
 * or `e-1` (the `yaml` package's 1.1 float pattern accepts an exponent alone).
 */
const WORDS = /^(?:[eE]-?[0-9]+|[Yy]|[Yy]es|YES|[Nn]|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL)$/;
/**
 * Characters that force double quotes (and are written escaped): controls except newline and
 * unpaired surrogates (as the `yaml` package does); the tab, which PyYAML and other YAML 1.1
 * scanners reject in a plain scalar ("found character '\t' that cannot start any token");
 * U+2028, U+2029 and U+FEFF, which YAML 1.1 parsers read as line breaks or a byte-order mark;
 * and U+FFFE, U+FFFF, outside the printable set of YAML 1.1, 1.2 and PyYAML.
 */
const FORCE_DOUBLE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\u{D800}-\u{DFFF}]/u;
/** Plain scalars may not start with an indicator, contain `: ` or ` #`, or end with space or `:`. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/**
 * Plain scalars that a YAML 1.1 or YAML 1.2 core parser resolves to something other than a
 * string: null, booleans, integers (binary, octal, decimal, hex, sexagesimal), floats, .inf/.nan,
 * timestamps, and the 1.1 merge (`<<`) and value (`=`) keys.
 */
const NOT_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  // YAML 1.2 core additions
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  /^0o[0-7]+$/,
  // YAML 1.1 merge and value keys
  /^(?:<<|=)$/,
];

function resolvesToNonString(s: string): boolean {
  for (const re of NOT_STRING) if (re.test(s)) return true;
  return false;
}

function emitString(s: string, ind: string, isKey: boolean): string {
  if (SIMPLE.test(s)) return WORDS.test(s) ? `"${s}"` : s;
  if (FORCE_DOUBLE.test(s)) return doubleQuoted(s);
  if (isKey && s.includes('\n')) return quoted(s);
  if (NOT_PLAIN.test(s)) {
    return isKey || !s.includes('\n') ? quoted(s) : blockLiteral(s, ind);
  }
  if (!isKey && s.includes('\n')) return blockLiteral(s, ind);
  if (resolvesToNonString(s) || s.startsWith('---') || s.startsWith('...')) return quoted(s);
  return s;
}

/** Single quotes when the string has `"` but no `'`, otherwise double quotes (as `yaml` does). */
function quoted(s: string): string {
  if (s.includes('"') && !s.includes("'") && !s.includes('\n')) return `'${s}'`;
  return doubleQuoted(s);
}

const ESCAPES: Record<string, string> = {
  '\u0000': '\\0',
  '\u0007': '\\a',
  '\u000b': '\\v',
  '\u001b': '\\e',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};
/** What JSON.stringify leaves raw but YAML reads as a line break or forbids unescaped. */
const EXTRA_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

function doubleQuoted(s: string): string {
  // JSON's escapes are valid YAML. Like the `yaml` package, write `\u00XX` as YAML's short forms
  // (`\0`, `\a`, `\v`, `\e`, `\xXX`); then escape what JSON leaves raw but YAML reads as a line
  // break or does not allow raw. Escape sequences are matched whole, so `\\u0000` stays intact.
  return JSON.stringify(s)
    .replace(/\\(?:u00([0-9a-f]{2})|[^])| (?=\\n)/g, (m, hex: string | undefined) => {
      if (m === ' ') return '\\ '; // a space before a line break is escaped, as `yaml` does
      if (hex === undefined) return m;
      return ESCAPES[String.fromCharCode(parseInt(hex, 16))] ?? `\\x${hex}`;
    })
    .replace(EXTRA_ESCAPE, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A literal block scalar, ported from the `yaml` package (lineWidth 0 means never folded). */
function blockLiteral(value: string, indent: string): string {
  // A block cannot end in whitespace unless the last line is non-empty.
  // Whitespace-only strings with a space or tab are quoted too (the `yaml` package writes ' \n' as a block that
  // reads back as '\n').
  if (/\n[\t ]+$/.test(value) || /^[\t\n ]*[\t ][\t\n ]*$/.test(value)) return quoted(value);
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) chomp = '+';
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? (indent ? '2' : '1') : '') + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}
