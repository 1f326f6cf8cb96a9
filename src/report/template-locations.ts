import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

/**
 * The 1-based line of each key directly inside the template's top-level `Resources` object.
 *
 * A small scanner rather than a search for `"LogicalId":` because the same text can appear as a key elsewhere
 * (`Outputs`, `Conditions`, a property named like a resource); the scanner tracks nesting, so it finds the
 * resource's own key whatever the formatting. JSON strings cannot hold a raw line break, so counting `\n` outside
 * strings counts lines.
 */
export function resourceKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: Array<{ readonly object: boolean; expectingKey: boolean; key?: string }> = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
    } else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectingKey) {
        const key = decode(text.slice(i, end + 1));
        top.key = key;
        top.expectingKey = false;
        if (stack.length === 2 && stack[0].key === 'Resources' && key !== undefined && !lines.has(key)) lines.set(key, line);
      }
      i = end;
    } else if (c === '{' || c === '[') {
      stack.push({ object: c === '{', expectingKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectingKey = true;
    }
  }
  return lines;
}

function decode(literal: string): string | undefined {
  try {
    return JSON.parse(literal);
  } catch {
    return undefined;
  }
}

/** Where a finding is in the synthesized templates. */
export interface TemplateLocation {
  /** The template file: relative to the cloud assembly directory (with `baseId`), or an absolute `file:` URI. */
  readonly uri: string;
  /** Set when `uri` is relative to the cloud assembly directory. */
  readonly relativeToCloudAssembly: boolean;
  /** The line of the resource's logical ID in `Resources`, when the template could be read. */
  readonly line?: number;
}

/**
 * Resolves findings' template paths to files that exist and caches each template's key lines.
 *
 * The pack records absolute paths as they were at synthesis; a cloud assembly moved since (a CI artifact unpacked
 * elsewhere) is matched by the longest tail of the recorded path that exists under the directory given.
 */
export class TemplateLocator {
  private readonly keyLines = new Map<string, Map<string, number> | undefined>();

  public constructor(private readonly cloudAssemblyDir?: string) {}

  public locate(templatePath: string | undefined, logicalId: string): TemplateLocation | undefined {
    if (!templatePath) return undefined;
    const file = this.existingFile(templatePath);
    if (!file) return undefined;
    const line = this.linesOf(file)?.get(logicalId);
    if (this.cloudAssemblyDir) {
      const relative = path.relative(this.cloudAssemblyDir, file);
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
        return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), relativeToCloudAssembly: true, line };
      }
    }
    return { uri: pathToFileURL(file).href, relativeToCloudAssembly: false, line };
  }

  private existingFile(templatePath: string): string | undefined {
    if (!this.cloudAssemblyDir) return isFile(templatePath) ? path.resolve(templatePath) : undefined;
    const direct = path.resolve(this.cloudAssemblyDir, templatePath);
    if (isFile(direct) && !path.relative(this.cloudAssemblyDir, direct).startsWith('..')) return direct;
    const parts = templatePath.split(/[\\/]+/).filter((p) => p.length > 0);
    for (let take = parts.length - 1; take >= 1; take--) {
      const candidate = path.join(this.cloudAssemblyDir, ...parts.slice(parts.length - take));
      if (isFile(candidate)) return candidate;
    }
    return undefined;
  }

  private linesOf(file: string): Map<string, number> | undefined {
    if (!this.keyLines.has(file)) {
      let lines: Map<string, number> | undefined;
      try {
        lines = resourceKeyLines(fs.readFileSync(file, 'utf-8'));
      } catch {
        lines = undefined; // unreadable: the finding keeps its file without a line
      }
      this.keyLines.set(file, lines);
    }
    return this.keyLines.get(file);
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
