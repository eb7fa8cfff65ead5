using System;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// A verdict that cannot be fooled (issue #14): every owned file gates, the cost snapshot is compared by deployment
/// key, the increase is judged against the base branch, and an acknowledgment covers only what it was given for.
/// </summary>
public sealed class VerdictTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-verdict-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Snapshots => Path.Combine(_root, "deploy");

    private GateOptions Options(bool accept = false, string? baseline = null) => new()
    {
        ProjectDirectory = _root,
        SnapshotDirectory = Snapshots,
        OutputDirectory = Path.Combine(_root, "obj", "configascode"),
        Accept = accept,
        CostBaseline = baseline,
    };

    private static EvaluationResult Evaluated(params InferenceDeployment[] deployments) => new(deployments, []);

    private static readonly CostBudget Budget = new() { Name = "prod", Environment = "prod", MonthlyUsd = 10_000_000m, MaxIncreasePercent = 10m };

    private static EvaluationResult Priced(params InferenceDeployment[] deployments) => new(deployments, []) { Budgets = [Budget] };

    private static InferenceDeployment WithReplicas(int replicas, CostIncreaseAcknowledgment? acknowledgment = null) =>
        Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = replicas, MaxReplicas = Math.Max(replicas, 4) }, CostIncreaseAcknowledgment = acknowledgment };

    [Fact]
    public void A_hand_edit_of_an_environment_kustomization_fails_the_build_as_risky()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Fixtures.Compliant() with { Name = "embed" }), Options(accept: true));
        var kustomization = Path.Combine(Snapshots, "prod", "kustomization.yaml");
        File.WriteAllText(kustomization, File.ReadAllText(kustomization).Replace("- embed\n", string.Empty, StringComparison.Ordinal)
            + "images:\n- name: vllm/vllm-openai\n  newName: evil.example/vllm\n");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant(), Fixtures.Compliant() with { Name = "embed" }), Options());

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9001");
        Assert.StartsWith("prod/kustomization.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("resources: (absent) → embed", error.Message, StringComparison.Ordinal);
        Assert.Contains("images", error.Message, StringComparison.Ordinal);
        Assert.Contains("RISKY (kustomization", error.Message, StringComparison.Ordinal);
        Assert.Equal("0 to add, 1 to change, 0 to remove", outcome.Drift!.Summary);
        Assert.True(outcome.Failed);
    }

    [Fact]
    public void A_cost_only_change_is_drift_on_the_cost_snapshot()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var cheaper = new EvaluationResult([Fixtures.Compliant()], []) { PriceOverrides = [new GpuPriceOverride("l4", PricingTarget.AwsUsEast1, 0.2m)] };

        var outcome = GateRunner.Run(cheaper, Options());

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9001");
        Assert.StartsWith(".configascode/cost.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("deployments[prod/chat-8b].inputs.usd-per-gpu-hour: 0.978 → 0.2", error.Message, StringComparison.Ordinal);
        Assert.True(outcome.Failed);
    }

    [Fact]
    public void A_hand_edited_or_garbage_cost_snapshot_fails()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var cost = Path.Combine(Snapshots, ".configascode", "cost.json");

        File.WriteAllText(cost, File.ReadAllText(cost).Replace("\"monthlyExpected\": 1427.88", "\"monthlyExpected\": 1", StringComparison.Ordinal));
        var edited = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());
        File.WriteAllText(cost, "garbage");
        var garbage = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.Contains(edited.Diagnostics, d => d.Code == "CAC9001" && d.Message.Contains("deployments[prod/chat-8b].monthlyExpected: 1 → 1427.88", StringComparison.Ordinal));
        Assert.Contains(garbage.Diagnostics, d => d.Code == "CAC9001" && d.Message.Contains("(document): (unreadable) → (document)", StringComparison.Ordinal));
    }

    [Fact]
    public void Adding_a_deployment_reads_as_one_new_entry_not_as_every_later_entry_moving()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Fixtures.Compliant() with { Name = "zeta" }), Options(accept: true));

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant(), Fixtures.Compliant() with { Name = "alpha" }, Fixtures.Compliant() with { Name = "zeta" }), Options());

        var cost = outcome.Drift!.Files.Single(f => f.Path == CostSnapshot.Path);
        var field = Assert.Single(cost.Fields);
        Assert.Equal("deployments[prod/alpha]", field.Path);
        Assert.Equal("(absent)", field.Before);
    }

    [Fact]
    public void An_increase_accepted_with_the_cost_rules_silenced_still_fails_against_the_base_branch()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        var baseline = Path.Combine(_root, "base-cost.json");
        File.Copy(Path.Combine(Snapshots, ".configascode", "cost.json"), baseline);
        var silenced = Options(accept: true) with { Rules = Synthesis.Rules.RuleOptions.Default with { SeverityOverrides = new System.Collections.Generic.Dictionary<string, Synthesis.Rules.RuleSeverity> { ["CAC4006"] = Synthesis.Rules.RuleSeverity.None } } };
        Assert.True(GateRunner.Run(Priced(WithReplicas(4)), silenced).Accepted);

        var againstCommitted = GateRunner.Run(Priced(WithReplicas(4)), Options());
        var againstBase = GateRunner.Run(Priced(WithReplicas(4)), Options(baseline: baseline) with { CiReason = "CI=true" });

        Assert.DoesNotContain(againstCommitted.Diagnostics, d => d.Code == "CAC4006");
        var error = Assert.Single(againstBase.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("rises 100", error.Message, StringComparison.Ordinal);
        Assert.Contains(againstBase.Summary, l => l.Contains("cost change against 'base-cost.json'", StringComparison.Ordinal) || l.Contains("against '" + baseline + "'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_acknowledgment_covers_the_increase_it_was_given_for_and_not_a_later_one()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        var launch = new CostIncreaseAcknowledgment("launch week: two more replicas");

        var first = GateRunner.Run(Priced(WithReplicas(3, launch)), Options(accept: true));
        Assert.True(first.Accepted, string.Join("\n", first.Diagnostics));
        Assert.Contains("\"reason\": \"launch week: two more replicas\"", File.ReadAllText(Path.Combine(Snapshots, ".configascode", "cost.json")), StringComparison.Ordinal);

        var second = GateRunner.Run(Priced(WithReplicas(4, launch)), Options(accept: true));

        var error = Assert.Single(second.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("its acknowledgment 'launch week: two more replicas' covers up to", error.Message, StringComparison.Ordinal);
        Assert.False(second.Accepted);
        var ack = Assert.Single(second.Cost!.Acknowledgments);
        Assert.Equal("exceeded", ack.State);

        var report = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.md"));
        var json = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.json"));
        Assert.Contains("launch week: two more replicas", report, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"exceeded\"", json, StringComparison.Ordinal);

        var renewed = GateRunner.Run(Priced(WithReplicas(4, new CostIncreaseAcknowledgment("second launch: traffic doubled"))), Options(accept: true));
        Assert.True(renewed.Accepted, string.Join("\n", renewed.Diagnostics));
    }

    [Fact]
    public void Silencing_the_rule_never_raises_what_an_acknowledgment_covers()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        var launch = new CostIncreaseAcknowledgment("launch week: two more replicas");
        GateRunner.Run(Priced(WithReplicas(3, launch)), Options(accept: true));
        var recorded = CostSnapshot.Parse(File.ReadAllBytes(Path.Combine(Snapshots, ".configascode", "cost.json")))!["prod/chat-8b"].Acknowledgment!.UpToMonthly;
        var baseBranch = Path.Combine(_root, "base-cost.json");
        File.Copy(Path.Combine(Snapshots, ".configascode", "cost.json"), baseBranch);
        var silenced = Options(accept: true) with { Rules = Synthesis.Rules.RuleOptions.Default with { SeverityOverrides = new System.Collections.Generic.Dictionary<string, Synthesis.Rules.RuleSeverity> { ["CAC4006"] = Synthesis.Rules.RuleSeverity.None } } };

        Assert.True(GateRunner.Run(Priced(WithReplicas(4, launch)), silenced).Accepted);

        var after = CostSnapshot.Parse(File.ReadAllBytes(Path.Combine(Snapshots, ".configascode", "cost.json")))!["prod/chat-8b"];
        Assert.Equal(recorded, after.Acknowledgment!.UpToMonthly);
        Assert.True(after.MonthlyExpected > recorded);
        Assert.Contains(GateRunner.Run(Priced(WithReplicas(4, launch)), Options(baseline: baseBranch)).Diagnostics, d => d.Code == "CAC4006" && d.Message.Contains("covers up to", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ceiling_raised_by_hand_in_the_committed_snapshot_is_drift_and_covers_nothing()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        var baseline = Path.Combine(_root, "base-cost.json");
        File.Copy(Path.Combine(Snapshots, ".configascode", "cost.json"), baseline);
        var launch = new CostIncreaseAcknowledgment("launch week: two more replicas");
        GateRunner.Run(Priced(WithReplicas(4, launch)), Options(accept: true));
        var cost = Path.Combine(Snapshots, ".configascode", "cost.json");
        var recorded = CostSnapshot.Parse(File.ReadAllBytes(cost))!["prod/chat-8b"].Acknowledgment!.UpToMonthly;
        File.WriteAllText(cost, File.ReadAllText(cost).Replace($"\"upToMonthly\": {recorded.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "\"upToMonthly\": 99999999", StringComparison.Ordinal));

        var ci = GateRunner.Run(Priced(WithReplicas(20, launch)), Options(baseline: baseline) with { CiReason = "CI=true" });

        Assert.True(ci.Failed);
        Assert.Contains(ci.Diagnostics, d => d.Code == "CAC9001" && d.Message.Contains("acknowledgment.upToMonthly: 99999999", StringComparison.Ordinal));
    }

    private static readonly CostBudget TeamBudget = new() { Name = "ml-platform-prod", Team = "ml-platform", Environment = "prod", MonthlyUsd = 10_000_000m, MaxIncreasePercent = 10m };

    private static InferenceDeployment OfTeam(InferenceDeployment deployment, string team) => deployment with { Cost = deployment.Cost! with { Team = team } };

    [Fact]
    public void A_cost_increase_that_moves_to_a_team_without_a_budget_is_judged_by_the_budget_it_left()
    {
        static EvaluationResult Teams(InferenceDeployment deployment) => new([deployment], []) { Budgets = [TeamBudget] };
        GateRunner.Run(Teams(WithReplicas(2)), Options(accept: true));

        var inPlace = GateRunner.Run(Teams(WithReplicas(8)), Options());
        var moved = GateRunner.Run(Teams(OfTeam(WithReplicas(8), "ml-inference")), Options());
        var movedOnly = GateRunner.Run(Teams(OfTeam(WithReplicas(2), "ml-inference")), Options());
        var acknowledged = GateRunner.Run(Teams(OfTeam(WithReplicas(8, new CostIncreaseAcknowledgment("the inference team takes the launch load")), "ml-inference")), Options());

        var before = Assert.Single(inPlace.Diagnostics, d => d.Code == "CAC4006");
        var error = Assert.Single(moved.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("budget 'ml-platform-prod' rises 300%", before.Message, StringComparison.Ordinal);
        Assert.Contains("budget 'ml-platform-prod' rises 300%", error.Message, StringComparison.Ordinal);
        Assert.Contains("counting the deployments that left it since the baseline", error.Message, StringComparison.Ordinal);
        Assert.Contains("driven by prod/chat-8b, which moved to team 'ml-inference'. Revert", error.Message, StringComparison.Ordinal);
        Assert.Contains(moved.Summary, l => l.Contains("budget 'ml-platform-prod': $0.00 of", StringComparison.Ordinal) && l.Contains("(+300% against the baseline, counting prod/chat-8b, which moved to team 'ml-inference')", StringComparison.Ordinal));
        Assert.DoesNotContain(movedOnly.Diagnostics, d => d.Code == "CAC4006");
        Assert.DoesNotContain(acknowledged.Diagnostics, d => d.Code == "CAC4006");
    }

    [Fact]
    public void A_cost_increase_that_moves_to_an_environment_without_a_budget_is_judged_by_the_budget_it_left_and_keeps_its_acknowledgment_ceiling()
    {
        var prodEu = new DeploymentEnvironment("prod-eu", isProduction: true);
        var launch = new CostIncreaseAcknowledgment("launch week: two more replicas");
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        GateRunner.Run(Priced(WithReplicas(3, launch)), Options(accept: true));

        var movedOnly = GateRunner.Run(Priced(WithReplicas(3, launch).In(prodEu)), Options());
        var unacknowledged = GateRunner.Run(Priced(WithReplicas(8).In(prodEu)), Options());
        var sameReason = GateRunner.Run(Priced(WithReplicas(8, launch).In(prodEu)), Options());

        Assert.DoesNotContain(movedOnly.Diagnostics, d => d.Code == "CAC4006");
        Assert.Equal("covers", Assert.Single(movedOnly.Cost!.Acknowledgments).State);
        var error = Assert.Single(unacknowledged.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("driven by prod/chat-8b, which moved to prod-eu/chat-8b. Revert", error.Message, StringComparison.Ordinal);
        var reused = Assert.Single(sameReason.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("prod/chat-8b, which moved to prod-eu/chat-8b (its acknowledgment 'launch week: two more replicas' covers up to", reused.Message, StringComparison.Ordinal);
        Assert.Equal("exceeded", Assert.Single(sameReason.Cost!.Acknowledgments).State);
    }

    [Fact]
    public void The_budget_limit_holds_what_the_budget_covers_now_and_the_increase_counts_what_left_it()
    {
        static CostEstimate[] Estimates(InferenceDeployment deployment) => CostEstimator.Estimate([deployment], PriceCatalog.Shipped(), PricingTarget.AwsUsEast1).Estimates.ToArray();
        var baseline = CostSnapshot.Parse(CostSnapshot.Write(Estimates(WithReplicas(2)), "2025-01-01"))!;
        var budget = TeamBudget with { MonthlyUsd = 1_000m };

        var (statuses, violations) = BudgetChecker.Check([budget], Estimates(OfTeam(WithReplicas(2), "ml-inference")), baseline, new System.Collections.Generic.Dictionary<string, AcknowledgmentStatus>());

        Assert.Empty(violations);
        var status = Assert.Single(statuses);
        Assert.Equal(0m, status.Current);
        Assert.Equal(baseline["prod/chat-8b"].MonthlyExpected, status.Baseline);
        Assert.Equal(status.Baseline, status.Departed);
        Assert.Equal(0m, status.IncreasePercent);
        Assert.Equal(new[] { "prod/chat-8b, which moved to team 'ml-inference'" }, status.DepartedDeployments);
    }

    [Fact]
    public void A_budget_whose_baseline_cost_nothing_rises_above_any_threshold_when_it_costs_something()
    {
        // Scaled to zero in staging without an expected load (CAC1009, a warning there), the baseline costs $0; an
        // increase from it was "no percent", and raising the replicas to 20 (+$14k/month) passed CAC4006 unacknowledged
        // (determinism and numerics hunt).
        var staging = new CostBudget { Name = "pre-production", Environment = "staging", MonthlyUsd = 10_000_000m, MaxIncreasePercent = 25m };
        EvaluationResult Staged(int replicas, CostIncreaseAcknowledgment? acknowledgment = null) =>
            new([WithReplicas(replicas, acknowledgment).In(DeploymentEnvironment.Staging) with { Load = null }], []) { Budgets = [staging] };
        var accepted = GateRunner.Run(Staged(0), Options(accept: true));
        Assert.True(accepted.Accepted, string.Join("\n", accepted.Diagnostics));

        var raised = GateRunner.Run(Staged(20), Options());
        var acknowledged = GateRunner.Run(Staged(20, new CostIncreaseAcknowledgment("launch: twenty warm replicas")), Options());
        var stillNothing = GateRunner.Run(Staged(0), Options());

        var error = Assert.Single(raised.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("budget 'pre-production' rises from nothing ($0.00 → $", error.Message, StringComparison.Ordinal);
        Assert.Contains("driven by staging/chat-8b", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(acknowledged.Diagnostics, d => d.Code == "CAC4006");
        Assert.DoesNotContain(stillNothing.Diagnostics, d => d.Code == "CAC4006");
    }

    [Fact]
    public void A_budget_the_baseline_counted_no_deployment_in_is_held_to_its_limit_only()
    {
        static CostEstimate[] Estimates(InferenceDeployment deployment) => CostEstimator.Estimate([deployment], PriceCatalog.Shipped(), PricingTarget.AwsUsEast1).Estimates.ToArray();

        var (statuses, violations) = BudgetChecker.Check([Budget], Estimates(WithReplicas(2)), new System.Collections.Generic.Dictionary<string, CostSnapshot.Entry>(), new System.Collections.Generic.Dictionary<string, AcknowledgmentStatus>());

        Assert.Empty(violations);
        Assert.False(Assert.Single(statuses).RisesFromNothing);
    }

    [Fact]
    public void One_removal_and_two_arrivals_of_its_name_are_no_move_and_count_where_they_are()
    {
        // prod/chat-8b gone, staging/chat-8b and dev/chat-8b new: following it to both counted it twice in the prod
        // budget's increase (+100%), while CAC4006 stayed silent (fresh-eyes review).
        var dev = new DeploymentEnvironment("dev");
        static CostEstimate[] Estimates(params InferenceDeployment[] d) => CostEstimator.Estimate(d, PriceCatalog.Shipped(), PricingTarget.AwsUsEast1).Estimates.ToArray();
        var baseline = CostSnapshot.Parse(CostSnapshot.Write(Estimates(WithReplicas(2)), "2025-01-01"))!;
        var prodBudget = new CostBudget { Name = "prod", Environment = "prod", MonthlyUsd = 10_000_000m, MaxIncreasePercent = 10m };

        var (statuses, violations) = BudgetChecker.Check([prodBudget], Estimates(WithReplicas(2).In(DeploymentEnvironment.Staging), WithReplicas(2).In(dev)), baseline, new System.Collections.Generic.Dictionary<string, AcknowledgmentStatus>());

        var status = Assert.Single(statuses);
        Assert.Equal(0m, status.Departed);
        Assert.Equal(-100m, status.IncreasePercent);
        Assert.Empty(violations);
    }

    [Fact]
    public void An_increase_just_over_the_threshold_is_over_it_though_it_rounds_to_it()
    {
        var current = CostEstimator.Estimate([WithReplicas(2)], PriceCatalog.Shipped(), PricingTarget.AwsUsEast1).Estimates.ToArray();
        var entry = CostSnapshot.Parse(CostSnapshot.Write(current, "2025-01-01"))!["prod/chat-8b"];
        var baseline = new System.Collections.Generic.Dictionary<string, CostSnapshot.Entry> { [entry.Key] = entry with { MonthlyExpected = Math.Round(entry.MonthlyExpected / 1.1504m, 2) } };
        var budget = TeamBudget with { MonthlyUsd = 1_000_000m, MaxIncreasePercent = 15m };

        var (statuses, violations) = BudgetChecker.Check([budget], current, baseline, new System.Collections.Generic.Dictionary<string, AcknowledgmentStatus>());

        Assert.Equal(15.0m, Assert.Single(statuses).IncreasePercent);
        var violation = Assert.Single(violations);
        Assert.Equal("CAC4006", violation.Rule.Id);
        Assert.Matches("rises 15\\.04[0-9]*% ", violation.Message);
    }

    [Theory]
    [InlineData("launch week: two more replicas\u200B")]
    [InlineData("\uFEFFlaunch week: two more replicas")]
    [InlineData("launch\u2060 week: two more\u00AD replicas")]
    [InlineData("launch week: two more replicas\u200E")]
    [InlineData("launch\u00A0week:  two\tmore replicas")]
    [InlineData("launch week\uFF1A two more replicas")]
    [InlineData("launch week: two more replicas\uFE0F")]
    [InlineData("launch week: two more replicas\u034F")]
    [InlineData("launch week: two more replicas\u3164")]
    [InlineData("launch week: two more replicas\u2800")]
    [InlineData("Launch Week: two more replicas")]
    public void A_reason_changed_only_invisibly_is_the_same_reason_and_covers_only_what_it_was_given_for(string disguised)
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        GateRunner.Run(Priced(WithReplicas(3, new CostIncreaseAcknowledgment("launch week: two more replicas"))), Options(accept: true));

        var outcome = GateRunner.Run(Priced(WithReplicas(4, new CostIncreaseAcknowledgment(disguised))), Options(accept: true));

        Assert.Equal("launch week: two more replicas", BudgetChecker.ComparableReason(disguised));
        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains("covers up to", error.Message, StringComparison.Ordinal);
        Assert.Equal("exceeded", Assert.Single(outcome.Cost!.Acknowledgments).State);
        Assert.False(outcome.Accepted);
    }

    [Fact]
    public void A_reason_padded_to_length_with_invisible_characters_is_too_short()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));

        var outcome = GateRunner.Run(Priced(WithReplicas(4, new CostIncreaseAcknowledgment("ok" + new string('\u200B', 12)))), Options());

        Assert.Equal("invalid", Assert.Single(outcome.Cost!.Acknowledgments).State);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4006" && d.Message.Contains("shorter than 10 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void A_git_baseline_follows_a_snapshot_folder_that_moved()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        Git("init -q -b main");
        Git("add -A");
        Git("-c user.email=t@example.com -c user.name=t commit -q -m base");
        Directory.Move(Snapshots, Path.Combine(_root, "gitops"));
        var moved = Options(baseline: "git:main") with { SnapshotDirectory = Path.Combine(_root, "gitops") };

        var outcome = GateRunner.Run(Priced(WithReplicas(20)), moved with { Rules = Synthesis.Rules.RuleOptions.Default });

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4006");
        Assert.Contains(outcome.Summary, l => l.StartsWith("ConfigAsCode: cost baseline: git:main (", StringComparison.Ordinal) && l.Contains("deploy/.configascode/cost.json, where the snapshot folder was", StringComparison.Ordinal));
    }

    [Fact]
    public void A_git_baseline_is_read_by_its_bytes_so_a_replace_ref_under_the_same_commit_changes_what_is_keyed()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        Git("init -q -b main");
        Git("add -A");
        Git("-c user.email=t@example.com -c user.name=t commit -q -m base");
        var before = CostBaseline.ReadGit("git:main", Options());
        var cost = Path.Combine(Snapshots, ".configascode", "cost.json");
        var original = GitOutput("rev-parse HEAD:deploy/.configascode/cost.json");
        File.WriteAllText(cost, File.ReadAllText(cost).Replace("\"monthlyExpected\"", "\"monthlyExpected\" ", StringComparison.Ordinal));
        var other = GitOutput("hash-object -w deploy/.configascode/cost.json");
        Git($"replace {original} {other}");

        var after = CostBaseline.ReadGit(" git:main\n", Options());

        Assert.Null(before.Problem);
        Assert.Equal(before.Commit, after.Commit);
        Assert.Equal("deploy/.configascode/cost.json", after.PathInRepository);
        Assert.NotEqual(before.KeyPart, after.KeyPart);
    }

    [Fact]
    public void A_git_baseline_finds_the_project_in_the_repository_git_finds_not_below_a_stray_git_folder()
    {
        GateRunner.Run(Priced(WithReplicas(2)), Options(accept: true));
        Git("init -q -b main");
        Git("add -A");
        Git("-c user.email=t@example.com -c user.name=t commit -q -m base");
        var project = Path.Combine(_root, "sub");
        Directory.CreateDirectory(Path.Combine(project, ".git"));
        var options = Options() with { ProjectDirectory = project };

        var read = CostBaseline.ReadGit("git:main", options);

        Assert.Null(read.Problem);
        Assert.Equal("deploy/.configascode/cost.json", read.PathInRepository);
        Assert.NotNull(read.Content);
    }

    private string GitOutput(string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }

    private void Git(string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void A_baseline_that_cannot_be_read_is_an_error_not_an_empty_baseline()
    {
        var outcome = GateRunner.Run(Priced(WithReplicas(2)), Options(baseline: Path.Combine(_root, "missing.json")));
        var unknownRevision = GateRunner.Run(Priced(WithReplicas(2)), Options(baseline: "git:--upload-pack=evil"));

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4009" && d.Message.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(unknownRevision.Diagnostics, d => d.Code == "CAC4009");
    }

    [Fact]
    public void The_budget_errors_point_at_the_budgets_declaration()
    {
        var tight = new CostBudget { Name = "tight", Environment = "prod", MonthlyUsd = 1m };

        var outcome = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []) { Budgets = [tight] }, Options());

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC4005");
        Assert.EndsWith("VerdictTests.cs", error.File, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
    }

    [Theory]
    [InlineData("ML-Platform", null, "no deployment has Cost.Team 'ML-Platform' (did you mean 'ml-platform'?)")]
    [InlineData("ml-platform", "production", "no deployment is in environment 'production' (environments: 'prod')")]
    [InlineData("search", "Prod", "no deployment has Cost.Team 'search' (teams: 'ml-platform'), and no deployment is in environment 'Prod' (did you mean 'prod'?)")]
    [InlineData("ml-platform", "staging", "no deployment of team 'ml-platform' is in environment 'staging'")]
    public void A_budget_that_covers_no_deployment_is_an_error_not_a_budget_that_always_passes(string team, string? environment, string why)
    {
        var other = Fixtures.Compliant(DeploymentEnvironment.Staging) with { Name = "other-8b", Cost = new CostAttribution { Team = "search", CostCenter = "cc-1", Owner = "a" } };
        var deployments = environment == "staging" ? new[] { Fixtures.Compliant(), other } : [Fixtures.Compliant()];
        var typo = new CostBudget { Name = "held", Team = team, Environment = environment, MonthlyUsd = 1_000_000m, MaxIncreasePercent = 1m };

        var outcome = GateRunner.Run(new EvaluationResult(deployments, []) { Budgets = [typo] }, Options());

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC4010");
        Assert.StartsWith($"budget 'held' covers no deployment: {why}.", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("VerdictTests.cs", error.File, StringComparison.Ordinal);
        Assert.Equal(ConfigAsCode.Synthesis.Rules.RuleSeverity.Error, error.Severity);
    }

    [Fact]
    public void A_budget_that_covers_a_deployment_or_every_one_is_not_CAC4010_and_no_platform_has_none()
    {
        CostBudget[] budgets = [new() { Name = "all", MonthlyUsd = 1_000_000m }, new() { Name = "team", Team = "ml-platform", MonthlyUsd = 1_000_000m }, new() { Name = "env", Environment = "prod", MonthlyUsd = 1_000_000m }];

        var outcome = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []) { Budgets = budgets }, Options());

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC4010");
        Assert.Empty(BudgetChecker.CoveringNothing([new CostBudget { Name = "x", Team = "nobody", MonthlyUsd = 1m }], []));
    }

    [Fact]
    public void A_budget_team_that_is_a_credential_is_redacted_in_the_CAC4010_message()
    {
        const string token = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789";
        var outcome = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []) { Budgets = [new CostBudget { Name = "held", Team = token, MonthlyUsd = 1m }] }, Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4010");
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Message.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.Summary, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("yes", "CI=yes")]
    [InlineData("on", "CI=on")]
    [InlineData("1", "CI=1")]
    [InlineData("woodpecker", "CI=woodpecker")]
    public void Any_CI_value_but_a_false_one_is_CI(string value, string reason)
    {
        Assert.Equal((reason, null), CiDetector.Detect(new System.Collections.Hashtable { ["CI"] = value }, null, false));
    }

    [Fact]
    public void HUDSON_URL_is_CI()
    {
        Assert.Equal(("HUDSON_URL is set", null), CiDetector.Detect(new System.Collections.Hashtable { ["HUDSON_URL"] = "http://ci" }, null, false));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("yes")]
    [InlineData("flase")]
    public void An_explicit_CI_value_other_than_true_or_false_is_an_error_and_counts_as_CI(string value)
    {
        var (reason, problem) = CiDetector.Detect(new System.Collections.Hashtable { ["CI"] = "true" }, value, false);

        Assert.NotNull(reason);
        Assert.Contains("must be true or false", problem, StringComparison.Ordinal);
    }
}
