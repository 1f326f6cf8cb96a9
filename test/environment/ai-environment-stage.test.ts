import { App, Stack } from 'aws-cdk-lib';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';

describe('AiEnvironmentStage', () => {
  test('environments inside take its stage', () => {
    const stage = new AiEnvironmentStage(new App(), 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111', region: 'us-east-1' } });
    const env = new AiEnvironment(new Stack(stage, 'S'), 'Env', { owner: 'ml', maxAzs: 1 });
    expect(env.stage).toBe(EnvironmentStage.DEVELOPMENT);
  });

  test('an environment declaring another stage throws', () => {
    const stage = new AiEnvironmentStage(new App(), 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => new AiEnvironment(new Stack(stage, 'S'), 'Env', { owner: 'ml', stage: EnvironmentStage.PRODUCTION }))
      .toThrow(/stage 'production' differs from the enclosing AiEnvironmentStage's 'development'.*Fix/);
  });

  test('env.account is required, and development and production cannot share it', () => {
    const app = new App();
    expect(() => new AiEnvironmentStage(app, 'NoAccount', { environmentStage: EnvironmentStage.PRODUCTION }))
      .toThrow(/env\.account must be a 12-digit AWS account ID, got nothing.*Fix/);
    new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: '111111111111' } });
    expect(() => new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: '111111111111' } }))
      .toThrow(/account 111111111111 is already the development account/);
  });
});
