using System;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// One pull-request verdict (issue #18): <c>pr-comment.md</c> with the verdict, the cluster changes (risky first,
/// capped), the cost change against the base branch with its causes and acknowledgments, findings new and resolved
/// against the base branch's report, and the readiness delta.
/// </summary>
public sealed class PrCommentTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-prcomment-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Output => Path.Combine(_root, "obj", "configascode");

    private GateOptions Options(bool accept = false, string? baseline = null, string? baseReport = null) => new()
    {
        ProjectDirectory = _root,
        SnapshotDirectory = Path.Combine(_root, "deploy"),
        OutputDirectory = Output,
        Accept = accept,
        CostBaseline = baseline,
        BaseReport = baseReport,
        DiffLink = baseReport is null ? null : "https://ci.example/runs/42",
    };

    private static readonly CostBudget Budget = new() { Name = "prod", Environment = "prod", MonthlyUsd = 10_000_000m, MaxIncreasePercent = 10m };

    private static EvaluationResult Priced(params InferenceDeployment[] deployments) => new(deployments, []) { Budgets = [Budget] };

    private static InferenceDeployment Chat(int replicas, CostIncreaseAcknowledgment? acknowledgment = null) =>
        Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = replicas, MaxReplicas = Math.Max(replicas, 4) }, CostIncreaseAcknowledgment = acknowledgment };

    private string Comment() => File.ReadAllText(Path.Combine(Output, PrComment.FileName));

    /// <summary>The base branch: accepted, its report and cost snapshot kept where CI would keep them.</summary>
    private (string Report, string Cost) BaseBranch(params InferenceDeployment[] deployments)
    {
        GateRunner.Run(Priced(deployments), Options(accept: true));
        GateRunner.Run(Priced(deployments), Options());
        var report = Path.Combine(_root, "base-report.json");
        var cost = Path.Combine(_root, "base-cost.json");
        File.Copy(Path.Combine(Output, "report.json"), report);
        File.Copy(Path.Combine(_root, "deploy", ".configascode", "cost.json"), cost);
        return (report, cost);
    }

    [Fact]
    public void A_change_against_the_base_branch_shows_verdict_cluster_changes_cost_cause_new_and_resolved_findings_and_readiness()
    {
        // Base: chat at 2 replicas, and a second deployment without a disruption budget (a CAC1007 finding).
        var leaky = Fixtures.Compliant() with { Name = "embed", DisruptionBudget = null };
        var (report, cost) = BaseBranch(Chat(2), leaky);

        // Head: chat at 3 replicas (+50%, over the 10% threshold), the budget fixed, a new finding (a mutable tag).
        var head = Priced(Chat(3), leaky with { DisruptionBudget = new DisruptionBudget { MaxUnavailable = 1 }, Image = leaky.Image with { Tag = "latest", Digest = null } });
        var outcome = GateRunner.Run(head, Options(baseline: cost, baseReport: report));

        var comment = Comment();
        var lines = comment.Split('\n');
        Assert.Equal(PrComment.Marker, lines[0]);
        Assert.StartsWith("### ConfigAsCode: ❌ fails — ", lines[1], StringComparison.Ordinal);
        // The increase refuses the accept (CAC4006), so the head still drifts from the committed snapshots.
        Assert.Contains(" · drift: 1 to add, 9 to change, 0 to remove · ", lines[1], StringComparison.Ordinal);
        Assert.Contains("cost +$713.94/month, +25.0%", lines[1], StringComparison.Ordinal);

        Assert.Contains("**Cluster changes:** 1 object(s) added, 7 changed, 0 removed; 2 other file(s)", comment, StringComparison.Ordinal);
        Assert.Contains("[Full diff](<https://ci.example/runs/42>)", comment, StringComparison.Ordinal);
        Assert.Contains("**Cost against '" + cost + "':**", comment, StringComparison.Ordinal);
        Assert.Contains("| prod/chat-8b | ", comment, StringComparison.Ordinal);
        Assert.Contains("| prod/chat-8b | $1,427.88 | $2,141.82 | +$713.94 | prod/chat-8b: min-replicas 2 → 3 ⇒ replicas 2 → 3 ⇒ +$713.94/month (+50%) |", comment, StringComparison.Ordinal);

        Assert.Contains("**Findings against the base branch:** ", comment, StringComparison.Ordinal);
        var added = Section(comment, "New in this change");
        var resolved = Section(comment, "Resolved by this change");
        Assert.Contains("CAC4006", added, StringComparison.Ordinal);
        Assert.Contains("[prod/embed] Image", added, StringComparison.Ordinal);
        Assert.Contains("CAC1007", resolved, StringComparison.Ordinal);
        Assert.DoesNotContain("CAC1007", added, StringComparison.Ordinal);

        Assert.Contains("**Production readiness:** ", comment, StringComparison.Ordinal);
        Assert.Contains("prod/embed failure-modes: fail → pass", comment, StringComparison.Ordinal);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4006");
    }

    [Fact]
    public void The_same_increase_acknowledged_passes_and_shows_the_acknowledgments_reason()
    {
        var (report, cost) = BaseBranch(Chat(2));

        // Accepted locally and committed, then built in CI against the base branch.
        var head = Priced(Chat(3, new CostIncreaseAcknowledgment("launch week: one more replica")));
        Assert.True(GateRunner.Run(head, Options(accept: true)).Accepted);
        var outcome = GateRunner.Run(head, Options(baseline: cost, baseReport: report));

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC4006");
        var comment = Comment();
        Assert.Contains("- Acknowledged increase for prod/chat-8b (", comment, StringComparison.Ordinal);
        Assert.Contains("\"launch week: one more replica\"", comment, StringComparison.Ordinal);
        Assert.Contains("✅ passes", comment.Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_base_report_the_comment_says_new_and_resolved_cannot_be_told_apart_and_lists_the_current_findings()
    {
        GateRunner.Run(Priced(Chat(2)), Options(accept: true));

        GateRunner.Run(Priced(Chat(1)), Options());

        var comment = Comment();
        Assert.Contains("new and resolved cannot be told apart: no base report was given (ConfigAsCodeBaseReport)", comment, StringComparison.Ordinal);
        Assert.Contains("Current findings", comment, StringComparison.Ordinal);
        Assert.Contains("CAC1006", comment, StringComparison.Ordinal);
        Assert.Contains("Full diff: `drift.diff`", comment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://ci.example/runs/42/artifacts/drift.diff?token=", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "token")]
    [InlineData("https://artifacts.example/api/v1/drift.diff?run=42&api_key=", "c0ffee-42-deadbeef-release-7731", "api_key")]
    [InlineData("https://bucket.s3.amazonaws.com/drift.diff?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=", "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", "X-Amz-Signature")]
    public void A_diff_link_that_carries_a_credential_is_left_out_of_the_comment(string link, string credential, string parameter)
    {
        // A hurried CI author links the artifact by a presigned or tokened URL: the comment is public on the pull request.
        GateRunner.Run(Priced(Chat(2)), Options(accept: true));

        GateRunner.Run(Priced(Chat(3)), Options() with { DiffLink = link + credential });

        var comment = Comment();
        Assert.DoesNotContain(credential, comment, StringComparison.Ordinal);
        Assert.Contains($"ConfigAsCodeDiffLink is not shown: the query parameter '{parameter}' carries a credential", comment, StringComparison.Ordinal);
        Assert.Contains("Full diff: `drift.diff` in the build's output folder", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_report_that_is_not_a_report_is_named_not_trusted()
    {
        GateRunner.Run(Priced(Chat(2)), Options(accept: true));
        var bogus = Path.Combine(_root, "bogus.json");
        File.WriteAllText(bogus, "{\"hello\": 1}");

        GateRunner.Run(Priced(Chat(2)), Options(baseReport: bogus));

        Assert.Contains("the base report 'bogus.json' is not a ConfigAsCode report.json", Comment(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"report\"")]
    [InlineData("{\"diagnostics\": [1, \"x\", {\"code\": \"CAC1006\", \"line\": 1.5, \"file\": \"a.cs\"}], \"readiness\": [7, {\"items\": [3]}]}")]
    [InlineData("{\"diagnostics\": [{\"line\": 1e12, \"file\": \"a.cs\"}]}")]
    [InlineData("not json")]
    public void A_base_report_of_any_shape_never_fails_the_gate(string content)
    {
        GateRunner.Run(Priced(Chat(2)), Options(accept: true));
        var odd = Path.Combine(_root, "odd.json");
        File.WriteAllText(odd, content);

        var outcome = GateRunner.Run(Priced(Chat(2)), Options(baseReport: odd));

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9009");
        Assert.StartsWith(PrComment.Marker, Comment(), StringComparison.Ordinal);
    }

    [Fact]
    public void Risky_files_come_first_and_a_long_drift_is_capped_with_the_count_left()
    {
        var many = Enumerable.Range(0, 20).Select(i => Fixtures.Compliant() with { Name = $"m{i:00}" }).ToArray();
        GateRunner.Run(Priced(many), Options(accept: true));

        // Every deployment changes; one of them loses its API-key secret reference (a risky change).
        var changed = many.Select(d => d with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 4 }, CostIncreaseAcknowledgment = new CostIncreaseAcknowledgment("traffic doubled this quarter") }).ToArray();
        changed[17] = changed[17] with { Security = changed[17].Security with { AllowPrivilegeEscalation = true } };
        GateRunner.Run(Priced(changed), Options());

        var comment = Comment();
        var block = comment.Substring(comment.IndexOf("```diff\n", StringComparison.Ordinal));
        var first = block.Split('\n')[1];
        Assert.Contains("m17", first, StringComparison.Ordinal);
        Assert.Contains("RISKY", first, StringComparison.Ordinal);
        Assert.Contains("more file(s).", comment, StringComparison.Ordinal);
        Assert.True(comment.Length < 65_536);
    }

    private static string Section(string comment, string title)
    {
        var start = comment.IndexOf("<summary>" + title, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{title}' in:\n{comment}");
        var end = comment.IndexOf("</details>", start, StringComparison.Ordinal);
        return comment.Substring(start, end - start);
    }

    [Fact]
    public void A_comment_over_the_limit_is_cut_at_a_line_end_with_its_fence_and_folds_closed()
    {
        var lines = string.Concat(Enumerable.Range(0, 4000).Select(i => $"! prod/app-{i:0000}/deployment-app-{i:0000}.yaml\n"));
        var text = "### ConfigAsCode\n<details open><summary>Findings</summary>\n\n```diff\n" + lines + "```\n\n</details>\n";
        Assert.True(text.Length > PrComment.Limit);

        var cut = PrComment.Cut(text);

        Assert.True(cut.Length <= PrComment.Limit, $"{cut.Length} characters");
        Assert.EndsWith("```\n</details>\n\n… truncated; see report.md.\n", cut, StringComparison.Ordinal);
        var body = cut.Substring(0, cut.IndexOf("```\n</details>", StringComparison.Ordinal));
        Assert.All(body.Split('\n').SkipLast(1), line => Assert.True(line.Length == 0 || line.StartsWith('!') || line.StartsWith('#') || line.StartsWith('<') || line.StartsWith("```", StringComparison.Ordinal), line));
        Assert.EndsWith(".yaml\n", body, StringComparison.Ordinal);
        var small = text.Substring(0, 1000);
        Assert.Same(small, PrComment.Cut(small));
    }
}
