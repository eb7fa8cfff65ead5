using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tests.Support;

/// <summary>A pod in the test's model of a cluster: its namespace, labels, address and named container ports.</summary>
internal sealed record ClusterPod(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels, IPAddress Address, IReadOnlyDictionary<string, int>? NamedPorts = null)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>Where a connection goes: a pod, or an address outside the cluster.</summary>
internal sealed record Destination(ClusterPod? Pod, IPAddress Address, string Description)
{
    public static Destination ToPod(ClusterPod pod) => new(pod, pod.Address, pod.ToString());

    public static Destination External(string address, string description) => new(null, IPAddress.Parse(address), description);

    public override string ToString() => Description;
}

/// <summary>
/// The Kubernetes NetworkPolicy semantics, written for the tests from the API reference and independently of the
/// renderer: it reads the YAML a cluster would receive, never the renderer's types. A pod selected by no policy of a
/// type is open in that direction; a selected pod gets only the union of the rules of the policies that select it.
/// A rule with no peers admits every peer, with no ports every port; a peer is a pod selector (in the policy's
/// namespace), a namespace selector (every pod of those namespaces), both (the pods of those namespaces), or an
/// ipBlock (an address in the CIDR and in none of its exceptions). Ports are matched by number or container port name,
/// with protocol (TCP by default) and <c>endPort</c>.
/// </summary>
internal sealed class NetworkPolicyEvaluator
{
    private readonly List<Policy> _policies = [];
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels;

