// The CDK's built-in CloudFormation schema validation takes seconds per synthesis and is not what these tests
// examine; the main job (`npx projen synth:example`) keeps it on.
process.env.CDK_VALIDATION ??= 'false';
// The handlers run on the Node.js 24 Lambda runtime; the SDK's notice about Node.js 20, where the tests run, is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
