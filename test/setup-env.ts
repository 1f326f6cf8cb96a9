// The CDK's built-in CloudFormation schema validation takes seconds per synthesis and is not what these tests
// examine; the main job (`npx projen synth:example`) keeps it on.
process.env.CDK_VALIDATION ??= 'false';
// The AWS SDK warns once per process that it will need Node.js 22; the handlers run on Node.js 24 in Lambda, and the
// warning would only make passing test runs noisy on this Node.js 20 machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
