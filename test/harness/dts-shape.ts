import * as fs from 'fs';
import * as ts from 'typescript';
import { objectMetaShape } from './client-node-shape';
import { ANY, LEAF, Shape } from './shape';

/**
 * Reads `export interface <name>` from a kubernetes-models `.d.ts` file (nested type literals,
 * as the CRD generator writes them) and converts it into a {@link Shape}. Used where a package
 * ships compiled validators but no JSON schema (e.g. @kubernetes-models/argo-cd).
 */
export function interfaceShape(dtsFile: string, name: string): Shape {
  const source = ts.createSourceFile(dtsFile, fs.readFileSync(dtsFile, 'utf8'), ts.ScriptTarget.Latest, false);
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!decl) throw new Error(`interface ${name} not found in ${dtsFile}`);
  return membersShape(decl.members);
}

function propName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

function membersShape(members: ts.NodeArray<ts.TypeElement>): Shape {
  const props: Record<string, Shape> = {};
  let index: Shape | undefined;
  for (const m of members) {
    if (ts.isPropertySignature(m) && m.type) {
      const n = propName(m.name);
      if (n !== undefined) props[n] = typeShape(m.type);
    } else if (ts.isIndexSignatureDeclaration(m)) {
      index = typeShape(m.type);
    }
  }
  if (index) return Object.keys(props).length ? ANY : { type: 'map', values: index };
  return { type: 'object', properties: () => props };
}

function typeShape(node: ts.TypeNode): Shape {
  if (ts.isParenthesizedTypeNode(node)) return typeShape(node.type);
  if (ts.isTypeLiteralNode(node)) return membersShape(node.members);
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: typeShape(node.elementType) };
  if (ts.isTypeReferenceNode(node)) {
    const ref = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    const args = node.typeArguments ?? [];
    if (ref === 'Array' && args.length === 1) return { type: 'array', items: typeShape(args[0]) };
    if (ref === 'Record' && args.length === 2) return { type: 'map', values: typeShape(args[1]) };
    if (ref === 'IObjectMeta') return objectMetaShape();
    return ANY;
  }
  if (ts.isUnionTypeNode(node)) {
    const shapes = node.types.map(typeShape).filter((s) => s !== LEAF);
    return shapes.length === 0 ? LEAF : shapes.length === 1 ? shapes[0] : ANY;
  }
  if (ts.isLiteralTypeNode(node)) return LEAF;
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.NullKeyword:
      return LEAF;
    default:
      return ANY;
  }
}
