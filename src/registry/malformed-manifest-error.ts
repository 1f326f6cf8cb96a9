// Its own module, outside the jsii API: jsii cannot export a class that extends Error.

/** A manifest that cannot be read: the message names the field. */
export class MalformedManifestError extends Error {
  public constructor(problem: string) {
    super(`malformed artifact manifest: ${problem}`);
    this.name = 'MalformedManifestError';
  }
}
