using System;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The <c>networking.k8s.io/v1</c> NetworkPolicy: ingress to the engine's ports from its own namespace and the
/// namespaces the config names (or from anywhere when declared), egress to cluster DNS and the declared CIDRs on 443.
/// </summary>
internal static class NetworkPolicyManifest
{
    public static MapNode Build(WorkloadIdentity id)
    {
        var network = id.Deployment.Security.Network;
        var ports = new ListNode(DeploymentManifest.Ports(id.Deployment).Items.Select(p => (ManifestNode)new MapNode()
            .Set("protocol", "TCP")
            .Set("port", ((MapNode)p)["containerPort"])));

        var ingressRule = new MapNode().Set("ports", ports);
        if (!network.AllowIngressFromAnywhere)
        {
            // An empty podSelector selects every pod of this namespace.
            var from = ListNode.Of(new MapNode().Set("podSelector", MapNode.EmptyOnPurpose()));
            foreach (var ns in network.AllowIngressFromNamespaces.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
            {
                from.Add(new MapNode().Set("namespaceSelector", new MapNode().Set("matchLabels", new MapNode().Set("kubernetes.io/metadata.name", ns))));
            }

            ingressRule.Set("from", from);
        }

        var egress = ListNode.Of(new MapNode()
            .Set("to", ListNode.Of(new MapNode().Set("namespaceSelector", new MapNode().Set("matchLabels", new MapNode().Set("kubernetes.io/metadata.name", "kube-system")))))
            .Set("ports", ListNode.Of(
                new MapNode().Set("protocol", "UDP").Set("port", 53),
                new MapNode().Set("protocol", "TCP").Set("port", 53))));
        if (network.AllowEgressCidrs.Count > 0)
        {
            egress.Add(new MapNode()
                .Set("to", new ListNode(network.AllowEgressCidrs.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal)
                    .Select(cidr => (ManifestNode)new MapNode().Set("ipBlock", new MapNode().Set("cidr", cidr)))))
                .Set("ports", ListNode.Of(new MapNode().Set("protocol", "TCP").Set("port", 443))));
        }

        return new MapNode()
            .Set("apiVersion", "networking.k8s.io/v1")
            .Set("kind", "NetworkPolicy")
            .Set("metadata", id.Metadata())
            .Set("spec", new MapNode()
                .Set("podSelector", id.SelectorNode())
                .Set("policyTypes", ListNode.Of("Ingress", "Egress"))
                .Set("ingress", ListNode.Of(ingressRule))
                .Set("egress", egress));
    }
}
