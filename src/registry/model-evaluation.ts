/** One measured result of an evaluation. */
export interface EvaluationMetric {
  /** What was measured (for example `auc`, `false-positive-rate`, `jailbreak-success-rate`). */
  readonly name: string;
  /** The measured value: a finite number. */
  readonly value: number;
  /**
   * How to read the value (threshold, dataset slice).
   * @default - none
   */
  readonly notes?: string;
}

/** One evaluation of a model before release: a benchmark, a bias analysis, a red-team exercise. */
export interface ModelEvaluation {
  /** The evaluation's name, 1 to 63 characters (for example `holdout-2024-q4`, `red-team-prompt-injection`). */
  readonly name: string;
  /** What the evaluation found, in words a reviewer can act on; at most 2096 characters. */
  readonly observation: string;
  /**
   * The measured results.
   * @default - none: the observation carries the result
   */
  readonly metrics?: EvaluationMetric[];
  /**
   * Where the evaluation data is (at most 10 locations).
   * @default - none
   */
  readonly datasets?: string[];
  /**
   * The ARN of the SageMaker job that ran the evaluation.
   * @default - none
   */
  readonly evaluationJobArn?: string;
}
