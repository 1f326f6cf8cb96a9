// The checks of a KnowledgeBase's props, made when the app is synthesized: each throws an Error naming the prop, the
// bad value and the fix, and returns the value the knowledge base uses. Internal: not exported from the library.
import { Token } from 'aws-cdk-lib';
import type { BedrockModel } from './bedrock-model';
import { requireWholeNumber } from '../construct-kit/validation';

export function validatePrefix(owner: string, prefix: string): string {
  if (Token.isUnresolved(prefix)) {
    throw new Error(`${owner}: prefix is a deploy-time value. Fix: give the folder as text, such as 'policies/': the role is granted that folder only.`);
  }
  if (prefix.length === 0 || prefix.startsWith('/') || !prefix.endsWith('/') || /[*?]/.test(prefix) || prefix.includes('//') || prefix.length > 1024) {
    throw new Error(`${owner}: prefix '${prefix}' is not a folder of the bucket. Fix: give a key prefix that ends in '/' and has no leading `
      + 'slash or wildcard, such as \'policies/\' (without the slash, \'policies\' would also match \'policies-internal/\').');
  }
  return prefix;
}

export function validateEmbeddingModel(owner: string, model: BedrockModel): BedrockModel {
  if (!model.isFoundationModel) {
    throw new Error(`${owner}: embeddingModel is not a foundation model, and a knowledge base embeds with a foundation model. Fix: give `
      + 'BedrockModel.foundationModel(\'amazon.titan-embed-text-v2:0\') or the ARN of a foundation model as text.');
  }
  return model;
}

export function validateDimensions(owner: string, dimensions: number): number {
  return requireWholeNumber(owner, 'dimensions', dimensions, { min: 1, max: 4096 },
    'give the dimensions the embedding model produces (256, 512 or 1024 for Titan Text Embeddings V2)');
}

export function validateKnowledgeBaseName(owner: string, name: string): string {
  if (Token.isUnresolved(name) || !/^[0-9a-zA-Z][0-9a-zA-Z_-]{0,99}$/.test(name)) {
    throw new Error(`${owner}: knowledgeBaseName '${name}' is not a knowledge base name. Fix: use 1 to 100 letters, digits, hyphens and `
      + 'underscores, starting with a letter or digit.');
  }
  return name;
}

export function validateChunking(owner: string, maxTokens: number, overlapPercentage: number): { maxTokens: number; overlapPercentage: number } {
  return {
    maxTokens: requireWholeNumber(owner, 'chunkMaxTokens', maxTokens, { min: 20, max: 8192 }, 'leave it unset (300)'),
    overlapPercentage: requireWholeNumber(owner, 'chunkOverlapPercentage', overlapPercentage, { min: 1, max: 99 }, 'leave it unset (20)'),
  };
}

export function validateSyncSchedule(owner: string, expression: string): string {
  if (Token.isUnresolved(expression) || !/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(expression.trim())) {
    throw new Error(`${owner}: syncSchedule '${expression}' is not an EventBridge Scheduler expression. Fix: give 'rate(1 day)' or a `
      + 'cron expression such as \'cron(0 2 * * ? *)\'.');
  }
  return expression.trim();
}
