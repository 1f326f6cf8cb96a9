import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';

const FIX = 'Fix: use InferenceApiAuthorization.iam() and grantInvoke the callers, or '
  + 'InferenceApiAuthorization.cognitoUserPools(userPool) for users signing in through Cognito.';

/**
 * Who may call an `InferenceApi`: IAM (SigV4-signed callers granted with `grantInvoke`) or the users of a Cognito user
 * pool. There is no way to ask for no authorization: an AI API open to anyone who finds its URL can be queried to
 * extract the model, probe it and run up its cost (SecureAI-D14).
 */
export class InferenceApiAuthorization {
  /** SigV4-signed IAM principals, each granted `execute-api:Invoke` with `InferenceApi.grantInvoke`. */
  public static iam(): InferenceApiAuthorization {
    return new InferenceApiAuthorization(apigateway.AuthorizationType.IAM, undefined, []);
  }

  /**
   * Users of a Cognito user pool, who send an ID or access token in the `Authorization` header.
   * @param userPool the user pool whose tokens are accepted
   * @param scopes OAuth scopes an access token must carry (any one of them); none means an ID token is enough
   */
  public static cognitoUserPools(userPool: cognito.IUserPool, scopes?: string[]): InferenceApiAuthorization {
    const given = scopes ?? [];
    const blank = given.filter((s) => typeof s !== 'string' || s.trim() === '');
    if (blank.length > 0) {
      throw new Error(`InferenceApi: authorization scopes contain ${blank.length} empty scope(s). Fix: give OAuth scope names `
        + 'such as \'inference/invoke\', or no scopes to accept ID tokens of the user pool.');
    }
    return new InferenceApiAuthorization(apigateway.AuthorizationType.COGNITO, userPool, given);
  }

  /**
   * The authorization for an API Gateway authorization type, for code that already speaks in those terms. Only IAM and
   * COGNITO are accepted: NONE throws, and CUSTOM throws because a Lambda authorizer would put code in the request path.
   * @param type the API Gateway authorization type
   * @param userPool the user pool, required for COGNITO
   */
  public static fromAuthorizationType(type: apigateway.AuthorizationType, userPool?: cognito.IUserPool): InferenceApiAuthorization {
    switch (type) {
      case apigateway.AuthorizationType.IAM:
        return InferenceApiAuthorization.iam();
      case apigateway.AuthorizationType.COGNITO:
        if (!userPool) {
          throw new Error('InferenceApi: authorization is COGNITO_USER_POOLS without a user pool. '
            + 'Fix: pass the user pool: InferenceApiAuthorization.fromAuthorizationType(AuthorizationType.COGNITO, userPool).');
        }
        return InferenceApiAuthorization.cognitoUserPools(userPool);
      default:
        throw InferenceApiAuthorization.refusal(type);
    }
  }

  /**
   * Returns the authorization when the API can enforce it, and throws otherwise; guards against objects that only look
   * like one (jsii callers in other languages, JavaScript without type checks).
   * @internal
   */
  public static _enforceable(authorization: InferenceApiAuthorization): InferenceApiAuthorization {
    const type = String(authorization?.authorizationType);
    if (type === apigateway.AuthorizationType.IAM) return authorization;
    if (type === apigateway.AuthorizationType.COGNITO) {
      if (authorization.userPool) return authorization;
      throw new Error(`InferenceApi: authorization is COGNITO_USER_POOLS without a user pool. ${FIX}`);
    }
    throw InferenceApiAuthorization.refusal(type);
  }

  /** The error for an authorization type the API refuses, naming the prop and the fix. */
  private static refusal(type: string): Error {
    if (type === apigateway.AuthorizationType.NONE) {
      return new Error('InferenceApi: authorization is NONE, which lets anyone who finds the URL query the model, extract it '
        + `and run up its cost (SecureAI-D14). ${FIX}`);
    }
    if (type === apigateway.AuthorizationType.CUSTOM) {
      return new Error('InferenceApi: authorization is CUSTOM, which InferenceApi does not support: a Lambda authorizer puts '
        + `code of its own in the request path. ${FIX}`);
    }
    return new Error(`InferenceApi: authorization is ${type}, not an authorization InferenceApi can enforce. ${FIX}`);
  }

  /** The API Gateway authorization type of the POST method: AWS_IAM or COGNITO_USER_POOLS. */
  public readonly authorizationType: apigateway.AuthorizationType;
  /**
   * The user pool whose tokens are accepted.
   * @default - none: IAM authorization
   */
  public readonly userPool?: cognito.IUserPool;
  /** The OAuth scopes an access token must carry; empty when any token of the pool is accepted (or with IAM). */
  public readonly scopes: string[];

  private constructor(authorizationType: apigateway.AuthorizationType, userPool: cognito.IUserPool | undefined, scopes: string[]) {
    this.authorizationType = authorizationType;
    this.userPool = userPool;
    this.scopes = scopes;
  }
}
