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
