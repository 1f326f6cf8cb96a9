#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FraudScoringStack } from '../lib/fraud-scoring-stack';
import { FailOn, SecureAiChecks } from 'cdk-secure-ai';

const app = new App();
new FraudScoringStack(app, 'FraudScoring', {
  // Without env the stack is environment-agnostic and synthesizes without AWS credentials. With env, the CDK looks up
  // the Region's Availability Zones once and caches them in cdk.context.json: commit that file.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// SecureAiChecks judges the AI resources and what they use; AwsSolutions covers the rest of the app.
Validations.of(app).addPlugins(new SecureAiChecks({ failOn: FailOn.WARNING }), new AwsSolutionsChecks());
