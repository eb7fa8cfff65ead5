using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Secrets;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>Options of <c>configascode import</c>.</summary>
/// <param name="Environment">The environment of every object (<c>--environment</c>); null reads it from folder names, then from <c>env</c> labels.</param>
/// <param name="KubernetesNamespace">The namespace of objects that have none (<c>--namespace</c>), as <c>kubectl apply -n</c> would give them.</param>
internal sealed record ImportOptions(string? Environment = null, string? KubernetesNamespace = null);

/// <summary>The imported deployments, grouped by name, and every message about what could not be carried.</summary>
internal sealed record ImportResult(
    IReadOnlyList<ImportedWorkload> Workloads,
    string? PlatformName,
    IReadOnlyDictionary<GpuKind, string> UnknownGpus,
    IReadOnlyList<ToolMessage> Messages,
    IReadOnlyList<string> Files,
    int Objects);

/// <summary>
/// <c>configascode import</c> without the console: reads the objects, imports each vLLM/TGI/Triton workload, drops
/// every credential (<see cref="SecretScanner"/> decides), renders the result with the toolkit's own renderer and lists
/// each field of the input the rendering does not reproduce. Pure: the same objects give the same result.
/// </summary>
internal static class PlatformImporter
{
    /// <summary>The platform name when the input's objects carry no single <c>app.kubernetes.io/part-of</c>.</summary>
    public const string DefaultPlatformName = "imported-platform";

    /// <summary>Fields the server or the toolkit owns; not the user's settings.</summary>
    private static readonly string[] ServerOwned =
    [
        "status", "metadata.creationTimestamp", "metadata.uid", "metadata.resourceVersion", "metadata.generation", "metadata.managedFields",
        "metadata.selfLink", "metadata.annotations[kubectl.kubernetes.io/last-applied-configuration]", "metadata.annotations[deployment.kubernetes.io/revision]",
        "metadata.annotations[configascode.io/config-hash]", "spec.template.metadata.creationTimestamp",
    ];

