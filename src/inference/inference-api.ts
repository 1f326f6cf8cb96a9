import { Annotations, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { InferenceApiAuthorization } from './inference-api-authorization';
import { InferenceApiWebAcl, MAX_INSPECTABLE_BODY } from './inference-api-web-acl';
import { IInferenceEndpointRef } from './inference-endpoint-ref';
import { libraryConstruct } from '../construct-kit/library-construct';
import { retainedLogGroup } from '../construct-kit/log-group';
import { acknowledgeRules } from '../construct-kit/pack-acknowledgments';
import { assertSameEnvironment } from '../construct-kit/stage-segregation';
import { invalidProp, ownerName, PropOwner, requireLogRetention } from '../construct-kit/validation';
import type { AiEnvironment } from '../environment/ai-environment';
import { servicePrincipalOfThisAccount, ServiceSource } from '../environment/service-trust';

/** Explicit defaults, each a bound a caller can raise with a prop. */
const DEFAULT_RATE_LIMIT = 10;
const DEFAULT_BURST_LIMIT = 20;
const DEFAULT_MAX_BODY_BYTES = 8192;
const DEFAULT_QUOTA: apigateway.QuotaSettings = { limit: 10_000, period: apigateway.Period.DAY };
/** AWS WAF's bounds on a rate-based rule's limit. */
const WAF_RATE_LIMIT_MIN = 10;
const WAF_RATE_LIMIT_MAX = 2_000_000_000;

/** Rule IDs of the generic packs that this construct acknowledges, with the reasons given where they are. */
const ACKNOWLEDGED = {
  cognitoAuthorizer: ['AwsSolutions-COG4'],
  cache: ['NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', 'HIPAA.Security-APIGWCacheEnabledAndEncrypted', 'PCI.DSS.321-APIGWCacheEnabledAndEncrypted'],
  clientCertificate: ['NIST.800.53.R5-APIGWSSLEnabled', 'HIPAA.Security-APIGWSSLEnabled', 'PCI.DSS.321-APIGWSSLEnabled'],
  cloudWatchRole: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]'],
} as const;

/** Properties of an {@link InferenceApi}. */
export interface InferenceApiProps {
  /**
   * The environment the API belongs to: its log key encrypts the API's logs and its stage names the API stage and
   * sets the floor on log retention.
   */
  readonly environment: AiEnvironment;
  /** The SageMaker endpoint the API calls; the integration role may invoke this endpoint and nothing else. */
  readonly endpoint: IInferenceEndpointRef;
  /**
   * Who may call the API. There is no "none": an open AI API can be queried by anyone who finds its URL (SecureAI-D14).
   * @default InferenceApiAuthorization.iam() - SigV4-signed callers granted with grantInvoke
   */
  readonly authorization?: InferenceApiAuthorization;
  /**
   * An interface VPC endpoint for `execute-api` through which the API is reached. When given, the API is PRIVATE:
   * it answers only requests that arrive through this endpoint (its resource policy denies every other source).
   * @default - a REGIONAL API, reachable from the internet by authorized callers
   */
  readonly privateEndpoint?: ec2.IInterfaceVpcEndpoint;
  /**
   * The JSON schema a request body must match; anything else is refused with 400 before it reaches the model.
   * @default - an object with a required `inputs` (string, array or object) and an optional `parameters` object, and
   * nothing else
   */
  readonly requestSchema?: apigateway.JsonSchema;
  /**
   * The largest request body accepted, in bytes, between 1 and 65,536. API Gateway has no body-size setting of its
   * own (only its fixed 10 MB payload limit), so the web ACL enforces this with a size-constraint rule on the body;
   * bodies larger than AWS WAF can inspect are blocked too. Above 16,384 bytes, API Gateway forwards more of the
   * body to AWS WAF, which AWS WAF charges for.
   * @default 8192 - the size the AWS common rule set allows, so every accepted body is inspected whole
   */
  readonly maxRequestBodyBytes?: number;
  /**
   * The stage's steady-state request rate limit, in requests per second, for every caller together. Greater than 0.
   * @default 10
   */
  readonly throttlingRateLimit?: number;
  /**
   * The stage's burst limit: how many requests may arrive at once. A whole number at least `throttlingRateLimit`
   * (a smaller bucket than the refill rate would make the rate limit unreachable).
   * @default - 20, or `throttlingRateLimit` rounded up when that is higher
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Requests one source IP may send in any 5-minute window before the web ACL blocks it (429). Between 10 and
   * 2,000,000,000.
   * @default - half of what the stage's rate limit allows in 5 minutes (1,500 with the default rate), so that one
   * address cannot take all the capacity the callers share
   */
  readonly rateLimitPerIp?: number;
  /**
   * Whether callers must also send an API key (`x-api-key`), which makes the usage plan's quota apply to each key.
   * Set it for APIs offered to external customers or collaborators (tagged `ai:exposure=external`, SecureAI-D15), and
   * add keys with `usagePlan.addApiKey`. An API key identifies a client; it never replaces authorization.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
  /**
   * The quota of the usage plan, per API key.
   * @default - 10,000 requests a day
   */
  readonly quota?: apigateway.QuotaSettings;
  /**
   * Retention of the access, execution and web ACL logs. At least a year in production.
   * @default logs.RetentionDays.ONE_YEAR - the retention SecureAI-V14 asks of AI logs
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The name of the API stage (letters, digits, `-` and `_`).
   * @default - the environment's stage: `production`, `test` or `development`
   */
  readonly stageName?: string;
  /**
   * Whether to create the account's API Gateway CloudWatch role (`AWS::ApiGateway::Account`), which API Gateway needs
   * to write execution logs. It is one setting per account and Region, usually owned by the platform team; deployment
   * of the stage fails with "CloudWatch Logs role ARN must be set in account settings" when it is missing.
   * @default false - the account's existing setting is used, as aws-cdk-lib does by default
   */
  readonly cloudWatchRole?: boolean;
  /**
   * The name of the REST API.
   * @default - a name unique to this construct
   */
  readonly apiName?: string;
}

