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
        // Each deployment's pairs, sorted by path (DeploymentFlattener.Flatten): two members are compared by merging
        // their sorted pairs, without a dictionary per deployment (10,000 deployments allocated 190 MB in them). Only
        // the names being compared hold their members' pairs: holding every deployment's pairs until the end (≈ 50 MB
        // at 10,000) moved them into the oldest generation, which then grew by that much before a full collection.
        // Names are compared side by side; what each finds is reported in the order of the names, as one loop would.
        var groups = deployments.Where(d => d.Environment is not null).GroupBy(d => d.Name, StringComparer.Ordinal).ToArray();
        var found = new List<(InferenceDeployment Deployment, string Path, string Message)>?[groups.Length];
        InvariantCultureScope.ForEach(groups.Length, g => found[g] = CheckName(groups[g].ToList()));
        foreach (var list in found)
        {
            foreach (var (deployment, path, message) in list ?? [])
            {
                report(deployment, path, message);
            }
        }
    }

    // What comparing the members of one name finds, in order; null when nothing.
    private static List<(InferenceDeployment Deployment, string Path, string Message)>? CheckName(List<InferenceDeployment> members)
    {
        List<(InferenceDeployment, string, string)>? found = null;
        void Report(InferenceDeployment deployment, string path, string message) => (found ??= []).Add((deployment, path, message));

        var flattened = new KeyValuePair<string, string>[members.Count][];
        for (var m = 0; m < members.Count; m++)
        {
            var member = members[m];
            flattened[m] = DeploymentFlattener.Flatten(member);
            foreach (var declared in member.IntendedDifferences ?? [])
            {
                if (string.IsNullOrEmpty(declared) || !flattened[m].Any(pair => DeploymentFlattener.Covers(declared, pair.Key)))
                {
                    Report(member, "IntendedDifferences", $"'{declared}' is not a property path of this deployment, so it declares nothing. Use a path such as 'Scaling.MinReplicas' or 'Engine.MaxNumSeqs'.");
                }
            }
        }

        for (var later = 1; later < members.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                Compare(members[earlier], flattened[earlier], members[later], flattened[later], Report);
            }
        }

        return found;
    }

    private static void Compare(
        InferenceDeployment baseline,
        KeyValuePair<string, string>[] left,
        InferenceDeployment overlay,
        KeyValuePair<string, string>[] right,
        Action<InferenceDeployment, string, string> report)
    {
        if (string.Equals(baseline.Environment.Name, overlay.Environment.Name, StringComparison.Ordinal))
        {
            return;
        }

        string[]? declared = null;

        // Both sides are sorted by path with each path once: one merge visits every path of either side in order.
        int l = 0, r = 0;
        while (l < left.Length || r < right.Length)
        {
            var order = l == left.Length ? 1 : r == right.Length ? -1 : string.CompareOrdinal(left[l].Key, right[r].Key);
            var path = order <= 0 ? left[l].Key : right[r].Key;
            var before = order <= 0 ? left[l].Value : Absent;
            var after = order >= 0 ? right[r].Value : Absent;
            l += order <= 0 ? 1 : 0;
            r += order >= 0 ? 1 : 0;
            if (string.Equals(before, after, StringComparison.Ordinal))
            {
                continue;
            }

            declared ??= (baseline.IntendedDifferences ?? []).Concat(overlay.IntendedDifferences ?? []).Where(p => !string.IsNullOrEmpty(p)).ToArray();
            if (CoveredByAny(declared, path))
            {
                continue;
            }

            var shown = IsEnvValue(path) ? "(values redacted)" : $"{before} → {after}";
            report(overlay, path, $"differs from {baseline.Environment.Name}: {shown}. If this is intended, add \"{TopLevel(path)}\" to IntendedDifferences; otherwise align the environments.");
        }
    }

    private const string Absent = "(absent)";

    // A loop, not a lambda: a lambda capturing the path would allocate a closure for every path of every pair of
    // environments compared (25 MB at 10,000 deployments), even where nothing differs.
    private static bool CoveredByAny(string[] declared, string path)
    {
        foreach (var d in declared)
        {
            if (DeploymentFlattener.Covers(d, path))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEnvValue(string path) => path.StartsWith("Env[", StringComparison.Ordinal);

    private static string TopLevel(string path)
    {
        var bracket = path.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? path.Substring(0, path.IndexOf(']', StringComparison.Ordinal) + 1) : path;
    }
}
