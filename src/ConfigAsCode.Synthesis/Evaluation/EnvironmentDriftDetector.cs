using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Evaluation;

/// <summary>
/// Compares each deployment with the same deployment in every other environment. A difference is intended
/// when either side lists its path (or a parent path) in <see cref="InferenceDeployment.IntendedDifferences"/>;
/// anything else is reported on the later-declared environment, where the overlay was written.
/// </summary>
internal static class EnvironmentDriftDetector
{
    public static void Check(
        IReadOnlyList<InferenceDeployment> deployments,
        Rules.RuleOptions options,
        Action<InferenceDeployment, string, string> report)
    {
        var flattened = new Dictionary<InferenceDeployment, Dictionary<string, string>>(ReferenceEqualityComparer.Instance);
        foreach (var group in deployments.Where(d => d.Environment is not null).GroupBy(d => d.Name, StringComparer.Ordinal))
        {
            var members = group.ToList();
            foreach (var member in members)
            {
                flattened[member] = new Dictionary<string, string>(DeploymentFlattener.Flatten(member), StringComparer.Ordinal);
                foreach (var declared in member.IntendedDifferences ?? [])
                {
                    if (string.IsNullOrEmpty(declared) || !flattened[member].Keys.Any(path => DeploymentFlattener.Covers(declared, path)))
                    {
                        report(member, "IntendedDifferences", $"'{declared}' is not a property path of this deployment, so it declares nothing. Use a path such as 'Scaling.MinReplicas' or 'Engine.MaxNumSeqs'.");
                    }
                }
            }

            for (var later = 1; later < members.Count; later++)
            {
                for (var earlier = 0; earlier < later; earlier++)
                {
                    Compare(members[earlier], members[later], flattened, report);
                }
            }
        }
    }

    private static void Compare(
        InferenceDeployment baseline,
        InferenceDeployment overlay,
        IReadOnlyDictionary<InferenceDeployment, Dictionary<string, string>> flattened,
        Action<InferenceDeployment, string, string> report)
    {
        if (string.Equals(baseline.Environment.Name, overlay.Environment.Name, StringComparison.Ordinal))
        {
            return;
        }

        var left = flattened[baseline];
        var right = flattened[overlay];
        var declared = (baseline.IntendedDifferences ?? []).Concat(overlay.IntendedDifferences ?? []).Where(p => !string.IsNullOrEmpty(p)).ToArray();
        var undeclared = left.Keys.Union(right.Keys, StringComparer.Ordinal)
            .Where(path => !string.Equals(Value(left, path), Value(right, path), StringComparison.Ordinal))
            .Where(path => !declared.Any(d => DeploymentFlattener.Covers(d, path)))
            .OrderBy(path => path, StringComparer.Ordinal);

        foreach (var path in undeclared)
        {
            var shown = IsEnvValue(path) ? "(values redacted)" : $"{Value(left, path)} → {Value(right, path)}";
            report(overlay, path, $"differs from {baseline.Environment.Name}: {shown}. If this is intended, add \"{TopLevel(path)}\" to IntendedDifferences; otherwise align the environments.");
        }
    }

    private static string Value(IReadOnlyDictionary<string, string> values, string path) =>
        values.TryGetValue(path, out var value) ? value : "(absent)";

    private static bool IsEnvValue(string path) => path.StartsWith("Env[", StringComparison.Ordinal);

    private static string TopLevel(string path)
    {
        var bracket = path.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? path.Substring(0, path.IndexOf(']', StringComparison.Ordinal) + 1) : path;
    }
}
