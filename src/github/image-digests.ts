import * as fs from 'fs';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * The image a workload should run, as the delivery workflow last pushed it: reads the digest
 * file the Pipeline's deliver job writes (`{ "<registry>/<repository>": "sha256:…" }`) and returns
 * `<repository>@<digest>`, or `fallback` while the file or the entry does not exist yet
 * (e.g. before the first delivery).
 *
 * @param file path of the digest file (the Pipeline's `deliver.digestFile`)
 * @param repository the image repository, the Pipeline's `image`, e.g. `ghcr.io/acme/web`
 * @param fallback a pinned image reference used until a digest is delivered, e.g. `ghcr.io/acme/web:1.4.2`
 */
export function imageFromDigestFile(file: string, repository: string, fallback: string): string {
  if (!fs.existsSync(file)) return fallback;
  let digests: unknown;
  try {
    digests = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: invalid image digest file: ${(e as Error).message}; expected a JSON object such as {"${repository}": "sha256:<64 hex>"}`);
  }
  if (typeof digests !== 'object' || digests === null || Array.isArray(digests)) {
    throw new Error(`${file}: invalid image digest file: expected a JSON object such as {"${repository}": "sha256:<64 hex>"}`);
  }
  const digest = (digests as Record<string, unknown>)[repository];
  if (digest === undefined) return fallback;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new Error(`${file}: invalid digest ${JSON.stringify(digest)} for ${repository}: expected "sha256:" followed by 64 lowercase hex characters`);
  }
  return `${repository}@${digest}`;
}
