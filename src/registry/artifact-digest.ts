// SHA-256 over a model artifact read as a stream, in constant memory whatever the artifact's size. Pure Node.js:
// the signing step and the deploy-time gate bundle it.
import { createHash } from 'crypto';

/** The SHA-256 digest (lowercase hex) of everything the stream yields. */
export async function sha256OfStream(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}
