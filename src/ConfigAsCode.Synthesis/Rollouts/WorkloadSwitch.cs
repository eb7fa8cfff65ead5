using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Synthesis.Rollouts;

/// <summary>How a drift changes the kind of a deployment's workload.</summary>
public enum WorkloadSwitchKind
{
    /// <summary>
    /// The Deployment is removed and a Rollout with its own template is added in one change: Argo CD deletes the live
    /// Deployment while the Rollout's pods are still loading the model. A capacity outage.
    /// </summary>
    ReplacesLiveDeployment,

    /// <summary>A Rollout is added that adopts the Deployment (<c>workloadRef</c>), which stays: the safe first step.</summary>
    AdoptsDeployment,

    /// <summary>The Deployment is removed after a Rollout adopted it: the second step, safe once the Rollout is healthy.</summary>
    CompletesMigration,

    /// <summary>A Rollout is removed and a Deployment added: the reverse switch, the same outage the other way.</summary>
    ReplacesLiveRollout,
}

/// <summary>One workload switch in a drift: where, which kind, the files involved, and what to do.</summary>
/// <param name="Environment">The environment folder.</param>
/// <param name="App">The deployment's folder.</param>
/// <param name="Kind">The switch.</param>
/// <param name="Files">The Deployment and Rollout files the drift lists for it.</param>
/// <param name="Risk">The risk label for the drift output, or null when the switch is the safe path.</param>
/// <param name="Steps">What to do, in order.</param>
public sealed record WorkloadSwitch(string Environment, string App, WorkloadSwitchKind Kind, IReadOnlyList<string> Files, string? Risk, IReadOnlyList<string> Steps);

/// <summary>
/// Finds where a drift turns a Deployment into an Argo Rollout (or back), and whether it does so safely. A pure function
/// of the drift and the fresh files, for the drift output to mark the change risky and print the migration steps.
/// </summary>
public static class WorkloadSwitches
{
    /// <summary>The risk label of an unsafe switch.</summary>
    public const string ReplacesLiveDeploymentRisk = "workload switch: Deployment → Rollout deletes the live Deployment before the Rollout's pods have loaded the model";

    /// <summary>The risk label of the reverse switch.</summary>
    public const string ReplacesLiveRolloutRisk = "workload switch: Rollout → Deployment deletes the live Rollout before the Deployment's pods have loaded the model";

    /// <summary>The risk label of the migration's second step.</summary>
    public const string CompletesMigrationRisk = "workload switch: removes the Deployment a Rollout adopted; merge only once the Rollout is Healthy and the Deployment is at 0 replicas";

