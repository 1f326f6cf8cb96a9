import { Token } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';

/** A JSON Web Token authorizer: tokens of one identity provider, restricted to the audiences, clients or scopes named. */
export interface JwtAuthorizerProps {
  /**
   * The OpenID Connect discovery URL of the identity provider, HTTPS, ending in
   * `/.well-known/openid-configuration`.
   */
  readonly discoveryUrl: string;
  /**
   * The audiences (`aud`) a token must carry.
   * @default - none; give at least one of allowedAudience, allowedClients and allowedScopes
   */
  readonly allowedAudience?: string[];
  /**
   * The clients (`client_id`) a token must have been issued to.
   * @default - none; give at least one of allowedAudience, allowedClients and allowedScopes
   */
  readonly allowedClients?: string[];
  /**
   * The scopes a token must carry.
   * @default - none; give at least one of allowedAudience, allowedClients and allowedScopes
   */
  readonly allowedScopes?: string[];
}

/** How callers of an agent runtime or a tool gateway are authenticated: never not at all. */
export class AgentAuthorizer {
  /** SigV4-signed requests of IAM principals granted `bedrock-agentcore:Invoke*` (`grantInvoke`): for callers in AWS. */
  public static iam(): AgentAuthorizer {
    return new AgentAuthorizer(undefined);
  }

  /**
   * Bearer tokens of your identity provider: for people and applications that sign in there (an externally exposed
   * assistant). A token is accepted only if it names one of the audiences, clients or scopes given (SecureAI-D14).
   */
  public static jwt(props: JwtAuthorizerProps): AgentAuthorizer {
    const url = props.discoveryUrl;
    if (!Token.isUnresolved(url) && !/^https:\/\/[^\s/]+(\/[^\s]*)?\/\.well-known\/openid-configuration$/.test(url)) {
      throw new Error(`AgentAuthorizer.jwt: discoveryUrl '${url}' is not an OpenID Connect discovery URL. Fix: give the identity `
        + 'provider\'s https://<issuer>/.well-known/openid-configuration.');
    }
    const lists = { allowedAudience: props.allowedAudience, allowedClients: props.allowedClients, allowedScopes: props.allowedScopes };
    const given = Object.values(lists).filter((l) => l !== undefined && l.length > 0);
    if (given.length === 0) {
      throw new Error('AgentAuthorizer.jwt: none of allowedAudience, allowedClients and allowedScopes is given, so any token the identity '
        + 'provider issues, to any application, would be accepted. Fix: name the audience or the client IDs of your application.');
    }
    for (const [name, list] of Object.entries(lists)) {
      if (list?.some((v) => !Token.isUnresolved(v) && (v.trim() === '' || /[*]/.test(v)))) {
        throw new Error(`AgentAuthorizer.jwt: ${name} has an empty value or a wildcard. Fix: name each accepted value in full.`);
      }
    }
    return new AgentAuthorizer({ discoveryUrl: url, ...lists });
  }

  private constructor(private readonly jwtProps: JwtAuthorizerProps | undefined) {}

  /** Whether callers sign in with the identity provider rather than IAM. */
  public get isJwt(): boolean {
    return this.jwtProps !== undefined;
  }

  /**
   * The runtime's `AuthorizerConfiguration`: none for IAM (the runtime's default), the JWT authorizer otherwise.
   * @internal
   */
  public _renderRuntime(): agentcore.CfnRuntime.AuthorizerConfigurationProperty | undefined {
    return this.jwtProps === undefined ? undefined : { customJwtAuthorizer: { ...this.jwtProps } };
  }

  /**
   * The gateway's `AuthorizerType` and `AuthorizerConfiguration`.
   * @internal
   */
  public _renderGateway(): { authorizerType: string; authorizerConfiguration?: agentcore.CfnGateway.AuthorizerConfigurationProperty } {
    return this.jwtProps === undefined
      ? { authorizerType: 'AWS_IAM' }
      : { authorizerType: 'CUSTOM_JWT', authorizerConfiguration: { customJwtAuthorizer: { ...this.jwtProps } } };
  }
}
