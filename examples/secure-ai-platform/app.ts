/**
 * The example app of the Quick start: a SageMaker inference deployment with SecureAiChecks registered.
 *
 * `npx projen synth:example` synthesizes it into cdk.out/ and prints the pack's report. The library's own
 * constructs (AiEnvironment, InferenceEndpoint, ...) will replace the hand-written resources below as they land.
 */
import { App, Duration, RemovalPolicy, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { SecureAiChecks } from '../../src';

/** An isolated, encrypted, captured SageMaker endpoint serving one model. */
export class InferenceStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // What the pack asks every AI stack to declare: its threat model, risk owner and criticality (D1), and the
    // classification, owner and environment of its assets (V13).
    for (const [key, value] of Object.entries({
      'ai:threat-model': 'https://wiki.example.com/ai/fraud-scoring/threat-model',
      'ai:risk-owner': 'head-of-fraud-risk',
      'ai:criticality': 'high',
      'DataClassification': 'confidential',
      'Owner': 'ml-platform',
      'Environment': 'prod',
    })) {
      Tags.of(this).add(key, value);
    }

    const key = new kms.Key(this, 'DataKey', {
      description: 'Model artifacts, endpoint storage and captured inference data',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const securityGroup = new ec2.SecurityGroup(this, 'ModelSecurityGroup', { vpc, allowAllOutbound: false, description: 'Model containers: no ingress' });

    const bucketProps: s3.BucketProps = {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const artifacts = new s3.Bucket(this, 'ModelArtifacts', {
      ...bucketProps,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(365)),
    });
    const capture = new s3.Bucket(this, 'DataCapture', {
      ...bucketProps,
      lifecycleRules: [{ expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(30) }],
    });

    const role = new iam.Role(this, 'ModelRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    artifacts.grantRead(role);
    key.grantDecrypt(role);

    const model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: role.roleArn,
      enableNetworkIsolation: true,
      vpcConfig: {
        subnets: vpc.isolatedSubnets.map((s) => s.subnetId),
        securityGroupIds: [securityGroup.securityGroupId],
      },
      primaryContainer: {
        image: `${this.account}.dkr.ecr.${this.region}.amazonaws.com/fraud-model@sha256:${'0'.repeat(64)}`,
        modelDataUrl: artifacts.s3UrlForObject('fraud/model.tar.gz'),
      },
    });

    const config = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      kmsKeyId: key.keyArn,
      productionVariants: [{
        variantName: 'primary',
        modelName: model.attrModelName,
        instanceType: 'ml.m5.large',
        initialInstanceCount: 2,
      }],
      dataCaptureConfig: {
        enableCapture: true,
        initialSamplingPercentage: 100,
        destinationS3Uri: capture.s3UrlForObject('capture'),
        kmsKeyId: key.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      },
    });

    new sagemaker.CfnEndpoint(this, 'Endpoint', { endpointConfigName: config.attrEndpointConfigName });
  }
}

const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
new InferenceStack(app, 'SecureAiPlatform');
Validations.of(app).addPlugins(new SecureAiChecks());
app.synth();