/**
 * A REST API in front of a SageMaker endpoint, secure by default: the only way in is `POST /`, authorized, validated,
 * throttled, behind AWS WAF and logged.
 *
 * - API Gateway calls `runtime.sagemaker` `POST /endpoints/{name}/invocations` directly (AWS service integration, no
 *   Lambda in the path), with a role that may invoke only that endpoint. JSON only (415 otherwise); model errors are
 *   answered with a generic message, not the container's details.
 * - IAM authorization by default (`grantInvoke`), Cognito user pools as the option; never none.
 * - A request validator with a JSON-schema model; a body-size limit enforced by the web ACL.
 * - Stage throttling (10 requests per second, burst 20 by default) and a usage plan with a quota (per API key when
 *   `apiKeyRequired`).
 * - A REGIONAL AWS WAF web ACL on the stage: per-IP rate-based rule, body-size rule, AWS managed
 *   `AWSManagedRulesKnownBadInputsRuleSet` and `AWSManagedRulesCommonRuleSet`, logged to an encrypted, retained
 *   `aws-waf-logs-` log group with the `Authorization` header redacted.
 * - JSON access logs to a log group encrypted with the environment's log key, retained, with a data protection policy
 *   masking e-mail addresses (session names in caller ARNs often are); execution logs at ERROR with data tracing off
 *   (request bodies are sensitive) to a pre-created, encrypted, retained log group; X-Ray tracing; no cache.
 * - TLS 1.2 or 1.3 with forward secrecy only (enhanced security policy, strict endpoint access mode). Optionally PRIVATE
 *   through an `execute-api` interface endpoint, with a resource policy refusing every other source.
 *
 * Satisfies by default the rules docs/CONSTRUCTS.md lists for it (from src/construct-kit/satisfied-rules.ts; its
 * compliance test checks them).
 */
