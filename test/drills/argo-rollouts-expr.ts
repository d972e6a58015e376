// The subset of expr-lang (https://expr-lang.org/docs/language-definition) that analysis
// conditions use, evaluated as Argo Rollouts evaluates `successCondition` / `failureCondition`:
// `result` is the metric's value — for a Prometheus vector a list of floats, empty when the query
// returned no series — and the functions are those Argo Rollouts adds (`isNaN`; `len` is
// expr-lang's). As in expr-lang, `&&`/`and` and `||`/`or` stop at the first operand that decides,
// comparisons follow IEEE 754 (NaN compares false), and an index out of range, an unknown name or
// a wrong type is an error — which Argo Rollouts records as a measurement in phase Error.
// @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/ ("NaN and Infinity", "Empty array")
// @see https://github.com/argoproj/argo-rollouts/blob/master/utils/evaluate/evaluate.go (EvalCondition's environment)

export type ExprValue = number | boolean | readonly number[];

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'unary'; op: '!' | '-'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'index'; target: Node; index: Node }
  | { kind: 'call'; callee: string; args: Node[] };

/** An expression the evaluator cannot compile or run (Argo Rollouts: measurement phase Error). */
export class ExprError extends Error {}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\|\||&&|==|!=|<=|>=|[<>!()[\],+\-*/]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new ExprError(`unexpected character at ${at} in ${JSON.stringify(text)}`);
    tokens.push(match[1] ?? match[2] ?? match[3]);
  }
  return tokens;
}

/** Parses an expression of the subset (literals, `result`, `[i]`, calls, `! - * / + -`, comparisons, `&& and || or`). */
export function parseExpr(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string) => {
    const token = tokens[pos++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new ExprError(`expected ${expected ?? 'a token'} at token ${pos - 1} of ${JSON.stringify(text)}, got ${token ?? 'the end'}`);
    }
    return token;
  };
  const binary = (ops: readonly string[], next: () => Node, normalise: Record<string, string> = {}) => (): Node => {
    let left = next();
    while (ops.includes(peek())) {
      const op = take();
      left = { kind: 'binary', op: normalise[op] ?? op, left, right: next() };
    }
    return left;
  };
  const primary = (): Node => {
    const token = take();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Za-z_]/.test(token) && !['and', 'or', 'not'].includes(token)) return { kind: 'name', name: token };
    throw new ExprError(`unexpected ${token} in ${JSON.stringify(text)}`);
  };
  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      if (peek() === '[') {
        take('[');
        const index = or();
        take(']');
        node = { kind: 'index', target: node, index };
      } else if (peek() === '(' && node.kind === 'name') {
        take('(');
        const args: Node[] = [];
        while (peek() !== ')') {
          args.push(or());
          if (peek() === ',') take(',');
        }
        take(')');
        node = { kind: 'call', callee: node.name, args };
      } else {
        return node;
      }
    }
  };
  const unary = (): Node => {
    if (peek() === '!' || peek() === 'not') {
      take();
      return { kind: 'unary', op: '!', operand: unary() };
    }
    if (peek() === '-') {
      take();
      return { kind: 'unary', op: '-', operand: unary() };
    }
    return postfix();
  };
  const multiplicative = binary(['*', '/'], unary);
  const additive = binary(['+', '-'], multiplicative);
  const comparison = (): Node => {
    const left = additive();
    if (['==', '!=', '<', '<=', '>', '>='].includes(peek())) {
      const op = take();
      return { kind: 'binary', op, left, right: additive() };
    }
    return left;
  };
  const and = binary(['&&', 'and'], comparison, { and: '&&' });
  const or = binary(['||', 'or'], and, { or: '||' });
  const tree = or();
  if (pos !== tokens.length) throw new ExprError(`unexpected ${tokens[pos]} at token ${pos} of ${JSON.stringify(text)}`);
  return tree;
}

const isList = (v: ExprValue): v is readonly number[] => Array.isArray(v);

function number(v: ExprValue, what: string): number {
  if (typeof v !== 'number') throw new ExprError(`${what} needs a number, got ${JSON.stringify(v)}`);
  return v;
}

function bool(v: ExprValue, what: string): boolean {
  if (typeof v !== 'boolean') throw new ExprError(`${what} needs a bool, got ${JSON.stringify(v)}`);
  return v;
}

function run(node: Node, env: { result: ExprValue }): ExprValue {
  switch (node.kind) {
    case 'number': return node.value;
    case 'name':
      if (node.name === 'result') return env.result;
      if (node.name === 'true' || node.name === 'false') return node.name === 'true';
      throw new ExprError(`unknown name ${node.name}`);
    case 'unary': {
      const v = run(node.operand, env);
      return node.op === '!' ? !bool(v, '!') : -number(v, '-');
    }
    case 'index': {
      const target = run(node.target, env);
      const index = number(run(node.index, env), 'an index');
      if (!isList(target)) throw new ExprError('only a list can be indexed');
      if (!Number.isInteger(index) || index < 0 || index >= target.length) {
        throw new ExprError(`index out of range: ${index} (array length is ${target.length})`);
      }
      return target[index];
    }
    case 'call': {
      const args = node.args.map(a => run(a, env));
      if (node.callee === 'len' && args.length === 1 && isList(args[0])) return args[0].length;
      if (node.callee === 'isNaN' && args.length === 1) return Number.isNaN(number(args[0], 'isNaN'));
      throw new ExprError(`unknown function or wrong arguments: ${node.callee}(${args.map(a => JSON.stringify(a)).join(', ')})`);
    }
    case 'binary': {
      if (node.op === '&&' || node.op === '||') {
        const left = bool(run(node.left, env), node.op);
        if (node.op === '&&' ? !left : left) return left;
        return bool(run(node.right, env), node.op);
      }
      const l = number(run(node.left, env), node.op);
      const r = number(run(node.right, env), node.op);
      switch (node.op) {
        case '==': return l === r;
        case '!=': return l !== r;
        case '<': return l < r;
        case '<=': return l <= r;
        case '>': return l > r;
        case '>=': return l >= r;
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
      }
      throw new ExprError(`unknown operator ${node.op}`);
    }
  }
}

/** Evaluates a condition over `result`; it must give a bool (Argo Rollouts: "expected bool"). */
export function evalCondition(condition: string, result: ExprValue): boolean {
  const value = run(parseExpr(condition), { result });
  if (typeof value !== 'boolean') throw new ExprError(`expected bool, but got ${JSON.stringify(value)}`);
  return value;
}
