using System.Linq;
using ConfigAsCode.Tool.Import;
using Xunit;

namespace ConfigAsCode.Tool.Tests;

/// <summary>The import's field comparison: every input field the rendering does not hold at the same place is listed.</summary>
public sealed class ObjectDiffTests
{
    private const string Policy = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: chat
        spec:
          ingress:
          - from:
            - podSelector: {}
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: search-api
            ports:
            - port: 8000
              protocol: TCP
        """;

    private static string Peer(string ns) => $"    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: {ns}\n";

    private static string[] Differences(string original, string rebuilt, bool addedMatters = false)
    {
        var a = YamlInput.Parse(original, "a.yaml", null).Single().Node;
        var b = YamlInput.Parse(rebuilt, "b.yaml", null).Single().Node;
        return new ObjectDiff(_ => false, addedMatters: addedMatters ? path => path.EndsWith(".from", System.StringComparison.Ordinal) : null)
            .Compare(a, b, string.Empty).Differences.Select(d => d.ToString()).ToArray();
    }

    [Fact]
    public void An_unnamed_list_item_replaced_at_its_position_is_listed_even_when_the_value_is_elsewhere()
    {
        // The rendering put another namespace where search-api was and moved search-api one down: both are listed.
        var rebuilt = Policy.Replace(Peer("search-api"), Peer("monitoring") + Peer("search-api"), System.StringComparison.Ordinal);
        Assert.NotEqual(Policy, rebuilt);

        Assert.Equal(
            ["spec.ingress[0].from[1]: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: search-api}}} is rendered as item [2]"],
            Differences(Policy, rebuilt));
        Assert.Equal(
            [
                "spec.ingress[0].from[1]: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: search-api}}} is rendered as item [2]",
                "spec.ingress[0].from[+1]: the rendering adds {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}, which the input does not have",
            ],
            Differences(Policy, rebuilt, addedMatters: true));
    }

    [Fact]
    public void A_changed_value_in_an_unnamed_item_is_listed_by_its_field()
    {
        var rebuilt = Policy.Replace("search-api", "gateway", System.StringComparison.Ordinal);

        Assert.Equal(["spec.ingress[0].from[1].namespaceSelector.matchLabels[kubernetes.io/metadata.name]: search-api → gateway"], Differences(Policy, rebuilt));
    }

    [Fact]
    public void An_added_item_is_listed_only_where_it_matters_and_equal_lists_give_nothing()
    {
        var rebuilt = Policy.Replace(Peer("search-api"), Peer("search-api") + Peer("monitoring"), System.StringComparison.Ordinal);
        Assert.NotEqual(Policy, rebuilt);

        Assert.Empty(Differences(Policy, Policy, addedMatters: true));
        Assert.Empty(Differences(Policy, rebuilt));
        Assert.Equal(
            ["spec.ingress[0].from[+2]: the rendering adds {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}, which the input does not have"],
            Differences(Policy, rebuilt, addedMatters: true));
    }
}
