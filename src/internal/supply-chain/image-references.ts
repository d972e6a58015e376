import { parseImageReference } from '../workload/image';

/**
 * An image as Kyverno matches it against `imageReferences`: registry (docker.io when the
 * reference names none), repository path, then `@digest` when it has one, else `:tag` (`latest`
 * when none).
 * @see https://github.com/kyverno/kyverno/blob/main/pkg/utils/image/infos.go (ImageInfo.String)
 */
export function kyvernoImageString(image: string): string {
  const parsed = parseImageReference(image);
  if (typeof parsed === 'string') return image;
  const first = parsed.repository.split('/')[0];
  const hasRegistry = parsed.repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const name = hasRegistry ? parsed.repository : `docker.io/${parsed.repository}`;
  return parsed.digest ? `${name}@${parsed.digest}` : `${name}:${parsed.tag ?? 'latest'}`;
}

/**
 * Whether a Kyverno `imageReferences` pattern matches an image string: `*` any characters
 * (including `/`), `?` one character, everything else itself.
 * @see https://kyverno.io/docs/policy-types/cluster-policy/verify-images/ ("Wildcards ('*' and '?') are allowed")
 */
export function globMatches(pattern: string, image: string): boolean {
  const regex = pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`).test(image);
}
