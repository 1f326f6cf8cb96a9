export * from './nag/rule';
export * from './nag/findings';
export * from './nag/secure-ai-checks';
