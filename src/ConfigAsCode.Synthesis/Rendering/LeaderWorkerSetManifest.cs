using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// A multi-node replica as a <c>leaderworkerset.x-k8s.io/v1</c> LeaderWorkerSet: each replica is a group of one leader
/// pod (vLLM's API server and node rank 0) and <c>Nodes − 1</c> worker pods (headless engine ranks), all with the
/// replica's per-node GPUs, recreated together when any of them restarts. Plus a NetworkPolicy that lets a group's
/// pods reach each other on every port (vLLM's rendezvous on 29501 and NCCL's own ports).
/// </summary>
internal static class LeaderWorkerSetManifest
{
    public const string ApiVersion = "leaderworkerset.x-k8s.io/v1";

    /// <summary>The pod label LeaderWorkerSet sets to the pod's index in its group; <c>"0"</c> is the leader.</summary>
    public const string WorkerIndexLabel = "leaderworkerset.sigs.k8s.io/worker-index";

    /// <summary>Environment variables LeaderWorkerSet injects into every container (<c>api/leaderworkerset/v1</c>).</summary>
    public const string GroupSizeVariable = "LWS_GROUP_SIZE";

    public const string WorkerIndexVariable = "LWS_WORKER_INDEX";

    public const string LeaderAddressVariable = "LWS_LEADER_ADDRESS";

    /// <summary>True when the deployment renders as a LeaderWorkerSet.</summary>
    public static bool IsMultiNode(InferenceDeployment d) => d.Accelerator is { Nodes: > 1 };

    /// <summary>
    /// Why a multi-node replica cannot be rendered as a working LeaderWorkerSet (CAC1030 and CAC3026 say so as rules
    /// too): nothing is rendered rather than a group that cannot start or that rolls out without its declared strategy.
    /// </summary>
    public static (RuleDescriptor Rule, string Path, string Message)? RenderProblem(InferenceDeployment d)
    {
        var nodes = d.Accelerator.Nodes;
        if (nodes < 1)
        {
            return (RuleCatalog.NotRenderable, "Accelerator.Nodes", $"{nodes} nodes per replica cannot be rendered. Fix the findings on Accelerator.Nodes (CAC3012).");
        }

        if (nodes == 1)
        {
            return null;
        }

        if (Rollouts.RolloutPlan.IsProgressive(d.Rollout))
        {
            return (RuleCatalog.RolloutNotRendered, "Rollout", $"a {nodes}-node replica renders as a LeaderWorkerSet, which cannot run {d.Rollout.GetType().Name} (CAC1030). Nothing was rendered for this deployment rather than a LeaderWorkerSet that would roll out without the declared guardrails.");
        }

        return d.Engine switch
        {
            VllmEngine { DataParallelSize: > 1 } => (RuleCatalog.NotRenderable, "Engine.DataParallelSize", $"data parallel inside a {nodes}-node replica cannot be rendered (CAC3026). Nothing was rendered for this deployment."),
            VllmEngine => null,
            _ => (RuleCatalog.NotRenderable, "Accelerator.Nodes", $"{nodes} nodes per replica are rendered for vLLM only; {d.Engine.Kind} has no multi-node runtime here (CAC3026). Nothing was rendered for this deployment."),
        };
    }

    /// <summary>The name of the NetworkPolicy that opens a group's pods to each other.</summary>
    public static string GroupPolicyName(WorkloadIdentity id) => id.Name + "-group";

    public static MapNode Build(WorkloadIdentity id)
    {
        var d = id.Deployment;
        var rolling = d.Rollout as RollingUpdate ?? new RollingUpdate();
        var template = new MapNode()
            .Set("size", d.Accelerator.Nodes)

            // A rank that restarts alone cannot rejoin a running torch.distributed group: restart the whole group.
            .Set("restartPolicy", "RecreateGroupOnPodRestart")
            .Set("leaderTemplate", DeploymentManifest.PodTemplate(id, PodRole.Leader))
            .Set("workerTemplate", DeploymentManifest.PodTemplate(id, PodRole.Worker));

        var spec = new MapNode()
            .Set("replicas", d.Scaling.IsAutoscaled ? null : d.Scaling.MinReplicas)
            .Set("leaderWorkerTemplate", template)
            .Set("rolloutStrategy", new MapNode()
                .Set("type", "RollingUpdate")
                .Set("rollingUpdateConfiguration", new MapNode()
                    .Set("maxSurge", rolling.MaxSurge)
                    .Set("maxUnavailable", rolling.MaxUnavailable)))

            // The leader becomes ready only once every worker has joined, so workers must not wait for it.
            .Set("startupPolicy", "LeaderCreated")

            // A headless Service per replica ('<name>-<replica>'), so the client Service keeps the name '<name>' that a shared
            // headless Service would take.
            .Set("networkConfig", new MapNode().Set("subdomainPolicy", "UniquePerReplica"));

        return new MapNode()
            .Set("apiVersion", ApiVersion)
            .Set("kind", "LeaderWorkerSet")
            .Set("metadata", id.Metadata(withAnnotations: true))
            .Set("spec", spec);
    }

    /// <summary>Ingress from and egress to the deployment's own pods, on every port: a group's ranks talk directly.</summary>
    public static MapNode GroupNetworkPolicy(WorkloadIdentity id)
    {
        var peers = ListNode.Of(new MapNode().Set("podSelector", id.SelectorNode()));
        return new MapNode()
            .Set("apiVersion", "networking.k8s.io/v1")
            .Set("kind", "NetworkPolicy")
            .Set("metadata", id.Metadata(GroupPolicyName(id)))
            .Set("spec", new MapNode()
                .Set("podSelector", id.SelectorNode())
                .Set("policyTypes", ListNode.Of("Ingress", "Egress"))
                .Set("ingress", ListNode.Of(new MapNode().Set("from", peers)))
                .Set("egress", ListNode.Of(new MapNode().Set("to", peers))));
    }
}
