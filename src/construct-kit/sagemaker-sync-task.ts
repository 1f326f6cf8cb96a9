import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The SageMaker jobs a state machine runs with a `.sync` task: `sagemaker:create<Kind>Job.sync`. */
export type SageMakerJobKind = 'Training' | 'Processing';

/**
 * What a state machine's role needs to run a `sagemaker:create<Kind>Job.sync` task, and no more: the job actions on
 * the jobs of `jobNamePrefix` only, passing `role` to SageMaker only, and the event rule Step Functions manages to
 * learn when a job of that kind ends (`StepFunctionsGetEventsForSageMaker<Kind>JobsRule`).
 */
export function sageMakerSyncTaskStatements(scope: IConstruct, kind: SageMakerJobKind, jobNamePrefix: string,
  role: iam.IRole): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const jobs = stack.formatArn({ service: 'sagemaker', resource: `${kind.toLowerCase()}-job`, resourceName: `${jobNamePrefix}-*` });
  return [
    new iam.PolicyStatement({
      actions: [`sagemaker:Create${kind}Job`, `sagemaker:Describe${kind}Job`, `sagemaker:Stop${kind}Job`, 'sagemaker:ListTags'],
      resources: [jobs],
    }),
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: `StepFunctionsGetEventsForSageMaker${kind}JobsRule` })],
    }),
  ];
}
