// Where things live in a registry's artifact store. Pure Node.js: the signing step and the gate bundle this file.

/** The prefix of the content-addressed, write-once copies the signing step registers. */
export const VERIFIED_PREFIX = 'verified/';
/** The prefix of monitoring baselines, by the digest of the model they describe. */
export const BASELINES_PREFIX = 'baselines/';

/** The registered copy of a model artifact: `verified/<sha256>/model.tar.gz`. */
export function verifiedArtifactKey(sha256: string): string {
  return `${VERIFIED_PREFIX}${sha256}/model.tar.gz`;
}

/** The OpenSSF Model Signing bundle beside an artifact: `<artifact key>.sig`. */
export function signatureKeyOf(artifactKey: string): string {
  return `${artifactKey}.sig`;
}

/** The signed provenance of one training run of the artifact: `verified/<sha256>/provenance/<job>.sig`. */
export function provenanceKeyOf(sha256: string, trainingJobName: string): string {
  return `${VERIFIED_PREFIX}${sha256}/provenance/${trainingJobName}.sig`;
}

/** `verified/<64 hex>/<file>`: the only artifact keys an endpoint deploys. Group 1 is the digest. */
export const VERIFIED_ARTIFACT_KEY = /^verified\/([0-9a-f]{64})\/[^/]+$/;