export class InferenceApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigateway.RestApi;
  /** The stage that serves the API. */
  public readonly stage: apigateway.Stage;
  /** The web ACL attached to the stage. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The URL to POST inference requests to (the stage's root). */
  public readonly url: string;
  /** The usage plan bound to the stage. */
  public readonly usagePlan: apigateway.UsagePlan;
  /** The role API Gateway uses to invoke the endpoint; it may invoke only that endpoint. */
  public readonly integrationRole: iam.Role;
  /** The log group of the stage's access logs. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The log group of the stage's execution logs (errors only). */
  public readonly executionLogGroup: logs.LogGroup;
  /** The log group of the web ACL. */
  public readonly webAclLogGroup: logs.LogGroup;
  /** The POST method that invokes the model. */
  public readonly method: apigateway.Method;
  /** Who may call the API. */
  public readonly authorization: InferenceApiAuthorization;

  public constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    libraryConstruct(this, 'InferenceApi');
    const environment = props.environment;
    if (!environment) {
      throw invalidProp(this, { prop: 'environment', shown: 'not set', problem: '', fix: 'pass the AiEnvironment the API belongs to; its log key encrypts the API\'s logs' });
    }
    this.authorization = enforceableAuthorization(this, props.authorization ?? InferenceApiAuthorization.iam());
    const endpoint = validateEndpoint(this, props.endpoint);
    const maxBody = validateMaxBody(this, props.maxRequestBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const rate = props.throttlingRateLimit ?? DEFAULT_RATE_LIMIT;
    const burst = props.throttlingBurstLimit ?? Math.max(DEFAULT_BURST_LIMIT, Math.ceil(rate));
    validateThrottling(this, rate, burst);
    const rateLimitPerIp = validateRateLimitPerIp(this, props.rateLimitPerIp ?? Math.max(WAF_RATE_LIMIT_MIN, Math.ceil((rate * 300) / 2)));
    const retention = requireLogRetention(this, 'logRetention', props.logRetention ?? logs.RetentionDays.ONE_YEAR, environment.stage,
      { evidence: 'the API\'s record of who queried the model' });
    const stageName = validateStageName(this, props.stageName ?? environment.stage);
    const quota = validateQuota(this, props.quota ?? DEFAULT_QUOTA);
    const logKey = environment.logKey;

    this.accessLogGroup = retainedLogGroup(this, 'AccessLogs', {
      encryptionKey: logKey,
      retention,
      // Caller ARNs carry role session names, often e-mail addresses: audited and masked for readers without logs:Unmask.
      dataProtectionPolicy: new logs.DataProtectionPolicy({
        name: 'inference-api-access-log',
        description: 'Masks e-mail addresses (role session names) in the access log of an AI inference API',
        identifiers: [logs.DataIdentifier.EMAILADDRESS],
      }),
    });

    const privateEndpoint = props.privateEndpoint;
    this.restApi = new apigateway.RestApi(this, 'Api', {
      restApiName: props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128 }),
      description: `Inference API in front of SageMaker endpoint ${Token.isUnresolved(endpoint.endpointName) ? '(by reference)' : endpoint.endpointName}`,
      endpointConfiguration: privateEndpoint
        ? { types: [apigateway.EndpointType.PRIVATE], vpcEndpoints: [privateEndpoint] }
        : { types: [apigateway.EndpointType.REGIONAL] },
      policy: privateEndpoint ? this.privatePolicy(privateEndpoint) : undefined,
      cloudWatchRole: props.cloudWatchRole ?? false,
      cloudWatchRoleRemovalPolicy: props.cloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      failOnWarnings: true,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Data tracing would copy every request and response body (inputs and predictions) to the execution log.
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
    });
    // TLS 1.2 with forward secrecy or TLS 1.3 only; strict mode refuses requests whose SNI names another API.
    const cfnApi = this.restApi.node.defaultChild as apigateway.CfnRestApi;
    cfnApi.securityPolicy = 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09';
    cfnApi.endpointAccessMode = 'STRICT';
    this.stage = this.restApi.deploymentStage;
    this.url = this.restApi.url;

    // API Gateway would create the execution log group on first use, unencrypted and kept forever: create it first.
    this.executionLogGroup = retainedLogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stageName}`,
      encryptionKey: logKey,
      retention,
    });
    this.stage.node.addDependency(this.executionLogGroup);

    this.integrationRole = new iam.Role(this, 'IntegrationRole', {
      assumedBy: servicePrincipalOfThisAccount(this, 'apigateway.amazonaws.com', ServiceSource.ACCOUNT_IF_SUPPLIED),
      description: `API Gateway invokes SageMaker endpoint ${Token.isUnresolved(endpoint.endpointName) ? '(by reference)' : endpoint.endpointName} (${this.node.path})`,
    });
    // A customer managed policy rather than an inline one: the generic packs refuse inline policies.
    new iam.ManagedPolicy(this, 'InvokeEndpointPolicy', {
      description: 'Invoke the one SageMaker endpoint behind the inference API',
      statements: [new iam.PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: [endpoint.endpointArn] })],
      roles: [this.integrationRole],
    });

    this.method = this.addInvokeMethod(endpoint, props, maxBody);
    this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
      description: 'Throttle and quota of the inference API; the quota applies per API key',
      throttle: { rateLimit: rate, burstLimit: burst },
      quota,
      apiStages: [{ api: this.restApi, stage: this.stage }],
    });

    const webAcl = new InferenceApiWebAcl(this, 'WebAcl', {
      stageArn: this.stage.stageArn,
      rateLimit: rateLimitPerIp,
      maxRequestBodyBytes: maxBody,
      logKey,
      logRetention: retention,
    });
    this.webAcl = webAcl.webAcl;
    this.webAclLogGroup = webAcl.logGroup;

    this.acknowledge(props);
    if (maxBody > 16384) {
      Annotations.of(this).addInfo(`maxRequestBodyBytes is ${maxBody}: API Gateway forwards up to ${Math.ceil(maxBody / 16384) * 16} KiB `
        + 'of each body to AWS WAF, which AWS WAF charges for beyond 16 KiB.');
    }
  }

  /**
   * Grants `execute-api:Invoke` on the POST method of the stage, and nothing else. Only IAM authorization consults it:
   * with a Cognito user pool, callers are authorized by their tokens, so this throws.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.authorization.authorizationType !== apigateway.AuthorizationType.IAM) {
      throw new Error(`${ownerName(this)}: grantInvoke needs IAM authorization, but the API authorizes users of a `
        + 'Cognito user pool, so an IAM grant would let no one in. Fix: add the caller to the user pool, or use '
        + 'InferenceApiAuthorization.iam() as the authorization.');
    }
    assertSameEnvironment(this, grantee, 'InferenceApi');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.restApi.arnForExecuteApi('POST', '/', this.stage.stageName)],
    });
  }

  /** `POST /`: validated, authorized, integrated with the endpoint; model errors answered without their details. */
  private addInvokeMethod(endpoint: IInferenceEndpointRef, props: InferenceApiProps, maxBody: number): apigateway.Method {
    const integration = new apigateway.AwsIntegration({
      service: 'runtime.sagemaker',
      path: `endpoints/${endpoint.endpointName}/invocations`,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        // Only JSON bodies, passed through unchanged; any other content type is refused with 415.
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': '$input.body' },
        requestParameters: { 'integration.request.header.Content-Type': "'application/json'" },
        integrationResponses: [
          { statusCode: '200' },
          errorResponse('429', '429', 'Too many requests: retry later.'),
          // Model errors (424) and validation errors carry the container's messages: callers get a generic one.
          errorResponse('400', '4(?!29)\\d{2}', 'The model could not process the request.'),
          errorResponse('502', '5\\d{2}', 'The model is unavailable.'),
        ],
      },
    });
    const model = new apigateway.Model(this, 'RequestModel', {
      restApi: this.restApi,
      contentType: 'application/json',
      description: `Inference request: JSON, at most ${maxBody} bytes (enforced by the web ACL)`,
      schema: props.requestSchema ?? DEFAULT_REQUEST_SCHEMA,
    });
    const validator = new apigateway.RequestValidator(this, 'RequestValidator', {
      restApi: this.restApi,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const authorizer = this.authorization.userPool
      ? new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.authorization.userPool] })
      : undefined;
    return this.restApi.root.addMethod('POST', integration, {
      authorizationType: this.authorization.authorizationType,
      authorizer,
      authorizationScopes: this.authorization.scopes.length > 0 ? this.authorization.scopes : undefined,
      apiKeyRequired: props.apiKeyRequired ?? false,
      requestValidator: validator,
      requestModels: { 'application/json': model },
      methodResponses: ['200', '400', '429', '502'].map((statusCode) => ({
        statusCode,
        responseModels: { 'application/json': statusCode === '200' ? apigateway.Model.EMPTY_MODEL : apigateway.Model.ERROR_MODEL },
      })),
    });
  }

  /** A private API answers only through the given endpoint; IAM callers still need a grant, Cognito callers a token. */
  private privatePolicy(endpoint: ec2.IInterfaceVpcEndpoint): iam.PolicyDocument {
    const viaEndpoint = { 'aws:SourceVpce': endpoint.vpcEndpointId };
    return new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'InvokeThroughTheEndpoint',
          // IAM: the account delegates to identity policies (grantInvoke). Cognito callers are not IAM principals.
          principals: [this.authorization.authorizationType === apigateway.AuthorizationType.IAM
            ? new iam.AccountRootPrincipal() : new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
          conditions: { StringEquals: viaEndpoint },
        }),
        new iam.PolicyStatement({
          sid: 'DenyOtherSources',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
          conditions: { StringNotEquals: viaEndpoint },
        }),
      ],
    });
  }

  /** Generic-pack findings that do not fit this design, each with the reason a reviewer reads. */
  private acknowledge(props: InferenceApiProps): void {
    if (this.authorization.authorizationType === apigateway.AuthorizationType.IAM) {
      acknowledgeRules(this.method, ACKNOWLEDGED.cognitoAuthorizer, 'The method is authorized with IAM (SigV4-signed requests, '
        + 'AuthorizationType AWS_IAM): callers are AWS principals granted execute-api:Invoke on this one method with grantInvoke. '
        + 'A Cognito user pool authorizer is the option for human users, chosen with InferenceApiAuthorization.cognitoUserPools.');
    }
    acknowledgeRules(this.stage, ACKNOWLEDGED.cache, 'Caching is off on purpose, so there is no cached data to encrypt: cached '
      + 'inference responses would be served to other callers keyed on the request alone, disclosing one caller\'s predictions '
      + 'to another, and the method is a POST whose every body differs.');
    acknowledgeRules(this.stage, ACKNOWLEDGED.clientCertificate, 'A client certificate authenticates API Gateway to an HTTP '
      + 'backend; this API has none. It calls the SageMaker runtime through an AWS service integration, signed with SigV4 by '
      + 'the integration role over TLS, so there is no backend that could check a client certificate.');
    if (props.cloudWatchRole) {
      const role = this.restApi.node.tryFindChild('CloudWatchRole');
      if (role) {
        acknowledgeRules(role, ACKNOWLEDGED.cloudWatchRole, 'AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS defines '
          + 'for the account-level role API Gateway uses to write execution and access logs; only API Gateway can assume it.');
      }
    }
  }
}

/** The request body a typical inference endpoint takes: `{ "inputs": ..., "parameters": { ... } }` and nothing else. */
const DEFAULT_REQUEST_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'InferenceRequest',
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['inputs'],
  properties: {
    inputs: { type: [apigateway.JsonSchemaType.STRING, apigateway.JsonSchemaType.ARRAY, apigateway.JsonSchemaType.OBJECT] },
    parameters: { type: apigateway.JsonSchemaType.OBJECT },
  },
  additionalProperties: false,
};

/** Who called, from where, how it was decided (authorizer, WAF) and what the model answered; never the body. */
const ACCESS_LOG_FORMAT = apigateway.AccessLogFormat.custom(JSON.stringify({
  requestId: apigateway.AccessLogField.contextRequestId(),
  extendedRequestId: apigateway.AccessLogField.contextExtendedRequestId(),
  requestTime: apigateway.AccessLogField.contextRequestTime(),
  sourceIp: apigateway.AccessLogField.contextIdentitySourceIp(),
  userAgent: apigateway.AccessLogField.contextIdentityUserAgent(),
  caller: apigateway.AccessLogField.contextIdentityCaller(),
  user: apigateway.AccessLogField.contextIdentityUser(),
  userArn: apigateway.AccessLogField.contextIdentityUserArn(),
  principalId: apigateway.AccessLogField.contextAuthorizerPrincipalId(),
  apiKeyId: apigateway.AccessLogField.contextIdentityApiKeyId(),
  httpMethod: apigateway.AccessLogField.contextHttpMethod(),
  resourcePath: apigateway.AccessLogField.contextResourcePath(),
  protocol: apigateway.AccessLogField.contextProtocol(),
  tlsVersion: '$context.tlsVersion',
  status: apigateway.AccessLogField.contextStatus(),
  errorType: apigateway.AccessLogField.contextErrorResponseType(),
  validationError: apigateway.AccessLogField.contextErrorValidationErrorString(),
  wafStatus: apigateway.AccessLogField.contextWafStatus(),
  wafResponseCode: apigateway.AccessLogField.contextWafResponseCode(),
  integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
  integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
  responseLatency: apigateway.AccessLogField.contextResponseLatency(),
  responseLength: apigateway.AccessLogField.contextResponseLength(),
}));

function errorResponse(statusCode: string, selectionPattern: string, message: string): apigateway.IntegrationResponse {
  return { statusCode, selectionPattern, responseTemplates: { 'application/json': JSON.stringify({ message }) } };
}

function enforceableAuthorization(owner: PropOwner, authorization: InferenceApiAuthorization): InferenceApiAuthorization {
  try {
    return InferenceApiAuthorization._enforceable(authorization);
  } catch (e) {
    throw new Error((e as Error).message.replace(/^InferenceApi:/, `${ownerName(owner)}:`));
  }
}

function validateEndpoint(owner: PropOwner, endpoint: IInferenceEndpointRef): IInferenceEndpointRef {
  if (!endpoint || typeof endpoint.endpointName !== 'string' || typeof endpoint.endpointArn !== 'string') {
    throw invalidProp(owner, { prop: 'endpoint', shown: 'not set', problem: '', fix: 'pass an InferenceEndpoint, or { endpointName, endpointArn } of the SageMaker endpoint' });
  }
  const id = ownerName(owner);
  const { endpointName: name, endpointArn: arn } = endpoint;
  if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
    throw new Error(`${id}: endpoint.endpointName '${name}' is not a SageMaker endpoint name. `
      + 'Fix: give the name as SageMaker shows it: letters, digits and hyphens, at most 63 characters.');
  }
  if (Token.isUnresolved(arn)) return endpoint;
  const match = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:endpoint\/([a-zA-Z0-9-]+)$/.exec(arn);
  if (!match) {
    throw new Error(`${id}: endpoint.endpointArn '${arn}' is not the ARN of one SageMaker endpoint. `
      + 'Fix: give arn:aws:sagemaker:<region>:<account>:endpoint/<name>; the integration role may invoke exactly that ARN, never a wildcard.');
  }
  if (!Token.isUnresolved(name) && match[1].toLowerCase() !== name.toLowerCase()) {
    throw new Error(`${id}: endpoint.endpointArn names endpoint '${match[1]}' but endpoint.endpointName is '${name}'. `
      + 'Fix: give the name and ARN of the same endpoint; the API would call one and be allowed to call the other.');
  }
  return endpoint;
}

function validateMaxBody(owner: PropOwner, bytes: number): number {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_INSPECTABLE_BODY) {
    throw invalidProp(owner, {
      prop: 'maxRequestBodyBytes',
      value: bytes,
      problem: `outside 1 to ${MAX_INSPECTABLE_BODY}`,
      fix: `give a whole number of bytes up to ${MAX_INSPECTABLE_BODY} (64 KiB, the most API Gateway forwards to AWS WAF, which `
        + 'enforces the limit); larger payloads belong in S3 with an asynchronous endpoint',
    });
  }
  return bytes;
}

function validateThrottling(owner: PropOwner, rate: number, burst: number): void {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw invalidProp(owner, {
      prop: 'throttlingRateLimit',
      value: rate,
      problem: 'but it must be a number of requests per second greater than 0',
      fix: `give the steady rate the endpoint can serve, for example ${DEFAULT_RATE_LIMIT}; 0 would refuse every request and there `
        + 'is no unthrottled option',
    });
  }
  if (!Number.isInteger(burst) || burst <= 0) {
    throw invalidProp(owner, {
      prop: 'throttlingBurstLimit',
      value: burst,
      problem: 'but it must be a whole number of requests greater than 0',
      fix: `give how many requests may arrive at once, for example ${DEFAULT_BURST_LIMIT}`,
    });
  }
  if (burst < rate) {
    throw new Error(`${ownerName(owner)}: throttlingBurstLimit ${burst} is below throttlingRateLimit ${rate}: the burst bucket could never `
      + `hold a second's worth of requests, so the rate limit would be unreachable. Fix: set throttlingBurstLimit >= ${Math.ceil(rate)}.`);
  }
}

