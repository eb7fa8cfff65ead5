using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC1034: the InferencePool, its HTTPRoute and a canary across two pools.</summary>
internal static class InferencePoolRules
{
    /// <summary>A Gateway API hostname: a DNS name, optionally with a leading <c>*.</c> wildcard label (no IP, no port).</summary>
    private static readonly Regex Hostname = new("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant);

    /// <summary>An HTTP header name as Gateway API accepts it (RFC 7230 token).</summary>
    private static readonly Regex HeaderName = new("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+\\z", RegexOptions.CultureInvariant);

    /// <summary>One rule over the whole platform: each pool on its own, then canaries and routes across deployments.</summary>
    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
    [
        new(RuleCatalog.InferencePoolInvalid, (deployments, options, report) =>
        {
            foreach (var d in deployments)
            {
                if (d?.Pool is not null)
                {
                    Check(d, (path, message) => report(d, path, message));
                }
            }

            CheckAcrossDeployments(deployments.Where(d => d is not null).ToArray(), report);
        }),
    ];

    /// <summary>The endpoint picker's Service: declared, else the upstream chart's name for a release named after the deployment.</summary>
    public static string EndpointPickerName(InferenceDeployment d) => d.Pool?.EndpointPicker ?? d.Name + "-epp";

    private static void Check(InferenceDeployment d, Action<string, string> report)
    {
        if (d.Pool is not { } pool)
        {
            return;
        }

        if (d.Engine is not null and not VllmEngine)
        {
            report("Pool", $"the endpoint picker chooses a pod from vLLM's queue and KV-cache metrics (vllm:num_requests_waiting, vllm:kv_cache_usage_perc); {d.Engine.Kind} exports neither under those names, so every pod would look idle. Serve this model through its Service (remove Pool), or serve it with vLLM.");
        }

        if (!KubernetesName.IsSubdomain(pool.Gateway))
        {
            report("Pool.Gateway", $"'{pool.Gateway}' is not a Gateway name (a DNS-1123 subdomain: lowercase letters, digits, '-' and '.'). Name the Gateway the route attaches to, for example \"inference-gateway\".");
        }

        if (pool.GatewayNamespace is { } gatewayNamespace && !KubernetesName.IsLabel(gatewayNamespace))
        {
            report("Pool.GatewayNamespace", $"'{gatewayNamespace}' is not a namespace name (a DNS-1123 label). Remove it for the deployment's own namespace.");
        }

        if (!KubernetesName.IsLabel(EndpointPickerName(d)))
        {
            report("Pool.EndpointPicker", pool.EndpointPicker is null
                ? $"the endpoint picker's Service would be '{EndpointPickerName(d)}', longer than the 63 characters a Service name may have. Name the Service you installed: EndpointPicker = \"...\"."
                : $"'{pool.EndpointPicker}' is not a Service name (a DNS-1123 label of at most 63 characters). Name the endpoint picker's Service.");
        }

        if (pool.EndpointPickerPort is < 1 or > 65535)
        {
            report("Pool.EndpointPickerPort", $"{pool.EndpointPickerPort} is not a port (1–65535). The upstream chart serves the endpoint picker on 9002.");
        }

        if (!Enum.IsDefined(pool.FailureMode))
        {
            report("Pool.FailureMode", $"{(int)pool.FailureMode} is not an endpoint-picker failure mode. Use EndpointPickerFailureMode.FailClose or FailOpen.");
        }

        for (var i = 0; i < (pool.Hostnames?.Count ?? 0); i++)
        {
            var host = pool.Hostnames![i];
            if (host is null || host.Length > 253 || !Hostname.IsMatch(host))
            {
                report($"Pool.Hostnames[{i}]", $"'{host}' is not a route hostname: a lowercase DNS name, optionally starting with '*.', without a port or an IP address.");
            }
        }

        if (string.IsNullOrEmpty(pool.PathPrefix) || pool.PathPrefix[0] != '/' || pool.PathPrefix.Length > 1024 || pool.PathPrefix.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch) || ch is '?' or '#')
            || pool.PathPrefix.Contains("//", StringComparison.Ordinal))
        {
            report("Pool.PathPrefix", $"'{pool.PathPrefix}' is not a path prefix a route accepts: it must start with '/', hold no query, fragment, whitespace or '//', and have at most 1024 characters. Use \"/\" or, for example, \"/v1/\".");
        }

