using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Rendering;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class DriftGateTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-gate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private GateOptions Options(bool accept = false, string? ci = null) => new()
    {
        ProjectDirectory = _root,
        SnapshotDirectory = Path.Combine(_root, "deploy"),
        OutputDirectory = Path.Combine(_root, "obj", "configascode"),
        Accept = accept,
        CiReason = ci,
    };

    private static EvaluationResult Evaluated(params InferenceDeployment[] deployments) => new(deployments, []);

    [Fact]
    public void A_batch_size_change_is_reported_with_its_exact_field_path()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var changed = Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 8 } };

        var outcome = GateRunner.Run(Evaluated(changed), Options());

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9001" && d.Message.StartsWith("prod/", StringComparison.Ordinal));
        Assert.Contains("prod/chat-8b/deployment-chat-8b.yaml: spec.template.spec.containers[vllm].args --max-num-seqs: 32 → 8", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("config-hash", error.Message, StringComparison.Ordinal);

        // The cost snapshot gates like any owned file, compared by deployment key.
        var cost = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9001" && d.Message.StartsWith(".configascode/cost.json", StringComparison.Ordinal));
        Assert.Contains("deployments[prod/chat-8b].inputs.max-num-seqs: 32 → 8", cost.Message, StringComparison.Ordinal);
        Assert.Equal("0 to add, 2 to change, 0 to remove", outcome.Drift!.Summary);
        Assert.Contains(outcome.Summary, l => l.Contains("Accept with: dotnet build -p:ConfigAsCodeAcceptChanges=true", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_root, "obj", "configascode", "drift.diff")));
    }

    [Fact]
    public void A_snapshot_folder_set_with_a_trailing_separator_is_named_in_the_messages()
    {
        // A repository-wide folder beside the project, as a Directory.Build.props sets it ($(MSBuildThisFileDirectory)deploy/):
        // named by its last segment, not by the empty name after the separator ("drift against : …", "git checkout -- /…").
        var project = Path.Combine(_root, "app");
        var options = Options() with { ProjectDirectory = project, SnapshotDirectory = Path.Combine(_root, "deploy") + Path.DirectorySeparatorChar, AllowedRoot = _root };
        GateRunner.Run(Evaluated(Fixtures.Compliant()), options with { Accept = true });
        var changed = Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 8 } };

        var outcome = GateRunner.Run(Evaluated(changed), options);

        Assert.Contains(outcome.Summary, l => l.Contains("drift against deploy: 0 to add, 2 to change", StringComparison.Ordinal));
        Assert.Equal("deploy", GateRunner.Relative(options, options.SnapshotDirectory));
        Assert.Equal("deploy", GateRunner.Relative(options with { SnapshotDirectory = Path.Combine(project, "deploy") + Path.DirectorySeparatorChar }, Path.Combine(project, "deploy") + Path.DirectorySeparatorChar));
    }

    [Fact]
    public void Risky_changes_are_highlighted()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var risky = Fixtures.Compliant() with
        {
            Security = new SecuritySpec { RunAsUser = 2000, Network = new NetworkPolicySpec { AllowIngressFromNamespaces = ["everyone"] } },
            Env = [EnvVar.FromSecret("HF_TOKEN", "other-secret", "token")],
        };

        var outcome = GateRunner.Run(Evaluated(risky), Options());

        var messages = string.Join("\n", outcome.Diagnostics.Where(d => d.Code == "CAC9001").Select(d => d.Message));
        Assert.True(messages.Contains("secret reference", StringComparison.Ordinal), messages);
        Assert.Contains("RISKY (", messages, StringComparison.Ordinal);
        Assert.Contains("security context", messages, StringComparison.Ordinal);
        Assert.Contains("secret reference", messages, StringComparison.Ordinal);
        Assert.Contains("RISKY (network policy)", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_going_to_zero_are_risky()
    {
        Assert.Equal("replicas → 0", ManifestDiff.RiskOf("spec.replicas", "Deployment", "0"));
        Assert.Null(ManifestDiff.RiskOf("spec.replicas", "Deployment", "3"));
    }

    [Fact]
    public void Accepting_writes_snapshots_and_removes_orphans_atomically()
    {
        var other = Fixtures.Compliant() with { Name = "other" };
        GateRunner.Run(Evaluated(Fixtures.Compliant(), other), Options(accept: true));
        Assert.True(File.Exists(Path.Combine(_root, "deploy", "prod", "other", "deployment-other.yaml")));

        var orphaned = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());
        Assert.Contains(orphaned.Diagnostics, d => d.Code == "CAC9003" && d.Message.Contains("prod/other/deployment-other.yaml", StringComparison.Ordinal));

        var accepted = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        Assert.True(accepted.Accepted);
        Assert.False(Directory.Exists(Path.Combine(_root, "deploy", "prod", "other")));
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options()).Drift!.IsClean);
    }

    [Fact]
    public void Accepting_in_CI_is_refused_and_writes_nothing()
    {
        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, ci: "CI=true"));

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9005");
        Assert.False(Directory.Exists(Path.Combine(_root, "deploy")));
    }

    [Fact]
    public void A_run_that_stops_early_leaves_no_manifest_of_an_earlier_run_beside_its_reports()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());
        var fresh = Path.Combine(_root, "obj", "configascode", "deploy");
        Assert.NotEmpty(Directory.GetFiles(fresh, "*.yaml", SearchOption.AllDirectories));

        GateRunner.Run(PlatformEvaluator.Evaluate([new ThrowingPlatform()]), Options());

        Assert.Empty(Directory.GetFiles(fresh, "*.yaml", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(_root, "obj", "configascode", "report.json")));
    }

    [Fact]
    public void Generation_failures_write_no_output_and_touch_no_snapshot()
    {
        var failed = PlatformEvaluator.Evaluate([new ThrowingPlatform()]);

        var outcome = GateRunner.Run(failed, Options(accept: true));

        Assert.Equal(["CAC9004"], outcome.Diagnostics.Select(d => d.Code).ToArray());
        Assert.False(Directory.Exists(Path.Combine(_root, "deploy")));
        Assert.False(Directory.Exists(Path.Combine(_root, "obj", "configascode", "deploy")));
        Assert.True(File.Exists(Path.Combine(_root, "obj", "configascode", "report.json")));
    }

    [Fact]
    public void A_snapshot_with_CR_line_endings_is_reported_not_tolerated()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var path = Path.Combine(_root, "deploy", "prod", "chat-8b", "service-chat-8b.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\r\n", StringComparison.Ordinal));

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9001" && d.Message.Contains("line endings", StringComparison.Ordinal));
    }

    [Fact]
    public void The_readiness_checklist_is_in_both_reports_with_a_reason_per_item()
    {
        var outcome = GateRunner.Run(Evaluated(RolloutFixtures.Canary(), Fixtures.Compliant(DeploymentEnvironment.Staging)), Options());

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.json")))!;
        var readiness = json["readiness"]!.AsArray();
        Assert.Equal(["prod/chat-70b", "staging/chat-8b"], readiness.Select(r => $"{r!["environment"]}/{r["deployment"]}"));
        Assert.All(readiness, r => Assert.Equal(12, r!["items"]!.AsArray().Count));
        Assert.All(readiness[0]!["items"]!.AsArray().Where(i => (string)i!["id"]! != "logs"), i => Assert.Equal("pass", (string)i!["result"]!));
        var staging = readiness[1]!["items"]!.AsArray().ToDictionary(i => (string)i!["id"]!, i => ((string)i!["result"]!, (string)i["reason"]!), StringComparer.Ordinal);
        Assert.Equal(("fail", "no Slos: no alert threshold can be derived"), staging["alerts"]);
        Assert.Equal("pass", staging["rollback"].Item1);

        var markdown = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.md"));
        Assert.Contains("| chat-8b | staging | pass | pass | **fail** | **fail** | pass | pass | pass | pass | pass | pass | pass | **fail** |", markdown, StringComparison.Ordinal);
        Assert.Contains("- **fail** — Alert thresholds are mapped to SLOs: no Slos: no alert threshold can be derived", markdown, StringComparison.Ordinal);

        // vLLM has no JSON log switch: neither deployment proves JSON logs, so neither passes every item.
        Assert.Contains(outcome.Summary, l => l == "ConfigAsCode: production readiness: 0 of 2 deployments pass every item that applies (report.md).");
    }

    [Fact]
    public void A_report_json_larger_than_the_writer_buffer_is_whole_and_in_order()
    {
        // report.json is handed to its file in pieces once 64 KB are pending (it is about 100 MB at 10,000
        // deployments): forty deployments' checklists cross that several times.
        var deployments = Enumerable.Range(0, 40).Select(i => Fixtures.Compliant() with { Name = $"chat-{i:00}" }).ToArray();

        GateRunner.Run(Evaluated(deployments), Options());

        var path = Path.Combine(_root, "obj", "configascode", "report.json");
        var text = File.ReadAllText(path);
        Assert.True(new FileInfo(path).Length > 4 * 65536, $"report.json is only {new FileInfo(path).Length} bytes");
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Equal(deployments.Select(d => d.Name), json["readiness"]!.AsArray().Select(r => (string)r!["deployment"]!));
        Assert.Equal(deployments.Select(d => "prod/" + d.Name), json["cost"]!["deployments"]!.AsArray().Select(r => (string)r!["key"]!));
    }

    [Fact]
    public void Both_reports_list_each_active_suppression_with_its_owner_age_and_expiry()
    {
        var single = Fixtures.Compliant() with
        {
            Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
            Load = new ExpectedLoad { RequestsPerSecond = 0.2, InputTokens = 1000, OutputTokens = 200 },
            Suppressions = [new RuleSuppression("CAC1006", "internal eval tier | outage acceptable") { Owner = "team-evals", Since = "2026-09-01", Expires = "2027-01-31" }],
        };

        GateRunner.Run(Evaluated(single), Options() with { Rules = RuleOptions.Default with { Today = new System.DateTime(2026, 12, 1) } });

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.json")))!;
        var entry = Assert.Single(json["rules"]!["suppressions"]!.AsArray())!;
        Assert.Equal(("prod", "chat-8b", "CAC1006", "team-evals", "2026-09-01", 91, "2027-01-31", 61),
            ((string)entry["environment"]!, (string)entry["deployment"]!, (string)entry["rule"]!, (string)entry["owner"]!, (string)entry["since"]!, (int)entry["ageDays"]!, (string)entry["expires"]!, (int)entry["daysLeft"]!));
        var markdown = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.md"));
        Assert.Contains("| chat-8b | prod | CAC1006 | team-evals | 91 d (since 2026-09-01) | 2027-01-31 (61 d left) | internal eval tier \\| outage acceptable |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_have_no_timestamps_no_absolute_paths_and_no_secrets()
    {
        var token = "hf_" + new string('q', 34);
        var leaky = Fixtures.Compliant() with { Env = [EnvVar.Literal("HF_TOKEN", token)] };

        GateRunner.Run(Evaluated(leaky), Options());

        foreach (var name in new[] { "report.json", "report.md", "report.sarif" })
        {
            var text = File.ReadAllText(Path.Combine(_root, "obj", "configascode", name));
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(_root, text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"20\d\d-\d\d-\d\dT", text);
        }

        var sarif = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.sarif")))!;
        Assert.Equal("2.1.0", (string)sarif["version"]!);
        Assert.Contains(sarif["runs"]![0]!["results"]!.AsArray(), r => (string)r!["ruleId"]! == "CAC2001");
    }

    [Fact]
    public void The_drift_diff_file_is_a_unified_diff_with_secrets_redacted()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var token = "ghp_" + new string('z', 36);
        GateRunner.Run(Evaluated(Fixtures.Compliant() with { Env = [EnvVar.Literal("GIT_CREDENTIAL", token)] }), Options());

        var diff = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "drift.diff"));

        Assert.Contains("--- a/prod/chat-8b/deployment-chat-8b.yaml", diff, StringComparison.Ordinal);
        Assert.Contains("+++ b/prod/chat-8b/deployment-chat-8b.yaml", diff, StringComparison.Ordinal);
        Assert.DoesNotContain(token, diff, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CI", "true", "CI=true")]
    [InlineData("GITHUB_ACTIONS", "true", "GITHUB_ACTIONS is set")]
    [InlineData("TF_BUILD", "True", "TF_BUILD is set")]
    [InlineData("GITLAB_CI", "true", "GITLAB_CI is set")]
    [InlineData("JENKINS_URL", "http://jenkins", "JENKINS_URL is set")]
    public void CI_is_detected_from_the_environment(string variable, string value, string reason)
    {
        Assert.Equal((reason, null), CiDetector.Detect(new Hashtable { [variable] = value }, explicitValue: null, continuousIntegrationBuild: false));
    }

    [Fact]
    public void An_explicit_property_wins_over_detection()
    {
        var ci = new Hashtable { ["CI"] = "true" };

        Assert.Equal((null, null), CiDetector.Detect(ci, explicitValue: "false", continuousIntegrationBuild: true));
        Assert.Equal(("ConfigAsCodeIsCI=true", null), CiDetector.Detect(new Hashtable(), explicitValue: "true", continuousIntegrationBuild: false));
        Assert.Equal(("ContinuousIntegrationBuild=true", null), CiDetector.Detect(new Hashtable(), explicitValue: null, continuousIntegrationBuild: true));
        Assert.Equal((null, null), CiDetector.Detect(new Hashtable { ["CI"] = "false" }, explicitValue: null, continuousIntegrationBuild: false));
    }

    [Fact]
    public void CI_declared_only_as_an_MSBuild_property_counts_and_never_switches_off_the_environments()
    {
        // dotnet build -p:CI=true: the property the task passes on, which the host's environment does not have.
        Assert.Equal(("CI=true (MSBuild property)", null), CiDetector.Detect(new Hashtable(), explicitValue: null, continuousIntegrationBuild: false, ciProperty: "true"));
        Assert.Equal((null, null), CiDetector.Detect(new Hashtable(), explicitValue: null, continuousIntegrationBuild: false, ciProperty: "false"));
        Assert.Equal((null, null), CiDetector.Detect(new Hashtable(), explicitValue: null, continuousIntegrationBuild: false, ciProperty: " "));

        // -p:CI=false does not switch off a CI the environment declares; ConfigAsCodeIsCI=false is the explicit answer.
        Assert.Equal(("CI=true", null), CiDetector.Detect(new Hashtable { ["CI"] = "true" }, explicitValue: null, continuousIntegrationBuild: false, ciProperty: "false"));
        Assert.Equal((null, null), CiDetector.Detect(new Hashtable(), explicitValue: "false", continuousIntegrationBuild: false, ciProperty: "true"));
    }

    [Fact]
    public void Named_list_items_and_flags_give_reviewable_paths()
    {
        const string before = "spec:\n  containers:\n  - name: vllm\n    args:\n    - --a=1\n    - --b=2\n    env:\n    - name: X\n      value: one\n";
        const string after = "spec:\n  containers:\n  - name: vllm\n    args:\n    - --a=1\n    - --b=3\n    - --c\n    env:\n    - name: X\n      value: two\n";

        var changes = ManifestDiff.Diff(before, after, "Deployment").Select(c => c.ToString()).ToArray();

        Assert.Equal(
            ["spec.containers[vllm].args --b: 2 → 3", "spec.containers[vllm].args --c: (absent) → (set)", "spec.containers[vllm].env[X].value: one → two"],
            changes);
    }
}
