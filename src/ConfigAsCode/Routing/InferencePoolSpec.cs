using System;
using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// Serve the deployment through the Gateway API Inference Extension: an <c>InferencePool</c>
/// (<c>inference.networking.k8s.io/v1</c>) over its model-server pods, whose endpoint picker chooses the pod for each
/// request from the engines' queue and KV-cache metrics, and an <c>HTTPRoute</c> from <see cref="Gateway"/> to the pool.
/// The endpoint picker itself is installed from the upstream chart, not rendered (docs/inference-pools.md).
/// <code>Pool = new InferencePoolSpec { Gateway = "inference-gateway" }</code>
/// </summary>
public sealed record InferencePoolSpec
{
    /// <summary>The Gateway (<c>gateway.networking.k8s.io</c>) the HTTPRoute attaches to.</summary>
    public required string Gateway { get; init; }

    /// <summary>The Gateway's namespace; the deployment's own when null (its listeners must then allow routes from here).</summary>
    public string? GatewayNamespace { get; init; }

    /// <summary>
    /// The endpoint picker's Service in the deployment's namespace; <c>&lt;name&gt;-epp</c> when null, the name the upstream
    /// <c>inferencepool</c> chart gives a release named after the deployment.
    /// </summary>
    public string? EndpointPicker { get; init; }

    /// <summary>The endpoint picker's ext-proc (gRPC) port; 9002, the upstream chart's.</summary>
    public int EndpointPickerPort { get; init; } = 9002;

    /// <summary>What the gateway does when the endpoint picker does not answer; rendered explicitly.</summary>
    public EndpointPickerFailureMode FailureMode { get; init; } = EndpointPickerFailureMode.FailClose;

    /// <summary>Host names the route matches; empty takes the Gateway listener's.</summary>
    public IReadOnlyList<string> Hostnames { get; init; } = [];

    /// <summary>
    /// Headers the route also matches exactly, for example the model-name header a body-based router sets from the
    /// request's <c>model</c> field; lets several pools share a Gateway, host and path. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> HeaderMatches { get; init; } = new Dictionary<string, string>();

    /// <summary>The path prefix the route matches; <c>/</c> by default.</summary>
    public string PathPrefix { get; init; } = "/";

    /// <summary>How long the gateway waits for a response; 5 minutes (long generations), the upstream chart's default.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// True renders the HTTPRoute. Set false on a deployment that takes traffic only as another deployment's
    /// <see cref="Canary"/> candidate: its pool is reached through that deployment's route.
    /// </summary>
    public bool HttpRoute { get; init; } = true;

    /// <summary>Send a share of this route's requests to another deployment's pool, judged by the SLO guardrails.</summary>
    public PoolCanary? Canary { get; init; }
}

/// <summary>How the gateway treats requests while the endpoint picker is unreachable (<c>endpointPickerRef.failureMode</c>).</summary>
public enum EndpointPickerFailureMode
{
    /// <summary>Reject requests: nothing reaches a pod the picker did not choose (the API's default).</summary>
    FailClose,

    /// <summary>Send requests to a pod of the pool without the picker's choice: available, but blind to queue and KV-cache load.</summary>
    FailOpen,
}

/// <summary>
/// A canary between two model versions as HTTPRoute weights across two pools: this deployment's route sends
/// <see cref="Weight"/> percent of its requests to <see cref="Candidate"/>'s pool. Each weight is a reviewed commit; an
/// Argo Rollouts <c>AnalysisRun</c> rendered beside the route judges the candidate at that weight with the guardrails
/// (docs/inference-pools.md#canary-across-two-pools).
/// </summary>
public sealed record PoolCanary
{
    /// <summary>The candidate deployment: same environment and namespace, with a pool and <c>HttpRoute = false</c>.</summary>
    public required string Candidate { get; init; }

    /// <summary>Percent of requests sent to the candidate, 0–100 (0 sends it nothing: the rolled-back state).</summary>
    public required int Weight { get; init; }

    /// <summary>Measurements the analysis takes at this weight, one per guardrail interval; 10.</summary>
    public int Measurements { get; init; } = 10;

    /// <summary>The limits the candidate is judged by; derived from this deployment's SLOs when null or partly null.</summary>
    public Guardrails? Guardrails { get; init; }
}
