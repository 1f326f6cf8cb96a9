import { Stage, StageProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { guardCrossStageGrants } from './cross-stage-guard';
import { EnvironmentStage } from '../construct-kit/environment-stage';
import { markEnvironment } from '../construct-kit/stage-segregation';

/** Properties of an {@link AiEnvironmentStage}. */
export interface AiEnvironmentStageProps extends StageProps {
  /** Which stage this is: every AiEnvironment inside takes it, and grants across stages throw. */
  readonly environmentStage: EnvironmentStage;
}

/**
 * A CDK Stage for one environment stage, deployed to its own AWS account: development, test and production land in
 * different accounts with different keys. `env.account` is required and two stages of different kinds may not share
 * an account. Keys and buckets created inside refuse, at synth time, `grant*` calls for principals of another stage
 * (constructs of another AiEnvironmentStage, or principals of its account).
 *
 * Supports SecureAI-P1 and P3's "appropriate segregation of environments holding sensitive code or data" at the
 * account level (docs/CONSTRUCTS.md).
 */
export class AiEnvironmentStage extends Stage {
  /** The environment stage. */
  public readonly environmentStage: EnvironmentStage;

  public constructor(scope: Construct, id: string, props: AiEnvironmentStageProps) {
    const account = props.env?.account;
    if (account === undefined || Token.isUnresolved(account) || !/^\d{12}$/.test(account)) {
      throw new Error(`AiEnvironmentStage ${id}: env.account must be a 12-digit AWS account ID, got ${account ?? 'nothing'}. `
        + `Fix: give the account of the ${props.environmentStage} environment; each stage needs its own account so that its `
        + 'keys and data are segregated.');
    }
    super(scope, id, props);
    this.environmentStage = props.environmentStage;
    markEnvironment(this, { stage: props.environmentStage, account, declaredAt: this.node.path });
    guardCrossStageGrants(this);
  }
}
