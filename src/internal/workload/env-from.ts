import { IConstruct } from 'constructs';
import { EnvFromSource } from '../../container-options';
import { propError } from '../core/errors';
import { checkDnsSubdomain, checkEnvName } from '../core/validate';
import { secretNameOf } from '../supply-chain/external-secrets';

/** An `envFrom` entry as written to the manifest. */
export interface EnvFromJson {
  readonly prefix?: string;
  readonly secretRef?: { name: string };
  readonly configMapRef?: { name: string };
}

/** Validates `envFrom`: exactly one of secret and configMap, a valid prefix, no entry twice. */
export function resolveEnvFrom(scope: IConstruct, sources: readonly EnvFromSource[] | undefined): EnvFromJson[] {
  if (sources === undefined) return [];
  if (!Array.isArray(sources)) throw propError(scope, 'envFrom', sources, 'must be a list of { secret | configMap, prefix? }, e.g. [{ secret: "api-db", prefix: "DB_" }]');
  const seen = new Set<string>();
  return sources.map((source, i) => {
    const prop = `envFrom[${i}]`;
    if (typeof source !== 'object' || source === null || (source.secret === undefined) === (source.configMap === undefined)) {
      throw propError(scope, prop, source, 'must give exactly one of secret or configMap, e.g. { secret: "api-db", prefix: "DB_" }');
    }
    if (source.prefix !== undefined) checkEnvName(scope, `${prop}.prefix`, source.prefix);
    const json: EnvFromJson = source.secret !== undefined
      ? { prefix: source.prefix, secretRef: { name: secretNameOf(scope, `${prop}.secret`, source.secret) } }
      : { prefix: source.prefix, configMapRef: { name: checkDnsSubdomain(scope, `${prop}.configMap`, source.configMap!) } };
    const key = JSON.stringify(json);
    if (seen.has(key)) throw propError(scope, prop, source, 'is listed twice');
    seen.add(key);
    return json;
  });
}
