using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ConfigAsCode.Synthesis.Network;

/// <summary>Where an endpoint is, as a NetworkPolicy sees it.</summary>
public enum EndpointPlacement
{
    /// <summary>Inside the pod (<c>localhost</c>): no policy applies.</summary>
    Loopback,

    /// <summary>A Service of the deployment's own namespace (<c>otel-collector:4317</c>).</summary>
    SameNamespace,

    /// <summary>A Service of another namespace (<c>otel-collector.observability</c>, <c>x.y.svc.cluster.local</c>).</summary>
    InCluster,

    /// <summary>Outside the cluster: a public or private host name, or an IP address.</summary>
    External,

    /// <summary>Not a URL the policy can be derived from; <see cref="NetworkEndpoint.Problem"/> says why.</summary>
    Invalid,
}

/// <summary>
/// One endpoint a deployment connects to, parsed from its URL: the host, the TCP port and where it is. Host names
/// are classified as Kubernetes DNS resolves them from a pod: one label is a Service of the pod's namespace,
/// <c>service.namespace</c> and <c>...namespace.svc[.cluster domain]</c> are Services of that namespace, anything
/// else (three labels or more, a public or private top-level domain, an IP address) is outside the cluster.
/// </summary>
/// <param name="Url">The URL as configured.</param>
/// <param name="Placement">Where the endpoint is.</param>
/// <param name="Host">The host, lower case; null when the URL has none.</param>
/// <param name="Port">The TCP port; 0 when the URL has none and its scheme has no default.</param>
/// <param name="Namespace">The Service's namespace for in-cluster endpoints (the deployment's own for <see cref="EndpointPlacement.SameNamespace"/>).</param>
/// <param name="Address">The IP address when the host is one.</param>
/// <param name="Problem">Why the URL cannot be used, for <see cref="EndpointPlacement.Invalid"/>.</param>
public sealed record NetworkEndpoint(string Url, EndpointPlacement Placement, string? Host, int Port, string? Namespace, IPAddress? Address, string? Problem)
{
    /// <summary>Top-level labels that are never Kubernetes namespaces in a two-label host (<c>example.com</c>, <c>mirror.internal</c>).</summary>
    private static readonly HashSet<string> NonClusterSuffixes = new(StringComparer.Ordinal)
    {
        "com", "net", "org", "io", "ai", "co", "dev", "app", "cloud", "info", "biz", "edu", "gov", "us", "uk", "eu", "de", "fr",
        "nl", "ch", "se", "jp", "cn", "in", "au", "ca", "br", "es", "it", "internal", "local", "localdomain", "lan", "corp",
        "home", "intranet", "private", "example", "test", "invalid",
    };

    /// <summary>The host and port, as messages name it.</summary>
    public string HostPort => Host is null ? Url : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses <paramref name="url"/>: <c>scheme://host[:port][/path]</c>. The port defaults to 80 for http and 443 for
    /// https; other schemes (grpc, tcp, redis...) must name one. <paramref name="ownNamespace"/> is the namespace a
    /// one-label host resolves in; <paramref name="clusterDomain"/> the cluster's DNS domain.
    /// </summary>
    public static NetworkEndpoint Parse(string? url, string ownNamespace, string clusterDomain = "cluster.local")
    {
        var text = (url ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return Invalid(text, "the URL is empty");
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return Invalid(text, "the URL has no scheme");
        }

        var scheme = text.Substring(0, schemeEnd).ToLowerInvariant();
        var rest = text.Substring(schemeEnd + 3);
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest.Substring(0, authorityEnd);
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority.Substring(at + 1);
        }

        string host;
        string? portText = null;
        if (authority.StartsWith("[", StringComparison.Ordinal))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return Invalid(text, "the IPv6 address has no closing ']'");
            }

            host = authority.Substring(1, close - 1);
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    return Invalid(text, "unexpected characters after the IPv6 address");
                }

                portText = authority.Substring(close + 2);
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority.Substring(0, colon);
            portText = colon < 0 ? null : authority.Substring(colon + 1);
        }

        host = host.ToLowerInvariant().TrimEnd('.');
        if (host.Length == 0)
        {
            return Invalid(text, "the URL has no host");
        }

        int port;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return Invalid(text, $"'{portText}' is not a port (1-65535)");
            }
        }
        else
        {
            port = scheme switch
            {
                "http" => 80,
                "https" => 443,
                _ => 0,
            };
            if (port == 0)
            {
                return Invalid(text, $"a {scheme}:// URL has no default port; name it, for example {scheme}://{host}:4317");
            }
        }

        if (IPAddress.TryParse(host, out var address) && (address.AddressFamily == AddressFamily.InterNetworkV6 || host.IndexOf('.', StringComparison.Ordinal) > 0))
        {
            return IPAddress.IsLoopback(address)
                ? new NetworkEndpoint(text, EndpointPlacement.Loopback, host, port, null, address, null)
                : new NetworkEndpoint(text, EndpointPlacement.External, host, port, null, address, null);
        }

        if (host == "localhost")
        {
            return new NetworkEndpoint(text, EndpointPlacement.Loopback, host, port, null, null, null);
        }

        var labels = host.Split('.');
        foreach (var label in labels)
        {
            if (!IsDnsLabel(label))
            {
                return Invalid(text, $"'{host}' is not a host name");
            }
        }

        var svc = Array.LastIndexOf(labels, "svc");
        var domain = clusterDomain.ToLowerInvariant().TrimEnd('.');
        var suffix = svc < 0 ? string.Empty : string.Join(".", labels, svc + 1, labels.Length - svc - 1);
        if (svc >= 2 && (suffix.Length == 0 || string.Equals(suffix, domain, StringComparison.Ordinal)))
        {
            return new NetworkEndpoint(text, EndpointPlacement.InCluster, host, port, labels[svc - 1], null, null);
        }

        return labels.Length switch
        {
            1 => new NetworkEndpoint(text, EndpointPlacement.SameNamespace, host, port, ownNamespace, null, null),
            2 when !NonClusterSuffixes.Contains(labels[1]) => new NetworkEndpoint(text, EndpointPlacement.InCluster, host, port, labels[1], null, null),
            _ => new NetworkEndpoint(text, EndpointPlacement.External, host, port, null, null, null),
        };
    }

    private static NetworkEndpoint Invalid(string url, string problem) => new(url, EndpointPlacement.Invalid, null, 0, null, null, problem);

    private static bool IsDnsLabel(string label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[label.Length - 1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
