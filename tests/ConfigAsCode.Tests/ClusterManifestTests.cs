using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rollouts;
using ConfigAsCode.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>What a real cluster gets: weights from each source and cache, nodes with the right GPU on each cloud, namespaces per topology, a migration that keeps capacity, and a NetworkPolicy that allows what is configured.</summary>
public sealed class ClusterManifestTests : IDisposable
{
    private static readonly RenderOptions Options = new() { PlatformName = "acme", GeneratorVersion = "0.1.0" };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-cluster-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static IReadOnlyDictionary<string, JsonNode> Objects(InferenceDeployment d)
    {
        var (documents, problem) = ManifestRenderer.BuildDocuments(d, Options);
        Assert.Null(problem);
        return documents.ToDictionary(o => o.Path, o => YamlDocuments.ToJson(YamlDocuments.Parse(YamlManifestWriter.Write(o.Document)))!, StringComparer.Ordinal);
    }

    private static IReadOnlyList<string> Yaml(InferenceDeployment d) =>
        ManifestRenderer.BuildDocuments(d, Options).Documents.Select(o => YamlManifestWriter.Write(o.Document)).ToArray();

    private static JsonNode Single(IReadOnlyDictionary<string, JsonNode> objects, string kind) => objects.Values.Single(o => (string)o["kind"]! == kind);

    private static JsonNode PodSpec(IReadOnlyDictionary<string, JsonNode> objects) =>
        (objects.Values.FirstOrDefault(o => (string)o["kind"]! == "Deployment") ?? Single(objects, "Rollout"))["spec"]!["template"]!["spec"]!;

    private static JsonNode Container(IReadOnlyDictionary<string, JsonNode> objects, string name) =>
        PodSpec(objects)[name == "fetch-weights" ? "initContainers" : "containers"]!.AsArray().Single(c => (string)c!["name"]! == name)!;

    private static string[] Args(JsonNode container) => container["args"]!.AsArray().Select(a => (string)a!).ToArray();

    private static Dictionary<string, string> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"] ?? "secret:" + (string)e["valueFrom"]!["secretKeyRef"]!["name"]!, StringComparer.Ordinal);

    public static TheoryData<string> FixtureNames => new(ClusterFixtures.All().Select(d => $"{d.Environment.Name}/{d.Name}"));

    [Fact]
    public void Every_fixture_is_compliant()
    {
        var report = Fixtures.Validate(ClusterFixtures.All().ToArray());

        Assert.True(report.Findings.Count == 0, string.Join(Environment.NewLine, report.Findings));
    }

    [Fact]
    public void Every_object_of_every_source_cache_placement_and_topology_passes_the_schema_validator()
    {
        var result = ManifestRenderer.Render(ClusterFixtures.All(), Options);
        var files = result.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);

        var results = SchemaValidator.Validate(result.Objects.Select(o => (o.Path, YamlDocuments.ToJson(YamlDocuments.Parse(files[o.Path]))!)));

