import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { InferenceApiAuthorization } from '../../src/inference/inference-api-authorization';

const pool = () => new cognito.UserPool(new Stack(new App(), 'Users'), 'Pool');

describe('InferenceApiAuthorization', () => {
  test('iam() is AWS_IAM without a user pool or scopes', () => {
    const auth = InferenceApiAuthorization.iam();
    expect([auth.authorizationType, auth.userPool, auth.scopes]).toEqual([apigateway.AuthorizationType.IAM, undefined, []]);
  });

  test('cognitoUserPools() carries the pool and the scopes', () => {
    const userPool = pool();
    const auth = InferenceApiAuthorization.cognitoUserPools(userPool, ['inference/invoke']);
    expect(auth.authorizationType).toBe(apigateway.AuthorizationType.COGNITO);
    expect(auth.userPool).toBe(userPool);
    expect(auth.scopes).toEqual(['inference/invoke']);
    expect(InferenceApiAuthorization.cognitoUserPools(userPool).scopes).toEqual([]);
  });

  test('an empty scope throws naming the fix', () => {
    expect(() => InferenceApiAuthorization.cognitoUserPools(pool(), ['inference/invoke', ' '])).toThrow(/authorization scopes contain 1 empty scope\(s\)\. Fix: give OAuth scope names/);
  });

  test('fromAuthorizationType maps IAM and COGNITO', () => {
    const iamAuth = InferenceApiAuthorization.fromAuthorizationType(apigateway.AuthorizationType.IAM);
    expect(iamAuth.authorizationType).toBe(apigateway.AuthorizationType.IAM);
    const userPool = pool();
    const cognitoAuth = InferenceApiAuthorization.fromAuthorizationType(apigateway.AuthorizationType.COGNITO, userPool);
    expect([cognitoAuth.authorizationType, cognitoAuth.userPool]).toEqual([apigateway.AuthorizationType.COGNITO, userPool]);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['NONE', () => InferenceApiAuthorization.fromAuthorizationType(apigateway.AuthorizationType.NONE),
      /authorization is NONE, which lets anyone who finds the URL query the model.*SecureAI-D14.*Fix: use InferenceApiAuthorization\.iam\(\)/],
    ['CUSTOM', () => InferenceApiAuthorization.fromAuthorizationType(apigateway.AuthorizationType.CUSTOM),
      /authorization is CUSTOM, which InferenceApi does not support.*Fix: use InferenceApiAuthorization\.iam\(\)/],
    ['COGNITO without a pool', () => InferenceApiAuthorization.fromAuthorizationType(apigateway.AuthorizationType.COGNITO),
      /authorization is COGNITO_USER_POOLS without a user pool\. Fix: pass the user pool/],
  ])('fromAuthorizationType(%s) throws naming the prop and the fix', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test.each<[string, unknown, RegExp]>([
    ['a NONE look-alike', { authorizationType: 'NONE', scopes: [] }, /authorization is NONE.*Fix/],
    ['a Cognito look-alike without a pool', { authorizationType: 'COGNITO_USER_POOLS', scopes: [] }, /COGNITO_USER_POOLS without a user pool.*Fix/],
    ['an empty object', {}, /authorization is undefined, not an authorization InferenceApi can enforce\. Fix/],
  ])('_enforceable refuses %s', (_name, value, message) => {
    expect(() => InferenceApiAuthorization._enforceable(value as InferenceApiAuthorization)).toThrow(message);
  });

  test('_enforceable returns the real ones', () => {
    const iamAuth = InferenceApiAuthorization.iam();
    expect(InferenceApiAuthorization._enforceable(iamAuth)).toBe(iamAuth);
    const cognitoAuth = InferenceApiAuthorization.cognitoUserPools(pool());
    expect(InferenceApiAuthorization._enforceable(cognitoAuth)).toBe(cognitoAuth);
  });
});
