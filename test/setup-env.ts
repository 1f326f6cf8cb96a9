// The CDK's built-in CloudFormation schema validation takes seconds per synthesis and is not what these tests
// examine; the main job (`npx projen synth:example`) keeps it on.
process.env.CDK_VALIDATION ??= 'false';
