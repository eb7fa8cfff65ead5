using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Readiness;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Multi-node replicas (LeaderWorkerSet), inference pools with a canary across two pools, and KEDA scaling.</summary>
public sealed class MultiNodeTests
{
    private static readonly RenderOptions Options = new() { PlatformName = "InferencePlatform", GeneratorVersion = "0.1.0" };

    private static RenderResult Render() => ManifestRenderer.Render(MultiNodeFixtures.Platform(), Options);

    [Fact]
    public void A_405B_on_two_nodes_of_eight_H100_with_TP8_and_PP2_passes_every_rule()
    {
        var report = Fixtures.Validate(MultiNodeFixtures.Platform());

        Assert.True(report.Findings.Count == 0, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal(report.Evaluations, report.CompliantCount);
    }

    [Fact]
    public void TP16_on_eight_GPU_nodes_is_rejected_with_the_per_node_limit()
    {
        var tp16 = MultiNodeFixtures.Llama405B() with { Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 16_384, TensorParallelSize = 16 } };

        var findings = Fixtures.Validate(tp16, MultiNodeFixtures.Llama405BFp8Candidate()).Violations;

        var finding = Assert.Single(findings);
        Assert.Equal(("CAC3025", "Engine.TensorParallelSize"), (finding.Id, finding.PropertyPath));
        Assert.Contains("tensor parallel 16 is larger than the 8 H100-80GB GPUs on each node of this replica", finding.Message, StringComparison.Ordinal);
        Assert.Contains("the per-node limit: at most 8", finding.Message, StringComparison.Ordinal);
        Assert.Contains("TensorParallelSize = 8, PipelineParallelSize = 2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TP16_is_accepted_when_NVLink_spans_the_nodes()
    {
        var nvl = MultiNodeFixtures.Llama405B() with
        {
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 16_384, TensorParallelSize = 16 },
            Accelerator = MultiNodeFixtures.Llama405B().Accelerator with { Interconnect = NodeInterconnect.MultiNodeNvLink },
        };

        Assert.DoesNotContain("CAC3025", Fixtures.Validate(nvl, MultiNodeFixtures.Llama405BFp8Candidate()).ViolationIds());
    }

    [Theory]
    [InlineData(4, 4, 0)]
    [InlineData(6, 0, 1)]
    [InlineData(3, 0, 1)]
    public void Tensor_parallel_must_divide_the_GPUs_of_a_node(int tp, int pp, int expected)
    {
        var d = MultiNodeFixtures.Llama405B() with { Engine = ((VllmEngine)MultiNodeFixtures.Llama405B().Engine) with { TensorParallelSize = tp, PipelineParallelSize = pp == 0 ? 16 / tp : pp } };

        Assert.Equal(expected, Fixtures.Validate(d, MultiNodeFixtures.Llama405BFp8Candidate()).Violations.Count(f => f.Id == "CAC3025"));
    }

    [Fact]
    public void Tensor_times_pipeline_parallel_is_compared_with_GPUs_per_node_times_nodes()
    {
        var pp1 = MultiNodeFixtures.Llama405B() with { Engine = ((VllmEngine)MultiNodeFixtures.Llama405B().Engine) with { PipelineParallelSize = 1 } };

        var finding = Assert.Single(Fixtures.Validate(pp1, MultiNodeFixtures.Llama405BFp8Candidate()).Violations, f => f.Id == "CAC3004");

        Assert.Contains("the replica has 2 nodes x 8 GPUs = 16", finding.Message, StringComparison.Ordinal);
        Assert.Contains("TensorParallelSize = 8, PipelineParallelSize = 2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_memory_model_is_per_GPU_and_fits_the_405B_on_sixteen_H100()
    {
        var fit = Synthesis.Gpu.GpuFitEstimate.For(MultiNodeFixtures.Llama405B())!;

        Assert.Equal((8, 2), (fit.Budget.TensorParallel, fit.Budget.PipelineParallel));
        Assert.True(fit.MaxModelLenFits);

        // 405.9 B parameters in bf16 over 16 GPUs, the 126 layers split 63 + 63 by the pipeline stages.
        Assert.InRange(fit.Budget.WeightBytes / Synthesis.Gpu.KvCacheBudget.BytesPerGiB, 45, 50);
    }

    [Fact]
    public void The_replica_costs_sixteen_GPUs()
    {
        var (estimates, findings) = CostEstimator.Estimate(MultiNodeFixtures.Platform(), PriceCatalog.Shipped(), PricingTarget.AwsUsEast1);

        Assert.Empty(findings);
        var e = estimates.Single(x => x.Deployment == "chat-405b");
        Assert.Equal(16, e.GpusPerReplica);
        Assert.Equal(16 * 12.29m, e.ReplicaUsdPerHour);
        Assert.Equal(16 * 12.29m * 2 * 730m, e.MonthlyAtMin);
        Assert.Equal(8, estimates.Single(x => x.Deployment == "chat-405b-fp8").GpusPerReplica);
    }

    [Fact]
    public void A_host_price_counts_every_pod_of_a_multi_node_replica()
    {
        // GCP's L4 price is the GPU part only: the host's CPU and memory are priced per pod, here two per replica.
        var twoNodes = Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { PipelineParallelSize = 2 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1, Nodes = 2 } };
        var (estimates, _) = CostEstimator.Estimate([twoNodes], PriceCatalog.Shipped(), new PricingTarget("gcp", "us-central1"));

        var e = Assert.Single(estimates);
        Assert.Equal(Math.Round(((0.031611m * 4) + (0.004237m * 32)) * 2, 4), e.HostUsdPerHour);
        Assert.Equal((2, (0.56m * 2) + e.HostUsdPerHour), (e.GpusPerReplica, e.ReplicaUsdPerHour));
    }

    [Fact]
    public void The_rendered_platform_matches_its_golden_file()
    {
        var text = new StringBuilder();
        foreach (var file in Render().Files)
        {
            text.Append("# ").Append(file.Path).Append('\n').Append(file.Content).Append('\n');
        }

        Approver.Verify(text.ToString(), "multinode-pool-keda", "yaml.txt");
    }

    [Fact]
    public void Every_object_passes_its_schema_LeaderWorkerSet_and_InferencePool_against_the_upstream_CRDs()
    {
        var result = Render();
        var files = result.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);

        var results = SchemaValidator.Validate(result.Objects.Select(o => (o.Path, YamlDocuments.ToJson(YamlDocuments.Parse(files[o.Path]))!)));

        Assert.Equal(result.Objects.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Ok, $"{r.Path}: {r.Error}"));
        var kinds = result.Objects.Select(o => $"{o.ApiVersion}/{o.Kind}").ToHashSet(StringComparer.Ordinal);
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal) { "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet", "inference.networking.k8s.io/v1/InferencePool", "gateway.networking.k8s.io/v1/HTTPRoute", "keda.sh/v1alpha1/ScaledObject", "argoproj.io/v1alpha1/AnalysisRun" },
            kinds);
    }

    [Theory]
    [InlineData("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", """{"leaderWorkerTemplate":{"size":"two","workerTemplate":{}}}""", "size")]
    [InlineData("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", """{"leaderWorkerTemplate":{"workerTemplate":{}},"startupPolicy":"WhenReady"}""", "startupPolicy")]
    [InlineData("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", """{"leaderWorkerTemplate":{"workerTemplate":{},"sise":2}}""", "sise")]
    [InlineData("inference.networking.k8s.io/v1", "InferencePool", """{"selector":{"matchLabels":{"app":"x"}}}""", "targetPorts")]
    [InlineData("inference.networking.k8s.io/v1", "InferencePool", """{"selector":{"matchLabels":{"app":"x"}},"targetPorts":[{"number":8000}],"endpointPickerRef":{"name":"x-epp","failureMode":"Maybe"}}""", "failureMode")]
    [InlineData("gateway.networking.k8s.io/v1", "HTTPRoute", """{"rules":[{"backendRefs":[{"name":"x","weight":-1}]}]}""", "weight")]
    [InlineData("keda.sh/v1alpha1", "ScaledObject", """{"scaleTargetRef":{"name":"x"},"triggers":[{"type":"prometheus","metadata":{"threshold":5}}]}""", "threshold")]
    public void The_schema_validator_rejects_broken_objects_of_each_new_kind(string apiVersion, string kind, string spec, string expected)
    {
        var broken = System.Text.Json.Nodes.JsonNode.Parse($$"""{"apiVersion":"{{apiVersion}}","kind":"{{kind}}","metadata":{"name":"x","namespace":"y"},"spec":{{spec}}}""")!;

        var result = Assert.Single(SchemaValidator.Validate([("broken.yaml", broken)]));

        Assert.False(result.Ok, $"{kind} {spec} passed");
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_document_parses_back_to_the_tree_that_was_rendered()
    {
        var written = Render().Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        foreach (var o in MultiNodeFixtures.Platform().SelectMany(d => ManifestRenderer.BuildDocuments(d, Options).Documents))
        {
            YamlDocuments.AssertEquivalent(o.Document, YamlDocuments.Parse(written[o.Path]), o.Path);
        }
    }

    [Fact]
    public void A_multi_node_replica_renders_a_LeaderWorkerSet_of_leader_and_headless_workers()
    {
        var paths = Render().Files.Select(f => f.Path).Where(p => p.StartsWith("prod/chat-405b/", StringComparison.Ordinal)).ToArray();
        Assert.Contains("prod/chat-405b/leaderworkerset-chat-405b.yaml", paths);
        Assert.DoesNotContain(paths, p => p.Contains("/deployment-", StringComparison.Ordinal));

        var lws = Document("prod/chat-405b/leaderworkerset-chat-405b.yaml");
        var spec = (MapNode)lws["spec"];
        var template = (MapNode)spec["leaderWorkerTemplate"];
        Assert.Equal(("2", "2", "RecreateGroupOnPodRestart"), (Text(spec["replicas"]), Text(template["size"]), Text(template["restartPolicy"])));
        Assert.Equal(("LeaderCreated", "UniquePerReplica"), (Text(spec["startupPolicy"]), Text(((MapNode)spec["networkConfig"])["subdomainPolicy"])));
        var rolling = (MapNode)((MapNode)spec["rolloutStrategy"])["rollingUpdateConfiguration"];
        Assert.Equal(("1", "0"), (Text(rolling["maxSurge"]), Text(rolling["maxUnavailable"])));

        var leader = Container(template, "leaderTemplate");
        var worker = Container(template, "workerTemplate");
        foreach (var container in new[] { leader, worker })
        {
            var resources = (MapNode)container["resources"];
            Assert.Equal(("8", "8"), (Text(((MapNode)resources["requests"])["nvidia.com/gpu"]), Text(((MapNode)resources["limits"])["nvidia.com/gpu"])));
            Assert.Contains("--tensor-parallel-size=8", Args(container));
            Assert.Contains("--pipeline-parallel-size=2", Args(container));
            Assert.Contains("--nnodes=$(LWS_GROUP_SIZE)", Args(container));
            Assert.Contains("--node-rank=$(LWS_WORKER_INDEX)", Args(container));
            Assert.Contains("--master-addr=$(LWS_LEADER_ADDRESS)", Args(container));
            Assert.Contains("--master-port=29501", Args(container));
            Assert.Contains(((ListNode)container["volumeMounts"]).Items.Cast<MapNode>(), m => Text(m["mountPath"]) == "/dev/shm");
        }

        Assert.DoesNotContain("--headless", Args(leader));
        Assert.Equal("--headless", Args(worker).Last());
        Assert.Equal(Args(leader), Args(worker).SkipLast(1));
        foreach (var key in new[] { "ports", "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.True(leader.TryGet(key, out _), "leader has " + key);
            Assert.False(worker.TryGet(key, out _), "worker has no " + key);
        }

        var workerAnnotations = (MapNode)((MapNode)((MapNode)template["workerTemplate"])["metadata"])["annotations"];
        Assert.False(workerAnnotations.TryGet("prometheus.io/scrape", out _), "a headless worker has no metrics endpoint to scrape");
    }

    [Fact]
    public void The_Service_and_the_pool_select_leaders_and_the_budget_counts_whole_groups()
    {
        var selector = (MapNode)((MapNode)Document("prod/chat-405b/service-chat-405b.yaml")["spec"])["selector"];
        Assert.Equal("0", Text(selector["leaderworkerset.sigs.k8s.io/worker-index"]));
        Assert.Equal("chat-405b", Text(selector["app.kubernetes.io/name"]));

        var poolSelector = (MapNode)((MapNode)((MapNode)Document("prod/chat-405b/inferencepool-chat-405b.yaml")["spec"])["selector"])["matchLabels"];
        Assert.Equal("0", Text(poolSelector["leaderworkerset.sigs.k8s.io/worker-index"]));

        Assert.Equal("2", Text(((MapNode)Document("prod/chat-405b/poddisruptionbudget-chat-405b.yaml")["spec"])["maxUnavailable"]));

        var group = (MapNode)Document("prod/chat-405b/networkpolicy-chat-405b-group.yaml")["spec"];
        var from = (MapNode)((ListNode)((MapNode)((ListNode)group["ingress"]).Items[0])["from"]).Items[0];
        Assert.Equal("chat-405b", Text(((MapNode)((MapNode)from["podSelector"])["matchLabels"])["app.kubernetes.io/instance"]));
        Assert.False(((MapNode)((ListNode)group["ingress"]).Items[0]).TryGet("ports", out _), "a group's ranks talk on every port");
    }

    [Fact]
    public void The_route_splits_between_the_two_pools_and_an_analysis_judges_the_candidate()
    {
        var route = (MapNode)Document("prod/chat-405b/httproute-chat-405b.yaml")["spec"];
        var rule = (MapNode)((ListNode)route["rules"]).Items[0];
        var backends = ((ListNode)rule["backendRefs"]).Items.Cast<MapNode>().Select(b => (Text(b["kind"]), Text(b["name"]), Text(b["weight"]))).ToArray();
        Assert.Equal([("InferencePool", "chat-405b", "90"), ("InferencePool", "chat-405b-fp8", "10")], backends);
        Assert.Equal("5m", Text(((MapNode)rule["timeouts"])["request"]));
        var parent = (MapNode)((ListNode)route["parentRefs"]).Items[0];
        Assert.Equal(("inference-gateway", "gateway"), (Text(parent["name"]), Text(parent["namespace"])));

        Assert.DoesNotContain(Render().Files, f => f.Path.StartsWith("prod/chat-405b-fp8/httproute-", StringComparison.Ordinal));
        Assert.Contains(Render().Files, f => f.Path == "prod/chat-405b-fp8/inferencepool-chat-405b-fp8.yaml");

        var run = Document("prod/chat-405b/analysisrun-chat-405b-fp8-canary-10.yaml");
        var metrics = ((ListNode)((MapNode)run["spec"])["metrics"]).Items.Cast<MapNode>().ToArray();
        Assert.Equal(["error-rate", "p95-latency", "p95-time-to-first-token"], metrics.Select(m => Text(m["name"])));
        Assert.All(metrics, m => Assert.Equal("10", Text(m["count"])));
        var query = Text(((MapNode)((MapNode)metrics[0]["provider"])["prometheus"])["query"]);
        Assert.Contains("app_kubernetes_io_name=\"chat-405b-fp8\"", query, StringComparison.Ordinal);
        Assert.DoesNotContain("app_kubernetes_io_name=\"chat-405b\"", query, StringComparison.Ordinal);
    }

    [Fact]
    public void At_weight_zero_the_candidate_gets_no_traffic_and_no_analysis()
    {
        var stable = MultiNodeFixtures.Llama405B();
        var rolledBack = stable with { Pool = stable.Pool! with { Canary = stable.Pool.Canary! with { Weight = 0 } } };

        var paths = ManifestRenderer.BuildDocuments(rolledBack, Options).Documents.Select(d => d.Path).ToArray();

        Assert.DoesNotContain(paths, p => p.Contains("/analysisrun-", StringComparison.Ordinal));
        var weights = ((ListNode)((MapNode)((ListNode)((MapNode)ManifestRenderer.BuildDocuments(rolledBack, Options).Documents.Single(d => d.Path.Contains("/httproute-", StringComparison.Ordinal)).Document["spec"])["rules"]).Items[0])["backendRefs"]).Items.Cast<MapNode>().Select(b => Text(b["weight"]));
        Assert.Equal(["100", "0"], weights);
    }

    [Fact]
    public void KEDA_replaces_the_autoscaler_with_a_ScaledObject_on_queue_depth_and_KV_cache_usage()
    {
        var paths = Render().Files.Select(f => f.Path).ToArray();
        Assert.DoesNotContain("prod/chat-8b/horizontalpodautoscaler-chat-8b.yaml", paths);

        var spec = (MapNode)Document("prod/chat-8b/scaledobject-chat-8b.yaml")["spec"];
        Assert.Equal(("2", "6"), (Text(spec["minReplicaCount"]), Text(spec["maxReplicaCount"])));
        Assert.Equal(("apps/v1", "Deployment", "chat-8b"), ScaleTarget(spec));
        var fallback = (MapNode)spec["fallback"];
        Assert.Equal(("3", "2"), (Text(fallback["failureThreshold"]), Text(fallback["replicas"])));

        // The 8B model's load time is estimated: 60 s of start-up plus 14.96 GiB at 1 GiB/s.
        Assert.Equal("75", Text(spec["initialCooldownPeriod"]));
        Assert.Equal("300", Text(spec["cooldownPeriod"]));

        var triggers = ((ListNode)spec["triggers"]).Items.Cast<MapNode>().ToArray();
        Assert.Equal(["queue-depth", "kv-cache-usage"], triggers.Select(t => Text(t["name"])));
        var queue = (MapNode)triggers[0]["metadata"];
        Assert.Equal("sum(vllm:num_requests_waiting{namespace=\"inference\",app_kubernetes_io_name=\"chat-8b\",env=\"prod\"}) or vector(0)", Text(queue["query"]));
        Assert.Equal("5", Text(queue["threshold"]));
        Assert.Equal("http://prometheus-operated.monitoring.svc:9090", Text(queue["serverAddress"]));
        Assert.Equal(("sum(vllm:kv_cache_usage_perc{namespace=\"inference\",app_kubernetes_io_name=\"chat-8b\",env=\"prod\"}) or vector(0)", "0.8"), (Text(((MapNode)triggers[1]["metadata"])["query"]), Text(((MapNode)triggers[1]["metadata"])["threshold"])));

        // The series carry the labels the query selects on only through the PodMonitor.
        Assert.Contains("prod/chat-8b/podmonitor-chat-8b.yaml", paths);
    }

    [Fact]
    public void KEDA_scales_a_LeaderWorkerSet_and_reads_the_old_KV_metric_on_old_vLLM()
    {
        var lws = MultiNodeFixtures.Llama405B() with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Keda = new KedaScaling { KvCacheUsageTarget = 0.9, InitialCooldownPeriod = TimeSpan.FromMinutes(30) } } };
        var spec = (MapNode)ManifestRenderer.BuildDocuments(lws, Options).Documents.Single(d => d.Path.Contains("/scaledobject-", StringComparison.Ordinal)).Document["spec"];
        Assert.Equal(("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "chat-405b"), ScaleTarget(spec));
        Assert.Equal(("1800", "1500"), (Text(spec["initialCooldownPeriod"]), Text(spec["cooldownPeriod"])));
        var old = KedaFixtureOn("v0.9.2");
        Assert.Contains("vllm:gpu_cache_usage_perc", old, StringComparison.Ordinal);
        Assert.DoesNotContain("vllm:kv_cache_usage_perc", old, StringComparison.Ordinal);

        static string KedaFixtureOn(string tag)
        {
            var d = MultiNodeFixtures.KedaScaled() with { Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = tag } };
            return YamlManifestWriter.Write(ManifestRenderer.BuildDocuments(d, Options).Documents.Single(o => o.Path.Contains("/scaledobject-", StringComparison.Ordinal)).Document);
        }
    }

    [Fact]
    public void A_multi_node_replica_with_an_Argo_strategy_is_refused_rather_than_rendered_without_it()
    {
        var canary = MultiNodeFixtures.Llama405B() with { Rollout = RolloutFixtures.Canary().Rollout };

        var (documents, problem) = ManifestRenderer.BuildDocuments(canary, Options);

        Assert.Empty(documents);
        Assert.Equal(("CAC9007", "Rollout"), (problem!.Id, problem.PropertyPath));
        Assert.Contains("CAC1030", Fixtures.Validate(canary, MultiNodeFixtures.Llama405BFp8Candidate()).ViolationIds());
    }

    [Fact]
    public void The_readiness_checklist_speaks_of_groups_and_leaders()
    {
        var d = MultiNodeFixtures.Llama405B();
        var items = ReadinessChecklist.For(d, Fixtures.Validate(d, MultiNodeFixtures.Llama405BFp8Candidate()).Findings).Items.ToDictionary(i => i.Id, StringComparer.Ordinal);

        Assert.True(items["probes"].Passed);
        Assert.Contains("on each 2-node group's leader", items["probes"].Reason, StringComparison.Ordinal);
        Assert.True(items["failure-modes"].Passed, items["failure-modes"].Reason);
        Assert.Contains("disruption budget of 2 pods (1 2-pod group(s) at a time)", items["failure-modes"].Reason, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu 8 per pod on 2 pods per replica", items["resources"].Reason, StringComparison.Ordinal);

        var noProbes = ReadinessChecklist.For(d with { Probes = new HealthProbes { Liveness = null } }, []).Items.Single(i => i.Id == "probes");
        Assert.False(noProbes.Passed);
        Assert.Contains("no liveness probe on each 2-node group's leader", noProbes.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void KEDA_cooldowns_shorter_than_the_model_load_are_reported_only_where_KEDA_scales_to_zero()
    {
        var keda = new KedaScaling { CooldownPeriod = TimeSpan.FromSeconds(30), InitialCooldownPeriod = TimeSpan.FromSeconds(10) };
        var toZero = MultiNodeFixtures.KedaScaled() with { Environment = DeploymentEnvironment.Dev, Scaling = new ScalingSpec { MinReplicas = 0, MaxReplicas = 4, Keda = keda } };
        var fromTwo = toZero with { Scaling = toZero.Scaling with { MinReplicas = 2 } };
        var unknownLoad = toZero with { Model = new ModelSpec { Id = "acme/house-model", Revision = Fixtures.Revision } };

        var findings = Fixtures.Validate(toZero).Findings.Where(f => f.Id == "CAC1032").ToArray();

        Assert.Equal(["Scaling.Keda.CooldownPeriod", "Scaling.Keda.InitialCooldownPeriod"], findings.Select(f => f.PropertyPath).Order(StringComparer.Ordinal));
        Assert.Contains("sooner than the 75 s a replica takes to load", findings.Single(f => f.PropertyPath == "Scaling.Keda.CooldownPeriod").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Fixtures.Validate(fromTwo).Findings, f => f.Id == "CAC1032");
        Assert.Equal(Synthesis.Validation.FindingOutcome.Undecided, Assert.Single(Fixtures.Validate(unknownLoad).Findings, f => f.Id == "CAC1032").Outcome);
    }

    [Fact]
    public void Production_scale_to_zero_is_an_error_until_acknowledged_and_the_acknowledgment_also_quiets_CAC1009()
    {
        var zero = MultiNodeFixtures.KedaScaled() with { Scaling = new ScalingSpec { MinReplicas = 0, MaxReplicas = 4, Keda = new KedaScaling() } };
        var acknowledged = zero with { Scaling = zero.Scaling with { Keda = new KedaScaling { ScaleToZeroAcknowledgment = "nightly batch tier; a cold start is fine" } } };

        Assert.Equal(["CAC1009", "CAC1031"], Fixtures.Validate(zero).ViolationIds().Where(id => id is "CAC1009" or "CAC1031"));
        Assert.DoesNotContain(Fixtures.Validate(acknowledged).ViolationIds(), id => id is "CAC1009" or "CAC1031");
        Assert.Contains("a HorizontalPodAutoscaler cannot scale to zero", Assert.Single(Fixtures.Validate(zero with { Scaling = new ScalingSpec { MinReplicas = 0, MaxReplicas = 4 } }).Violations, f => f.Id == "CAC1031").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_canaries_are_checked_across_deployments()
    {
        var stable = MultiNodeFixtures.Llama405B();
        var candidate = MultiNodeFixtures.Llama405BFp8Candidate();

        string[] Messages(params InferenceDeployment[] d) => Fixtures.Validate(d).Violations.Where(f => f.Id == "CAC1034").Select(f => f.PropertyPath + ": " + f.Message).ToArray();

        Assert.Contains(Messages(stable), m => m.StartsWith("Pool.Canary.Candidate: no deployment 'chat-405b-fp8'", StringComparison.Ordinal));
        Assert.Contains(Messages(stable, candidate with { Pool = null }), m => m.Contains("has no InferencePool", StringComparison.Ordinal));
        Assert.Contains(Messages(stable, candidate with { Pool = candidate.Pool! with { HttpRoute = true } }), m => m.Contains("renders an HTTPRoute of its own", StringComparison.Ordinal));
        Assert.Contains(Messages(stable, candidate with { Engine = new TgiEngine { MaxInputTokens = 1000, MaxTotalTokens = 2000, MaxBatchPrefillTokens = 2000, MaxBatchTotalTokens = 8000 } }), m => m.Contains("runs tgi", StringComparison.Ordinal));
        Assert.Contains(Messages(candidate), m => m.StartsWith("Pool.HttpRoute: HttpRoute = false and no deployment's Pool.Canary names", StringComparison.Ordinal));
        Assert.Contains(Messages(stable with { Pool = stable.Pool! with { Canary = stable.Pool.Canary! with { Weight = 101 } } }, candidate), m => m.StartsWith("Pool.Canary.Weight", StringComparison.Ordinal));

        var twin = MultiNodeFixtures.KedaScaled() with { Namespace = "assistant", Pool = stable.Pool! with { Canary = null } };
        Assert.Equal(2, Messages(stable, candidate, twin).Count(m => m.Contains("attach to the same Gateway with the same hostnames", StringComparison.Ordinal)));
        Assert.Empty(Messages(stable, candidate, twin with { Pool = twin.Pool! with { HeaderMatches = new Dictionary<string, string> { ["X-Gateway-Model-Name"] = "meta-llama/Llama-3.1-8B-Instruct" } } }));
    }

    [Fact]
    public void Production_pool_canaries_need_measurable_guardrails()
    {
        var stable = MultiNodeFixtures.Llama405B() with { Slos = null };

        var finding = Assert.Single(Fixtures.Validate(stable, MultiNodeFixtures.Llama405BFp8Candidate()).Violations, f => f.Id == "CAC1013");

        Assert.Equal("Pool.Canary", finding.PropertyPath);
        Assert.DoesNotContain(ManifestRenderer.BuildDocuments(stable, Options).Documents, d => d.Path.Contains("/analysisrun-", StringComparison.Ordinal));
    }

    [Fact]
    public void Multi_node_replicas_need_a_vLLM_that_joins_nodes_without_Ray()
    {
        var old = MultiNodeFixtures.Llama405B() with { Pool = null, Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.11.0", Digest = MultiNodeFixtures.VllmDigest } };

        var finding = Assert.Single(Fixtures.Validate(old).Violations, f => f.Id == "CAC3018");

        Assert.Equal("Accelerator.Nodes", finding.PropertyPath);
        Assert.Contains("arrived in 0.11.1 (vllm-project/vllm#23691)", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1500, "1s500ms")]
    [InlineData(300_000, "5m")]
    [InlineData(5_430_000, "1h30m30s")]
    public void Route_timeouts_are_Gateway_API_durations(long milliseconds, string expected) =>
        Assert.Equal(expected, InferencePoolManifests.GatewayDuration(TimeSpan.FromMilliseconds(milliseconds)));

    private static (string, string, string) ScaleTarget(MapNode spec)
    {
        var target = (MapNode)spec["scaleTargetRef"];
        return (Text(target["apiVersion"]), Text(target["kind"]), Text(target["name"]));
    }

    private static MapNode Container(MapNode template, string which) =>
        (MapNode)((ListNode)((MapNode)((MapNode)template[which])["spec"])["containers"]).Items[0];

    private static string[] Args(MapNode container) => ((ListNode)container["args"]).Items.Select(a => ((ScalarNode)a).Text).ToArray();

    private static MapNode Document(string path) =>
        MultiNodeFixtures.Platform().SelectMany(d => ManifestRenderer.BuildDocuments(d, Options).Documents).Single(o => o.Path == path).Document;

    private static string Text(ManifestNode node) => ((ScalarNode)node).Text;
}
