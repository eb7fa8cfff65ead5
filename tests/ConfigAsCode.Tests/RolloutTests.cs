using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using ConfigAsCode.Synthesis.Readiness;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rollouts;
using ConfigAsCode.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Canary, ramp and shadow rollouts: the Argo Rollouts objects, their guardrails, the SLO alerts and the readiness checklist.</summary>
public sealed class RolloutTests
{
    private static readonly RenderOptions Options = new() { PlatformName = "InferencePlatform", GeneratorVersion = "0.1.0" };

    public static TheoryData<string> Strategies => new() { "canary", "ramp", "shadow" };

    private static InferenceDeployment Strategy(string name) => name switch
    {
        "canary" => RolloutFixtures.Canary(),
        "ramp" => RolloutFixtures.Ramp(),
        "shadow" => RolloutFixtures.Shadow(),
        "canary-nginx-tgi" => RolloutFixtures.TgiCanary(),
        _ => RolloutFixtures.TritonCanary(),
    };

    private static Dictionary<string, JsonNode> Objects(InferenceDeployment d)
    {
        var (documents, problem) = ManifestRenderer.BuildDocuments(d, Options);
        Assert.Null(problem);
        return documents.ToDictionary(o => o.Path, o => YamlDocuments.ToJson(YamlDocuments.Parse(YamlManifestWriter.Write(o.Document)))!, StringComparer.Ordinal);
    }

    private static JsonNode Single(Dictionary<string, JsonNode> objects, string kind, string? name = null) =>
        objects.Values.Single(o => (string)o["kind"]! == kind && (name is null || (string)o["metadata"]!["name"]! == name));

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Each_strategy_matches_its_golden_file(string strategy)
    {
        var text = new StringBuilder();
        foreach (var file in ManifestRenderer.Render([Strategy(strategy)], Options).Files.Where(f => !f.Path.StartsWith(".configascode", StringComparison.Ordinal)))
        {
            text.Append("# ").Append(file.Path).Append('\n').Append(file.Content).Append('\n');
        }

        Approver.Verify(text.ToString(), "rollout-" + strategy, "yaml.txt");
    }

    [Fact]
    public void Every_rollout_analysis_template_prometheus_rule_and_pod_monitor_passes_the_schema_validator()
    {
        var deployments = new[] { "canary", "ramp", "canary-nginx-tgi", "canary-gateway-api-triton" }.Select(Strategy).Append(RolloutFixtures.Shadow() with { Environment = DeploymentEnvironment.Staging }).ToArray();
        var result = ManifestRenderer.Render(deployments, Options);
        var files = result.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);

        var results = SchemaValidator.Validate(result.Objects.Select(o => (o.Path, YamlDocuments.ToJson(YamlDocuments.Parse(files[o.Path]))!)));

