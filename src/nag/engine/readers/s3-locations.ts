import { describe, Expression, ExpressionPart, ResourceReference, UnknownValue, Value } from '../values';

/**
 * The bucket an S3 location names, however a template writes it: `s3://bucket/key`, S3 over HTTPS (path-style, as
 * the CDK's asset `httpUrl`, or virtual-hosted), or a bucket ARN.
 */

/** The staging bucket the CDK's default synthesizer uploads file assets to: `cdk-<qualifier>-assets-<account>-<region>`. */
export const ASSET_BUCKET = /^cdk-[a-z0-9]+-assets-([^-]+)-/;

const S3_URI = /^s3:\/\/([^/]+)/i;
const S3_PATH_STYLE = /^https:\/\/s3[.-](?:[^./]+\.)?amazonaws\.com(?:\.cn)?\/([^/]+)/i;
const S3_VIRTUAL_HOSTED = /^https:\/\/(.+?)\.s3[.-](?:[^./]+\.)?amazonaws\.com(?:\.cn)?(?:\/|$)/i;
const S3_ARN = /^arn:[\w-]+:s3:::([^/]+)/i;

/** The bucket an S3 location names, if the text is one. */
export function bucketOfLocation(text: string): string | undefined {
  return (S3_URI.exec(text) ?? S3_PATH_STYLE.exec(text) ?? S3_VIRTUAL_HOSTED.exec(text) ?? S3_ARN.exec(text))?.[1];
}

/** An `s3://` location split into its bucket and key, the bucket possibly a reference or a value not known at synth time. */
export interface S3Location {
  readonly bucket: string | ResourceReference | UnknownValue;
  /** The key or key prefix, without a leading slash; undefined when part of it is known only at deploy time. */
  readonly key?: string;
}

/**
 * The bucket and key of an `s3://` URI given as text or as an {@link Expression} (`s3://` + a bucket reference +
 * `/captures`); undefined when the value is not an `s3://` URI.
 */
export function s3LocationOf(value: Value): S3Location | undefined {
  const parts: readonly ExpressionPart[] = typeof value === 'string' ? [value] : value instanceof Expression ? value.parts : [];
  const first = parts[0];
  if (typeof first !== 'string' || !/^s3:\/\//i.test(first)) return undefined;
  const bucketParts: ExpressionPart[] = [];
  const keyParts: ExpressionPart[] = [];
  let inKey = false;
  for (const part of [first.slice('s3://'.length), ...parts.slice(1)]) {
    if (inKey) {
      keyParts.push(part);
    } else if (typeof part === 'string' && part.includes('/')) {
      bucketParts.push(part.slice(0, part.indexOf('/')));
      keyParts.push(part.slice(part.indexOf('/') + 1));
      inKey = true;
    } else {
      bucketParts.push(part);
    }
  }
  const named = bucketParts.filter((p) => p !== '');
  if (named.length === 0) return undefined;
  // A bucket name built from several parts (`cdk-...-assets-` + the account) is not one bucket of the app.
  const bucket = named.length === 1 ? named[0] : new UnknownValue(`the bucket of ${describe(value)} is built at deploy time`);
  return keyParts.every((p): p is string => typeof p === 'string') ? { bucket, key: keyParts.join('') } : { bucket };
}
