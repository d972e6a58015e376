/* Generates src/internal/validation/props-schema.json: a JSON Schema of every exported `*Props`
 * type and of the arguments of every public method and exported function of src/index.ts, from
 * the TypeScript declarations themselves (ts-json-schema-generator). Nothing is listed by hand: a
 * new construct's props, a new prop or a new method argument is in the schema once it is exported.
 *
 * Run: `npx projen generate-schemas` (or `tsx projenrc/generate-schemas.ts [--check]`). With
 * `--check` it writes nothing and exits 1 when the committed file differs from the source.
 *
 * Construct instances, cdk8s classes (Duration, App, Chart…) and interfaces that extend
 * IConstruct cannot be described by a JSON Schema; they become `{ "instanceOf": "<Name>" }`,
 * which the runtime checks structurally (see src/internal/validation/validate-props.ts). */
import * as fs from 'fs';
import * as path from 'path';
import {
  BaseType, CompletedConfig, createFormatter, createParser, createProgram, DEFAULT_CONFIG, Definition, SchemaGenerator,
  SubNodeParser, SubTypeFormatter, ts,
} from 'ts-json-schema-generator';

const ROOT = path.join(__dirname, '..');
export const SCHEMA_FILE = path.join(ROOT, 'src', 'internal', 'validation', 'props-schema.json');

/** A class instance or construct, checked structurally at run time. */
class InstanceType extends BaseType {
  constructor(private readonly name: string) { super(); }
  public getId(): string { return `instance-${this.name}`; }
  public getName(): string { return this.name; }
}

/** Whether a TypeScript flag set holds `flag` (a power of two). */
function hasFlag(flags: number, flag: number): boolean {
  return Math.floor(flags / flag) % 2 === 1;
}

function resolveSymbol(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && hasFlag(symbol.flags, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol;
}

/** Whether an interface extends IConstruct (directly or through other interfaces). */
function extendsConstruct(checker: ts.TypeChecker, decl: ts.InterfaceDeclaration, seen = new Set<ts.Node>()): boolean {
  if (decl.name.text === 'IConstruct') return true;
  if (seen.has(decl)) return false;
  seen.add(decl);
  for (const clause of decl.heritageClauses ?? []) {
    for (const t of clause.types) {
      const symbol = resolveSymbol(checker, checker.getSymbolAtLocation(t.expression));
      for (const d of symbol?.declarations ?? []) {
        if (ts.isInterfaceDeclaration(d) && extendsConstruct(checker, d, seen)) return true;
      }
    }
  }
  return false;
}

/** The name of the class or construct interface a type reference names, if it names one. */
function instanceName(checker: ts.TypeChecker, node: ts.Node): string | undefined {
  if (!ts.isTypeReferenceNode(node) && !ts.isExpressionWithTypeArguments(node)) return undefined;
  const target = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
  const symbol = resolveSymbol(checker, checker.getSymbolAtLocation(target));
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isClassDeclaration(decl)) return decl.name?.text;
  if (ts.isInterfaceDeclaration(decl) && extendsConstruct(checker, decl)) return decl.name.text;
  return undefined;
}

class InstanceParser implements SubNodeParser {
  constructor(private readonly checker: ts.TypeChecker) {}
  public supportsNode(node: ts.Node): boolean { return instanceName(this.checker, node) !== undefined; }
  public createType(node: ts.Node): BaseType { return new InstanceType(instanceName(this.checker, node)!); }
}

class InstanceFormatter implements SubTypeFormatter {
  public supportsType(type: BaseType): boolean { return type instanceof InstanceType; }
  public getDefinition(type: BaseType): Definition { return { instanceOf: type.getName() } as Definition; }
  public getChildren(): BaseType[] { return []; }
}

interface MethodParam { name: string; required: boolean; schema: Definition }

