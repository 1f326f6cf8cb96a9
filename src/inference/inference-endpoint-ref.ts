/**
 * A SageMaker real-time endpoint that an `InferenceApi` can front. `InferenceEndpoint` implements it; an endpoint
 * made elsewhere can be described with its name and ARN.
 */
export interface IInferenceEndpointRef {
  /** The endpoint's name, as `sagemaker:InvokeEndpoint` addresses it. */
  readonly endpointName: string;
  /** The endpoint's ARN, which the API's role is allowed to invoke (and nothing else). */
  readonly endpointArn: string;
}
