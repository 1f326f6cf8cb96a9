// The files of a model as the OpenSSF Model Signing format enumerates them ("files" serialization): every regular
// file under the model directory, recursively, dotfiles included, less the ignored paths; a single file is the model
// itself, named `.`. Symbolic links are refused. Files are hashed in chunks, in constant memory. Pure Node.js.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SINGLE_FILE_RESOURCE } from './model-signature';

/** Bytes read at a time. */
const CHUNK_BYTES = 1024 * 1024;

/** A model that cannot be enumerated (a symbolic link inside it). */
export class ModelFilesError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ModelFilesError';
  }
}

/** The SHA-256 (lowercase hex) of a file, read in chunks. */
export function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * The model's files, by name (relative POSIX path, or `.` for a single file), to be hashed. `ignorePaths` are
 * relative paths; each leaves out that file or directory with everything under it.
 */
export function listModelFiles(modelPath: string, ignorePaths: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const root = fs.lstatSync(modelPath);
  if (root.isSymbolicLink()) throw new ModelFilesError(`${modelPath} is a symbolic link, which the format does not allow`);
  if (root.isFile()) {
    files.set(SINGLE_FILE_RESOURCE, modelPath);
    return files;
  }
  const ignored = (name: string) => ignorePaths.some((p) => name === p || name.startsWith(`${p}/`));
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      const name = path.relative(modelPath, full).split(path.sep).join('/');
      if (ignored(name)) continue;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) throw new ModelFilesError(`${name} is a symbolic link, which the format does not allow`);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) files.set(name, full);
    }
  };
  walk(modelPath);
  return files;
}
