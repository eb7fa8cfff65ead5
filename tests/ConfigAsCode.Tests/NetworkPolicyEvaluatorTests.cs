using System;
using System.Collections.Generic;
using System.Net;
using ConfigAsCode.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>The test-side evaluator follows the NetworkPolicy semantics of the Kubernetes API reference, corner by corner.</summary>
public sealed class NetworkPolicyEvaluatorTests
{
    private static readonly ClusterPod App = new("app", "team", Labels(("app", "web"), ("tier", "front")), IPAddress.Parse("10.244.1.1"), new Dictionary<string, int>(StringComparer.Ordinal) { ["http"] = 8080 });
    private static readonly ClusterPod Db = new("db", "data", Labels(("app", "db")), IPAddress.Parse("10.244.2.1"));
    private static readonly ClusterPod Cache = new("cache", "team", Labels(("app", "cache")), IPAddress.Parse("10.244.1.2"));

    private static NetworkPolicyEvaluator With(string policy)
    {
        var evaluator = new NetworkPolicyEvaluator(["team", "data", "other"]);
        evaluator.Add(policy);
        return evaluator;
    }

    private static IReadOnlyDictionary<string, string> Labels(params (string Key, string Value)[] labels)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        return map;
    }

    private const string Head = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: team\nspec:\n";

    [Fact]
    public void A_pod_no_policy_selects_is_open_and_one_that_is_selected_gets_only_its_rules()
    {
        var evaluator = With(Head + "  podSelector:\n    matchLabels:\n      app: web\n  policyTypes:\n  - Egress\n");

        Assert.True(evaluator.Allows(Cache, Destination.External("8.8.8.8", "dns"), 53, "UDP"));
        Assert.False(evaluator.Allows(App, Destination.External("8.8.8.8", "dns"), 53, "UDP"));
        Assert.True(evaluator.IsolatesEgress(App));
    }

    [Fact]
    public void A_namespace_and_a_pod_selector_in_one_peer_must_both_match_and_in_two_peers_either()
    {
        var and = With(Head + "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: data\n      podSelector:\n        matchLabels:\n          app: cache\n");
        var or = With(Head + "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: data\n    - podSelector:\n        matchLabels:\n          app: cache\n");

        Assert.False(and.Allows(App, Destination.ToPod(Db), 5432));
        Assert.False(and.Allows(App, Destination.ToPod(Cache), 6379));
        Assert.True(or.Allows(App, Destination.ToPod(Db), 5432));
        Assert.True(or.Allows(App, Destination.ToPod(Cache), 6379));
    }

    [Fact]
    public void Match_expressions_ip_block_exceptions_and_port_ranges_are_honoured()
    {
        var evaluator = With(Head + "  podSelector:\n    matchExpressions:\n    - key: tier\n      operator: In\n      values: [front, back]\n    - key: legacy\n      operator: DoesNotExist\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.40.0.0/16\n        except: [10.40.9.0/24]\n    ports:\n    - port: 8000\n      endPort: 8010\n      protocol: TCP\n");

        Assert.True(evaluator.Allows(App, Destination.External("10.40.1.1", "vpc"), 8005));
        Assert.False(evaluator.Allows(App, Destination.External("10.40.9.1", "excepted"), 8005));
        Assert.False(evaluator.Allows(App, Destination.External("10.40.1.1", "vpc"), 8011));
        Assert.False(evaluator.Allows(App, Destination.External("10.40.1.1", "vpc"), 8005, "UDP"));
        Assert.False(evaluator.Allows(App with { Labels = Labels(("tier", "back")) }, Destination.External("8.8.8.8", "outside"), 53, "UDP"));
        Assert.True(evaluator.Allows(App with { Labels = Labels(("tier", "front"), ("legacy", "yes")) }, Destination.External("8.8.8.8", "outside"), 53, "UDP"));
    }

    [Fact]
    public void Ingress_by_named_port_and_from_outside_the_cluster()
    {
        var evaluator = With(Head + "  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {}\n    ports:\n    - port: http\n  - from:\n    - ipBlock:\n        cidr: 203.0.113.0/24\n");

        Assert.True(evaluator.IngressAllowed(App, "team", Cache.Labels, Cache.Address, 8080));
        Assert.False(evaluator.IngressAllowed(App, "team", Cache.Labels, Cache.Address, 9090));
        Assert.False(evaluator.IngressAllowed(App, "data", Db.Labels, Db.Address, 8080));
        Assert.True(evaluator.IngressAllowed(App, null, null, IPAddress.Parse("203.0.113.7"), 9090));
        Assert.False(evaluator.IngressAllowed(App, null, null, IPAddress.Parse("198.51.100.7"), 8080));
    }

    [Fact]
    public void Connecting_needs_the_egress_of_the_source_and_the_ingress_of_the_destination()
    {
        var evaluator = new NetworkPolicyEvaluator(["team", "data"]);
        evaluator.Add("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: data\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n");

        Assert.True(evaluator.EgressAllowed(App, Destination.ToPod(Db), 5432));
        Assert.False(evaluator.Allows(App, Destination.ToPod(Db), 5432));
    }
}
