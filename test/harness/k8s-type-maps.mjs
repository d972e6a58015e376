// Prints { ModelClass: { jsonField: type } } of every @kubernetes/client-node model as JSON.
// client-node 1.x is ESM-only, so the (CommonJS) harness runs this in a child process.
const models = await import('@kubernetes/client-node/dist/gen/models/all.js');
const out = {};
for (const [name, model] of Object.entries(models)) {
  if (typeof model?.getAttributeTypeMap === 'function') {
    out[name] = Object.fromEntries(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  }
}
process.stdout.write(JSON.stringify(out));
