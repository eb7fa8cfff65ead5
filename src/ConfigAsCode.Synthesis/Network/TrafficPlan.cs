using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Network;

/// <summary>How the NetworkPolicy lets the pods reach one endpoint.</summary>
public enum EgressRoute
{
    /// <summary>Inside the pod: no rule needed.</summary>
    Loopback,

    /// <summary>A rule to the endpoint's namespace (or the pod's own) on its port.</summary>
    Namespace,

    /// <summary>A rule to the declared CIDRs on the endpoint's port.</summary>
    Cidrs,

    /// <summary>Through the cluster's egress proxy, which has a rule of its own.</summary>
    Proxy,

    /// <summary>No rule can allow it: CAC2015.</summary>
    Unreachable,

    /// <summary>The URL cannot be read: CAC2017.</summary>
    Invalid,
}

/// <summary>An endpoint the deployment is configured to reach, and how the policy allows it.</summary>
/// <param name="Purpose">What it is for, in words: "model download (Hugging Face mirror)", "trace export".</param>
/// <param name="PropertyPath">The setting that names it.</param>
/// <param name="Endpoint">The parsed endpoint.</param>
/// <param name="Route">How the policy allows it.</param>
/// <param name="Reason">Why it is unreachable or invalid, with what to do.</param>
public sealed record UsedEndpoint(string Purpose, string PropertyPath, NetworkEndpoint Endpoint, EgressRoute Route, string? Reason);

/// <summary>Pods allowed in: from a namespace (null: the deployment's own; "*": anywhere) on some ports.</summary>
/// <param name="Purpose">Who they are: "callers", "gateway", "metrics scraping".</param>
/// <param name="Namespace">The namespace, null for the pod's own, <see cref="TrafficPlan.Anywhere"/> for any source.</param>
/// <param name="Ports">The container ports, ascending.</param>
/// <param name="PropertyPath">The setting that asks for it.</param>
public sealed record IngressPeer(string Purpose, string? Namespace, IReadOnlyList<int> Ports, string PropertyPath);

