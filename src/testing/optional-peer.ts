/**
 * The install command for the optional peer dependencies behind `toBeValidKubernetes()`
 * (the schema validators are large and only needed in tests).
 */
export const SCHEMA_PEERS_INSTALL = 'npm install --save-dev kubernetes-models @kubernetes/client-node';

/**
 * Resolves an optional peer dependency from the test kit's own location (that is, from the
 * user's project), or throws an error that names the package, what needs it and how to install
 * it. `resolve` is `require.resolve`; tests pass another to simulate a missing package.
 */
export function resolveOptionalPeer(name: string, feature: string, install: string,
  resolve: (id: string) => string = (id) => require.resolve(id)): string {
  try {
    return resolve(`${name}/package.json`);
  } catch {
    throw new Error(`${feature} needs the optional peer dependency "${name}", which is not installed: ${install}`);
  }
}
