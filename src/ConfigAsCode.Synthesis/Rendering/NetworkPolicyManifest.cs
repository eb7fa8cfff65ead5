using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Network;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The <c>networking.k8s.io/v1</c> NetworkPolicy, derived from what the deployment is configured to use
/// (<see cref="TrafficPlan"/>) and nothing more. Ingress: the serving ports from the pod's own namespace, the declared
/// callers and the cluster's gateway (or from anywhere when declared), and the metrics port from the monitoring
/// namespace. Egress: cluster DNS (the kube-dns pods on port 53), each in-cluster endpoint's namespace on its ports,
/// the declared CIDRs on the ports of the external endpoints reached through them, or the egress proxy.
/// </summary>
internal static class NetworkPolicyManifest
{
    private const string NamespaceLabel = "kubernetes.io/metadata.name";

    public static MapNode Build(WorkloadIdentity id) => Build(id, TrafficPlan.For(id.Deployment));

    public static MapNode Build(WorkloadIdentity id, TrafficPlan plan)
    {
        var d = id.Deployment;
        return new MapNode()
            .Set("apiVersion", "networking.k8s.io/v1")
            .Set("kind", "NetworkPolicy")
            .Set("metadata", id.Metadata())
            .Set("spec", new MapNode()
                .Set("podSelector", id.SelectorNode())
                .Set("policyTypes", ListNode.Of("Ingress", "Egress"))
                .Set("ingress", Ingress(plan))
                .Set("egress", Egress(d, plan)));
    }

    private static ListNode Ingress(TrafficPlan plan)
    {
        var rules = new ListNode();
        // Peers on the same ports share a rule; groups come in the order their first peer is declared.
        foreach (var group in plan.Ingress.GroupBy(p => string.Join(",", p.Ports)))
        {
            var ports = Ports(group.First().Ports);
            var rule = new MapNode().Set("ports", ports);
            if (group.All(p => p.Namespace != TrafficPlan.Anywhere))
            {
                var from = new ListNode();
                if (group.Any(p => p.Namespace is null))
                {
                    // An empty podSelector selects every pod of this namespace.
                    from.Add(new MapNode().Set("podSelector", MapNode.EmptyOnPurpose()));
                }

                foreach (var ns in group.Select(p => p.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
                {
                    from.Add(NamespacePeer(ns));
                }

                rule.Set("from", from);
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static ListNode Egress(InferenceDeployment d, TrafficPlan plan)
    {
        var dns = (d.Cluster ?? ClusterProfile.Default).DnsNamespace;
        var rules = ListNode.Of(new MapNode()
            .Set("to", ListNode.Of(new MapNode()
                .Set("namespaceSelector", new MapNode().Set("matchLabels", new MapNode().Set(NamespaceLabel, string.IsNullOrWhiteSpace(dns) ? "kube-system" : dns)))
                .Set("podSelector", new MapNode().Set("matchLabels", new MapNode().Set(TrafficPlan.DnsPodLabel.Key, TrafficPlan.DnsPodLabel.Value)))))
            .Set("ports", ListNode.Of(
                new MapNode().Set("protocol", "UDP").Set("port", 53),
                new MapNode().Set("protocol", "TCP").Set("port", 53))));

        // One rule per namespace, with exactly the ports configured for it; the pod's own namespace first.
        var inCluster = plan.Egress
            .Where(e => e.Route == EgressRoute.Namespace)
            .GroupBy(e => e.Endpoint.Placement == EndpointPlacement.SameNamespace || string.Equals(e.Endpoint.Namespace, plan.Namespace, StringComparison.Ordinal) ? null : e.Endpoint.Namespace)
            .OrderBy(g => g.Key is null ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in inCluster)
        {
            rules.Add(new MapNode()
                .Set("to", ListNode.Of(group.Key is null ? new MapNode().Set("podSelector", MapNode.EmptyOnPurpose()) : NamespacePeer(group.Key)))
                .Set("ports", Ports(group.Select(e => e.Endpoint.Port))));
        }

        if (plan.Cidrs.Count > 0)
        {
            rules.Add(new MapNode()
                .Set("to", new ListNode(plan.Cidrs.Select(cidr => (ManifestNode)new MapNode().Set("ipBlock", new MapNode().Set("cidr", cidr)))))
                .Set("ports", Ports(plan.CidrPorts)));
        }

        return rules;
    }

    private static MapNode NamespacePeer(string ns) =>
        new MapNode().Set("namespaceSelector", new MapNode().Set("matchLabels", new MapNode().Set(NamespaceLabel, ns)));

    private static ListNode Ports(IEnumerable<int> ports) =>
        new(ports.Distinct().OrderBy(p => p).Select(p => (ManifestNode)new MapNode().Set("protocol", "TCP").Set("port", p)));
}
