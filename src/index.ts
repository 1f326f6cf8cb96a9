export * from './nag/rule';
export * from './nag/findings';
export * from './nag/secure-ai-checks';
export * from './report/secure-ai-report';
