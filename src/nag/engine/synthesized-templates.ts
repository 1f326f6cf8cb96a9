import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { isPlainObject } from './values';

/** The sections of a CloudFormation template the index reads. */
export interface TemplateSections {
  readonly Resources?: Record<string, {
    readonly Type?: unknown; readonly Properties?: unknown; readonly Condition?: unknown; readonly Metadata?: unknown;
  } | undefined>;
  readonly Parameters?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
}

/**
 * The templates the CDK wrote in the synthesis a plugin runs in. They hold every resource already rendered, so
 * inside synthesis the index reads them instead of resolving each resource's tokens a second time, which would cost
 * as much as rendering the templates did. A stack whose template is not among them (a nested stack, whose template
 * is an asset, or a stack outside this synthesis) is rendered from its constructs as before.
 */
export class SynthesizedTemplates {
  private readonly paths: ReadonlySet<string>;

  /** @param templatePaths the stack templates the CDK passed to the plugin */
  public constructor(templatePaths: readonly string[]) {
    this.paths = new Set(templatePaths.map((p) => path.resolve(p)));
  }

  /** The template written for `stack` in this synthesis, parsed; undefined when there is none or it cannot be read. */
  public of(stack: Stack): TemplateSections | undefined {
    const file = path.resolve(Stage.of(stack)?.outdir ?? '.', stack.templateFile);
    if (!this.paths.has(file)) return undefined;
    try {
      const template: unknown = JSON.parse(fs.readFileSync(file, 'utf-8'));
      return isPlainObject(template) ? template as TemplateSections : undefined;
    } catch {
      return undefined;
    }
  }
}
