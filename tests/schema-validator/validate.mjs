// Reads a JSON array of {path, object} from stdin and validates each object against the schema of its
// apiVersion/kind with kubernetes-models (ajv, offline). Prints one JSON result per line:
// {"path": ..., "ok": true} or {"path": ..., "ok": false, "error": ...}. Exit code 0 even when objects fail:
// the caller asserts on the results; exit code 2 means the validator itself could not run.
import * as apps from "kubernetes-models/apps/v1";
import * as core from "kubernetes-models/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as policy from "kubernetes-models/policy/v1";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as rollouts from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const groups = {
  "apps/v1": apps,
  "v1": core,
  "autoscaling/v2": autoscaling,
  "policy/v1": policy,
  "networking.k8s.io/v1": networking,
  "argoproj.io/v1alpha1": rollouts,
  "monitoring.coreos.com/v1": monitoring,
};

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
