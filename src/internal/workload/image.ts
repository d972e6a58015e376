import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/** A parsed, pinned container image reference. */
export interface ImageReference {
  /** Registry and repository, e.g. `ghcr.io/acme/web`. */
  readonly repository: string;
  /** The tag, when the reference has one. */
  readonly tag?: string;
  /** The digest (`sha256:…`), when the reference has one. */
  readonly digest?: string;
}

const REPOSITORY = /^[a-z0-9]+([._-]+[a-z0-9]+|__[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+|__[a-z0-9]+)*)*$/;
const REGISTRY = /^(localhost|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+|\[[0-9a-fA-F:]+\])(:[0-9]+)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Parses an image reference `[registry/]repository[:tag][@sha256:digest]` into its parts,
 * or returns a sentence saying what is wrong with it.
 */
export function parseImageReference(value: string): ImageReference | string {
  if (typeof value !== 'string' || value.trim() === '') return 'an image reference is required';
  const [nameAndTag, digest, ...extra] = value.split('@');
  if (extra.length > 0) return 'an image reference has at most one \'@\'';
  if (digest !== undefined && !DIGEST.test(digest)) return 'the digest must be "sha256:" followed by 64 lowercase hex characters';
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const repository = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;
  const parts = repository.split('/');
  const path = parts.length > 1 && REGISTRY.test(parts[0]) ? parts.slice(1).join('/') : repository;
  if (!REPOSITORY.test(path)) return `the repository ${JSON.stringify(repository)} is not a valid image name (lowercase letters, digits and separators)`;
  if (tag !== undefined && !TAG.test(tag)) return `the tag ${JSON.stringify(tag)} is not a valid tag`;
  return { repository, tag, digest };
}

/**
 * Words that name a moving channel rather than a release: a tag containing one (`latest`,
 * `lts-alpine3.19`, `mainline-alpine`, `1.2-SNAPSHOT`) is re-pointed as new releases come out.
 */
const FLOATING_WORDS = ['latest', 'stable', 'mainline', 'edge', 'nightly', 'dev', 'develop', 'main', 'master', 'lts', 'current', 'snapshot', 'head', 'trunk'];

/** The pinning rule, as error messages state it. */
const PINNED_TAG_RULE = 'a pinned tag names a release: it contains a digit (so "alpine", "stable" or "mainline" alone float, like "latest") '
  + `and no channel word (${FLOATING_WORDS.map(w => JSON.stringify(w)).join(', ')}, e.g. "lts-alpine3.19")`;

/** Why `tag` floats (moves to new releases), or undefined when it names a release. */
function floatingTagReason(tag: string): string | undefined {
  const word = tag.toLowerCase().split(/[-._]/).find(w => FLOATING_WORDS.includes(w));
  if (word !== undefined) return `the tag ${JSON.stringify(tag)} names the channel ${JSON.stringify(word)}, which moves to each new release`;
  if (!/[0-9]/.test(tag)) return `the tag ${JSON.stringify(tag)} has no version number, so it moves to each new release like "latest"`;
  return undefined;
}

/**
 * Validates that `value` is a pinned image: a digest, or a tag that names a release (see
 * {@link PINNED_TAG_RULE}).
 */
export function checkPinnedImage(scope: IConstruct, prop: string, value: string): ImageReference {
  const parsed = parseImageReference(value);
  const example = 'e.g. "ghcr.io/acme/web:1.4.2" or "ghcr.io/acme/web@sha256:<64 hex>"';
  if (typeof parsed === 'string') throw propError(scope, prop, value, `${parsed}; expected a pinned image reference, ${example}`);
  if (parsed.digest === undefined && parsed.tag === undefined) {
    throw propError(scope, prop, value, `the image is not pinned: add a version tag or a digest, ${example}`);
  }
  const floating = parsed.digest === undefined ? floatingTagReason(parsed.tag!) : undefined;
  if (floating !== undefined) {
    throw propError(scope, prop, value, `${floating} and is not allowed (${PINNED_TAG_RULE}): pin a version tag or a digest, ${example}`);
  }
  return parsed;
}

/**
 * The `app.kubernetes.io/version` label value for an image: its tag, or the first 12 hex
 * characters of its digest, trimmed to a valid label value.
 */
export function imageVersionLabel(image: ImageReference): string {
  const raw = image.tag ?? (image.digest ?? '').replace('sha256:', '').slice(0, 12);
  return raw.slice(0, 63).replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}