    /// <summary>
    /// The switches in <paramref name="drift"/>. <paramref name="fresh"/> are the rendered files the drift compared
    /// (at least the added and changed ones), read to tell a Rollout that adopts a Deployment from one that replaces it.
    /// </summary>
    public static IReadOnlyList<WorkloadSwitch> Find(DriftResult drift, IEnumerable<RenderedFile> fresh)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var files = (fresh ?? []).ToDictionary(f => f.Path, f => f, StringComparer.Ordinal);
        var switches = new List<WorkloadSwitch>();
        // A per-app file's objects are looked at one by one, as the files of the per-object layout are.
        var objects = drift.Files.SelectMany(f => f.Documents.Count == 0 ? [f] : f.Documents.Select(d => new FileDrift(f.Path, d.Change, d.Kind, d.Fields)));
        foreach (var app in objects.Where(f => f.IsObject && Workload(f.ObjectKind)).GroupBy(f => AppOf(f.Path)).Where(g => g.Key is not null).OrderBy(g => g.Key!.Value.Environment, StringComparer.Ordinal).ThenBy(g => g.Key!.Value.App, StringComparer.Ordinal))
        {
            var (environment, name) = app.Key!.Value;
            // A workload removed from one file of its folder and added to another is a move (a switch between the
            // per-object and the per-app layout), not a switch: the app folder is the workload's name, so no other
            // change removes and adds the same kind there.
            var moved = app.GroupBy(f => f.ObjectKind).Where(k => k.Any(f => f.Kind == FileChangeKind.Added) && k.Any(f => f.Kind == FileChangeKind.Removed)).Select(k => k.Key).ToHashSet();
            var deployment = app.Where(f => f.ObjectKind == "Deployment" && !moved.Contains(f.ObjectKind)).ToArray();
            var rollout = app.Where(f => f.ObjectKind == "Rollout" && !moved.Contains(f.ObjectKind)).ToArray();
            var paths = app.Select(f => f.Path).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToArray();
            var deploymentRemoved = deployment.Any(f => f.Kind == FileChangeKind.Removed);
            var deploymentAdded = deployment.Any(f => f.Kind == FileChangeKind.Added);
            var rolloutAdded = rollout.FirstOrDefault(f => f.Kind == FileChangeKind.Added);
            var rolloutRemoved = rollout.Any(f => f.Kind == FileChangeKind.Removed);
            var rolloutChanged = rollout.FirstOrDefault(f => f.Kind == FileChangeKind.Changed);

            if (rolloutAdded is not null && AdoptsDeployment(files, rolloutAdded.Path))
            {
                switches.Add(new WorkloadSwitch(environment, name, WorkloadSwitchKind.AdoptsDeployment, paths, null,
                [
                    "Merge: Argo Rollouts starts the Rollout's pods from the Deployment's template while the Deployment keeps serving.",
                    $"Wait until 'kubectl argo rollouts get rollout {name}' is Healthy; Argo Rollouts then scales the Deployment to 0.",
                    "A fixed-size Deployment keeps its replicas in Git: add ignoreDifferences on its /spec/replicas to the Argo CD Application until the next step, or Argo CD scales it back up.",
                    "Then remove MigrateFromDeployment: the Deployment is deleted and the Rollout takes the template over, without restarting a pod.",
                ]));
            }
            else if (deploymentRemoved && rolloutAdded is not null)
            {
                switches.Add(new WorkloadSwitch(environment, name, WorkloadSwitchKind.ReplacesLiveDeployment, paths, ReplacesLiveDeploymentRisk,
                [
                    "Do not merge this as it is: Argo CD prunes the Deployment and its pods at once, and the Rollout's first pods take minutes to load the model.",
                    "Set MigrateFromDeployment = true on the new strategy and accept again: the Rollout then adopts the Deployment (workloadRef, scaleDown: onsuccess) and the Deployment stays.",
                    "Merge, wait until the Rollout is Healthy and the Deployment is scaled to 0, then remove MigrateFromDeployment in a second change.",
                ]));
            }
            else if (deploymentRemoved && rolloutChanged is not null && rolloutChanged.Fields.Any(f => f.Path.StartsWith("spec.workloadRef", StringComparison.Ordinal)))
            {
                switches.Add(new WorkloadSwitch(environment, name, WorkloadSwitchKind.CompletesMigration, paths, CompletesMigrationRisk,
                [
                    $"Check 'kubectl argo rollouts get rollout {name}': Healthy, and 'kubectl get deployment {name}' at 0 replicas.",
                    "Merge: Argo CD deletes the scaled-down Deployment; the Rollout keeps its pods (the template is the same, so its hash does not change).",
                    "Remove any ignoreDifferences added for the migration.",
                ]));
            }
            else if (rolloutRemoved && deploymentAdded)
            {
                switches.Add(new WorkloadSwitch(environment, name, WorkloadSwitchKind.ReplacesLiveRollout, paths, ReplacesLiveRolloutRisk,
                [
                    "Do not merge this as it is: Argo CD prunes the Rollout and its pods at once while the new Deployment's pods load the model.",
                    "Scale the Deployment up beside the Rollout first (apply it with the Rollout still in Git), then remove the Rollout once the Deployment's pods are ready.",
                ]));
            }
        }

        return switches;
    }

    private static bool Workload(string? kind) => kind is "Deployment" or "Rollout";

    private static (string Environment, string App)? AppOf(string path)
    {
        var segments = path.Split('/');
        return segments.Length == 3 ? (segments[0], segments[1]) : null;
    }

    private static bool AdoptsDeployment(IReadOnlyDictionary<string, RenderedFile> files, string path)
    {
        if (!files.TryGetValue(path, out var file))
        {
            return false;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(file.Content));
            // The Rollout's document: the file's only one, or the one of kind Rollout in a per-app file.
            return stream.Documents.Any(d => d.RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) && kind is YamlScalarNode { Value: "Rollout" }
                && root.Children.TryGetValue(new YamlScalarNode("spec"), out var spec) && spec is YamlMappingNode specMap
                && specMap.Children.ContainsKey(new YamlScalarNode("workloadRef")));
        }
        catch (YamlException)
        {
            return false;
        }
    }
}
