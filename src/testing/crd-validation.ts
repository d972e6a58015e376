import * as fs from 'fs';
import { ValidateFunction } from 'ajv';
import { objectMetaShape } from './client-node-shape';
import { compileCrdSchema, strictRootSchema } from './crd-schema';
import { joinKey, Manifest, Problem, pointerToPath, problem } from './problems';
import { unknownFields } from './shape';
import { readYamlDocuments } from './yaml-documents';

/** The documents of a CRD file: YAML (one or more documents) or JSON (one document or a list). */
function readCrdDocuments(file: string): any[] {
  if (!file.endsWith('.json')) return readYamlDocuments(file);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Array.isArray(parsed) ? parsed : [parsed];
}

/**
 * The served versions of a set of CustomResourceDefinitions, compiled on first use into strict
 * validators (unknown fields fail, as with the API server's strict field validation). A kind
 * defined in several files takes the last file's schema.
 */
export class CrdSchemas {
  private schemas?: Map<string, any>;
  private readonly compiled = new Map<string, ValidateFunction>();

  /** @param files CRD files (YAML, or JSON as shipped in crds/); @param source names them in messages */
  constructor(private readonly files: () => string[], public readonly source: string) {}

  /** Whether `apiVersion`/`kind` is one of these CRDs' served kinds. */
  public has(apiVersion: string, kind: string): boolean {
    return this.all().has(`${apiVersion}/${kind}`);
  }

  /**
   * Validates an object against its strict CRD schema and its metadata against ObjectMeta.
   * CEL rules (`x-kubernetes-validations`) are not evaluated.
   */
  public validate(obj: Manifest): Problem[] {
    const fn = this.validator(`${obj.apiVersion}/${obj.kind}`);
    if (!fn) return [problem(obj, '', `unknown kind ${obj.apiVersion} ${obj.kind} (not in ${this.source})`)];
    const out: Problem[] = [];
    const data: unknown = obj;
    if (!fn(data)) {
      for (const err of fn.errors ?? []) {
        const at = pointerToPath('', err.instancePath);
        if (err.keyword === 'additionalProperties') {
          const field = (err.params as any).additionalProperty;
          out.push(problem(obj, joinKey(at, field), `unknown field "${field}" (not in the ${obj.kind} CRD schema)`));
        } else {
          out.push(problem(obj, at, `${err.message} ${JSON.stringify(err.params)}`));
        }
      }
    }
    for (const u of unknownFields(obj.metadata, objectMetaShape(), 'metadata')) out.push(problem(obj, u.path, u.message));
    return out;
  }

  private all(): Map<string, any> {
    if (this.schemas) return this.schemas;
    this.schemas = new Map();
    for (const file of this.files()) {
      for (const crd of readCrdDocuments(file)) {
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions) {
          if (v.served) this.schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
    return this.schemas;
  }

  private validator(key: string): ValidateFunction | undefined {
    let fn = this.compiled.get(key);
    if (!fn) {
      const schema = this.all().get(key);
      if (!schema) return undefined;
      fn = compileCrdSchema(strictRootSchema(schema));
      this.compiled.set(key, fn);
    }
    return fn;
  }
}
