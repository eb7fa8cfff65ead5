using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tests.Support;

/// <summary>What a test knows about a deployment's traffic, independently of the renderer.</summary>
internal sealed record TrafficExpectation
{
    /// <summary>Namespaces that call the serving ports besides the pod's own (callers, the gateway).</summary>
    public IReadOnlyList<string> Callers { get; init; } = [];

    /// <summary>The namespace the metrics scraper runs in, or null when nothing scrapes.</summary>
    public string? Scraper { get; init; } = "monitoring";

    /// <summary>Ranges declared to hold the external endpoints: any address in them may be reached on the external endpoints' ports and 443.</summary>
    public IReadOnlyList<string> DeclaredCidrs { get; init; } = [];

    /// <summary>Connections the pod spec does not show (declared dependencies): container, host, port.</summary>
    public IReadOnlyList<PodConnection> Dependencies { get; init; } = [];

    /// <summary>Where external host names resolve in this test's world.</summary>
    public IReadOnlyDictionary<string, string> ExternalAddresses { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// Builds a small cluster around one deployment's rendered objects and checks its NetworkPolicy with
/// <see cref="NetworkPolicyEvaluator"/>: every connection the pod spec configures (and every declared dependency) is
/// allowed, DNS to kube-dns is allowed, and nothing else in the world is: not other ports of the endpoints' namespaces
/// (in-cluster endpoints are allowed per namespace and port: a URL names a Service, not its pods), not other namespaces,
/// not kube-system beyond DNS, not the internet, not other ports of the declared ranges. Ingress likewise: the serving
/// ports admit the pod's own namespace and the expected callers, the metrics port the scraper, and nobody else.
/// </summary>
internal static class TrafficCheck
{
    private static readonly int[] ProbePorts = [22, 53, 80, 443, 3128, 4317, 4318, 6379, 8000, 8001, 8002, 8080, 9000, 9090];

    public static IReadOnlyList<string> Problems(IReadOnlyList<string> documents, TrafficExpectation expected)
    {
        var roots = documents.Select(Parse).ToArray();
        var workload = PodConnections.PodTemplate(roots);
        // A multi-node replica has a second policy for its group's own traffic; policies add up, as in a cluster.
        var policies = documents.Where(d => Kind(Parse(d)) == "NetworkPolicy").ToArray();
        var ns = Namespace(roots.First(r => Kind(r) is "Deployment" or "Rollout" or "LeaderWorkerSet"));
        var named = PodConnections.NamedPorts(workload);
        var engine = new ClusterPod("engine", ns, PodConnections.Labels(workload), IPAddress.Parse("10.244.1.10"), named);
        var connections = PodConnections.Of(workload).Concat(expected.Dependencies).ToArray();

        // The world: the pod, its neighbours, cluster DNS and a decoy beside it, the services it connects to with a
        // decoy in each namespace, callers, the scraper, an attacker, and addresses outside.
        var pods = new List<ClusterPod>
        {
            new("neighbour", ns, Labels(("app", "caller")), IPAddress.Parse("10.244.1.11")),
            new("kube-dns", "kube-system", Labels(("k8s-app", "kube-dns")), IPAddress.Parse("10.244.0.10")),
            new("metrics-server", "kube-system", Labels(("k8s-app", "metrics-server")), IPAddress.Parse("10.244.0.11")),
            new("attacker", "attacker", Labels(("app", "attacker")), IPAddress.Parse("10.244.9.9")),
        };
        var services = new Dictionary<(string Host, string Namespace), ClusterPod>();
        var next = 20;
        ClusterPod ServicePod(string host, string serviceNamespace)
        {
            if (!services.TryGetValue((host, serviceNamespace), out var pod))
            {
                pod = new ClusterPod(host, serviceNamespace, Labels(("app", host.Split('.')[0])), IPAddress.Parse($"10.244.2.{next++}"));
                services[(host, serviceNamespace)] = pod;
                pods.Add(pod);
                pods.Add(new ClusterPod("decoy-" + host, serviceNamespace, Labels(("app", "decoy")), IPAddress.Parse($"10.244.2.{next++}")));
            }

            return pod;
        }

        foreach (var caller in expected.Callers.Append(expected.Scraper).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            pods.Add(new ClusterPod("peer-" + caller, caller, Labels(("app", "peer")), IPAddress.Parse($"10.244.3.{next++}")));
        }

        var problems = new List<string>();
        var expectedDestinations = new List<(Destination Destination, int Port, string Why)>();
        foreach (var connection in connections)
        {
            if (InCluster(connection.Host, ns) is { } serviceNamespace)
            {
                expectedDestinations.Add((Destination.ToPod(ServicePod(connection.Host, serviceNamespace)), connection.Port, connection.Why));
            }
            else if (expected.ExternalAddresses.TryGetValue(connection.Host, out var address))
            {
                expectedDestinations.Add((Destination.External(address, connection.Host), connection.Port, connection.Why));
            }
            else
            {
                problems.Add($"{connection.Container}: {connection.Why}: the test world does not know where {connection.Host} is; add it to ExternalAddresses");
            }
        }

        var evaluator = new NetworkPolicyEvaluator(pods.Select(p => p.Namespace).Append(ns));
        foreach (var policyYaml in policies)
        {
            evaluator.Add(policyYaml);
        }
        if (!evaluator.IsolatesEgress(engine))
        {
            problems.Add("no NetworkPolicy selects the pods for egress: everything is allowed");
        }

        var dns = pods.Single(p => p.Name == "kube-dns");
        foreach (var protocol in new[] { "UDP", "TCP" })
        {
            if (!evaluator.Allows(engine, Destination.ToPod(dns), 53, protocol))
            {
                problems.Add($"DNS over {protocol} to kube-dns is blocked");
            }
        }

        foreach (var (destination, port, why) in expectedDestinations)
        {
            if (!evaluator.Allows(engine, destination, port))
            {
                problems.Add($"configured endpoint blocked: {why} → {destination}:{port}");
            }
        }

        // Nothing else: every destination of the world on every port worth trying.
        var declared = expected.DeclaredCidrs.Select(IPNetwork.Parse).ToArray();
        var cidrPorts = expectedDestinations.Where(e => e.Destination.Pod is null).Select(e => e.Port).Append(443).ToHashSet();
        var outside = expected.ExternalAddresses.Select(a => Destination.External(a.Value, a.Key))
            .Concat([Destination.External("8.8.8.8", "8.8.8.8"), Destination.External("18.244.0.1", "a public host")])
            .Concat(declared.Select(c => Destination.External(Neighbour(c), "another host of " + c)));
        var ports = ProbePorts.Concat(connections.Select(c => c.Port)).Concat(named.Values).Distinct().OrderBy(p => p).ToArray();
        foreach (var destination in pods.Where(p => p != engine).Select(Destination.ToPod).Concat(outside))
        {
            foreach (var port in ports)
            {
                foreach (var protocol in new[] { "TCP", "UDP" })
                {
                    if (!evaluator.EgressAllowed(engine, destination, port, protocol))
                    {
                        continue;
                    }

                    var isDns = destination.Pod == dns && port == 53;
                    // In-cluster endpoints are allowed per namespace and port (a URL names a Service, not its pods' labels).
                    var isEndpoint = protocol == "TCP" && expectedDestinations.Any(e => e.Port == port && (e.Destination.Pod is { } service
                        ? destination.Pod?.Namespace == service.Namespace
                        : e.Destination.Address.Equals(destination.Address)));
                    var inDeclaredRange = protocol == "TCP" && destination.Pod is null && cidrPorts.Contains(port) && declared.Any(c => c.Contains(destination.Address));
                    if (!isDns && !isEndpoint && !inDeclaredRange)
                    {
                        problems.Add($"allowed but not configured: egress to {destination}:{port}/{protocol}");
                    }
                }
            }
        }

        // Ingress: the serving ports for the pod's namespace and callers, the metrics port for the scraper, nothing else.
        var metrics = MetricsPort(roots, workload, named);
        var serving = named.Where(p => p.Key is "http" or "grpc").Select(p => p.Value).ToArray();
        var sources = pods.Where(p => p.Name != "kube-dns").Select(p => ((string?)p.Namespace, (IReadOnlyDictionary<string, string>?)p.Labels, p.Address))
            .Append(((string?)null, (IReadOnlyDictionary<string, string>?)null, IPAddress.Parse("203.0.113.7")));
        foreach (var (sourceNamespace, labels, address) in sources)
        {
            foreach (var port in named.Values.Distinct())
            {
                var allowed = evaluator.IngressAllowed(engine, sourceNamespace, labels, address, port);
                var caller = sourceNamespace is not null && (sourceNamespace == ns || expected.Callers.Contains(sourceNamespace)) && serving.Contains(port);
                var scraper = sourceNamespace is not null && sourceNamespace == expected.Scraper && port == metrics;
                if (allowed != (caller || scraper))
                {
                    problems.Add($"ingress from {sourceNamespace ?? "outside the cluster"} to port {port} is {(allowed ? "allowed" : "blocked")}, expected {(caller || scraper ? "allowed" : "blocked")}");
                }
            }
        }

        return problems;
    }

    /// <summary>The documents of one app folder of a GitOps tree, without its kustomization.</summary>
    public static IReadOnlyList<string> Folder(string directory) =>
        Directory.GetFiles(directory, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

    /// <summary>The namespace a Kubernetes DNS name resolves into from a pod of <paramref name="own"/>, or null when it is outside the cluster.</summary>
    private static string? InCluster(string host, string own)
    {
        var labels = host.Split('.');
        var svc = Array.IndexOf(labels, "svc");
        if (svc >= 2)
        {
            return labels[svc - 1];
        }

        // Pods resolve "a" in their namespace and "a.b" as Service a of namespace b (the search path); the test world
        // puts the hosts it uses in these forms only, and every external host it uses has a top-level domain.
        return labels.Length switch
        {
            1 => own,
            2 when labels[1] is not ("com" or "internal" or "io" or "net" or "org") => labels[1],
            _ => null,
        };
    }

    private static int? MetricsPort(YamlMappingNode[] roots, YamlMappingNode workload, IReadOnlyDictionary<string, int> named)
    {
        var monitor = roots.FirstOrDefault(r => Kind(r) == "PodMonitor");
        if (monitor is not null)
        {
            var endpoint = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)monitor.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("podMetricsEndpoints")]).Children[0];
            return named[PodConnections.Scalar(endpoint, "port")!];
        }

        var annotations = (YamlMappingNode)((YamlMappingNode)workload.Children[new YamlScalarNode("metadata")]).Children[new YamlScalarNode("annotations")];
        return PodConnections.Scalar(annotations, "prometheus.io/scrape") == "true" ? int.Parse(PodConnections.Scalar(annotations, "prometheus.io/port")!, CultureInfo.InvariantCulture) : null;
    }

    private static string Neighbour(IPNetwork range)
    {
        var bytes = range.BaseAddress.GetAddressBytes();
        bytes[^1] = 200;
        bytes[^2] = (byte)(bytes[^2] | 200);
        return new IPAddress(bytes).ToString();
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Kind(YamlMappingNode root) => PodConnections.Scalar(root, "kind");

    private static string Namespace(YamlMappingNode root) => PodConnections.Scalar((YamlMappingNode)root.Children[new YamlScalarNode("metadata")], "namespace")!;

    private static IReadOnlyDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
