#!/usr/bin/env node
/**
 * The generative-AI assistant app: the assistant stack with SecureAiChecks, cdk-nag's AwsSolutions, NIST 800-53 R5,
 * HIPAA and PCI DSS packs and the Control Tower guard rules registered. It synthesizes with zero unacknowledged findings.
 *
 *   npx cdk synth --no-notices            (from this folder, offline)
 *
 * Deployment settings come from context (cdk.json or `-c key=value`): account, region, imageDigest, discoveryUrl,
 * clientId, toolCodeKey, toolCodeVersion.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { GenerativeAiAssistantStack } from './assistant-stack';
import { SecureAiChecks } from 'cdk-secure-ai';

/** Builds the assistant into `app` from its context. */
export function buildAssistant(app: App): GenerativeAiAssistantStack {
  const context = (key: string, fallback: string): string => String(app.node.tryGetContext(key) ?? fallback);
  return new GenerativeAiAssistantStack(app, 'CustomerAssistant', {
    env: { account: context('account', '111111111111'), region: context('region', 'eu-west-2') },
    imageDigest: context('imageDigest', `sha256:${'7e'.repeat(32)}`),
    discoveryUrl: context('discoveryUrl', 'https://login.example.com/.well-known/openid-configuration'),
    clientId: context('clientId', 'customer-web'),
    toolCodeKey: context('toolCodeKey', 'order-tools/1.4.2/signed.zip'),
    toolCodeVersion: context('toolCodeVersion', 'Tz2uL1c6xXbIkc9Zxq0Hq2uPp8cH3k1r'),
  });
}

/** Registers every pack the assistant is held to. */
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
  buildAssistant(app);
  app.synth();
}