        foreach (var (name, value) in pool.HeaderMatches ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrEmpty(name) || name.Length > 256 || !HeaderName.IsMatch(name))
            {
                report($"Pool.HeaderMatches[{name}]", $"'{name}' is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, at most 256 characters).");
            }
            else if (value is null || value.Length is 0 or > 4096 || value.Any(char.IsControl))
            {
                report($"Pool.HeaderMatches[{name}]", "the header value must have 1–4096 characters and no control characters.");
            }
        }

        if (!(pool.RequestTimeout > TimeSpan.Zero) || pool.RequestTimeout >= TimeSpan.FromHours(1000) || pool.RequestTimeout.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            report("Pool.RequestTimeout", $"{pool.RequestTimeout} is not a route timeout: it must be positive, in whole milliseconds and under 1000 hours. Long generations need minutes; the default is 5 minutes.");
        }

        if (pool.Canary is not { } canary)
        {
            return;
        }

        if (!pool.HttpRoute)
        {
            report("Pool.Canary", "a pool canary splits this deployment's HTTPRoute, but HttpRoute = false renders none. Remove the canary, or set HttpRoute = true.");
        }

        if (string.IsNullOrEmpty(canary.Candidate) || !KubernetesName.IsLabel(canary.Candidate))
        {
            report("Pool.Canary.Candidate", $"'{canary.Candidate}' is not a deployment name. Name the deployment that serves the new version.");
        }
        else if (string.Equals(canary.Candidate, d.Name, StringComparison.Ordinal))
        {
            report("Pool.Canary.Candidate", "the canary's candidate is this deployment itself. Name the deployment that serves the new version.");
        }

        if (canary.Weight is < 0 or > 100)
        {
            report("Pool.Canary.Weight", $"{canary.Weight} is not a share of requests in [0, 100]. Move the canary in small steps: 5, 20, 50, then make the candidate the stable deployment.");
        }

        if (canary.Measurements < 1)
        {
            report("Pool.Canary.Measurements", $"{canary.Measurements} measurements judge nothing; the analysis needs at least 1. Use 10 (ten minutes at the default one-minute interval).");
        }

        if (canary.Guardrails is { } g)
        {
            if (g.MaxErrorRate is { } e && !(e > 0 && e < 1))
            {
                report("Pool.Canary.Guardrails.MaxErrorRate", $"{e} is not an error ratio in (0, 1).");
            }

            if (g.MaxP95Latency is { } latency && latency <= TimeSpan.Zero || g.MaxP95TimeToFirstToken is { } ttft && ttft <= TimeSpan.Zero)
            {
                report("Pool.Canary.Guardrails", "a latency limit must be positive.");
            }

            if (g.Interval <= TimeSpan.Zero || g.InitialDelay < TimeSpan.Zero || g.FailureLimit < 0)
            {
                report("Pool.Canary.Guardrails", "Interval must be positive, InitialDelay and FailureLimit not negative.");
            }
        }
    }

    private static void CheckAcrossDeployments(IReadOnlyList<InferenceDeployment> deployments, Action<InferenceDeployment, string, string> report)
    {
        var pooled = deployments.Where(d => d.Pool is not null && d.Environment is not null && d.Name is not null).ToArray();
        var candidates = new Dictionary<(string Environment, string Namespace, string Name), InferenceDeployment>();
        foreach (var d in pooled)
        {
            if (d.Pool!.Canary is not { Candidate: { Length: > 0 } candidateName })
            {
                continue;
            }

            var candidate = deployments.FirstOrDefault(o => o.Environment?.Name == d.Environment!.Name && o.Namespace == d.Namespace && o.Name == candidateName && !ReferenceEquals(o, d));
            if (candidate is null)
            {
                report(d, "Pool.Canary.Candidate", $"no deployment '{candidateName}' in namespace '{d.Namespace}' of environment '{d.Environment!.Name}' to send canary traffic to: the route would point at a pool that does not exist. Declare the candidate there, or fix the name.");
                continue;
            }

            if (candidate.Pool is null)
            {
                report(d, "Pool.Canary.Candidate", $"'{candidateName}' has no InferencePool for the route to send canary traffic to. Give it Pool = new InferencePoolSpec {{ Gateway = \"{d.Pool.Gateway}\", HttpRoute = false }}.");
            }
            else if (candidate.Pool.HttpRoute)
            {
                report(d, "Pool.Canary.Candidate", $"'{candidateName}' renders an HTTPRoute of its own, so it would take the requests that route matches as well as its canary share. Set HttpRoute = false on the candidate's pool.");
            }

            if (candidate.Engine is not null && d.Engine is not null && candidate.Engine.GetType() != d.Engine.GetType())
            {
                report(d, "Pool.Canary.Candidate", $"'{candidateName}' runs {candidate.Engine.Kind} and this deployment {d.Engine.Kind}: the guardrails query one engine's metrics, so the candidate cannot be judged by them. Serve both versions with the same engine.");
            }

            var key = (d.Environment!.Name, d.Namespace, candidateName);
            if (candidates.TryGetValue(key, out var first))
            {
                report(d, "Pool.Canary.Candidate", $"'{candidateName}' is already the canary candidate of '{first.Name}'; two routes splitting traffic onto one pool cannot be judged apart. Keep one canary per candidate.");
            }
            else
            {
                candidates[key] = d;
            }
        }

        foreach (var d in pooled.Where(p => !p.Pool!.HttpRoute))
        {
            if (!candidates.ContainsKey((d.Environment!.Name, d.Namespace, d.Name)))
            {
                report(d, "Pool.HttpRoute", $"HttpRoute = false and no deployment's Pool.Canary names '{d.Name}': no route reaches this pool, so its GPUs serve nothing. Set HttpRoute = true, or make it a canary candidate.");
            }
        }

        // Two routes on one Gateway that match the same host, path and headers: the Gateway serves one of them (the oldest),
        // so the other deployment silently receives nothing.
        foreach (var clash in pooled.Where(p => p.Pool!.HttpRoute).GroupBy(RouteKey, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var names = string.Join(", ", clash.Select(p => $"{p.Namespace}/{p.Name}"));
            foreach (var d in clash)
            {
                report(d, "Pool", $"the HTTPRoutes of {names} attach to the same Gateway with the same hostnames, path prefix and header matches; the Gateway routes those requests to one of them only. Give each route its own Hostnames, PathPrefix or HeaderMatches (for example the model name header your body-based router sets).");
            }
        }
    }

    private static string RouteKey(InferenceDeployment d)
    {
        var pool = d.Pool!;
        var hosts = string.Join(",", (pool.Hostnames ?? []).Order(StringComparer.Ordinal));
        var headers = string.Join(",", (pool.HeaderMatches ?? new Dictionary<string, string>()).OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => h.Key.ToLowerInvariant() + "=" + h.Value));
        return $"{d.Environment!.Name}\n{pool.GatewayNamespace ?? d.Namespace}\n{pool.Gateway}\n{hosts}\n{pool.PathPrefix}\n{headers}";
    }
}
