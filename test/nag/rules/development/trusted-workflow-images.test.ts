import { ifElse, imported, validate, verdictOf } from '../../harness';

const DIGEST = '@sha256:' + 'c'.repeat(64);
const APP_IMAGE = (suffix = DIGEST) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Repository', 'RepositoryUri'] }, suffix]] });
const REPOSITORY = { Type: 'AWS::ECR::Repository', Properties: { ImageTagMutability: 'IMMUTABLE' } };

/** A pipeline whose body is joined around the image, as the CDK writes a definition with a token in it. */
const pipeline = (image: unknown, stepType = 'Training') => {
  const args = stepType === 'Training'
    ? { AlgorithmSpecification: { TrainingImage: '@IMAGE@', TrainingInputMode: 'File' } }
    : { AppSpecification: { ImageUri: '@IMAGE@' } };
  const [before, after] = JSON.stringify({ Version: '2020-12-01', Steps: [{ Name: 'Step', Type: stepType, Arguments: args }] }).split('"@IMAGE@"');
  return {
    Type: 'AWS::SageMaker::Pipeline',
    Properties: {
      PipelineName: 'train',
      RoleArn: 'arn:aws:iam::111122223333:role/pipeline',
      PipelineDefinition: { PipelineDefinitionBody: { 'Fn::Join': ['', [before, '"', image, '"', after]] } },
    },
  };
};
const stateMachine = (image: unknown) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/sfn',
    DefinitionString: {
      'Fn::Join': ['', ['{"StartAt":"Prepare","States":{"Prepare":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createProcessingJob.sync",'
        + '"Parameters":{"AppSpecification":{"ImageUri":"', image, '"}},"End":true}}}']],
    },
  },
});

