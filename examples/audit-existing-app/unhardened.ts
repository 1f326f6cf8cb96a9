/**
 * The app as its team wrote it, from blog posts: a SageMaker model served behind API Gateway and a Lambda function.
 * Nothing here is hardened: default bucket encryption, no VPC, one instance, no data capture, a full-access role,
 * an open API without WAF, throttling beyond the account default or access logs. It deploys and it works; it is what
 * a security team is handed to review.
 *
 * This file does not import cdk-secure-ai: the pack is registered from outside (see app.ts), as a security team
 * would on an app it did not write.
 */
import { App, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';

/** Where the team deploys: one account, one Region. */
export const UNHARDENED_ENV = { account: '111122223333', region: 'eu-west-2' };

/** The PyTorch inference image of the AWS Deep Learning Containers, by tag, as the blog post had it. */
const INFERENCE_IMAGE = '763104351884.dkr.ecr.eu-west-2.amazonaws.com/pytorch-inference:2.1.0-cpu-py310';

/** The function in front of the endpoint: it forwards the request body and returns the model's answer. */
const INVOKE_HANDLER = `
import json, os, boto3
runtime = boto3.client('sagemaker-runtime')
def handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ['ENDPOINT_NAME'],
        ContentType='application/json',
        Body=event['body'])
    return {'statusCode': 200, 'body': response['Body'].read().decode('utf-8')}
`;

/** The fraud-scoring model, its endpoint and the REST API in front of it, in one stack. */
export class FraudScoringStack extends Stack {
  /** The REST API clients call. */
  public readonly api: apigateway.RestApi;

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Default settings: S3-managed encryption, no versioning, no TLS-only policy, no access logs.
    const modelData = new s3.Bucket(this, 'ModelData');

    const executionRole = new iam.Role(this, 'SageMakerRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerFullAccess')],
    });
    modelData.grantRead(executionRole);

    const model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: executionRole.roleArn,
      primaryContainer: {
        image: INFERENCE_IMAGE,
        modelDataUrl: modelData.s3UrlForObject('fraud-scoring/model.tar.gz'),
        environment: { SAGEMAKER_PROGRAM: 'inference.py' },
      },
    });

    const endpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: [{
        variantName: 'AllTraffic',
        modelName: model.attrModelName,
        instanceType: 'ml.m5.large',
        initialInstanceCount: 1,
        initialVariantWeight: 1,
      }],
    });
    const endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', { endpointConfigName: endpointConfig.attrEndpointConfigName });

    const invoke = new lambda.Function(this, 'InvokeFunction', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'index.handler',
      code: lambda.Code.fromInline(INVOKE_HANDLER),
      environment: { ENDPOINT_NAME: endpoint.attrEndpointName },
    });
    invoke.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: ['*'] }));

    this.api = new apigateway.LambdaRestApi(this, 'ScoringApi', { handler: invoke, proxy: false });
    this.api.root.addResource('score').addMethod('POST');
  }
}

/** Builds the unhardened app's stacks into `app`. */
export function addUnhardenedStacks(app: App): Stack[] {
  const stack = new FraudScoringStack(app, 'FraudScoring', { env: UNHARDENED_ENV });
  // The one tag the team puts on everything: enough for the bill, not for a security review.
  Tags.of(stack).add('project', 'fraud-scoring');
  return [stack];
}
