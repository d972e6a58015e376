/**
 * The parts of Jest's matcher context (`this` inside a matcher) the test kit uses; declared here
 * so that the kit's types do not depend on one Jest version's type package.
 */
export interface MatcherContext {
  /** Whether the matcher was called through `.not`. */
  readonly isNot: boolean;
  /** `'rejects'`, `'resolves'` or `''`. */
  readonly promise: string;
  /** Jest's matcher utilities (jest-matcher-utils). */
  readonly utils: MatcherUtils;
  /**
   * Whether diffs show every line (`--expand`).
   * @default - false
   */
  readonly expand?: boolean;
  /** Jest's recursive equality, with optional custom testers. */
  equals(a: unknown, b: unknown, customTesters?: unknown[], strictCheck?: boolean): boolean;
}

/** The jest-matcher-utils functions the kit uses (`this.utils` in a matcher). */
export interface MatcherUtils {
  /** The equality tester `toMatchObject` uses for iterables. */
  readonly iterableEquality: unknown;
  /** The equality tester `toMatchObject` uses for objects (extra fields allowed). */
  readonly subsetEquality: unknown;
  /** The first line of a message: `expect(received).matcher(expected)`. */
  matcherHint(matcherName: string, received?: string, expected?: string, options?: MatcherHintOptions): string;
  /** A message for a matcher used wrongly (bad arguments, unsupported received value). */
  matcherErrorMessage(hint: string, generic: string, specific?: string): string;
  /** A received value, coloured. */
  printReceived(value: unknown): string;
  /** An expected value, coloured. */
  printExpected(value: unknown): string;
  /** A diff of expected and received, or both printed when a diff does not help. */
  printDiffOrStringify(expected: unknown, received: unknown, expectedLabel: string, receivedLabel: string, expand: boolean): string;
}

/** Options of `matcherHint`. */
export interface MatcherHintOptions {
  /** Print `.not`. @default false */
  readonly isNot?: boolean;
  /** Print `.rejects` / `.resolves`. @default '' */
  readonly promise?: string;
  /** The name of a second argument. @default - none */
  readonly secondArgument?: string;
  /** A comment after the hint. @default - none */
  readonly comment?: string;
}

/** What a matcher returns to Jest. */
export interface MatcherResult {
  /** Whether the expectation holds. */
  readonly pass: boolean;
  /** The message Jest prints when the expectation (or its `.not`) fails. */
  readonly message: () => string;
}

/** The matcher hint line, e.g. `expect(received).toPassPodSecurity("baseline")`. */
export function hint(ctx: MatcherContext, matcher: string, expected = '', secondArgument?: string): string {
  return ctx.utils.matcherHint(matcher, undefined, expected, { isNot: ctx.isNot, promise: ctx.promise, secondArgument });
}

/** Runs `fn`; an error it throws becomes a matcher error under the hint (Jest prints it as such). */
export function orMatcherError<T>(ctx: MatcherContext, hintLine: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(ctx.utils.matcherErrorMessage(hintLine, (e as Error).message));
  }
}

/** At most `max` lines, then "… and N more". */
export function listLines(lines: readonly string[], max = 20): string {
  const shown = lines.slice(0, max).map((l) => `  - ${l}`);
  if (lines.length > max) shown.push(`  … and ${lines.length - max} more`);
  return shown.join('\n');
}
