/**
 * How the security team runs the pack over either variant: build the variant's stacks into the app, then register
 * SecureAiChecks on the app. app.ts (the entry `npx cdk synth` runs) and the example's test both go through here,
 * so the test checks exactly what the entry synthesizes.
 */
import { App, Validations } from 'aws-cdk-lib';
import { addFixedStacks } from './fixed';
import { addUnhardenedStacks } from './unhardened';
import { FailOn, SecureAiChecks } from 'cdk-secure-ai';

/** The variants of the example, by the value of the `variant` context key. */
export enum Variant {
  /** The app as its team wrote it. */
  UNHARDENED = 'unhardened',
  /** The same app rebuilt from cdk-secure-ai's constructs. */
  FIXED = 'fixed',
}

interface VariantDefinition {
  readonly build: (app: App) => void;
  /** What fails synthesis. */
  readonly failOn: FailOn;
}

const VARIANTS: Record<Variant, VariantDefinition> = {
  // Warn-only: the first run over an app nobody hardened reports everything and blocks nothing.
  [Variant.UNHARDENED]: { build: addUnhardenedStacks, failOn: FailOn.NONE },
  // Once hardened, the pack guards it: any new finding, warning or error, fails synthesis.
  [Variant.FIXED]: { build: addFixedStacks, failOn: FailOn.WARNING },
};

/** Reads the `variant` context key of `app`; unhardened when it is not set. */
export function variantOf(app: App): Variant {
  const value: unknown = app.node.tryGetContext('variant') ?? Variant.UNHARDENED;
  const known = Object.values(Variant) as string[];
  if (typeof value !== 'string' || !known.includes(value)) {
    throw new Error(`audit-existing-app: context \`variant\` is ${JSON.stringify(value)}, but it must be one of ${known.join(', ')}. ` +
      `Run \`npx cdk synth -c variant=${known[known.length - 1]}\`, or leave it out for ${Variant.UNHARDENED}.`);
  }
  return value as Variant;
}

/** Builds `variant` into `app` and registers the SecureAI pack on the whole app. */
export function buildAuditedApp(app: App, variant: Variant): void {
  const definition = VARIANTS[variant];
  definition.build(app);
  Validations.of(app).addPlugins(new SecureAiChecks({ failOn: definition.failOn }));
}
