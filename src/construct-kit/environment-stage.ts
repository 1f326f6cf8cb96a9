/**
 * The stage of an AI environment. Each stage is meant to live in its own AWS account, with its own keys, so that
 * development code and data cannot reach production models and data (SecureAI-P1, P3: "appropriate segregation of
 * environments holding sensitive code or data").
 */
export enum EnvironmentStage {
  /** Experiments and development; the least trusted stage. */
  DEVELOPMENT = 'development',
  /** Integration and evaluation before release. */
  TEST = 'test',
  /** Serves real users and holds real data: defaults are tightened (two AZs and two instances at least). */
  PRODUCTION = 'production',
}
