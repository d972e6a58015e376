/* Generates src/internal/validation/props-schema.json: a JSON Schema of every exported `*Props`
 * type and of the arguments of every public method and exported function of src/index.ts, from
 * the TypeScript declarations themselves (ts-json-schema-generator). Nothing is listed by hand: a
 * new construct's props, a new prop or a new method argument is in the schema once it is exported.
 *
 * It also generates src/internal/validation/generated/: the validators of that schema, compiled
 * now by ajv's standalone code generation (one module per props type and per method, loaded when
 * first used), so that run time never compiles a schema nor loads validators it does not use.
 *
 * Run: `npx projen generate-schemas` (or `tsx projenrc/generate-schemas.ts [--check]`). With
 * `--check` it writes nothing and exits 1 when a committed file differs from the source.
 *
 * Construct instances, cdk8s classes (Duration, App, Chart…) and interfaces that extend
 * IConstruct cannot be described by a JSON Schema; they become `{ "instanceOf": "<Name>" }`,
 * which the generated code checks structurally (instanceOfCode below). */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { _, KeywordCxt } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import {
  BaseType, CompletedConfig, createFormatter, createParser, createProgram, DEFAULT_CONFIG, Definition, SchemaGenerator,
  SubNodeParser, SubTypeFormatter, ts,
} from 'ts-json-schema-generator';

const ROOT = path.join(__dirname, '..');
export const SCHEMA_FILE = path.join(ROOT, 'src', 'internal', 'validation', 'props-schema.json');
export const VALIDATORS_DIR = path.join(ROOT, 'src', 'internal', 'validation', 'generated');

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

type SchemaNode = { [key: string]: unknown };

/**
 * The run-time check of `{ instanceOf: "<Name>" }`, as generated code: an object (not an array)
 * with `toSeconds()` for a cdk8s Duration, with `charts` and `node` for an App, with a `node`
 * for anything else (a construct; the constructs check such values further by hand).
 */
function instanceOfCode(cxt: KeywordCxt): void {
  const { data, schema } = cxt;
  const isObject = _`typeof ${data} == "object" && ${data} !== null && !Array.isArray(${data})`;
  if (schema === 'Duration') cxt.pass(_`${isObject} && typeof ${data}.toSeconds == "function"`);
  else if (schema === 'App') cxt.pass(_`${isObject} && Array.isArray(${data}.charts) && typeof ${data}.node == "object"`);
  else cxt.pass(_`${isObject} && typeof ${data}.node == "object" && ${data}.node !== null`);
}

