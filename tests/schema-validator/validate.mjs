// Reads a JSON array of {path, object} from stdin and validates each object against the schema of its
// apiVersion/kind, offline: kubernetes-models (core kinds, Argo Rollouts, prometheus-operator, Gateway API, KEDA), and
// for LeaderWorkerSet and InferencePool the openAPIV3Schema of their upstream CRDs vendored under crds/ (with ajv).
// Prints one JSON result per line: {"path": ..., "ok": true} or {"path": ..., "ok": false, "error": ...}. Exit code 0
// even when objects fail: the caller asserts on the results; exit code 2 means the validator itself could not run.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import * as apps from "kubernetes-models/apps/v1";
import * as core from "kubernetes-models/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as policy from "kubernetes-models/policy/v1";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as rollouts from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import * as gateway from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";

const groups = {
  "apps/v1": apps,
  "v1": core,
  "autoscaling/v2": autoscaling,
  "policy/v1": policy,
  "networking.k8s.io/v1": networking,
  "argoproj.io/v1alpha1": rollouts,
  "monitoring.coreos.com/v1": monitoring,
  "gateway.networking.k8s.io/v1": gateway,
  "keda.sh/v1alpha1": keda,
};

// kubectl applies with strict field validation, so a field the CRD does not declare is an error there, not a silently
// pruned value: every object schema that lists its properties and says nothing else rejects unknown ones here too.
function closeObjects(schema) {
  if (Array.isArray(schema)) {
    return schema.map(closeObjects);
  }
  if (schema === null || typeof schema !== "object") {
    return schema;
  }
  const closed = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === "properties" ? Object.fromEntries(Object.entries(value).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(value)]));
  if (closed.properties && closed.additionalProperties === undefined && !closed["x-kubernetes-preserve-unknown-fields"]) {
    closed.additionalProperties = false;
  }
  return closed;
}

// Kubernetes' structural-schema keywords (x-kubernetes-*) carry no JSON-schema meaning and CEL rules
// (x-kubernetes-validations) cannot be evaluated here: ajv ignores them (strict: false). Formats as the API server reads them.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

const crds = {};
for (const file of ["leaderworkerset.x-k8s.io_v1_LeaderWorkerSet.json", "inference.networking.k8s.io_v1_InferencePool.json"]) {
  const { $comment, ...schema } = JSON.parse(readFileSync(new URL("./crds/" + file, import.meta.url), "utf8"));
  const [apiVersion, kind] = file.replace(/\.json$/, "").replace("_", "/").split("_");
  crds[`${apiVersion}/${kind}`] = ajv.compile(closeObjects(schema));
}

function validateCrd(validate, object) {
  if (validate(object)) {
    return null;
  }
  return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ""}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`).join("; ");
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  let documents;
  try {
    documents = JSON.parse(input);
  } catch (e) {
    console.error("input is not JSON: " + e.message);
    process.exit(2);
  }
  for (const { path, object } of documents) {
    const crd = crds[`${object.apiVersion}/${object.kind}`];
    if (crd) {
      const error = validateCrd(crd, object);
      console.log(JSON.stringify(error === null ? { path, ok: true } : { path, ok: false, error }));
      continue;
    }
    const group = groups[object.apiVersion];
    const Model = group && group[object.kind];
    if (!Model) {
      console.log(JSON.stringify({ path, ok: false, error: `no schema for ${object.apiVersion}/${object.kind}` }));
      continue;
    }
    try {
      new Model(object).validate();
      console.log(JSON.stringify({ path, ok: true }));
    } catch (e) {
      console.log(JSON.stringify({ path, ok: false, error: String(e.message ?? e) }));
    }
  }
});