/// <summary>
/// The traffic one deployment is configured for, derived from its settings and nothing else: every endpoint it
/// connects to (the model source's download, the trace collector, declared dependencies, the egress proxy) with the
/// route the NetworkPolicy gives it, and every peer allowed in (its namespace, callers, the gateway, the metrics
/// scraper). The NetworkPolicy is rendered from this plan and CAC2015 reports what it cannot allow.
/// </summary>
public sealed record TrafficPlan(
    IReadOnlyList<UsedEndpoint> Egress,
    IReadOnlyList<IngressPeer> Ingress,
    IReadOnlyList<string> Cidrs,
    IReadOnlyList<int> CidrPorts,
    NetworkEndpoint? Proxy,
    IReadOnlyList<(string Path, string Message)> Unreachable,
    IReadOnlyList<(string Path, string Message)> Invalid)
{
    /// <summary>The namespace value of an ingress peer that admits any source.</summary>
    public const string Anywhere = "*";

    /// <summary>The label the kube-dns (CoreDNS) pods carry on GKE, EKS and AKS.</summary>
    public static readonly KeyValuePair<string, string> DnsPodLabel = new("k8s-app", "kube-dns");

    /// <summary>The deployment's namespace as the cluster sees it (environment-suffixed on a shared cluster).</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>The hosts that bypass the proxy (<c>NO_PROXY</c>): loopback, the cluster's service domains and every in-cluster host configured.</summary>
    public IReadOnlyList<string> NoProxy { get; init; } = [];

    /// <summary>The plan of <paramref name="d"/>. Never throws on bad values: they are listed in <see cref="Invalid"/>.</summary>
    public static TrafficPlan For(InferenceDeployment d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return Plans.Get(d);
    }

    // Rendering, readiness and the rules each ask for the plan of one deployment (instances are immutable):
    // resolved once per instance, not once per question.
    private static readonly DeploymentMemo<TrafficPlan> Plans = new(Resolve);

    private static TrafficPlan Resolve(InferenceDeployment d)
    {
        var cluster = d.Cluster ?? ClusterProfile.Default;
        var network = d.Security?.Network ?? new NetworkPolicySpec();
        var ns = ClusterLayout.NamespaceOf(d);
        var domain = string.IsNullOrWhiteSpace(cluster.ClusterDomain) ? "cluster.local" : cluster.ClusterDomain;
        var invalid = new List<(string, string)>();
        var unreachable = new List<(string, string)>();

        var cidrs = new List<IPNetwork>();
        var cidrTexts = new List<string>();
        var declaredCidrs = network.AllowEgressCidrs ?? [];
        for (var i = 0; i < declaredCidrs.Count; i++)
        {
            var cidr = declaredCidrs[i];
            if (Cidr.TryParse(cidr, out var parsed, out var problem))
            {
                cidrs.Add(parsed);
                cidrTexts.Add(Cidr.Format(parsed));
            }
            else
            {
                invalid.Add(($"Security.Network.AllowEgressCidrs[{i}]", problem!));
            }
        }

        // What the pods connect to, in the order a reader meets it in the config.
        var wanted = new List<(string Purpose, string Path, string Url)>();
        var weights = WeightsPlan.For(d);
        if (weights.DownloadUrl is { } download)
        {
            var what = weights.Origin == WeightsOrigin.HuggingFace
                ? (weights.Source is HuggingFaceHubSource { Mirror: { Length: > 0 } } ? "model download (Hugging Face mirror)" : "model download (Hugging Face Hub)")
                : "model download (object store)";
            wanted.Add((what, weights.DownloadUrlPath, download));
        }

        // Triton's exporter (--trace-config) is not rendered: its trace setting reaches no manifest, so it opens nothing.
        if (d.Observability?.Traces is { } traces && d.Engine is not TritonEngine)
        {
            wanted.Add(("trace export (OTLP)", "Observability.Traces.OtlpEndpoint", traces.OtlpEndpoint));
        }

        var dependencies = network.Dependencies ?? [];
        for (var i = 0; i < dependencies.Count; i++)
        {
            wanted.Add(("dependency", $"Security.Network.Dependencies[{i}]", dependencies[i]));
        }

        NetworkEndpoint? proxy = null;
        if (!string.IsNullOrWhiteSpace(cluster.EgressProxy))
        {
            proxy = NetworkEndpoint.Parse(cluster.EgressProxy, ns, domain);
            if (proxy.Placement is not (EndpointPlacement.InCluster or EndpointPlacement.SameNamespace))
            {
                invalid.Add(("Cluster.EgressProxy", proxy.Problem is { } why
                    ? $"'{cluster.EgressProxy}': {why}. Correct it to a Service in the cluster, for example http://egress-proxy.egress:3128."
                    : $"the egress proxy '{cluster.EgressProxy}' must be a Service in the cluster (proxy.namespace:port), so the NetworkPolicy can allow it by namespace."));
                proxy = null;
            }
        }

        var egress = new List<UsedEndpoint>();
        var proxyUsed = false;
        var cidrPorts = new SortedSet<int>();
        if (cidrs.Count > 0)
        {
            cidrPorts.Add(443);
        }

        foreach (var (purpose, path, url) in wanted)
        {
            var endpoint = NetworkEndpoint.Parse(url, ns, domain);
            switch (endpoint.Placement)
            {
                case EndpointPlacement.Invalid:
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Invalid, endpoint.Problem));
                    invalid.Add((path, $"the {purpose} endpoint '{url}' cannot be allowed by the NetworkPolicy: {endpoint.Problem}. Correct it to scheme://host[:port][/path], for example http://otel-collector.observability:4317."));
                    break;
                case EndpointPlacement.Loopback:
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Loopback, null));
                    break;
                case EndpointPlacement.SameNamespace or EndpointPlacement.InCluster:
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Namespace, null));
                    break;
                case EndpointPlacement.External when proxy is not null:
                    proxyUsed = true;
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Proxy, null));
                    break;
                case EndpointPlacement.External when endpoint.Address is { } address && cidrs.Count > 0 && !cidrs.Any(c => c.Contains(address)):
                    var outside = $"the {purpose} endpoint '{url}' is {endpoint.Host}, outside every range of Security.Network.AllowEgressCidrs ({string.Join(", ", cidrTexts)}): the NetworkPolicy blocks it. Add its range, or route it through Cluster.EgressProxy.";
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Unreachable, outside));
                    unreachable.Add((path, outside));
                    break;
                case EndpointPlacement.External when cidrs.Count > 0:
                    cidrPorts.Add(endpoint.Port);
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Cidrs, null));
                    break;
                default:
                    var blocked = $"the {purpose} endpoint '{url}' ({endpoint.HostPort}) is outside the cluster and the NetworkPolicy allows no route to it, so the pods cannot reach it. "
                        + "Declare the range it is reached in with Security.Network.AllowEgressCidrs, route external traffic through Cluster.EgressProxy, or use an endpoint inside the cluster"
                        + (path.StartsWith("Model.Source", StringComparison.Ordinal) ? " (a mirror, docs/recipes/air-gapped-model-mirror.md, or a claim or image source)." : ".");
                    egress.Add(new UsedEndpoint(purpose, path, endpoint, EgressRoute.Unreachable, blocked));
                    unreachable.Add((path, blocked));
                    break;
            }
        }

        var noProxy = new SortedSet<string>(StringComparer.Ordinal) { "localhost", "127.0.0.1", ".svc", "." + domain };
        foreach (var used in egress.Where(e => e.Endpoint.Placement is EndpointPlacement.InCluster or EndpointPlacement.SameNamespace))
        {
            noProxy.Add(used.Endpoint.Host!);
        }

        if (proxyUsed)
        {
            egress.Add(new UsedEndpoint("egress proxy", "Cluster.EgressProxy", proxy!, EgressRoute.Namespace, null));
        }

        var ingress = IngressPeers(d, cluster, network, ns, domain, invalid, unreachable);

        return new TrafficPlan(egress, ingress, cidrTexts.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToArray(), cidrPorts.ToArray(), proxyUsed ? proxy : null, unreachable, invalid)
        {
            Namespace = ns,
            NoProxy = proxyUsed ? noProxy.ToArray() : [],
        };
    }

    /// <summary>True when an endpoint whose setting <paramref name="path"/> accepts goes through the egress proxy.</summary>
    public bool Proxies(Func<string, bool> path) => Egress.Any(e => e.Route == EgressRoute.Proxy && path(e.PropertyPath));

    /// <summary>The serving ports (HTTP and, for Triton, gRPC) and the metrics port of the engine.</summary>
    public static (IReadOnlyList<int> Serving, int Metrics) Ports(InferenceEngine engine) => engine switch
    {
        TritonEngine triton => (new[] { triton.HttpPort, triton.GrpcPort }.Distinct().OrderBy(p => p).ToArray(), triton.MetricsPort),
        null => ([], 0),
        _ => ([engine.HttpPort], engine.HttpPort),
    };

    private static List<IngressPeer> IngressPeers(InferenceDeployment d, ClusterProfile cluster, NetworkPolicySpec network, string ns, string domain, List<(string, string)> invalid, List<(string, string)> unreachable)
    {
        var (serving, metrics) = Ports(d.Engine);
        var peers = new List<IngressPeer>();
        if (network.AllowIngressFromAnywhere)
        {
            peers.Add(new IngressPeer("anyone", Anywhere, serving, "Security.Network.AllowIngressFromAnywhere"));
        }
        else
        {
            peers.Add(new IngressPeer("own namespace", null, serving, "Namespace"));
            var callers = network.AllowIngressFromNamespaces ?? [];
            for (var i = 0; i < callers.Count; i++)
            {
                if (KubernetesName.IsLabel(callers[i]))
                {
                    peers.Add(new IngressPeer("callers", callers[i], serving, $"Security.Network.AllowIngressFromNamespaces[{i}]"));
                }
                else
                {
                    invalid.Add(($"Security.Network.AllowIngressFromNamespaces[{i}]", $"'{callers[i]}' is not a namespace name (a DNS-1123 label)."));
                }
            }

            if (network.AllowIngressFromGateway && !string.IsNullOrWhiteSpace(cluster.GatewayNamespace))
            {
                if (KubernetesName.IsLabel(cluster.GatewayNamespace))
                {
                    peers.Add(new IngressPeer("gateway", cluster.GatewayNamespace, serving, "Cluster.GatewayNamespace"));
                }
                else
                {
                    invalid.Add(("Cluster.GatewayNamespace", $"'{cluster.GatewayNamespace}' is not a namespace name (a DNS-1123 label)."));
                }
            }
        }

        if (d.Observability is { ScrapeMetrics: true } observability && !(network.AllowIngressFromAnywhere && serving.Contains(metrics)))
        {
            var scraper = cluster.MonitoringNamespace;
            var path = "Cluster.MonitoringNamespace";
            if (string.IsNullOrWhiteSpace(scraper))
            {
                var prometheus = NetworkEndpoint.Parse(observability.PrometheusUrl, ns, domain);
                scraper = prometheus.Placement switch
                {
                    EndpointPlacement.InCluster => prometheus.Namespace,
                    EndpointPlacement.SameNamespace => ns,
                    _ => null,
                };
                path = "Observability.PrometheusUrl";
                if (scraper is null)
                {
                    unreachable.Add((path, $"metrics are scraped, but the Prometheus at '{observability.PrometheusUrl}' is not a Service in the cluster, so the namespace its scrapers run in is unknown and the NetworkPolicy admits none: the metrics port is closed to them. Set Cluster.MonitoringNamespace to the namespace of the scraping agent."));
                }
            }

            if (scraper is not null)
            {
                if (KubernetesName.IsLabel(scraper))
                {
                    peers.Add(new IngressPeer("metrics scraping", string.Equals(scraper, ns, StringComparison.Ordinal) ? null : scraper, [metrics], path));
                }
                else
                {
                    invalid.Add((path, $"'{scraper}' is not a namespace name (a DNS-1123 label)."));
                }
            }
        }

        return peers;
    }

    /// <summary>The port of <paramref name="endpoint"/> as text.</summary>
    internal static string PortText(NetworkEndpoint endpoint) => endpoint.Port.ToString(CultureInfo.InvariantCulture);
}
