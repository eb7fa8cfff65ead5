using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tests.Support;

/// <summary>One connection a container of a pod will open, as its arguments and environment configure it.</summary>
/// <param name="Container">The container that connects.</param>
/// <param name="Host">The host it connects to (the proxy's when it goes through one).</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Why">The argument or variable that configures it, and the endpoint behind a proxy.</param>
internal sealed record PodConnection(string Container, string Host, int Port, string Why);

/// <summary>
/// Reads, from a rendered pod template, what its containers will connect to: the trace exporter's endpoint
/// (<c>--otlp-traces-endpoint</c>, <c>--otlp-endpoint</c>), the Hugging Face endpoint of a container that downloads
/// (<c>HF_ENDPOINT</c>, else the public Hub, unless <c>HF_HUB_OFFLINE=1</c>), the store an rclone fetcher copies from
/// (its <c>RCLONE_*</c> variables), and the proxy that external connections go through (<c>HTTPS_PROXY</c> unless the
/// host is in <c>NO_PROXY</c>). Written for the tests from the tools' documented behaviour, not from the renderer.
/// </summary>
internal static class PodConnections
{
    public static IReadOnlyList<PodConnection> Of(YamlMappingNode podTemplate)
    {
        var spec = (YamlMappingNode)podTemplate.Children[new YamlScalarNode("spec")];
        var containers = Containers(spec, "initContainers").Concat(Containers(spec, "containers"));
        var connections = new List<PodConnection>();
        foreach (var container in containers)
        {
            var name = Scalar(container, "name")!;
            var env = Environment(container);
            var args = Strings(container, "args").Concat(Strings(container, "command")).ToArray();
            var urls = new List<(string Url, string Why)>();
            foreach (var flag in new[] { "--otlp-traces-endpoint=", "--otlp-endpoint=" })
            {
                urls.AddRange(args.Where(a => a.StartsWith(flag, StringComparison.Ordinal)).Select(a => (a.Substring(flag.Length), flag.TrimEnd('='))));
            }

            var downloadsFromHub = env.ContainsKey("HF_HOME") && !(env.TryGetValue("HF_HUB_OFFLINE", out var offline) && offline == "1")
                && (name is "vllm" or "tgi" || args.Any(a => a.Contains("snapshot_download", StringComparison.Ordinal)));
            if (downloadsFromHub)
            {
                urls.Add((env.TryGetValue("HF_ENDPOINT", out var mirror) ? mirror : "https://huggingface.co", "Hugging Face download"));
            }

            if (args.Contains("rclone"))
            {
                urls.Add((RcloneEndpoint(env), "rclone copy"));
            }

            var proxy = env.TryGetValue("HTTPS_PROXY", out var p) ? new Uri(p) : null;
            var noProxy = env.TryGetValue("NO_PROXY", out var n) ? n.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
            foreach (var (url, why) in urls)
            {
                var uri = new Uri(url);
                var port = uri.IsDefaultPort ? (uri.Scheme == "https" ? 443 : 80) : uri.Port;
                var bypass = noProxy.Any(entry => entry.StartsWith('.') ? uri.Host.EndsWith(entry, StringComparison.Ordinal) : uri.Host == entry);
                connections.Add(proxy is not null && !bypass
                    ? new PodConnection(name, proxy.Host, proxy.Port, $"{why} {uri.Host}:{port} through HTTPS_PROXY")
                    : new PodConnection(name, uri.Host, port, $"{why} {url}"));
            }
        }

        return connections;
    }

    /// <summary>
    /// The pod template of the workload in a set of rendered documents: a Deployment's, else a Rollout's own, else a
    /// LeaderWorkerSet's leader template (the pod that serves the API and makes the calls the policy must allow).
    /// </summary>
    public static YamlMappingNode PodTemplate(IEnumerable<YamlMappingNode> documents)
    {
        var all = documents.ToArray();
        var owner = all.FirstOrDefault(d => Scalar(d, "kind") == "Deployment") ?? all.FirstOrDefault(d => Scalar(d, "kind") == "Rollout");
        if (owner is null)
        {
            var group = (YamlMappingNode)((YamlMappingNode)all.Single(d => Scalar(d, "kind") == "LeaderWorkerSet").Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("leaderWorkerTemplate")];
            return (YamlMappingNode)group.Children[new YamlScalarNode("leaderTemplate")];
        }

        return (YamlMappingNode)((YamlMappingNode)owner.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("template")];
    }

    /// <summary>The container ports of the pod by name.</summary>
    public static IReadOnlyDictionary<string, int> NamedPorts(YamlMappingNode podTemplate)
    {
        var spec = (YamlMappingNode)podTemplate.Children[new YamlScalarNode("spec")];
        return Containers(spec, "containers")
            .SelectMany(c => c.Children.TryGetValue(new YamlScalarNode("ports"), out var ports) ? ((YamlSequenceNode)ports).Children.Cast<YamlMappingNode>() : [])
            .ToDictionary(p => Scalar(p, "name")!, p => int.Parse(Scalar(p, "containerPort")!, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, string> Labels(YamlMappingNode node)
    {
        var metadata = (YamlMappingNode)node.Children[new YamlScalarNode("metadata")];
        return ((YamlMappingNode)metadata.Children[new YamlScalarNode("labels")]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!, StringComparer.Ordinal);
    }

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static string RcloneEndpoint(IReadOnlyDictionary<string, string> env)
    {
        if (env.TryGetValue("RCLONE_S3_ENDPOINT", out var endpoint))
        {
            return endpoint;
        }

        if (env.ContainsKey("RCLONE_S3_PROVIDER"))
        {
            return env.TryGetValue("RCLONE_S3_REGION", out var region) ? $"https://s3.{region}.amazonaws.com" : "https://s3.amazonaws.com";
        }

        if (env.ContainsKey("RCLONE_GCS_ENV_AUTH"))
        {
            return "https://storage.googleapis.com";
        }

        return $"https://{env["RCLONE_AZUREBLOB_ACCOUNT"]}.blob.core.windows.net";
    }

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode spec, string key) =>
        spec.Children.TryGetValue(new YamlScalarNode(key), out var list) ? ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>() : [];

    private static IEnumerable<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var list) ? ((YamlSequenceNode)list).Children.Select(c => ((YamlScalarNode)c).Value!) : [];

    private static Dictionary<string, string> Environment(YamlMappingNode container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (container.Children.TryGetValue(new YamlScalarNode("env"), out var list))
        {
            foreach (var variable in ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>())
            {
                env[Scalar(variable, "name")!] = Scalar(variable, "value") ?? "<from a secret>";
            }
        }

        return env;
    }
}