    /// <param name="namespaces">The namespaces of the cluster model; each gets <c>kubernetes.io/metadata.name</c>.</param>
    public NetworkPolicyEvaluator(IEnumerable<string> namespaces)
    {
        _namespaceLabels = namespaces.Distinct(StringComparer.Ordinal).ToDictionary(
            n => n,
            n => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = n },
            StringComparer.Ordinal);
    }

    /// <summary>Adds a NetworkPolicy from its YAML.</summary>
    public void Add(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new System.IO.StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (Text(root, "kind") != "NetworkPolicy")
        {
            throw new ArgumentException("not a NetworkPolicy: " + Text(root, "kind"));
        }

        var metadata = Map(root, "metadata")!;
        var spec = Map(root, "spec")!;
        var types = Seq(spec, "policyTypes")?.Children.Select(c => ((YamlScalarNode)c).Value!).ToHashSet(StringComparer.Ordinal)
            ?? new HashSet<string>(StringComparer.Ordinal) { "Ingress" };
        if (Seq(spec, "egress") is not null && Seq(spec, "policyTypes") is null)
        {
            types.Add("Egress");
        }

        _policies.Add(new Policy(
            Text(metadata, "namespace") ?? "default",
            Selector.Parse(Map(spec, "podSelector")),
            types.Contains("Ingress"),
            types.Contains("Egress"),
            Rules(Seq(spec, "ingress"), "from"),
            Rules(Seq(spec, "egress"), "to")));
    }

    /// <summary>True when <paramref name="source"/> may open a connection to <paramref name="destination"/> on <paramref name="port"/>.</summary>
    public bool Allows(ClusterPod source, Destination destination, int port, string protocol = "TCP") =>
        EgressAllowed(source, destination, port, protocol) && (destination.Pod is null || IngressAllowed(destination.Pod, source.Namespace, source.Labels, source.Address, port, protocol));

    /// <summary>The egress half: does some policy that selects the source allow it (or none selects it)?</summary>
    public bool EgressAllowed(ClusterPod source, Destination destination, int port, string protocol = "TCP")
    {
        var selecting = _policies.Where(p => p.Egress && p.Namespace == source.Namespace && p.PodSelector.Matches(source.Labels)).ToArray();
        return selecting.Length == 0 || selecting.Any(p => p.EgressRules.Any(r => r.Admits(p.Namespace, destination.Pod?.Namespace, destination.Pod?.Labels, destination.Address, port, protocol, destination.Pod?.NamedPorts, _namespaceLabels)));
    }

    /// <summary>The ingress half: may a peer in <paramref name="fromNamespace"/> (or from outside, when null) reach <paramref name="target"/>?</summary>
    public bool IngressAllowed(ClusterPod target, string? fromNamespace, IReadOnlyDictionary<string, string>? fromLabels, IPAddress fromAddress, int port, string protocol = "TCP")
    {
        var selecting = _policies.Where(p => p.Ingress && p.Namespace == target.Namespace && p.PodSelector.Matches(target.Labels)).ToArray();
        return selecting.Length == 0 || selecting.Any(p => p.IngressRules.Any(r => r.Admits(p.Namespace, fromNamespace, fromLabels, fromAddress, port, protocol, target.NamedPorts, _namespaceLabels)));
    }

    /// <summary>True when some policy selects <paramref name="pod"/> for egress (so everything not allowed is denied).</summary>
    public bool IsolatesEgress(ClusterPod pod) => _policies.Any(p => p.Egress && p.Namespace == pod.Namespace && p.PodSelector.Matches(pod.Labels));

    private static List<Rule> Rules(YamlSequenceNode? rules, string peersKey) => rules is null ? [] : rules.Children.Cast<YamlMappingNode>().Select(rule => new Rule(
        Seq(rule, peersKey) is { } peers ? peers.Children.Cast<YamlMappingNode>().Select(Peer.Parse).ToList() : null,
        Seq(rule, "ports") is { } ports ? ports.Children.Cast<YamlMappingNode>().Select(PortRange.Parse).ToList() : null)).ToList();

    private static YamlMappingNode? Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static YamlSequenceNode? Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlSequenceNode : null;

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private sealed record Policy(string Namespace, Selector PodSelector, bool Ingress, bool Egress, List<Rule> IngressRules, List<Rule> EgressRules);

    private sealed record Rule(List<Peer>? Peers, List<PortRange>? Ports)
    {
        public bool Admits(string policyNamespace, string? peerNamespace, IReadOnlyDictionary<string, string>? peerLabels, IPAddress peerAddress, int port, string protocol, IReadOnlyDictionary<string, int>? namedPorts, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaces) =>
            (Ports is not { Count: > 0 } || Ports.Any(p => p.Matches(port, protocol, namedPorts)))
            && (Peers is not { Count: > 0 } || Peers.Any(p => p.Matches(policyNamespace, peerNamespace, peerLabels, peerAddress, namespaces)));
    }

    private sealed record Peer(Selector? PodSelector, Selector? NamespaceSelector, IPNetwork? Block, IReadOnlyList<IPNetwork> Except)
    {
        public static Peer Parse(YamlMappingNode node)
        {
            var block = Map(node, "ipBlock");
            return new Peer(
                node.Children.ContainsKey(new YamlScalarNode("podSelector")) ? Selector.Parse(Map(node, "podSelector")) : null,
                node.Children.ContainsKey(new YamlScalarNode("namespaceSelector")) ? Selector.Parse(Map(node, "namespaceSelector")) : null,
                block is null ? null : IPNetwork.Parse(Text(block, "cidr")!),
                block is null ? [] : (Seq(block, "except")?.Children.Select(c => IPNetwork.Parse(((YamlScalarNode)c).Value!)).ToArray() ?? []));
        }

        public bool Matches(string policyNamespace, string? peerNamespace, IReadOnlyDictionary<string, string>? peerLabels, IPAddress address, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaces)
        {
            if (Block is { } block)
            {
                return block.Contains(address) && !Except.Any(e => e.Contains(address));
            }

            // Selectors only select pods; traffic from or to outside the cluster never matches them.
            if (peerNamespace is null || peerLabels is null)
            {
                return false;
            }

            var namespaceMatches = NamespaceSelector is null
                ? peerNamespace == policyNamespace
                : namespaces.TryGetValue(peerNamespace, out var labels) && NamespaceSelector.Matches(labels);
            return namespaceMatches && (PodSelector is null || PodSelector.Matches(peerLabels));
        }
    }

    private sealed record PortRange(string Protocol, int? Number, string? Name, int? End)
    {
        public static PortRange Parse(YamlMappingNode node)
        {
            var port = Text(node, "port");
            var isNumber = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
            return new PortRange(Text(node, "protocol") ?? "TCP", port is null ? null : isNumber ? number : null, port is not null && !isNumber ? port : null,
                Text(node, "endPort") is { } end ? int.Parse(end, CultureInfo.InvariantCulture) : null);
        }

        public bool Matches(int port, string protocol, IReadOnlyDictionary<string, int>? namedPorts)
        {
            if (!string.Equals(Protocol, protocol, StringComparison.Ordinal))
            {
                return false;
            }

            if (Name is not null)
            {
                return namedPorts is not null && namedPorts.TryGetValue(Name, out var named) && named == port;
            }

            return Number is not { } first || (End is { } last ? port >= first && port <= last : port == first);
        }
    }

    private sealed record Selector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<(string Key, string Operator, IReadOnlyList<string> Values)> Expressions)
    {
        public static Selector Parse(YamlMappingNode? node)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var expressions = new List<(string, string, IReadOnlyList<string>)>();
            if (node is not null)
            {
                foreach (var pair in Map(node, "matchLabels")?.Children.AsEnumerable() ?? [])
                {
                    labels[((YamlScalarNode)pair.Key).Value!] = ((YamlScalarNode)pair.Value).Value!;
                }

                foreach (var expression in Seq(node, "matchExpressions")?.Children.Cast<YamlMappingNode>() ?? [])
                {
                    expressions.Add((Text(expression, "key")!, Text(expression, "operator")!, Seq(expression, "values")?.Children.Select(v => ((YamlScalarNode)v).Value!).ToArray() ?? []));
                }
            }

            return new Selector(labels, expressions);
        }

        public bool Matches(IReadOnlyDictionary<string, string> labels) =>
            MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
            && Expressions.All(e => e.Operator switch
            {
                "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
                "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
                "Exists" => labels.ContainsKey(e.Key),
                "DoesNotExist" => !labels.ContainsKey(e.Key),
                _ => throw new ArgumentException("unknown selector operator " + e.Operator),
            });
    }
}
