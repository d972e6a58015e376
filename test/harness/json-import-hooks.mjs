// Module hooks (registered by json-import-loader.mjs): @actions/workflow-parser imports its JSON
// schema without import attributes, which Node 20 rejects; add `type: 'json'` to .json imports.
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (result.url.endsWith('.json')) {
    return { ...result, importAttributes: { ...(result.importAttributes ?? {}), type: 'json' } };
  }
  return result;
}
