// The CDK's built-in CloudFormation schema validation takes seconds per synthesis and is not what these tests
// examine; the main job (`npx projen synth:example`) keeps it on.
process.env.CDK_VALIDATION ??= 'false';
// The SDK clients warn once per process that future versions will need Node 22; the machine runs Node 20 and the
// Lambda handlers run on Node 24, so the warning says nothing about what these tests examine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