/** Builds the schema document from the source. */
export function generateSchema(): Record<string, unknown> {
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: path.join(ROOT, 'src', 'index.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    skipTypeCheck: true,
    jsDoc: 'none',
    additionalProperties: false,
    sortProps: true,
    expose: 'export',
    topRef: false,
    functions: 'hide',
  };
  const program = createProgram(config);
  const checker = program.getTypeChecker();
  const parser = createParser(program, config, (chain) => chain.addNodeParser(new InstanceParser(checker)));
  const formatter = createFormatter(config, (chain) => chain.addTypeFormatter(new InstanceFormatter()));
  const generator = new SchemaGenerator(program, parser, formatter, config);

  const index = program.getSourceFile(config.path!)!;
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)
    .map(s => ({ name: s.name, symbol: resolveSymbol(checker, s)! }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const propsRoots: ts.Node[] = [];
  const propsNames: string[] = [];
  const methods: Array<{ key: string; params: ts.ParameterDeclaration[] }> = [];
  for (const { name, symbol } of exports) {
    for (const decl of symbol.declarations ?? []) {
      if (/Props$/.test(name) && (ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl))) {
        propsRoots.push(decl);
        propsNames.push(name);
      }
      if (ts.isFunctionDeclaration(decl) && decl.body) methods.push({ key: name, params: [...decl.parameters] });
      if (ts.isClassDeclaration(decl)) {
        for (const member of decl.members) {
          if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
          const modifiers = ts.getCombinedModifierFlags(member);
          const hidden = hasFlag(modifiers, ts.ModifierFlags.Private) || hasFlag(modifiers, ts.ModifierFlags.Protected);
          if (hidden || member.name.text.startsWith('_')) continue;
          const owner = hasFlag(modifiers, ts.ModifierFlags.Static) ? `${name}.${member.name.text}` : `${name}.prototype.${member.name.text}`;
          methods.push({ key: owner, params: [...member.parameters] });
        }
      }
    }
  }

  const definitions: Record<string, Definition> = {};
  const merge = (schema: { definitions?: Record<string, Definition> }) => {
    for (const [key, def] of Object.entries(schema.definitions ?? {})) definitions[key] = def;
  };
  propsRoots.forEach((root, i) => {
    const schema = generator.createSchemaFromNodes([root]) as Record<string, unknown> & { definitions?: Record<string, Definition> };
    merge(schema);
    const { $schema: _s, definitions: _d, ...own } = schema;
    if (!definitions[propsNames[i]]) definitions[propsNames[i]] = own as Definition;
  });

  const methodSchemas: Record<string, MethodParam[]> = {};
  for (const { key, params } of methods.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    methodSchemas[key] = params.map(param => {
      const required = !param.questionToken && !param.initializer;
      if (!param.type) return { name: param.name.getText(), required, schema: {} };
      const schema = generator.createSchemaFromNodes([param.type]) as Record<string, unknown> & { definitions?: Record<string, Definition> };
      merge(schema);
      const { $schema: _s, definitions: _d, ...own } = schema;
      return { name: param.name.getText(), required, schema: own as Definition };
    });
  }
  const sortedDefinitions = Object.fromEntries(Object.keys(definitions).sort().map(k => [k, definitions[k]]));
  return {
    $comment: 'Generated by `npx projen generate-schemas` from the exported types of src/index.ts; do not edit.',
    props: Object.fromEntries(propsNames.map(n => [n, { $ref: `#/definitions/${n}` }])),
    methods: methodSchemas,
    definitions: sortedDefinitions,
  };
}

/** The file's exact content. */
export function renderSchema(): string {
  return JSON.stringify(generateSchema(), null, 2) + '\n';
}

if (require.main === module) {
  const content = renderSchema();
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== content) {
      process.stderr.write(`${path.relative(ROOT, SCHEMA_FILE)} is out of date: run npx projen generate-schemas\n`);
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, content);
    process.stdout.write(`wrote ${path.relative(ROOT, SCHEMA_FILE)}\n`);
  }
}
