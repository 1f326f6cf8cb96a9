#!/usr/bin/env node
/**
 * The reference secure AI platform app: the platform stack with SecureAiChecks, cdk-nag's AwsSolutions, NIST 800-53
 * R5, HIPAA and PCI DSS packs and the Control Tower guard rules registered. It synthesizes with zero unacknowledged
 * findings; every acknowledgment in the library's constructs carries its reason.
 *
 *   npx cdk synth --no-notices            (from this folder)
 *   npx projen synth:example              (from the repository root: also prints the summary and writes the reports)
 *
 * Deployment settings come from context (cdk.json or `-c key=value`): account, region, modelPackageVersion, imageDigest,
 * s3PrefixListId.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { SecureAiPlatformStack } from './platform-stack';
import { SecureAiChecks } from 'cdk-secure-ai';

/** Builds the platform into `app` from its context. */
export function buildPlatform(app: App): SecureAiPlatformStack {
  const context = (key: string, fallback: string): string => String(app.node.tryGetContext(key) ?? fallback);
  return new SecureAiPlatformStack(app, 'SecureAiPlatform', {
    env: { account: context('account', '111111111111'), region: context('region', 'eu-west-2') },
    modelPackageVersion: Number(context('modelPackageVersion', '1')),
    imageDigest: context('imageDigest', `sha256:${'4c'.repeat(32)}`),
    s3PrefixListId: context('s3PrefixListId', 'pl-7ca54015'),
  });
}

/** Registers every pack the platform is held to. */
export function registerPacks(app: App): void {
  Validations.of(app).addPlugins(
    new SecureAiChecks(),
    new AwsSolutionsChecks(),
    new NIST80053R5Checks(),
    new HIPAASecurityChecks(),
    new PCIDSS321Checks(),
    new CfnGuardValidator(),
  );
}

if (require.main === module) {
  const app = new App({ context: { '@aws-cdk/core:validationReportJson': true } });
  registerPacks(app);
  buildPlatform(app);
  app.synth();
}