function validateRateLimitPerIp(owner: PropOwner, limit: number): number {
  if (!Number.isInteger(limit) || limit < WAF_RATE_LIMIT_MIN || limit > WAF_RATE_LIMIT_MAX) {
    throw invalidProp(owner, {
      prop: 'rateLimitPerIp',
      value: limit,
      problem: `outside ${WAF_RATE_LIMIT_MIN} to ${WAF_RATE_LIMIT_MAX}`,
      fix: 'give a whole number of requests per source IP in 5 minutes within AWS WAF\'s bounds for a rate-based rule',
    });
  }
  return limit;
}

function validateStageName(owner: PropOwner, name: string): string {
  if (Token.isUnresolved(name)) return name;
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(name)) {
    throw new Error(`${ownerName(owner)}: stageName '${name}' is not an API Gateway stage name. Fix: use letters, digits, '-' and '_' (at most 128).`);
  }
  return name;
}

function validateQuota(owner: PropOwner, quota: apigateway.QuotaSettings): apigateway.QuotaSettings {
  const limit = quota.limit;
  if (limit === undefined || !Number.isInteger(limit) || limit < 1 || quota.period === undefined) {
    throw new Error(`${ownerName(owner)}: quota must set a whole limit of at least 1 and a period, got limit ${limit} and period `
      + `${quota.period}. Fix: give for example { limit: 10000, period: Period.DAY }; there is no unlimited quota.`);
  }
  return quota;
}
