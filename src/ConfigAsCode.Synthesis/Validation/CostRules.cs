using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC4xxx rules decided on the declaration alone (budgets and prices come with the cost model).</summary>
internal static class CostRules
{
    private static readonly Regex LabelName = new("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\\z", RegexOptions.CultureInvariant);

    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.CostAttributionMissing, c =>
        {
            var cost = c.Deployment.Cost;
            if (cost is null)
            {
                c.Report("Cost", "no cost attribution: OpenCost and Kubecost cannot allocate this deployment's GPU spend. Set Cost = new() { Team = \"...\", CostCenter = \"...\" }.");
                return;
            }

            if (string.IsNullOrWhiteSpace(cost.Team))
            {
                c.Report("Cost.Team", "no team: GPU spend lands in 'unallocated'. Set Cost.Team.");
            }

            if (string.IsNullOrWhiteSpace(cost.CostCenter))
            {
                c.Report("Cost.CostCenter", "no cost centre: finance cannot charge back GPU spend. Set Cost.CostCenter.");
            }
        }),
        new(RuleCatalog.CostLabelInvalid, c =>
        {
            var cost = c.Deployment.Cost;
            if (cost is null)
            {
                return;
            }

            CheckValue(c, "Cost.Team", cost.Team);
            CheckValue(c, "Cost.CostCenter", cost.CostCenter);
            CheckValue(c, "Cost.Owner", cost.Owner);
            foreach (var pair in cost.Labels ?? new Dictionary<string, string>())
            {
                if (pair.Key is null || pair.Key.Length > 316 || !LabelName.IsMatch(pair.Key) || NameTooLong(pair.Key))
                {
                    c.Report($"Cost.Labels[{pair.Key}]", "the label key is not a valid Kubernetes label name ([prefix/]name, name at most 63 characters of letters, digits, '-', '_' or '.'). Rename the key.");
                }

                CheckValue(c, $"Cost.Labels[{pair.Key}]", pair.Value);
            }
        }),
        new(RuleCatalog.LoadExceedsMaxReplicas, c =>
        {
            var d = c.Deployment;
            if (d.Accelerator?.Gpu is not { } gpu || d.Scaling is not { } scaling || d.Load is not { } load
                || Cost.CostEstimator.Throughput(d, gpu, c.Options) is not { ReplicasForLoad: { } need } throughput || need <= scaling.MaxReplicas)
            {
                return;
            }

            c.Report("Scaling.MaxReplicas", string.Create(CultureInfo.InvariantCulture,
                $"{load.RequestsPerSecond:0.##} requests/s of {load.InputTokens} + {load.OutputTokens} tokens need {need} replicas ({throughput.OutputTokensPerSecondPerReplica:0} output tokens/s each at {throughput.Concurrency:0} concurrent sequences, {load.TargetUtilization:0.##} target utilisation), but MaxReplicas is {scaling.MaxReplicas}: queues grow, latency SLOs break, and the cost estimate stops at {scaling.MaxReplicas}. Raise MaxReplicas to {need}, or correct the expected load."));
        }),
        new(RuleCatalog.ExpectedLoadInvalid, c =>
        {
            if (c.Deployment.Load is not { } load)
            {
                return;
            }

            if (!(load.RequestsPerSecond > 0) || double.IsInfinity(load.RequestsPerSecond))
            {
                c.Report("Load.RequestsPerSecond", $"{load.RequestsPerSecond.ToString("R", CultureInfo.InvariantCulture)} requests per second cannot size replicas. Set RequestsPerSecond to a positive finite number.");
            }

            if (load.InputTokens <= 0 || load.OutputTokens <= 0)
            {
                c.Report("Load", $"input ({load.InputTokens}) and output ({load.OutputTokens}) tokens per request cannot size the KV cache. Set both to positive means.");
            }

            if (!(load.TargetUtilization > 0 && load.TargetUtilization <= 1))
            {
                c.Report("Load.TargetUtilization", $"a target utilisation of {load.TargetUtilization.ToString("R", CultureInfo.InvariantCulture)} cannot size replicas. Set TargetUtilization in (0, 1], for example 0.8.");
            }
        }),
    ];

    private static bool NameTooLong(string key)
    {
        var slash = key.IndexOf('/', System.StringComparison.Ordinal);
        return (slash < 0 ? key.Length : key.Length - slash - 1) > 63 || slash > 253;
    }

    private static void CheckValue(RuleContext c, string path, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (!RuleFacts.IsLabelValue(value))
        {
            c.Report(path, $"'{value}' is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, and no '/'. Shorten or rename the value; model ids go in annotations, not labels.");
        }
    }
}