/** Follows `#/definitions/…` references within the document. */
function resolveLocal(document: SchemaNode, schema: SchemaNode): SchemaNode {
  let current = schema;
  for (let i = 0; i < 20 && typeof current.$ref === 'string'; i++) {
    const name = decodeURIComponent(current.$ref.replace(/^(?:props)?#\/definitions\//, ''));
    current = ((document.definitions as Record<string, SchemaNode>)[name] ?? {});
  }
  return current;
}

/**
 * The key a union branch's validator is found by at run time (validate-props.ts computes the
 * same): its JSON, references written relative to the document.
 */
export function branchKey(branch: unknown): string {
  return JSON.stringify(branch).replace(/"props#\/definitions\//g, '"#/definitions/');
}

/** Every object branch of every union in the document (those validate-props.ts reports errors against). */
function unionBranches(document: SchemaNode): Map<string, SchemaNode> {
  const found = new Map<string, SchemaNode>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (typeof node !== 'object' || node === null) return;
    const anyOf = (node as SchemaNode).anyOf;
    if (Array.isArray(anyOf)) {
      for (const b of anyOf as SchemaNode[]) {
        const branch = resolveLocal(document, b);
        if (branch.type === 'object' && branch.instanceOf === undefined) found.set(branchKey(branch), branch);
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(document);
  return found;
}

/** The ajv instance the validators are compiled with (same options as validate-props.ts relies on). */
function validatorCompiler(document: SchemaNode): Ajv {
  const ajv = new Ajv({
    strict: false,
    strictNumbers: true,
    allErrors: false,
    allowUnionTypes: true,
    validateSchema: false,
    verbose: true,
    inlineRefs: false,
    code: { source: true, esm: true, lines: false },
  });
  ajv.addKeyword({ keyword: 'instanceOf', schemaType: 'string', code: instanceOfCode });
  ajv.addSchema(document, 'props');
  return ajv;
}

const HEADER = [
  '// @ts-nocheck',
  '/* eslint-disable */',
  '// Generated by `npx projen generate-schemas` from props-schema.json (ajv standalone code); do not edit.',
];

/** ajv's standalone code exporting the validators of `refs` (name → schema reference), and only what they reach. */
function standalone(ajv: Ajv, refs: Record<string, string>): string {
  return standaloneCode(ajv, refs).replace(/^"use strict";/, '');
}

/** A file name for a props type or method key (`NetworkPolicyBundle.prototype.allow`). */
function moduleName(prefix: string, key: string): string {
  return `${prefix}-${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/**
 * The validators of every props type, method argument and union branch, compiled now with ajv's
 * standalone code generation (https://ajv.js.org/standalone.html), so that run time neither loads
 * nor runs ajv's compiler: one module per props type and per method (a construct loads only its
 * own validator, the first time it is created), one for the union branches (read only to explain
 * an error), and an index of loaders. Returns file name (in VALIDATORS_DIR) → content.
 */
export function renderValidators(document: SchemaNode): Record<string, string> {
  const files: Record<string, string> = {};
  const loaders: string[] = [];
  for (const name of Object.keys(document.props as object)) {
    const file = moduleName('props', name);
    files[`${file}.ts`] = [...HEADER, standalone(validatorCompiler(document), { validate: `props#/definitions/${name}` }), ''].join('\n');
    loaders.push(`  ${JSON.stringify(name)}: () => require(${JSON.stringify(`./${file}`)}).validate,`);
  }
  const methodLoaders: string[] = [];
  for (const [key, params] of Object.entries(document.methods as Record<string, Array<{ name: string; required: boolean }>>)) {
    const file = moduleName('method', key);
    const refs = Object.fromEntries(params.map((_p, j) => [`v${j}`, `props#/methods/${key}/${j}/schema`]));
    files[`${file}.ts`] = [
      ...HEADER,
      standalone(validatorCompiler(document), refs),
      '',
      '/** The method\'s parameters, in order: name, whether required, validator. */',
      'export const PARAMS = [',
      ...params.map((p, j) => `  { name: ${JSON.stringify(p.name)}, required: ${p.required}, validate: v${j} },`),
      '];',
      '',
    ].join('\n');
    methodLoaders.push(`  ${JSON.stringify(key)}: () => require(${JSON.stringify(`./${file}`)}).PARAMS,`);
  }
  const ajv = validatorCompiler(document);
  const refs: Record<string, string> = {};
  const branches: string[] = [];
  [...unionBranches(document)].forEach(([key, branch], i) => {
    ajv.addSchema(JSON.parse(JSON.stringify(branch).replace(/"#\/definitions\//g, '"props#/definitions/')), `branch${i}`);
    refs[`b${i}`] = `branch${i}`;
    branches.push(`  ${JSON.stringify(key)}: b${i},`);
  });
  files['branches.ts'] = [
    ...HEADER,
    standalone(ajv, refs),
    '',
    '/** The validator of each object branch of a union, by its JSON (see branchKey). */',
    'export const BRANCHES = {',
    ...branches,
    '};',
    '',
  ].join('\n');
  files['index.ts'] = [
    ...HEADER,
    '// Loaders of the validators: each module is loaded the first time it is needed.',
    '',
    '/** The validator of each props type. */',
    'export const PROPS = {',
    ...loaders,
    '};',
    '',
    '/** The parameters (name, required, validator) of each method. */',
    'export const METHODS = {',
    ...methodLoaders,
    '};',
    '',
    '/** The validators of the union branches, by their JSON. */',
    'export const BRANCHES = () => require(\'./branches\').BRANCHES;',
    '',
  ].join('\n');
  return files;
}

/** Every file of the validators folder as the schema generates it, and the stale ones (to delete). */
export function validatorFiles(schema: SchemaNode): { write: Array<[string, string]>; stale: string[] } {
  const files = renderValidators(schema);
  const present = fs.existsSync(VALIDATORS_DIR) ? fs.readdirSync(VALIDATORS_DIR) : [];
  return {
    write: Object.entries(files).map(([name, content]) => [path.join(VALIDATORS_DIR, name), content]),
    stale: present.filter(name => files[name] === undefined).map(name => path.join(VALIDATORS_DIR, name)),
  };
}

if (require.main === module) {
  const schema = generateSchema();
  const validators = validatorFiles(schema);
  const outputs: Array<[string, string]> = [[SCHEMA_FILE, JSON.stringify(schema, null, 2) + '\n'], ...validators.write];
  if (process.argv.includes('--check')) {
    let stale = false;
    for (const [file, content] of outputs) {
      const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      if (committed !== content) {
        process.stderr.write(`${path.relative(ROOT, file)} is out of date: run npx projen generate-schemas\n`);
        stale = true;
      }
    }
    for (const file of validators.stale) {
      process.stderr.write(`${path.relative(ROOT, file)} is no longer generated: run npx projen generate-schemas\n`);
      stale = true;
    }
    if (stale) process.exit(1);
  } else {
    for (const file of validators.stale) fs.rmSync(file);
    for (const [file, content] of outputs) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    process.stdout.write(`wrote ${path.relative(ROOT, SCHEMA_FILE)} and ${validators.write.length} validator modules in ${path.relative(ROOT, VALIDATORS_DIR)}\n`);
  }
}
