/**
 * The entry `npx cdk synth` runs (see cdk.json). `-c variant=fixed` synthesizes the hardened variant; without it,
 * the unhardened one. Either way SecureAiChecks is registered on the app and writes its findings into the cloud
 * assembly, where `npx cdk-secure-ai report cdk.out` reads them.
 */
import { App } from 'aws-cdk-lib';
import { buildAuditedApp, variantOf } from './audit';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
buildAuditedApp(app, variantOf(app));
app.synth();
