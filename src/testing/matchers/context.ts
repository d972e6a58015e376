/**
 * The parts of Jest's matcher context (`this` inside a matcher) the test kit uses; declared here
 * so that the kit's types do not depend on one Jest version's type package.
 */
export interface MatcherContext {
  readonly isNot: boolean;
  readonly promise: string;
  readonly utils: {
    matcherHint(matcherName: string, received?: string, expected?: string, options?: { isNot?: boolean; promise?: string; secondArgument?: string; comment?: string }): string;
    matcherErrorMessage(hint: string, generic: string, specific?: string): string;
    printReceived(value: unknown): string;
    printExpected(value: unknown): string;
    printDiffOrStringify(expected: unknown, received: unknown, expectedLabel: string, receivedLabel: string, expand: boolean): string;
    iterableEquality: unknown;
    subsetEquality: unknown;
  };
  readonly expand?: boolean;
  equals(a: unknown, b: unknown, customTesters?: unknown[], strictCheck?: boolean): boolean;
}

/** What a matcher returns to Jest. */
export interface MatcherResult {
  readonly pass: boolean;
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
