import * as fs from 'fs';
import * as path from 'path';

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
  /** The template file relative to the cloud assembly directory, as a URI reference (`assembly-Prod/ProdServe.template.json`). */
  readonly uri: string;
  /** The line of the resource's logical ID in `Resources`, when the template could be read. */
  readonly line?: number;
}

/**
 * Locates findings in the cloud assembly's templates, reading each template once for the lines of its logical IDs.
 * The pack records template paths relative to the cloud assembly directory, so a moved cdk.out (a CI artifact
 * unpacked elsewhere) is read the same.
 */
export class TemplateLocator {
  private readonly keyLines = new Map<string, Map<string, number> | undefined>();

  public constructor(private readonly cloudAssemblyDir: string) {}

  public locate(templatePath: string | undefined, logicalId: string): TemplateLocation | undefined {
    if (!templatePath) return undefined;
    const file = path.resolve(this.cloudAssemblyDir, templatePath);
    const relative = path.relative(this.cloudAssemblyDir, file);
    // Outside the cloud assembly (an absolute path of an older pack, in a cdk.out since moved): no location to give.
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), line: this.linesOf(file)?.get(logicalId) };
  }

  private linesOf(file: string): Map<string, number> | undefined {
    if (!this.keyLines.has(file)) {
      let lines: Map<string, number> | undefined;
      try {
        lines = resourceKeyLines(fs.readFileSync(file, 'utf-8'));
      } catch {
        lines = undefined; // missing or unreadable (templates left out of an artifact): the finding keeps its file without a line
      }
      this.keyLines.set(file, lines);
    }
    return this.keyLines.get(file);
  }
}
