import * as fs from 'fs';
import * as path from 'path';

/** The name the report tool gives itself in SARIF and JSON output. */
export const TOOL_NAME = 'cdk-secure-ai';

interface PackageFacts {
  readonly version: string;
  readonly repositoryUrl: string;
}

let facts: PackageFacts | undefined;

/**
 * Version and repository of this package, read from its package.json so releases need no second place to bump.
 * The file sits one level up from both src/ (tests) and lib/ (the published package).
 */
function packageFacts(): PackageFacts {
  if (!facts) {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));
    const repository: string = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url ?? '';
    facts = {
      version: String(manifest.version ?? '0.0.0'),
      repositoryUrl: repository.replace(/^git\+/, '').replace(/\.git$/, ''),
    };
  }
  return facts;
}

/** The version of this package. */
export function toolVersion(): string {
  return packageFacts().version;
}

/** The repository's web address, without `.git`: https://github.com/maintainers/cdk-secure-ai */
export function repositoryUrl(): string {
  return packageFacts().repositoryUrl;
}