        Assert.All(results, r => Assert.True(r.Ok, $"{r.Path}: {r.Error}"));
        var kinds = result.Objects.Select(o => o.Kind).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string> { "Rollout", "AnalysisTemplate", "PrometheusRule", "PodMonitor", "Service", "HorizontalPodAutoscaler" }, kinds);
        Assert.DoesNotContain("Deployment", kinds);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void A_broken_rollout_is_rejected_by_the_validator_so_the_schema_check_can_fail()
    {
        var rollout = Single(Objects(RolloutFixtures.Canary()), "Rollout");
        rollout["spec"]!["strategy"]!["canary"]!["steps"]![0]!["setWeight"] = "ten";

        var result = Assert.Single(SchemaValidator.Validate([("broken-rollout.yaml", rollout)]));

        Assert.False(result.Ok);
    }

    [Fact]
    public void Slo_to_guardrail_mapping_follows_the_domain_example()
    {
        // DOMAIN.md §5: error rate <= 1% → sum(rate(errors[5m]))/sum(rate(requests[5m])), result[0] <= 0.01, interval 1m,
        // failureLimit 2; p95 latency <= 300 ms → histogram_quantile(0.95, sum by (le)(rate(<histogram>_bucket[5m]))), result[0] <= 0.3.
        var d = RolloutFixtures.Canary() with { Slos = new ServiceLevelObjectives { MaxErrorRate = 0.01, P95Latency = TimeSpan.FromMilliseconds(300) } };

        var metrics = Single(Objects(d), "AnalysisTemplate", "chat-70b-guardrails")["spec"]!["metrics"]!.AsArray();

        const string Canary = "namespace=\"inference\",app_kubernetes_io_name=\"chat-70b\",env=\"prod\",rollouts_pod_template_hash=\"{{args.canary-hash}}\"";
        var errors = metrics.Single(m => (string)m!["name"]! == "error-rate")!;
        Assert.Equal(
            $"(sum(rate(http_requests_total{{{Canary},handler=~\"/v1/.*\",status=\"5xx\"}}[5m])) or vector(0)) / sum(rate(http_requests_total{{{Canary},handler=~\"/v1/.*\"}}[5m]))",
            (string)errors["provider"]!["prometheus"]!["query"]!);
        Assert.Equal("len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.01", (string)errors["successCondition"]!);
        Assert.Equal("1m", (string)errors["interval"]!);
        Assert.Equal(2, (long)errors["failureLimit"]!);
        Assert.Equal("2m", (string)errors["initialDelay"]!);
        Assert.Null(errors["count"]);

        var latency = metrics.Single(m => (string)m!["name"]! == "p95-latency")!;
        Assert.Equal($"histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{{{Canary}}}[5m])))", (string)latency["provider"]!["prometheus"]!["query"]!);
        Assert.Equal("len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.3", (string)latency["successCondition"]!);
        Assert.DoesNotContain(metrics, m => (string)m!["name"]! == "p95-time-to-first-token");
    }

    [Fact]
    public void No_data_fails_by_default_and_is_inconclusive_when_asked()
    {
        var failing = Single(Objects(RolloutFixtures.Canary()), "AnalysisTemplate", "chat-70b-guardrails")["spec"]!["metrics"]![0]!;
        var pausing = Single(Objects(RolloutFixtures.Ramp()), "AnalysisTemplate", "chat-8b-guardrails")["spec"]!["metrics"]![0]!;

        Assert.Null(failing["failureCondition"]);
        Assert.Equal("len(result) > 0 && !isNaN(result[0]) && result[0] > 0.005", (string)pausing["failureCondition"]!);
        Assert.Equal("5m", (string)pausing["initialDelay"]!);
    }

    [Fact]
    public void Declared_guardrails_win_and_missing_ones_come_from_the_slos()
    {
        var resolved = RolloutPlan.Resolve(RolloutFixtures.Ramp());

        Assert.Equal(0.005, resolved.Limits.MaxErrorRate);
        Assert.Equal(TimeSpan.FromSeconds(20), resolved.Limits.MaxP95Latency);
        Assert.Null(resolved.Limits.MaxP95TimeToFirstToken);
        Assert.Equal(NoDataPolicy.Pause, resolved.Limits.NoData);
        Assert.Equal(["MaxP95Latency"], resolved.DerivedFromSlos);
    }

    [Fact]
    public void The_canary_rollout_guards_the_whole_rollout_and_gates_inline()
    {
        var objects = Objects(RolloutFixtures.Canary());
        var canary = Single(objects, "Rollout")["spec"]!["strategy"]!["canary"]!;

        Assert.Equal("chat-70b-canary", (string)canary["canaryService"]!);
        Assert.Equal("chat-70b-stable", (string)canary["stableService"]!);
        Assert.Equal("chat-70b-guardrails", (string)canary["analysis"]!["templates"]![0]!["templateName"]!);
        Assert.Null(canary["analysis"]!["startingStep"]); // the first step sets traffic
        Assert.Equal("Latest", (string)canary["analysis"]!["args"]![0]!["valueFrom"]!["podTemplateHashValue"]!);
        Assert.Equal("chat-70b-gate", (string)canary["steps"]![3]!["analysis"]!["templates"]![0]!["templateName"]!);
        Assert.Equal(5, (long)Single(objects, "AnalysisTemplate", "chat-70b-gate")["spec"]!["metrics"]![0]!["count"]!);
        Assert.Equal("10m", (string)canary["steps"]![1]!["pause"]!["duration"]!);
        Assert.True((bool)Single(objects, "Rollout")["spec"]!["progressDeadlineAbort"]!);
        Assert.Equal("Rollout", (string)Single(objects, "HorizontalPodAutoscaler")["spec"]!["scaleTargetRef"]!["kind"]!);
        Assert.Equal(0, (long)canary["maxUnavailable"]!);
    }

    [Fact]
    public void Shadow_mode_scales_the_shadow_mirrors_then_promotes()
    {
        var canary = Single(Objects(RolloutFixtures.Shadow()), "Rollout")["spec"]!["strategy"]!["canary"]!;
        var steps = canary["steps"]!.AsArray();

        Assert.Equal(1, (long)steps[0]!["setCanaryScale"]!["replicas"]!);
        Assert.Equal(20, (long)steps[1]!["setMirrorRoute"]!["percentage"]!);
        Assert.Equal("/v1/", (string)steps[1]!["setMirrorRoute"]!["match"]![0]!["path"]!["prefix"]!);
        Assert.Equal("1h", (string)steps[2]!["pause"]!["duration"]!);
        Assert.Null(steps[3]!["setMirrorRoute"]!["percentage"]);
        Assert.True((bool)steps[4]!["setCanaryScale"]!["matchTrafficWeight"]!);
        Assert.Equal(25, (long)steps[5]!["setWeight"]!);
        Assert.Equal(1, (long)canary["analysis"]!["startingStep"]!);
        Assert.Equal("mirror", (string)canary["trafficRouting"]!["managedRoutes"]![0]!["name"]!);
    }

    [Fact]
    public void Availability_maps_to_multi_window_burn_rate_alerts()
    {
        var rule = Single(Objects(RolloutFixtures.Canary()), "PrometheusRule");
        var alerts = rule["spec"]!["groups"]![1]!["rules"]!.AsArray();

        var page = alerts.Single(a => (string)a!["labels"]!["severity"]! == "page" && (string)a["labels"]!["slo"]! == "chat-70b-availability")!;
        var ticket = alerts.Single(a => (string)a!["labels"]!["severity"]! == "ticket" && (string)a["labels"]!["slo"]! == "chat-70b-availability")!;
        const string Series = "{slo=\"chat-70b-availability\",env=\"prod\"}";
        Assert.Equal(
            $"(configascode:slo_bad_ratio:rate1h{Series} > 0.0144 and configascode:slo_bad_ratio:rate5m{Series} > 0.0144)\nor\n(configascode:slo_bad_ratio:rate6h{Series} > 0.006 and configascode:slo_bad_ratio:rate30m{Series} > 0.006)",
            (string)page["expr"]!);
        Assert.Contains("rate1d" + Series + " > 0.003", (string)ticket["expr"]!, StringComparison.Ordinal);
        Assert.Contains("rate3d" + Series + " > 0.001", (string)ticket["expr"]!, StringComparison.Ordinal);

        var recordings = rule["spec"]!["groups"]![0]!["rules"]!.AsArray();
        Assert.Equal(SloObjectives.Windows.Count * 3, recordings.Count); // availability, p95 latency, p95 TTFT
        var latency5m = recordings.Single(r => (string)r!["labels"]!["slo"]! == "chat-70b-latency-p95" && ((string)r["record"]!).EndsWith("rate5m", StringComparison.Ordinal))!;
        Assert.Equal(
            "1 - (sum(rate(vllm:e2e_request_latency_seconds_bucket{namespace=\"inference\",app_kubernetes_io_name=\"chat-70b\",env=\"prod\",le=\"20.0\"}[5m])) / sum(rate(vllm:e2e_request_latency_seconds_count{namespace=\"inference\",app_kubernetes_io_name=\"chat-70b\",env=\"prod\"}[5m])))",
            (string)latency5m["expr"]!);
    }

    [Theory]
    [InlineData(0.3, "0.3")]
    [InlineData(0.35, "0.3")]
    [InlineData(1.0, "1.0")]
    [InlineData(12, "10.0")]
    [InlineData(0.2, null)]
    public void A_latency_slo_is_counted_at_the_largest_bucket_not_above_it(double seconds, string? le)
    {
        Assert.Equal(le, EngineMetrics.BucketAtOrBelow(EngineMetrics.Vllm.LatencyBuckets, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Slos_an_engine_cannot_measure_are_named_not_dropped()
    {
        var tgi = RolloutFixtures.TgiCanary() with { Slos = new ServiceLevelObjectives { MaxErrorRate = 0.02, P95TimeToFirstToken = TimeSpan.FromSeconds(1) } };

        var (objectives, unmeasurable) = SloObjectives.For(tgi);
        var alerts = ReadinessChecklist.For(tgi, []).Items.Single(i => i.Id == "alerts");

        Assert.Equal(["errors"], objectives.Select(o => o.Name));
        Assert.Equal("Slos.P95TimeToFirstToken", Assert.Single(unmeasurable).Property);
        Assert.False(alerts.Passed);
        Assert.Contains("tgi exports no time-to-first-token latency histogram", alerts.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guardrail_the_engine_cannot_measure_renders_no_empty_analysis_and_is_reported_in_production()
    {
        var latencyOnly = RolloutFixtures.TritonCanary() with { Slos = new ServiceLevelObjectives { P95Latency = TimeSpan.FromMilliseconds(50) } };

        var staging = Objects(latencyOnly with { Environment = DeploymentEnvironment.Staging });
        var findings = Fixtures.Validate(latencyOnly).Violations.Select(f => (f.Id, f.PropertyPath));

        Assert.DoesNotContain(staging.Values, o => (string)o["kind"]! == "AnalysisTemplate");
        Assert.Null(Single(staging, "Rollout")["spec"]!["strategy"]!["canary"]!["analysis"]);
        Assert.Contains(("CAC1013", "Rollout.Guardrails"), findings);
    }

    [Fact]
    public void The_readiness_checklist_passes_a_guarded_canary_and_names_the_fields_that_prove_it()
    {
        // vLLM cannot log JSON; the declaration says the log pipeline parses text, so that item does not apply.
        var canary = RolloutFixtures.Canary() with { Observability = RolloutFixtures.Observability with { StructuredLogs = false } };
        var checklist = ReadinessChecklist.For(canary, Fixtures.Validate(canary).Findings);

        Assert.Equal(["probes", "metrics", "logs", "traces", "failure-modes", "rollback", "resources", "access", "network", "weights", "placement", "alerts"], checklist.Items.Select(i => i.Id));
        Assert.All(checklist.Items.Where(i => i.Id != "logs"), i => Assert.True(i.Passed && i.Status == ReadinessStatus.Pass && i.Evidence.Count > 0, $"{i.Id}: {i.Reason}"));
        Assert.Equal(ReadinessStatus.NotApplicable, checklist.Items.Single(i => i.Id == "logs").Status);
        Assert.True(checklist.IsReady);
        Assert.Contains("canary with guardrails on error rate, p95 latency, p95 time to first token", checklist.Items.Single(i => i.Id == "rollback").Reason, StringComparison.Ordinal);

        var evidence = checklist.Items.SelectMany(i => i.Evidence).ToArray();
        Assert.All(evidence, e => Assert.StartsWith("prod/chat-70b/", e.File, StringComparison.Ordinal));
        Assert.Contains(evidence, e => e.File == "prod/chat-70b/rollout-chat-70b.yaml" && e.Field == "spec.template.spec.containers[vllm].startupProbe" && e.Value == "/health, failureThreshold 120 x periodSeconds 10 = 1200 s");
        Assert.Contains(evidence, e => e.File == "prod/chat-70b/networkpolicy-chat-70b.yaml" && e.Field.StartsWith("spec.egress[", StringComparison.Ordinal) && e.Value == "trace export (OTLP) otel-collector.observability:4317");
        Assert.Contains(evidence, e => e.Field == "spec.template.spec.volumes[weights].persistentVolumeClaim.claimName");
    }

    [Fact]
    public void A_vllm_deployment_that_asks_for_json_logs_fails_the_logs_item_because_no_manifest_field_proves_them()
    {
        var checklist = ReadinessChecklist.For(RolloutFixtures.Canary(), []);
        var tgi = ReadinessChecklist.For(RolloutFixtures.TgiCanary(), []);

        var logs = checklist.Items.Single(i => i.Id == "logs");
        Assert.Equal(ReadinessStatus.Fail, logs.Status);
        Assert.Empty(logs.Evidence);
        Assert.Contains("vLLM has no JSON log switch", logs.Reason, StringComparison.Ordinal);
        var tgiLogs = tgi.Items.Single(i => i.Id == "logs");
        Assert.True(tgiLogs.Passed);
        Assert.Equal(new ReadinessEvidence("prod/support-mistral/rollout-support-mistral.yaml", "spec.template.spec.containers[tgi].args --json-output", "(set)"), Assert.Single(tgiLogs.Evidence));
    }

    [Fact]
    public void The_readiness_checklist_fails_items_with_their_reasons()
    {
        var bare = Fixtures.Compliant() with { Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(5))] }, Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } };
        var findings = Fixtures.Validate(bare).Findings;

        var items = ReadinessChecklist.For(bare, findings).Items.ToDictionary(i => i.Id, StringComparer.Ordinal);

        Assert.Contains("CAC1013", findings.Select(f => f.Id));
        Assert.False(items["traces"].Passed);
        Assert.Equal("no trace export (Observability.Traces)", items["traces"].Reason);
        Assert.False(items["rollback"].Passed);
        Assert.False(items["alerts"].Passed);
        Assert.False(items["failure-modes"].Passed);
        Assert.Contains("CAC1006", items["failure-modes"].Reason, StringComparison.Ordinal);
        Assert.True(items["probes"].Passed);
    }

    [Fact]
    public void Rollouts_render_byte_identically_twice()
    {
        var first = ManifestRenderer.Render([RolloutFixtures.Canary(), RolloutFixtures.Shadow() with { Environment = DeploymentEnvironment.Staging }], Options).Files;
        var second = ManifestRenderer.Render([RolloutFixtures.Canary(), RolloutFixtures.Shadow() with { Environment = DeploymentEnvironment.Staging }], Options).Files;

        Assert.Equal(first.Select(f => (f.Path, Convert.ToBase64String(f.Utf8))), second.Select(f => (f.Path, Convert.ToBase64String(f.Utf8))));
    }
}