    public static ImportResult Import(IReadOnlyList<SourceObject> objects, ImportOptions options)
    {
        var messages = new List<ToolMessage>();
        var environments = new Dictionary<SourceObject, string>(ReferenceEqualityComparer.Instance);
        var silentEnvironment = new HashSet<SourceObject>(ReferenceEqualityComparer.Instance);
        foreach (var o in objects)
        {
            var labels = Yaml.Pairs(Yaml.Map(Yaml.Map(o.Node, "metadata"), "labels")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var fromLabel = EnvironmentNames.Canonical(labels.GetValueOrDefault("env")) ?? EnvironmentNames.Canonical(labels.GetValueOrDefault("environment"));
            var name = EnvironmentNames.Canonical(options.Environment) ?? options.Environment ?? o.FolderEnvironment ?? fromLabel;
            if (name is null)
            {
                silentEnvironment.Add(o);
            }

            environments[o] = name ?? "dev";
        }

        // Unknown GPUs: one placeholder per name, so equal placeholders are one field of the generated class.
        var unknownGpus = new Dictionary<string, GpuKind>(StringComparer.Ordinal);
        GpuKind UnknownGpu(string name) => unknownGpus.TryGetValue(name, out var known) ? known : unknownGpus[name] = Placeholder(name);

        var consumed = new HashSet<SourceObject>(ReferenceEqualityComparer.Instance);
        var imported = new List<ImportedWorkload>();
        foreach (var workload in objects.Where(WorkloadImporter.IsWorkload))
        {
            consumed.Add(workload);
            var environment = environments[workload];
            if (WorkloadImporter.FindEngine(workload) is not { } engine)
            {
                messages.Add(new ToolMessage(ToolCodes.NotMapped, workload.File, workload.Line, $"{environment}/{workload.Name}: {workload.Describe()} runs no vLLM, TGI or Triton container (by command or image); not imported. Keep it in YAML beside the generated platform."));
                continue;
            }

            var neighbours = objects.Where(o => !WorkloadImporter.IsWorkload(o) && environments[o] == environment).ToArray();
            ImportedWorkload result;
            try
            {
                result = WorkloadImporter.Import(workload, environment, engine.Container, engine.Command, neighbours, options.KubernetesNamespace, UnknownGpu);
            }
            catch (ArgumentException e)
            {
                // The model validates names on construction; one it refuses is reported, not thrown.
                messages.Add(new ToolMessage(ToolCodes.NotMapped, workload.File, workload.Line, $"{environment}/{workload.Name}: {Printable.Text(e.Message.Split(" (Parameter", 2)[0])}; not imported."));
                continue;
            }

            if (silentEnvironment.Contains(workload))
            {
                messages.Add(new ToolMessage(ToolCodes.NotMapped, workload.File, workload.Line, $"dev/{workload.Name}: no folder name (deploy/prod/...) or env label gives the environment; declared as dev. Pass --environment <name>."));
            }

            if (imported.Any(i => i.Environment == environment && i.Deployment.Name == result.Deployment.Name))
            {
                messages.Add(new ToolMessage(ToolCodes.NotMapped, workload.File, workload.Line, $"{environment}/{result.Deployment.Name}: a second workload of this name in this environment; not imported (CAC9006 would refuse both). Rename one, or import the environments separately with --environment."));
                continue;
            }

            foreach (var attached in result.Attached)
            {
                consumed.Add(attached);
            }

            // What the workload's own reading could not carry (engine flags, env sources, GPU evidence, sidecars).
            messages.AddRange(result.Messages);

            if (WithoutCredentials(result, messages) is { } clean)
            {
                imported.Add(clean);
            }
        }

        var platformName = imported.Select(i => Yaml.Pairs(Yaml.Map(Yaml.Map(i.Source.Node, "metadata"), "labels")).FirstOrDefault(p => p.Key == "app.kubernetes.io/part-of").Value)
            .Distinct(StringComparer.Ordinal).ToArray() is [{ } single] && LabelValues.Sanitize(single) == single ? single : null;

        var rebuilt = Render(imported, platformName, messages);
        var matched = new HashSet<SourceObject>(ReferenceEqualityComparer.Instance);
        foreach (var workload in imported)
        {
            Compare(workload, rebuilt, matched, messages);
        }

        var kustomizations = 0;
        foreach (var other in objects.Where(o => !consumed.Contains(o)))
        {
            var environment = environments[other];
            if (other.Kind == "Kustomization")
            {
                kustomizations++;
                continue;
            }

            var counterpart = rebuilt.FirstOrDefault(r => !matched.Contains(r) && r.FolderEnvironment == environment && r.Kind == other.Kind && r.Name == other.Name
                && (r.Namespace ?? string.Empty) == (other.Namespace ?? options.KubernetesNamespace ?? r.Namespace ?? string.Empty));
            if (counterpart is not null)
            {
                matched.Add(counterpart);
                Report(other, environment, other.Describe(), Diff(other.Node, counterpart.Node, _ => false, addedMatters: AddedMatters(other)), messages);
            }
            else
            {
                messages.Add(new ToolMessage(ToolCodes.NotMapped, other.File, other.Line, $"{environment}: {other.Describe()} is not imported: no imported declaration renders it. Keep it in YAML, or declare what it does (SLOs, a canary rollout) on the deployment."));
            }
        }

        if (kustomizations > 0)
        {
            var first = objects.First(o => o.Kind == "Kustomization");
            messages.Add(new ToolMessage(ToolCodes.NotMapped, first.File, first.Line, $"{kustomizations} kustomization file(s) are not imported; the build writes its own kustomization.yaml per app and environment."));
        }

        messages.Sort(ToolMessage.Compare);
        var ordered = imported
            .OrderBy(i => i.Deployment.Name, StringComparer.Ordinal)
            .ThenBy(i => EnvironmentNames.Order(i.Environment))
            .ThenBy(i => i.Environment, StringComparer.Ordinal)
            .ToArray();
        return new ImportResult(
            ordered,
            platformName,
            ordered.Select(i => i.Deployment.Accelerator.Gpu).Where(g => !GpuCatalog.All.Any(c => ReferenceEquals(c, g))).Distinct().ToDictionary(g => g, g => g.Name),
            messages.Distinct().ToArray(),
            objects.Select(o => o.File).Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal).ToArray(),
            objects.Count);
    }

    /// <summary>A GpuKind for a GPU the catalog does not have: its name only. Memory, bandwidth and price are left at zero, never guessed.</summary>
    private static GpuKind Placeholder(string name) => new()
    {
        Name = name,
        MemoryMiB = 0,
        SupportsFp8 = false,
        MemoryBandwidthGBps = 0,
        PriceKey = LabelValues.Sanitize(name) ?? "unknown-gpu",
    };

    /// <summary>The workload with every setting the secret scanner classifies as a credential taken out (reported, never copied).</summary>
    private static ImportedWorkload? WithoutCredentials(ImportedWorkload workload, List<ToolMessage> messages)
    {
        var d = workload.Deployment;
        foreach (var secret in SecretScanner.Scan(d))
        {
            var text = $"{workload.Environment}/{d.Name}: {secret.PropertyPath}: {secret.Reason}; the value was not copied.";
            if (secret.PropertyPath.StartsWith("Env[", StringComparison.Ordinal))
            {
                var name = secret.PropertyPath[4..secret.PropertyPath.IndexOf(']', StringComparison.Ordinal)];
                d = d with { Env = d.Env.Where(e => e.Name != name).ToArray() };
                messages.Add(new ToolMessage(ToolCodes.CredentialNotCopied, workload.Source.File, workload.Source.Line, text + $" Store it in a Secret and declare EnvVar.FromSecret(\"{Printable.Text(name)}\", \"<secret>\", \"<key>\")."));
            }
            else if (secret.PropertyPath.StartsWith("Observability.Traces", StringComparison.Ordinal))
            {
                d = d with { Observability = d.Observability with { Traces = null } };
                messages.Add(new ToolMessage(ToolCodes.CredentialNotCopied, workload.Source.File, workload.Source.Line, text + " Tracing was left out; point the endpoint at a collector without credentials in the URL."));
            }
            else if (secret.PropertyPath.StartsWith("Cost", StringComparison.Ordinal))
            {
                d = d with { Cost = null };
                messages.Add(new ToolMessage(ToolCodes.CredentialNotCopied, workload.Source.File, workload.Source.Line, text + " The cost labels were left out; declare Cost by hand."));
            }
            else
            {
                messages.Add(new ToolMessage(ToolCodes.CredentialNotCopied, workload.Source.File, workload.Source.Line, text + " The workload was not imported; remove the credential from the YAML and import again."));
                return null;
            }
        }

        return workload with { Deployment = d };
    }

    private static List<SourceObject> Render(IReadOnlyList<ImportedWorkload> imported, string? platformName, List<ToolMessage> messages)
    {
        var result = ManifestRenderer.Render(imported.Select(i => i.Deployment).ToArray(), new RenderOptions { PlatformName = platformName ?? DefaultPlatformName });
        foreach (var finding in result.Findings)
        {
            var source = imported.FirstOrDefault(i => i.Deployment.Name == finding.Deployment && i.Environment == finding.Environment);
            messages.Add(new ToolMessage(ToolCodes.NotMapped, source?.Source.File, source?.Source.Line ?? 0, $"{finding.Environment}/{finding.Deployment}: the toolkit renders nothing for it ({finding.Rule.Id}: {Printable.Text(finding.Message)})"));
        }

        var rebuilt = new List<SourceObject>();
        foreach (var file in result.Files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            rebuilt.AddRange(YamlInput.Parse(file.Content, file.Path, file.Path.Split('/')[0]));
        }

        return rebuilt;
    }

    private static void Compare(ImportedWorkload workload, List<SourceObject> rebuilt, HashSet<SourceObject> matched, List<ToolMessage> messages)
    {
        var d = workload.Deployment;
        SourceObject? Find(string kind, string name) => rebuilt.FirstOrDefault(r => !matched.Contains(r) && r.FolderEnvironment == workload.Environment && r.Kind == kind && r.Name == name && r.Namespace == d.Namespace);
        var target = Find("Deployment", d.Name) ?? Find("Rollout", d.Name);
        if (target is null)
        {
            return;
        }

        matched.Add(target);
        var engineName = d.Engine.Kind;
        const string Containers = "spec.template.spec.containers";
        var engineContainer = $"{Containers}[{engineName}]";
        bool Skip(string path) =>
            ServerOwned.Any(p => path == p)
            || path == $"{engineContainer}.args" || path == $"{engineContainer}.command" || path == $"{engineContainer}.env" || path == $"{engineContainer}.name"
            || (workload.Source.Kind == "Rollout" && path == "spec.strategy")
            // The rendered autoscaler owns the replica count (its minReplicas is the declared MinReplicas).
            || (path == "spec.replicas" && d.Scaling.MaxReplicas > d.Scaling.MinReplicas);
        var diff = Diff(workload.Source.Node, target.Node, Skip, (path, name) => path == Containers && name == workload.EngineContainer ? engineName : name);
        var originalContainer = Yaml.Maps(WorkloadImporter.PodSpec(workload.Source.Node), "containers").First(c => Yaml.Text(c, "name") == workload.EngineContainer || workload.EngineContainer == engineName && Yaml.Text(c, "name") is null);
        if (workload.EngineContainer != engineName)
        {
            diff.Insert(0, new FieldDifference($"{Containers}[{Printable.Text(workload.EngineContainer)}].name", Yaml.Line(originalContainer), Printable.Text(workload.EngineContainer), engineName));
        }

        var rebuiltContainer = Yaml.Maps(WorkloadImporter.PodSpec(target.Node), "containers").First(c => Yaml.Text(c, "name") == engineName);
        diff.AddRange(EngineSettingsDiff(workload, originalContainer, rebuiltContainer, engineContainer));
        diff.AddRange(EnvDiff(workload, originalContainer, rebuiltContainer, engineContainer));
        Report(workload.Source, workload.Environment, workload.Source.Describe(), diff, messages);

        // Objects of the rendered name first, so a Service "chat" is compared with the rendered "chat" even when a
        // "chat-canary" beside it would also fall back to that name.
        var exact = new Dictionary<SourceObject, SourceObject?>(ReferenceEqualityComparer.Instance);
        foreach (var attached in workload.Attached)
        {
            exact[attached] = Find(attached.Kind, attached.Name);
            if (exact[attached] is { } counterpart)
            {
                matched.Add(counterpart);
            }
        }

        foreach (var attached in workload.Attached)
        {
            var counterpart = exact[attached] ?? Find(attached.Kind, attached.Kind == "ServiceAccount" ? d.Security.ServiceAccountName ?? d.Name : d.Name);
            if (counterpart is null)
            {
                messages.Add(new ToolMessage(ToolCodes.NotMapped, attached.File, attached.Line, $"{workload.Environment}/{d.Name}: {attached.Describe()} is not reproduced: the declaration renders no {attached.Kind} of that name{(attached.Kind == "HorizontalPodAutoscaler" ? " (an autoscaler is rendered only when MaxReplicas > MinReplicas)" : string.Empty)}. Review it."));
                continue;
            }

            matched.Add(counterpart);
            Report(attached, workload.Environment, attached.Describe(), Diff(attached.Node, counterpart.Node, path => ServerOwned.Contains(path, StringComparer.Ordinal), addedMatters: AddedMatters(attached)), messages);
        }
    }

    private static List<FieldDifference> Diff(YamlMappingNode original, YamlMappingNode rebuilt, Func<string, bool> skip, Func<string, string, string>? itemKey = null, Func<string, bool>? addedMatters = null) =>
        new ObjectDiff(path => ServerOwned.Contains(path, StringComparer.Ordinal) || skip(path), itemKey, addedMatters).Compare(original, rebuilt, string.Empty).Differences;

    /// <summary>
    /// The lists of <paramref name="source"/> where an item only the rendering has is a difference: a NetworkPolicy's
    /// rules, peers and ports, since each one the rendering adds admits traffic the input's policy did not.
    /// </summary>
    private static Func<string, bool>? AddedMatters(SourceObject source) =>
        source.Kind != "NetworkPolicy" ? null
        : path => path is "spec.ingress" or "spec.egress"
            || (path.StartsWith("spec.ingress[", StringComparison.Ordinal) && (path.EndsWith("].from", StringComparison.Ordinal) || path.EndsWith("].ports", StringComparison.Ordinal)) && path.IndexOf('.', "spec.ingress[".Length) == path.LastIndexOf('.'))
            || (path.StartsWith("spec.egress[", StringComparison.Ordinal) && (path.EndsWith("].to", StringComparison.Ordinal) || path.EndsWith("].ports", StringComparison.Ordinal)) && path.IndexOf('.', "spec.egress[".Length) == path.LastIndexOf('.'));

    /// <summary>Engine settings compared as settings, so <c>--max-num-seqs 64</c>, <c>--max_num_seqs=64</c> and <c>MAX_NUM_SEQS=64</c> are equal.</summary>
    private static IEnumerable<FieldDifference> EngineSettingsDiff(ImportedWorkload workload, YamlMappingNode original, YamlMappingNode rebuilt, string path)
    {
        var rebuiltLine = EngineCommandLine.Read(
            WorkloadImporter.Strings(Yaml.Sequence(rebuilt, "command")),
            WorkloadImporter.Strings(Yaml.Sequence(rebuilt, "args")),
            Yaml.Text(rebuilt, "image"),
            []);
        var line = (YamlNode?)Yaml.Sequence(original, "args") ?? original;

        // Settings the importer already reported (unknown, unreadable, credentials) are not reported twice.
        var reported = EngineSettingsMapper.Map(workload.Command, null);
        var skip = reported.NotMapped.Select(n => n.Setting.Flag).Concat(reported.Credentials.Select(c => c.Flag)).ToHashSet(StringComparer.Ordinal);
        foreach (var setting in workload.Command.Settings.Where((s, i) => !workload.Command.Settings.Skip(i + 1).Any(l => l.Flag == s.Flag)))
        {
            if (skip.Contains(setting.Flag) || rebuiltLine is null)
            {
                continue;
            }

            var value = rebuiltLine.Last(setting.Flag, out var present);
            var equal = present && (ObjectDiff.Equivalent(setting.Value, value)
                || (setting.Value is null && value is not null && value.Equals("true", StringComparison.OrdinalIgnoreCase))
                || (setting.Flag == "--max-model-len" && setting.Value == "-1" && value == "auto"));
            if (!equal)
            {
                var hint = setting.Flag == "--quantization" && setting.Value is "awq" or "gptq"
                    ? $" (declared as Quantization.{(setting.Value == "awq" ? "Awq" : "Gptq")}: the renderer leaves the method to the checkpoint, so vLLM picks its Marlin kernel)"
                    : string.Empty;
                yield return new FieldDifference($"{path}.args {setting.Flag}", Yaml.Line(line), Printable.Setting(setting) + hint, present ? (value is null ? setting.Flag : Printable.Value(setting.Flag.TrimStart('-'), value)) : null);
            }
        }
    }

    private static IEnumerable<FieldDifference> EnvDiff(ImportedWorkload workload, YamlMappingNode original, YamlMappingNode rebuilt, string path)
    {
        var rebuiltEnv = Yaml.Maps(rebuilt, "env").ToArray();
        foreach (var entry in Yaml.Maps(original, "env"))
        {
            var name = Yaml.Text(entry, "name");
            if (name is null || workload.ConsumedVariables.Contains(name))
            {
                continue;
            }

            var match = rebuiltEnv.FirstOrDefault(r => Yaml.Text(r, "name") == name);
            foreach (var difference in new ObjectDiff(_ => false).Compare(entry, match, $"{path}.env[{Printable.Text(name)}]").Differences)
            {
                yield return difference;
            }
        }
    }

    private static void Report(SourceObject source, string environment, string what, IEnumerable<FieldDifference> differences, List<ToolMessage> messages)
    {
        foreach (var difference in differences)
        {
            var action = difference.Path.StartsWith("spec.selector", StringComparison.Ordinal) && WorkloadImporter.IsWorkload(source)
                ? "A workload's selector cannot change in place: delete the running object (or apply under a new name) before applying the rendered one."
                : difference.Kind switch
                {
                    DifferenceKind.Added => "The rendered policy admits traffic the input's did not; review it, and narrow the declaration if it is not meant.",
                    DifferenceKind.Moved => "The rendered manifest orders it differently; review the rendered list.",
                    _ => difference.Rebuilt is null ? "The rendered manifest goes without it; declare it if it matters." : "The rendered manifest carries the new value; review it.",
                };
            messages.Add(new ToolMessage(ToolCodes.NotMapped, source.File, difference.Line, $"{environment}/{source.Name}: {what} {difference}. {action}"));
        }
    }
}
