/**
 * What the development and production accounts agree on about the model, by name rather than by reference: CDK cannot
 * reference a resource of another account, so each side builds the other's names and ARNs from these constants.
 */
export const FRAUD_MODEL = {
  /** The team accountable for the model in both accounts (the `Owner` tag). */
  owner: 'fraud-ml-team',
  /** The model package group in the development account's registry: production deploys versions of it. */
  modelPackageGroupName: 'fraud-scoring',
  /** The ECR repository of the training and serving image, in the development account. */
  imageRepositoryName: 'fraud-scoring',
  /** The training data the model is trained on, and the digest the training pipeline verifies before training. */
  trainingDataKey: 'fraud/2026-11/train.csv',
  trainingDataSha256: '5f2b8a3c9d4e1f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e',
  /** Where a reviewer finds the threat model of the system (SecureAI-D1). */
  threatModel: 'https://wiki.example.com/ai/fraud-scoring/threat-model',
} as const;