describe('V17 images of pipeline steps and state machine jobs come from trusted registries, pinned', () => {
  test('compliant: the app\'s repository pinned by digest, in a pipeline step and a state machine task', () => {
    const run = validate({ Resources: { Repository: REPOSITORY, Pipeline: pipeline(APP_IMAGE()), Machine: stateMachine(APP_IMAGE()) } });
    expect(run.of('V17')).toEqual([]);
    expect(run.tally('V17')).toMatchObject({ evaluated: 2, compliant: 2 });
  });

  test('non-compliant: a public image by a floating tag', () => {
    const run = validate({ Resources: { Pipeline: pipeline('docker.io/library/trainer:latest') } });
    expect(verdictOf(run, 'V17', 'Pipeline')).toBe('non-compliant');
    const finding = run.of('V17')[0];
    expect(finding).toMatchObject({ level: 'warning', locations: ['Properties.PipelineDefinition.PipelineDefinitionBody'] });
    expect(finding.message).toMatch(/Training step "Step": Arguments.AlgorithmSpecification.TrainingImage is "docker.io\/library\/trainer:latest": .*not in allowedImageRegistries/);
    const task = validate({ Resources: { Machine: stateMachine('ghcr.io/example/prep:v1') } });
    expect(verdictOf(task, 'V17', 'Machine')).toBe('non-compliant');
    expect(task.of('V17')[0].message).toMatch(/Task state "Prepare" \(sagemaker:createProcessingJob\): Parameters.AppSpecification.ImageUri/);
  });

  test('an allow-listed registry is trusted; a mutable tag still fails unless it is the registry\'s versioned tag', () => {
    const allowed = validate({ Resources: { Pipeline: pipeline('registry.example.com/ml/trainer' + DIGEST, 'Processing') } }, { allowedImageRegistries: ['registry.example.com'] });
    expect(verdictOf(allowed, 'V17', 'Pipeline')).toBe('none');
  });

  test('intrinsic: Fn::If with an unpinned branch; a pipeline parameter\'s default', () => {
    const run = validate({ Resources: { Repository: REPOSITORY, Pipeline: pipeline(ifElse(APP_IMAGE(), 'trainer:latest')) } });
    expect(verdictOf(run, 'V17', 'Pipeline')).toBe('non-compliant');
    const body = JSON.stringify({
      Version: '2020-12-01',
      Parameters: [{ Name: 'Image', Type: 'String', DefaultValue: 'quay.io/x/trainer:1' }],
      Steps: [{ Name: 'Train', Type: 'Training', Arguments: { AlgorithmSpecification: { TrainingImage: { Get: 'Parameters.Image' } } } }],
    });
    const byParameter = validate({ Resources: { Pipeline: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineName: 'p', RoleArn: 'arn:aws:iam::111122223333:role/p', PipelineDefinition: { PipelineDefinitionBody: body } } } } });
    expect(verdictOf(byParameter, 'V17', 'Pipeline')).toBe('non-compliant');
    expect(byParameter.of('V17')[0].message).toMatch(/quay.io/);
  });

  test('intrinsic: a finding names the parameters of the image, not those of the rest of the definition', () => {
    const machine = (image: unknown) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: 'arn:aws:iam::111122223333:role/sfn',
        DefinitionString: {
          'Fn::Join': ['', ['{"StartAt":"Prepare","States":{"Prepare":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createProcessingJob.sync",'
            + '"Parameters":{"ProcessingOutputConfig":{"Outputs":[{"S3Output":{"S3Uri":"s3://', { Ref: 'Bucket' }, '/out"}}]},'
            + '"AppSpecification":{"ImageUri":"', image, '"}},"End":true}}}']],
        },
      },
    });
    const parameters = { Bucket: { Default: 'data' }, Image: { Default: 'ghcr.io/example/prep:v1' } };
    expect(validate({ Parameters: parameters, Resources: { Machine: machine('ghcr.io/example/prep:v1') } }).of('V17')[0].message).not.toMatch(/parameter/);
    expect(validate({ Parameters: parameters, Resources: { Machine: machine({ Ref: 'Image' }) } }).of('V17')[0].message)
      .toMatch(/\(with the value of parameter Image\)$/);
  });

  test('non-compliant: the serving image of a model a pipeline creates or registers, or a state machine creates', () => {
    const body = (steps: unknown[]) => JSON.stringify({ Version: '2020-12-01', Steps: steps });
    const pipelineOf = (steps: unknown[]) => ({ Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineName: 'p', RoleArn: 'arn:aws:iam::111122223333:role/p', PipelineDefinition: { PipelineDefinitionBody: body(steps) } } });
    const created = validate({ Resources: { Pipeline: pipelineOf([{ Name: 'Create', Type: 'Model', Arguments: { ExecutionRoleArn: 'r', PrimaryContainer: { Image: 'docker.io/library/server:latest' } } }]) } });
    expect(verdictOf(created, 'V17', 'Pipeline')).toBe('non-compliant');
    expect(created.of('V17')[0].message).toMatch(/Model step "Create": Arguments.PrimaryContainer.Image is "docker.io\/library\/server:latest"/);
    const registered = validate({ Resources: { Pipeline: pipelineOf([{ Name: 'Register', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'g', InferenceSpecification: { Containers: [{ Image: 'ghcr.io/x/server:v1' }] } } }]) } });
    expect(verdictOf(registered, 'V17', 'Pipeline')).toBe('non-compliant');
    expect(registered.of('V17')[0].message).toMatch(/RegisterModel step "Register": Arguments.InferenceSpecification.Containers\[0\].Image/);
    const task = validate({
      Resources: {
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            RoleArn: 'arn:aws:iam::111122223333:role/sfn',
            DefinitionString: '{"StartAt":"M","States":{"M":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createModel",'
              + '"Parameters":{"ModelName":"m","ExecutionRoleArn":"r","Containers":[{"Image":"public.ecr.aws/x/server:latest"}]},"End":true}}}',
          },
        },
      },
    });
    expect(verdictOf(task, 'V17', 'Machine')).toBe('non-compliant');
    expect(task.of('V17')[0].message).toMatch(/Task state "M" \(sagemaker:createModel\): Parameters.Containers\[0\].Image/);
    // A model step from a model package names no image of its own.
    const fromPackage = validate({ Resources: { Pipeline: pipelineOf([{ Name: 'Create', Type: 'Model', Arguments: { PrimaryContainer: { ModelPackageName: 'arn:aws:sagemaker:eu-west-2:111122223333:model-package/g/1' } } }]) } });
    expect(fromPackage.of('V17')).toEqual([]);
    const pinned = validate({ Resources: { Repository: REPOSITORY, Pipeline: pipelineOf([{ Name: 'Create', Type: 'Model', Arguments: { PrimaryContainer: { Image: '111122223333.dkr.ecr.eu-west-2.amazonaws.com/server' + DIGEST } } }]) } },
      { allowedImageRegistries: ['111122223333.dkr.ecr.eu-west-2.amazonaws.com'] });
    expect(pinned.of('V17')).toEqual([]);
  });

  test('unverifiable: an imported image, an image from the state\'s input, a definition in S3', () => {
    expect(verdictOf(validate({ Resources: { Machine: stateMachine(imported('image')) } }), 'V17', 'Machine')).toBe('unverifiable');
    const fromInput = validate({
      Resources: {
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            RoleArn: 'arn:aws:iam::111122223333:role/sfn',
            DefinitionString: '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob.sync",'
              + '"Parameters":{"AlgorithmSpecification":{"TrainingImage.$":"$.image"}},"End":true}}}',
          },
        },
      },
    });
    expect(verdictOf(fromInput, 'V17', 'Machine')).toBe('unverifiable');
    const s3 = validate({ Resources: { Pipeline: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineName: 'p', RoleArn: 'r', PipelineDefinition: { PipelineDefinitionS3Location: { Bucket: 'b', Key: 'k' } } } } } });
    expect(verdictOf(s3, 'V17', 'Pipeline')).toBe('unverifiable');
  });

  test('not applicable: state machines without SageMaker jobs, training by algorithm name', () => {
    const plain = validate({ Resources: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: 'r', DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' } } } });
    expect(plain.of('V17')).toEqual([]);
    const byName = JSON.stringify({ Version: '2020-12-01', Steps: [{ Name: 'T', Type: 'Training', Arguments: { AlgorithmSpecification: { AlgorithmName: 'arn:aws:sagemaker:eu-west-2:111122223333:algorithm/x' } } }] });
    const run = validate({ Resources: { Pipeline: { Type: 'AWS::SageMaker::Pipeline', Properties: { PipelineName: 'p', RoleArn: 'r', PipelineDefinition: { PipelineDefinitionBody: byName } } } } });
    expect(run.of('V17')).toEqual([]);
  });

  test('malformed values never throw', () => {
    const run = validate({ Resources: { Pipeline: pipeline({ nested: [1, 2] }), Machine: stateMachine(42) } });
    expect(run.tally('V17').errors).toBe(0);
  });
});
