import { IConstruct } from 'constructs';
import { SecretKeyRef } from '../../container-basics';
import { propError } from '../core/errors';
import { hasOwn } from '../core/own';
import { checkConfigKey, checkEnvName, checkOptionalObject } from '../core/validate';
import { secretNameOf } from '../supply-chain/external-secrets';

/** An environment variable as written to the manifest. */
export interface EnvVarJson {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/**
 * Builds the container's environment, sorted by name for deterministic output; a name given
 * both as plain and secret variable, or also as a `config` key (which reaches the container
 * through `envFrom`, where `env` would silently win), is an error. `prefix` (e.g.
 * `sidecars[0].`) prefixes the props named in errors.
 */
export function resolveEnv(scope: IConstruct, env: Record<string, string> | undefined,
  secretEnv: Record<string, SecretKeyRef> | undefined, prefix = '', config?: Readonly<Record<string, string>>): EnvVarJson[] {
  checkOptionalObject(scope, `${prefix}env`, env, '{ LOG_LEVEL: "info" }');
  checkOptionalObject(scope, `${prefix}secretEnv`, secretEnv, '{ DATABASE_URL: { secret: "api-db", key: "url" } }');
  const result: EnvVarJson[] = [];
  for (const [name, value] of Object.entries(env ?? {})) {
    checkEnvName(scope, `${prefix}env.${name}`, name);
    if (typeof value !== 'string') {
      throw propError(scope, `${prefix}env.${name}`, value, 'environment variable values must be strings (quote numbers and booleans)');
    }
    checkNotInConfig(scope, `${prefix}env.${name}`, name, value, config);
    result.push({ name, value });
  }
  for (const [name, ref] of Object.entries(secretEnv ?? {})) {
    checkEnvName(scope, `${prefix}secretEnv.${name}`, name);
    if (env && hasOwn(env, name)) {
      throw propError(scope, `${prefix}secretEnv.${name}`, ref, `${name} is also set in env; set each variable once`);
    }
    if (typeof ref !== 'object' || ref === null) {
      throw propError(scope, `${prefix}secretEnv.${name}`, ref, 'must be { secret, key }');
    }
    checkNotInConfig(scope, `${prefix}secretEnv.${name}`, name, ref, config);
    const secret = secretNameOf(scope, `${prefix}secretEnv.${name}.secret`, ref.secret);
    checkConfigKey(scope, `${prefix}secretEnv.${name}.key`, ref.key);
    result.push({ name, valueFrom: { secretKeyRef: { name: secret, key: ref.key } } });
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Fails when `name` is also a `config` key: `config` reaches the container through `envFrom`,
 * and an `env` entry of the same name silently hides it.
 */
export function checkNotInConfig(scope: IConstruct, prop: string, name: string, value: unknown,
  config: Readonly<Record<string, string>> | undefined): void {
  if (config !== undefined && Object.prototype.hasOwnProperty.call(config, name)) {
    throw propError(scope, prop, value,
      `${name} is also a config key (config.${name} ${JSON.stringify(config[name])}); the container would see only one of them: set each variable once, in env, secretEnv or config`);
  }
}
