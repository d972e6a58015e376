/* A model of Kyverno's admission of a Pod under `kyverno.io/v1` verifyImages rules, written from
 * Kyverno's documentation and source (v1.19), independent of the library's code:
 *
 * - Which rules apply: a namespaced Policy to pods of its own namespace; a ClusterPolicy to pods
 *   its `match.any[].resources.namespaces` lists (all when none). Every applying policy must pass.
 * - Image matching: the image as Kyverno prints it (ImageInfo.String(): registry, docker.io when
 *   none, then `@digest`, else `:tag`, `latest` when none) against `imageReferences` and
 *   `skipImageReferences` globs, `*` any characters and `?` one (ext/wildcard, go-wildcard).
 *   https://kyverno.io/docs/policy-types/cluster-policy/verify-images/ ;
 *   https://github.com/kyverno/kyverno/blob/main/pkg/utils/image/infos.go
 * - A tag is resolved to the digest it points to when `mutateDigest` is true (the default), and
 *   the verified digest is written into the pod; `verifyDigest` then requires a digest and
 *   `required` a verified image ("Verify Images Rules", kyverno.io).
 * - Where signatures are read: `type: Cosign` (the default) reads cosign's legacy `.sig` tag;
 *   `type: SigstoreBundle` reads Sigstore bundles attached as OCI referrers (artifact type
 *   `application/vnd.dev.sigstore.bundle*`, pkg/cosign/sigstore.go fetchBundles) — the format
 *   cosign 3 writes by default (`cosign sign --new-bundle-format`, default true).
 *   https://kyverno.io/docs/policy-types/cluster-policy/verify-images/sigstore/#verifying-sigstore-bundles
 * - Keyless attestor: `issuer` must equal the certificate's issuer (or `issuerRegExp` match it);
 *   for SigstoreBundle, `subject` must equal the certificate's subject exactly and
 *   `subjectRegExp` match it (Go regexp, unanchored): sigstore-go's NewShortCertificateIdentity,
 *   pkg/cosign/sigstore.go buildPolicy; for Cosign, `subject` may hold `*` wildcards (the docs'
 *   `"*@nirmata.com"`). `attestors[].count` entries must verify (all when unset).
 * - `failureAction: Enforce` refuses a failing pod; `Audit` only reports.
 */

/** A signature in a registry: over one digest, by one workflow run's certificate, in one format. */
export interface Signature {
  readonly digest: string;
  readonly format: 'sigstore-bundle' | 'cosign-legacy';
  readonly issuer: string;
  readonly subject: string;
}

/** What Kyverno can read from the registries: tags → digests, and signatures. */
export interface Registry {
  readonly tags: Readonly<Record<string, string>>;
  readonly signatures: readonly Signature[];
}

/** Kyverno's decision on a pod: admitted with its (possibly digest-written) images, or refused. */
export interface Admission {
  readonly admitted: boolean;
  readonly images: readonly string[];
  readonly reasons: readonly string[];
}

type Json = Record<string, any>;

/** ImageInfo.String(): `registry/path@digest`, or `registry/path:tag`. */
export function kyvernoImage(image: string): string {
  const [nameTag, digest] = image.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  const name = colon > slash ? nameTag.slice(0, colon) : nameTag;
  const tag = colon > slash ? nameTag.slice(colon + 1) : 'latest';
  const first = name.split('/')[0];
  const full = name.includes('/') && /[.:]|^localhost$/.test(first) ? name : `docker.io/${name}`;
  return digest ? `${full}@${digest}` : `${full}:${tag}`;
}

function wildcard(pattern: string, value: string): boolean {
  const regex = [...pattern].map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`).test(value);
}

function applies(policy: Json, namespace: string): boolean {
  if (policy.kind === 'Policy') return policy.metadata.namespace === namespace;
  return (policy.spec.rules as Json[]).some(rule => (rule.match.any as Json[]).some(m => (m.resources.kinds ?? []).includes('Pod')
    && (m.resources.namespaces === undefined || m.resources.namespaces.includes(namespace))));
}

function entryVerifies(entry: Json, type: string, signature: Signature): boolean {
  const keyless = entry.keyless;
  if (!keyless) return false;
  if (keyless.issuer !== undefined && keyless.issuer !== signature.issuer) return false;
  if (keyless.issuerRegExp !== undefined && !new RegExp(keyless.issuerRegExp).test(signature.issuer)) return false;
  if (keyless.subject !== undefined) {
    const ok = type === 'SigstoreBundle' ? keyless.subject === signature.subject : wildcard(keyless.subject, signature.subject);
    if (!ok) return false;
  }
  if (keyless.subjectRegExp !== undefined && !new RegExp(keyless.subjectRegExp).test(signature.subject)) return false;
  return true;
}

/** Whether the signatures of `digest` that `type` can read satisfy every attestor set. */
function verified(rule: Json, digest: string, registry: Registry): boolean {
  const type = rule.type ?? 'Cosign';
  const readable = registry.signatures.filter(s => s.digest === digest && s.format === (type === 'SigstoreBundle' ? 'sigstore-bundle' : 'cosign-legacy'));
  return (rule.attestors as Json[] ?? []).every(set => {
    const entries = set.entries as Json[];
    const passing = entries.filter(e => readable.some(s => entryVerifies(e, type, s))).length;
    return passing >= (set.count ?? entries.length);
  });
}

/** Kyverno's admission of a pod in `namespace` running `images`, under `policies`. */
export function admit(policies: readonly Json[], namespace: string, images: readonly string[], registry: Registry): Admission {
  const reasons: string[] = [];
  const result = images.map(image => {
    let current = image;
    for (const policy of policies.filter(p => applies(p, namespace))) {
      for (const rule of (policy.spec.rules as Json[]).flatMap(r => r.verifyImages ?? [])) {
        const printed = kyvernoImage(current);
        if (!(rule.imageReferences as string[]).some(g => wildcard(g, printed))) continue;
        if ((rule.skipImageReferences as string[] ?? []).some(g => wildcard(g, printed))) continue;
        const enforce = (rule.failureAction ?? 'Audit') === 'Enforce';
        const fail = (reason: string) => { if (enforce) reasons.push(`${policy.metadata.name}: ${image}: ${reason}`); };
        let digest = current.includes('@') ? current.split('@')[1] : undefined;
        if (digest === undefined && (rule.mutateDigest ?? true)) digest = registry.tags[current];
        if (digest === undefined) {
          fail((rule.mutateDigest ?? true) ? 'the tag resolves to no digest' : 'missing digest (verifyDigest)');
          continue;
        }
        if (!verified(rule, digest, registry)) {
          if (rule.required ?? true) fail('no matching signature');
          continue;
        }
        if ((rule.mutateDigest ?? true) && !current.includes('@')) current = `${current}@${digest}`;
      }
    }
    return current;
  });
  return { admitted: reasons.length === 0, images: result, reasons };
}
