// The cdk8s peer of gate.sh: N deployments of the synthetic fleet's shapes, each a chart with a Deployment, a
// Service, a HorizontalPodAutoscaler and a PodDisruptionBudget carrying the same cost labels, synthesised to one
// YAML file per chart. The HPA owns the replica count (cdk8s-plus refuses a fixed one beside it). Usage: node synth.js <N> <outdir>
const { App, Chart, ApiObject, JsonPatch, Size, YamlOutputType } = require('cdk8s');
const kplus = require('cdk8s-plus-32');

const count = parseInt(process.argv[2], 10);
const outdir = process.argv[3];
const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
const environments = ['dev', 'staging', 'prod'];
const shapes = [
  { image: 'vllm/vllm-openai:v0.12.0', gpu: 1, args: ['--model=meta-llama/Llama-3.1-8B-Instruct', '--max-num-seqs=32'] },
  { image: 'vllm/vllm-openai:v0.12.0', gpu: 4, args: ['--model=meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size=4'] },
  { image: 'ghcr.io/huggingface/text-generation-inference:2.4.0', gpu: 1, args: ['--model-id=mistralai/Mistral-7B-Instruct-v0.3'] },
  { image: 'nvcr.io/nvidia/tritonserver:24.10-py3', gpu: 1, args: ['--model-repository=s3://models/rerankers'] },
];

let emitted = 0;
for (let appIndex = 0; emitted < count; appIndex++) {
  const shape = shapes[appIndex % 4];
  for (const env of environments) {
    if (emitted === count) break;
    const name = `app-${String(appIndex).padStart(5, '0')}`;
    const labels = { app: name, team: `team-${String(appIndex % 20).padStart(2, '0')}`, 'cost-center': `cc-${appIndex % 7}`, env };
    const chart = new Chart(app, `${env}-${name}`, { namespace: labels.team, labels });
    const deployment = new kplus.Deployment(chart, 'deployment', {
      podMetadata: { labels },
      containers: [{
        name: 'engine', image: shape.image, args: shape.args, portNumber: 8000,
        resources: { cpu: { request: kplus.Cpu.millis(4000), limit: kplus.Cpu.millis(8000) }, memory: { request: Size.gibibytes(32), limit: Size.gibibytes(32) } },
        securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true },
      }],
    });
    // cdk8s-plus has no GPU resource; the escape hatch adds it as users do (a Quantity is an object with .value
    // until the L1 serialises it).
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', { value: shape.gpu }));
    deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8000 }] });
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', {
      target: deployment, minReplicas: env === 'prod' ? 3 : 1, maxReplicas: env === 'prod' ? 6 : 2,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
    new ApiObject(chart, 'pdb', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
      metadata: { name: `${name}`, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
    });
    emitted++;
  }
}

app.synth();
