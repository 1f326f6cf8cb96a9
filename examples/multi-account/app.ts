#!/usr/bin/env node
/**
 * The multi-account app: a delivery pipeline in the tooling account that deploys a development stage (training,
 * registry, image repository) and, after a manual approval, a production stage (the approved model package, served
 * through an API). SecureAiChecks, cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA and PCI DSS packs and the Control
 * Tower guard rules are registered over the whole app, the stages included.
 *
 *   npx cdk synth --no-notices            (from this folder, offline)
 *
 * Settings come from context (cdk.json or `-c key=value`); see README.md for each one and where it comes from.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { FRAUD_MODEL } from './fraud-model';
import { DeliveryPipelineStack } from './pipeline-stack';
import { RegistryReference } from './production-stage';
import { SecureAiChecks } from 'cdk-secure-ai';

/** The example accounts and Region, used when the context does not name others. */
export const DEFAULT_ACCOUNTS = {
  toolingAccount: '111111111111',
  developmentAccount: '222222222222',
  productionAccount: '333333333333',
  region: 'eu-west-2',
} as const;

/**
 * The development registry as production knows it. The group and repository ARNs follow from the development account
 * and the fixed names; the bucket name and key IDs are generated when the development stack is first deployed, so
 * their defaults are placeholders in the development account, to be replaced with that stack's outputs.
 */
export function defaultRegistryReference(developmentAccount: string, region: string): RegistryReference {
  return {
    modelPackageGroupArn: `arn:aws:sagemaker:${region}:${developmentAccount}:model-package-group/${FRAUD_MODEL.modelPackageGroupName}`,
    artifactBucketName: `development-models-registryartifacts-${developmentAccount}`,
    artifactKeyArn: `arn:aws:kms:${region}:${developmentAccount}:key/0a1b2c3d-0000-4000-8000-00000000a71f`,
    signingKeyArn: `arn:aws:kms:${region}:${developmentAccount}:key/0a1b2c3d-0000-4000-8000-0000000051a9`,
    imageRepositoryArn: `arn:aws:ecr:${region}:${developmentAccount}:repository/${FRAUD_MODEL.imageRepositoryName}`,
    trainingDataBucketName: `development-models-trainingdata-${developmentAccount}`,
  };
}

/** Builds the app's one top-level stack, the pipeline (which holds both stages), from the app's context. */
export function buildMultiAccount(app: App): DeliveryPipelineStack {
  const context = (key: string, fallback: string): string => String(app.node.tryGetContext(key) ?? fallback);
  const region = context('region', DEFAULT_ACCOUNTS.region);
  const toolingAccount = context('toolingAccount', DEFAULT_ACCOUNTS.toolingAccount);
  const developmentAccount = context('developmentAccount', DEFAULT_ACCOUNTS.developmentAccount);
  const productionAccount = context('productionAccount', DEFAULT_ACCOUNTS.productionAccount);
  const imageDigest = context('imageDigest', `sha256:${'4c'.repeat(32)}`);
  const registry = defaultRegistryReference(developmentAccount, region);

  return new DeliveryPipelineStack(app, 'Tooling', {
    env: { account: toolingAccount, region },
    source: {
      repository: context('repository', 'maintainers/cdk-secure-ai'),
      branch: context('branch', 'main'),
      connectionArn: context('connectionArn', `arn:aws:codestar-connections:${region}:${toolingAccount}:connection/7d3f1c2e-8a4b-4e6f-9c1d-2b5a7e9f0c34`),
    },
    development: {
      env: { account: developmentAccount, region },
      productionAccount,
      imageDigest,
      s3PrefixListId: context('s3PrefixListId', 'pl-7ca54015'),
    },
    production: {
      env: { account: productionAccount, region },
      registry: {
        modelPackageGroupArn: context('registryGroupArn', registry.modelPackageGroupArn),
        artifactBucketName: context('registryArtifactBucketName', registry.artifactBucketName),
        artifactKeyArn: context('registryArtifactKeyArn', registry.artifactKeyArn),
        signingKeyArn: context('registrySigningKeyArn', registry.signingKeyArn),
        imageRepositoryArn: context('imageRepositoryArn', registry.imageRepositoryArn),
        trainingDataBucketName: context('trainingDataBucketName', registry.trainingDataBucketName),
      },
      modelPackageVersion: Number(context('modelPackageVersion', '1')),
      imageDigest,
      s3PrefixListId: context('s3PrefixListId', 'pl-7ca54015'),
    },
  });
}

/** Registers every pack the app is held to; they check the stages' stacks too. */
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
  buildMultiAccount(app);
  app.synth();
}