        Assert.Equal(result.Objects.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Ok, $"{r.Path}: {r.Error}"));
        Assert.Contains(result.Objects, o => o.Kind == "PersistentVolumeClaim");
    }

    public static TheoryData<string> TrafficCases => new(ClusterFixtures.All().Select(d => d.Name).Distinct(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(TrafficCases))]
    public void The_policy_allows_what_each_fixture_is_configured_to_reach_and_nothing_else(string name)
    {
        var d = ClusterFixtures.All().First(f => f.Name == name);
        var expected = new TrafficExpectation
        {
            Callers = name == "shared-8b" ? ["gateway"] : [],
            DeclaredCidrs = d.Security.Network.AllowEgressCidrs,
            Dependencies = name == "shared-8b"
                ? [new PodConnection("vllm", "session-cache", 6379, "declared dependency"), new PodConnection("vllm", "embeddings.search.svc.cluster.local", 8000, "declared dependency")]
                : [],
            ExternalAddresses = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["storage.googleapis.com"] = "199.36.153.9",
                ["huggingface.co"] = "18.244.0.2",
                ["otlp.vendor.example.com"] = "198.51.100.20",
                ["acmemodels.blob.core.windows.net"] = "20.60.0.4",
            },
        };

        var problems = TrafficCheck.Problems(Yaml(d), expected);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_evaluator_finds_a_blocked_endpoint_and_an_opening_nothing_uses()
    {
        var d = ClusterFixtures.SharedCluster(DeploymentEnvironment.Prod);
        var documents = Yaml(d).ToList();
        var policy = documents.FindIndex(y => y.Contains("kind: NetworkPolicy", StringComparison.Ordinal));
        var expected = new TrafficExpectation { Callers = ["gateway"], Dependencies = [new PodConnection("vllm", "session-cache", 6379, "declared dependency"), new PodConnection("vllm", "embeddings.search.svc.cluster.local", 8000, "declared dependency")] };
        Assert.Empty(TrafficCheck.Problems(documents, expected));

        // The same policy with the trace collector's rule (same namespace, 4317) cut out, and with the internet opened.
        var blocked = documents.ToList();
        blocked[policy] = blocked[policy].Replace("    - port: 4317\n      protocol: TCP\n", string.Empty, StringComparison.Ordinal);
        var open = documents.ToList();
        open[policy] = open[policy].Replace("  egress:\n", "  egress:\n  - ports:\n    - port: 443\n      protocol: TCP\n    to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n", StringComparison.Ordinal);

        Assert.Contains(TrafficCheck.Problems(blocked, expected), p => p.StartsWith("configured endpoint blocked: --otlp-traces-endpoint http://otel-collector:4317", StringComparison.Ordinal));
        Assert.Contains(TrafficCheck.Problems(open, expected), p => p == "allowed but not configured: egress to 8.8.8.8:443/TCP");
    }

    [Fact]
    public void A_hub_source_cached_on_a_shared_claim_is_fetched_once_by_an_init_container_and_read_offline()
    {
        var objects = Objects(ClusterFixtures.HubMirrorShared());
        var engine = Container(objects, "vllm");
        var fetch = Container(objects, "fetch-weights");
        var claim = Single(objects, "PersistentVolumeClaim");

        Assert.Equal("ReadWriteMany", (string)claim["spec"]!["accessModes"]![0]!);
        Assert.Equal("efs-sc", (string)claim["spec"]!["storageClassName"]!);
        Assert.Equal("160Gi", (string)claim["spec"]!["resources"]!["requests"]!["storage"]!);
        Assert.StartsWith("mirror-70b-weights-", (string)claim["metadata"]!["name"]!, StringComparison.Ordinal);
        Assert.Equal((string)claim["metadata"]!["name"]!, (string)PodSpec(objects)["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "weights")!["persistentVolumeClaim"]!["claimName"]!);
        Assert.Equal(["meta-llama/Llama-3.1-70B-Instruct", Fixtures.Revision], Args(fetch));
        Assert.Equal(("http://hf-mirror.models:8080", "secret:hf-token", "/models/huggingface"), (Env(fetch)["HF_ENDPOINT"], Env(fetch)["HF_TOKEN"], Env(fetch)["HF_HOME"]));
        Assert.Equal(("1", "/models/huggingface"), (Env(engine)["HF_HUB_OFFLINE"], Env(engine)["HF_HOME"]));
        Assert.DoesNotContain("HF_TOKEN", Env(engine).Keys);
        Assert.Contains(engine["volumeMounts"]!.AsArray(), m => (string)m!["name"]! == "weights" && (bool)m["readOnly"]!);
        Assert.DoesNotContain(fetch["volumeMounts"]!.AsArray(), m => m!["readOnly"] is not null);
        Assert.Contains("--model=meta-llama/Llama-3.1-70B-Instruct", Args(engine));
    }

    [Fact]
    public void A_per_pod_download_keeps_the_engine_downloading_into_its_emptyDir_with_the_hub_variables()
    {
        var objects = Objects(ClusterFixtures.HubPerPod());
        var engine = Container(objects, "vllm");

        Assert.Null(PodSpec(objects)["initContainers"]);
        Assert.Equal(("/cache/huggingface", "secret:hf-token"), (Env(engine)["HF_HOME"], Env(engine)["HF_TOKEN"]));
        Assert.Equal("http://egress-proxy.egress:3128", Env(engine)["HTTPS_PROXY"]);
        Assert.DoesNotContain("HF_HUB_OFFLINE", Env(engine).Keys);
        Assert.Equal("20Gi", (string)PodSpec(objects)["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "cache")!["emptyDir"]!["sizeLimit"]!);
        Assert.DoesNotContain(objects.Values, o => (string)o["kind"]! == "PersistentVolumeClaim");
    }

    [Fact]
    public void An_object_store_source_is_copied_by_rclone_and_served_from_its_folder_under_the_model_id()
    {
        var minio = Objects(ClusterFixtures.MinioNodeLocal());
        var gcs = Objects(ClusterFixtures.GcsOnGke());
        var blob = Objects(ClusterFixtures.AzureBlobOnAks());

        var fetch = Container(minio, "fetch-weights");
        var folder = Args(fetch)[2];
        Assert.Equal(["copy", ":s3:models/llama-3.1-8b-instruct", folder, "--fast-list", "--transfers=16", "--checkers=16"], Args(fetch));
        Assert.StartsWith("/models/llama-3.1-8b-instruct-", folder, StringComparison.Ordinal);
        Assert.Equal(("Other", "http://minio.storage:9000"), (Env(fetch)["RCLONE_S3_PROVIDER"], Env(fetch)["RCLONE_S3_ENDPOINT"]));
        Assert.Equal("minio-reader", (string)fetch["envFrom"]![0]!["secretRef"]!["name"]!);
        Assert.Equal("gpu-node-cache", (string)PodSpec(minio)["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "weights")!["persistentVolumeClaim"]!["claimName"]!);
        Assert.DoesNotContain(minio.Values, o => (string)o["kind"]! == "PersistentVolumeClaim");
        Assert.Contains("--model=" + folder, Args(Container(minio, "vllm")));
        Assert.Contains("--served-model-name=meta-llama/Llama-3.1-8B-Instruct", Args(Container(minio, "vllm")));
        Assert.DoesNotContain(Args(Container(minio, "vllm")), a => a.StartsWith("--revision", StringComparison.Ordinal));

        Assert.Equal(":gcs:acme-models/llama-3.1-8b-instruct", Args(Container(gcs, "fetch-weights"))[1]);
        Assert.Equal("true", Env(Container(gcs, "fetch-weights"))["RCLONE_GCS_ENV_AUTH"]);
        Assert.Equal(":azureblob:models/llama-3.1-8b-instruct", Args(Container(blob, "fetch-weights"))[1]);
        Assert.Equal("acmemodels", Env(Container(blob, "fetch-weights"))["RCLONE_AZUREBLOB_ACCOUNT"]);
    }

    [Fact]
    public void Claims_and_images_are_mounted_read_only_and_nothing_is_downloaded()
    {
        var claim = Objects(ClusterFixtures.ClaimOnKarpenter());
        var image = Objects(ClusterFixtures.ImageOnCustomLabel());

        var claimVolume = PodSpec(claim)["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "weights")!;
        Assert.Equal(("llama-8b-weights", true), ((string)claimVolume["persistentVolumeClaim"]!["claimName"]!, (bool)claimVolume["persistentVolumeClaim"]!["readOnly"]!));
        Assert.Contains("--model=/models/llama-3.1-8b-instruct", Args(Container(claim, "vllm")));
        Assert.Equal("1", Env(Container(claim, "vllm"))["HF_HUB_OFFLINE"]);
        Assert.Null(PodSpec(claim)["initContainers"]);

        var imageVolume = PodSpec(image)["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "weights")!;
        Assert.Equal("registry.example.com/models/llama-3.1-8b-instruct@" + Fixtures.Digest, (string)imageVolume["image"]!["reference"]!);
        Assert.Contains("--model=/models", Args(Container(image, "vllm")));

        // No download: DNS and the metrics scrape are all the policy opens.
        var egress = Single(claim, "NetworkPolicy")["spec"]!["egress"]!.AsArray();
        Assert.Single(egress);
    }

    [Fact]
    public void Each_cloud_selects_its_gpu_nodes_by_its_own_labels_and_tolerates_its_taints()
    {
        var gke = PodSpec(Objects(Fixtures.CompliantMultiGpu() with { Cluster = ClusterProfile.Gke(sharedStorageClass: "standard-rwx") with { EgressProxy = "http://egress-proxy.egress:3128" } }));
        var karpenter = PodSpec(Objects(ClusterFixtures.ClaimOnKarpenter()));
        var aks = PodSpec(Objects(ClusterFixtures.AzureBlobOnAks()));
        var custom = PodSpec(Objects(ClusterFixtures.ImageOnCustomLabel()));
        var operatorLabels = PodSpec(Objects(Fixtures.Compliant()));

        // H100 on GKE is A3 High or A3 Mega: two values, so a node affinity.
        var h100 = gke["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!;
        Assert.Equal(("cloud.google.com/gke-accelerator", "nvidia-h100-80gb,nvidia-h100-mega-80gb"), ((string)h100["key"]!, string.Join(",", h100["values"]!.AsArray().Select(v => (string)v!))));
        Assert.Equal(("a100", "40960"), ((string)karpenter["nodeSelector"]!["karpenter.k8s.aws/instance-gpu-name"]!, (string)karpenter["nodeSelector"]!["karpenter.k8s.aws/instance-gpu-memory"]!));
        var vmSizes = aks["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!;
        Assert.Equal("node.kubernetes.io/instance-type", (string)vmSizes["key"]!);
        Assert.Contains("Standard_NC24ads_A100_v4", vmSizes["values"]!.AsArray().Select(v => (string)v!));
        Assert.Contains(aks["tolerations"]!.AsArray(), t => (string)t!["key"]! == "sku" && (string)t["value"]! == "gpu" && (string)t["operator"]! == "Equal");
        Assert.Equal("l4-24gb", (string)custom["nodeSelector"]!["example.com/gpu"]!);
        Assert.Contains(custom["tolerations"]!.AsArray(), t => (string)t!["key"]! == "example.com/dedicated");
        Assert.Equal("NVIDIA-L4", (string)operatorLabels["nodeSelector"]!["nvidia.com/gpu.product"]!);
        Assert.All(new[] { gke, karpenter, aks, custom, operatorLabels }, pod => Assert.Contains(pod["tolerations"]!.AsArray(), t => (string)t!["key"]! == "nvidia.com/gpu"));
    }

    [Fact]
    public void A_shared_cluster_suffixes_every_namespace_with_the_environment()
    {
        var result = ManifestRenderer.Render([ClusterFixtures.SharedCluster(DeploymentEnvironment.Staging), ClusterFixtures.SharedCluster(DeploymentEnvironment.Prod)], Options);
        var files = result.Files.ToDictionary(f => f.Path, f => YamlDocuments.ToJson(YamlDocuments.Parse(f.Content)), StringComparer.Ordinal);

        foreach (var environment in new[] { "staging", "prod" })
        {
            var objects = result.Objects.Where(o => o.Environment == environment && o.Kind != "Namespace").ToArray();
            Assert.All(objects, o => Assert.Equal("assistant-" + environment, (string)files[o.Path]!["metadata"]!["namespace"]!));
            Assert.Equal("assistant-" + environment, (string)files[$"{environment}/_namespaces/namespace-assistant.yaml"]!["metadata"]!["name"]!);
        }

        // A one-label host is a Service of the pod's own namespace: the environment's, not the other one's.
        Assert.Empty(TrafficCheck.Problems(Yaml(ClusterFixtures.SharedCluster(DeploymentEnvironment.Prod)), new TrafficExpectation
        {
            Callers = ["gateway"],
            Dependencies = [new PodConnection("vllm", "session-cache", 6379, "declared dependency"), new PodConnection("vllm", "embeddings.search.svc.cluster.local", 8000, "declared dependency")],
        }));
    }

    [Fact]
    public void A_migrating_canary_adopts_the_live_deployment_and_routes_no_traffic_until_it_is_healthy()
    {
        var objects = Objects(ClusterFixtures.MigratingCanary());
        var rollout = Single(objects, "Rollout")["spec"]!;
        var deployment = Single(objects, "Deployment")["spec"]!;
        var before = Objects(RolloutFixtures.Canary() with { Rollout = new RollingUpdate() });

        Assert.Equal(("apps/v1", "Deployment", "chat-70b", "onsuccess"), ((string)rollout["workloadRef"]!["apiVersion"]!, (string)rollout["workloadRef"]!["kind"]!, (string)rollout["workloadRef"]!["name"]!, (string)rollout["workloadRef"]!["scaleDown"]!));
        Assert.Null(rollout["template"]);
        Assert.Null(rollout["strategy"]!["canary"]!["trafficRouting"]);

        // The Deployment is the one that was live, pod template unchanged, so no pod restarts when the migration lands.
        Assert.Equal(Single(before, "Deployment")["spec"]!["template"]!.ToJsonString(), deployment["template"]!.ToJsonString());
        Assert.Equal("Rollout", (string)Single(objects, "HorizontalPodAutoscaler")["spec"]!["scaleTargetRef"]!["kind"]!);
        Assert.Equal((string)deployment["selector"]!.ToJsonString(), (string)rollout["selector"]!.ToJsonString());
    }

    [Fact]
    public void The_drift_of_a_deployment_turned_into_a_rollout_is_a_risky_switch_unless_it_adopts_the_deployment()
    {
        var live = RolloutFixtures.Canary() with { Rollout = new RollingUpdate() };
        var canary = RolloutFixtures.Canary();
        var adopting = ClusterFixtures.MigratingCanary();
        var options = new GateOptions { ProjectDirectory = _root, SnapshotDirectory = Path.Combine(_root, "deploy"), OutputDirectory = Path.Combine(_root, "obj", "configascode") };
        GateRunner.Run(new EvaluationResult([live], []), options with { Accept = true });

        var directRun = GateRunner.Run(new EvaluationResult([canary], []), options);
        var direct = directRun.Drift!;
        var switched = Assert.Single(WorkloadSwitches.Find(direct, ManifestRenderer.Render([canary]).Files));

        // The gate says so where a reviewer looks: both files marked risky in the drift list and the errors, and the
        // migration steps printed under the list.
        Assert.Contains(directRun.Summary, l => l.Contains("- prod/chat-70b/deployment-chat-70b.yaml", StringComparison.Ordinal) && l.Contains("[RISKY: " + WorkloadSwitches.ReplacesLiveDeploymentRisk, StringComparison.Ordinal));
        Assert.Contains(directRun.Summary, l => l.Contains("+ prod/chat-70b/rollout-chat-70b.yaml", StringComparison.Ordinal) && l.Contains("[RISKY: " + WorkloadSwitches.ReplacesLiveDeploymentRisk, StringComparison.Ordinal));
        Assert.Contains(directRun.Summary, l => l.Contains("prod/chat-70b: " + WorkloadSwitches.ReplacesLiveDeploymentRisk, StringComparison.Ordinal));
        Assert.Contains(directRun.Summary, l => l.Contains("2. Set MigrateFromDeployment = true", StringComparison.Ordinal));
        Assert.Contains(directRun.Diagnostics, d => d.Code == "CAC9003" && d.Message.Contains("RISKY (" + WorkloadSwitches.ReplacesLiveDeploymentRisk, StringComparison.Ordinal));
        Assert.Equal((WorkloadSwitchKind.ReplacesLiveDeployment, WorkloadSwitches.ReplacesLiveDeploymentRisk), (switched.Kind, switched.Risk));
        Assert.Equal(["prod/chat-70b/deployment-chat-70b.yaml", "prod/chat-70b/rollout-chat-70b.yaml"], switched.Files);
        Assert.Contains(switched.Steps, s => s.Contains("MigrateFromDeployment = true", StringComparison.Ordinal));

        var phaseOne = GateRunner.Run(new EvaluationResult([adopting], []), options).Drift!;
        var adopted = Assert.Single(WorkloadSwitches.Find(phaseOne, ManifestRenderer.Render([adopting]).Files));
        Assert.Equal((WorkloadSwitchKind.AdoptsDeployment, (string?)null), (adopted.Kind, adopted.Risk));
        // The Deployment stays: at most its metadata moves (the config hash), never its pods.
        Assert.DoesNotContain(phaseOne.Files, f => f.Path.EndsWith("deployment-chat-70b.yaml", StringComparison.Ordinal) && (f.Kind != FileChangeKind.Changed || f.Fields.Any(x => !x.Path.StartsWith("metadata.", StringComparison.Ordinal))));

        GateRunner.Run(new EvaluationResult([adopting], []), options with { Accept = true });
        var phaseTwo = GateRunner.Run(new EvaluationResult([canary], []), options).Drift!;
        var completed = Assert.Single(WorkloadSwitches.Find(phaseTwo, ManifestRenderer.Render([canary]).Files));
        Assert.Equal((WorkloadSwitchKind.CompletesMigration, WorkloadSwitches.CompletesMigrationRisk), (completed.Kind, completed.Risk));

        // An unrelated change is no switch.
        Assert.Empty(WorkloadSwitches.Find(GateRunner.Run(new EvaluationResult([live with { Scaling = live.Scaling with { MaxReplicas = 9 } }], []), options).Drift!, []));
    }

    [Fact]
    public void Traces_sent_to_an_endpoint_the_policy_does_not_allow_fail_the_build_with_the_endpoint_named()
    {
        var vendor = Fixtures.Compliant() with
        {
            Cluster = Fixtures.Cluster with { EgressProxy = null },
            Model = Fixtures.Compliant().Model with { Source = ModelSource.HuggingFace(mirror: "http://hf-mirror.models:8080") },
            Observability = new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = "https://otlp.vendor.example.com:4317" } },
        };
        var options = new GateOptions { ProjectDirectory = _root, SnapshotDirectory = Path.Combine(_root, "deploy"), OutputDirectory = Path.Combine(_root, "obj", "configascode") };

        var outcome = GateRunner.Run(new EvaluationResult([vendor], []), options with { Accept = true });

        Assert.True(outcome.Failed);
        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC2015");
        Assert.Contains("Observability.Traces.OtlpEndpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("'https://otlp.vendor.example.com:4317'", error.Message, StringComparison.Ordinal);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9013");
        Assert.False(Directory.Exists(Path.Combine(_root, "deploy", "prod")));

        // Given a route, the same deployment builds.
        var routed = vendor with { Cluster = Fixtures.Cluster };
        Assert.DoesNotContain(GateRunner.Run(new EvaluationResult([routed], []), options with { Accept = true }).Diagnostics, d => d.Code == "CAC2015");
    }

    [Fact]
    public void An_ip_endpoint_outside_the_declared_ranges_is_named_and_one_inside_is_allowed()
    {
        var outside = Fixtures.Compliant() with
        {
            Cluster = Fixtures.Cluster with { EgressProxy = null },
            Model = Fixtures.Compliant().Model with { Source = ModelSource.HuggingFace(mirror: "https://10.40.3.7") },
            Observability = new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = "http://192.168.1.5:4317" } },
            Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowEgressCidrs = ["10.40.0.0/16"] } },
        };

        var findings = Fixtures.Validate(outside).Violations.Where(f => f.Id == "CAC2015").ToArray();

        var finding = Assert.Single(findings);
        Assert.Equal("Observability.Traces.OtlpEndpoint", finding.PropertyPath);
        Assert.Contains("192.168.1.5, outside every range of Security.Network.AllowEgressCidrs (10.40.0.0/16)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cidr_with_host_bits_is_refused_with_its_canonical_form()
    {
        var d = Fixtures.Compliant() with { Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowEgressCidrs = ["10.40.1.0/16"] } } };

        var finding = Assert.Single(Fixtures.Validate(d).Violations, f => f.Id == "CAC2017");

        Assert.Equal("Security.Network.AllowEgressCidrs[0]", finding.PropertyPath);
        Assert.Contains("the range is 10.40.0.0/16", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_startup_budget_names_the_download_and_the_load_and_the_progress_deadline_covers_the_fetch()
    {
        var perPod = ClusterFixtures.HubPerPod() with { Model = ClusterFixtures.HubPerPod().Model with { Id = "meta-llama/Llama-3.1-70B-Instruct" }, Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(10)) };

        var finding = Assert.Single(Fixtures.Validate(perPod).Violations, f => f.Id == "CAC1027");
        Assert.Contains("gives up after 10 min, but the engine is estimated to need 15 min from container start to serving (a download of 11 min by the engine itself, then the load)", finding.Message, StringComparison.Ordinal);

        // A shared cache: the engine only loads; the first pod's fetch counts against the progress deadline instead.
        var shared = ClusterFixtures.HubMirrorShared();
        Assert.DoesNotContain(Fixtures.Validate(shared).Violations, f => f.Id == "CAC1027");
        Assert.Equal((20 * 60) + 658 + 300, (long)Single(Objects(shared), "Deployment")["spec"]!["progressDeadlineSeconds"]!);
    }

    [Fact]
    public void A_load_alone_past_the_startup_probe_is_CAC1020_and_the_download_share_is_CAC1027()
    {
        var perPod = ClusterFixtures.HubPerPod() with { Model = ClusterFixtures.HubPerPod().Model with { Id = "meta-llama/Llama-3.1-70B-Instruct" } };

        // About 3 min to load alone, 11 min to download first: a 1-minute probe misses the load itself.
        var loadAlone = Fixtures.Validate(perPod with { Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(1)) }).Violations;
        Assert.Contains(loadAlone, f => f.Id == "CAC1020");
        Assert.DoesNotContain(loadAlone, f => f.Id == "CAC1027");

        // A 10-minute probe covers the load but not the download before it.
        var downloadShare = Fixtures.Validate(perPod with { Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(10)) }).Violations;
        Assert.DoesNotContain(downloadShare, f => f.Id == "CAC1020");
        Assert.Contains(downloadShare, f => f.Id == "CAC1027");
    }

    [Fact]
    public void Triton_probes_liveness_on_live_and_readiness_on_ready()
    {
        var pod = PodSpec(Objects(RuleFiringTests.Triton()));
        var triton = pod["containers"]![0]!;

        Assert.Equal("/v2/health/live", (string)triton["livenessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/v2/health/ready", (string)triton["readinessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/v2/health/ready", (string)triton["startupProbe"]!["httpGet"]!["path"]!);
        Assert.StartsWith("--model-repository=/models/bge-reranker-v2-m3-", Args(triton)[0], StringComparison.Ordinal);
    }
}
