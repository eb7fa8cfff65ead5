using System;
using System.Globalization;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>The <c>v1</c> Service in front of the engine and its least-privilege ServiceAccount.</summary>
internal static class ServiceManifests
{
    /// <summary>The Service clients call; <paramref name="name"/> names the canary and stable Services of a progressive rollout.</summary>
    public static MapNode Service(WorkloadIdentity id, string? name = null)
    {
        var ports = new ListNode();
        foreach (var port in DeploymentManifest.Ports(id.Deployment).Items)
        {
            var container = (MapNode)port;
            ports.Add(new MapNode()
                .Set("name", container["name"])
                .Set("port", container["containerPort"])
                .Set("targetPort", container["name"]));
        }

        return new MapNode()
            .Set("apiVersion", "v1")
            .Set("kind", "Service")
            .Set("metadata", id.Metadata(name))
            .Set("spec", new MapNode()
                .Set("selector", ServingPodSelector(id))
                .Set("ports", ports));
    }

    /// <summary>The pods that serve requests: every pod, or only the leaders of a multi-node replica (workers serve no API).</summary>
    public static MapNode ServingPodSelector(WorkloadIdentity id)
    {
        var selector = MapNode.Of(id.SelectorPairs);
        return LeaderWorkerSetManifest.IsMultiNode(id.Deployment) ? selector.Set(LeaderWorkerSetManifest.WorkerIndexLabel, "0") : selector;
    }

    /// <summary>The workload an autoscaler scales: the Deployment, the Argo Rollout or the LeaderWorkerSet.</summary>
    public static MapNode ScaleTargetRef(WorkloadIdentity id) =>
        LeaderWorkerSetManifest.IsMultiNode(id.Deployment) ? new MapNode().Set("apiVersion", LeaderWorkerSetManifest.ApiVersion).Set("kind", "LeaderWorkerSet").Set("name", id.Name)
        : Rollouts.RolloutPlan.IsProgressive(id.Deployment.Rollout) ? new MapNode().Set("apiVersion", RolloutManifests.ApiVersion).Set("kind", "Rollout").Set("name", id.Name)
        : new MapNode().Set("apiVersion", "apps/v1").Set("kind", "Deployment").Set("name", id.Name);

    /// <summary>GPU pods take minutes to become useful: scale up promptly, scale down slowly (the HPA's and KEDA's HPA behaviour).</summary>
    public static MapNode ScalingBehavior() => new MapNode()
        .Set("scaleUp", new MapNode()
            .Set("stabilizationWindowSeconds", 60)
            .Set("policies", ListNode.Of(new MapNode().Set("type", "Pods").Set("value", 2).Set("periodSeconds", 60))))
        .Set("scaleDown", new MapNode()
            .Set("stabilizationWindowSeconds", 600)
            .Set("policies", ListNode.Of(new MapNode().Set("type", "Pods").Set("value", 1).Set("periodSeconds", 300))));

    public static MapNode ServiceAccount(WorkloadIdentity id) => new MapNode()
        .Set("apiVersion", "v1")
        .Set("kind", "ServiceAccount")
        .Set("metadata", id.Metadata(id.ServiceAccountName))
        .Set("automountServiceAccountToken", id.Deployment.Security.AutomountServiceAccountToken);

    /// <summary>The <c>autoscaling/v2</c> autoscaler, or null when the replica count is fixed or KEDA scales the deployment.</summary>
    public static MapNode? HorizontalPodAutoscaler(WorkloadIdentity id)
    {
        var scaling = id.Deployment.Scaling;
        if (!scaling.IsAutoscaled || scaling.Keda is not null)
        {
            return null;
        }

        var target = (decimal)System.Math.Round(scaling.Signal.TargetPerReplica, 3);
        var metric = scaling.Signal.Kind == ScalingSignalKind.Cpu
            ? new MapNode().Set("type", "Resource").Set("resource", new MapNode()
                .Set("name", "cpu")
                .Set("target", new MapNode().Set("type", "Utilization").Set("averageUtilization", (int)System.Math.Round(scaling.Signal.TargetPerReplica))))
            : new MapNode().Set("type", "Pods").Set("pods", new MapNode()
                .Set("metric", new MapNode().Set("name", AdapterMetricName(scaling.Signal.Metric)))
                .Set("target", new MapNode().Set("type", "AverageValue").Set("averageValue", Quantities.Decimal(target))));

        return new MapNode()
            .Set("apiVersion", "autoscaling/v2")
            .Set("kind", "HorizontalPodAutoscaler")
            .Set("metadata", id.Metadata())
            .Set("spec", new MapNode()
                .Set("scaleTargetRef", ScaleTargetRef(id))
                .Set("minReplicas", scaling.MinReplicas)
                .Set("maxReplicas", scaling.MaxReplicas)
                .Set("metrics", ListNode.Of(metric))
                .Set("behavior", ScalingBehavior()));
    }

    /// <summary>The <c>policy/v1</c> PodDisruptionBudget, or null when none is declared.</summary>
    public static MapNode? PodDisruptionBudget(WorkloadIdentity id)
    {
        if (id.Deployment.DisruptionBudget is not { } budget)
        {
            return null;
        }

        // The budget counts replicas. A multi-node replica is a group of Nodes pods that fails and restarts as one (evicting
        // any pod recreates the group), so the pod budget is the replica budget times the nodes: while one group is down,
        // its pods use up a budget of one replica and no other group's pod can be evicted.
        var podsPerReplica = Math.Max(1, id.Deployment.Accelerator.Nodes);
        var spec = new MapNode().Set("selector", id.SelectorNode());
        if (budget.MaxUnavailable is { } maxUnavailable)
        {
            spec.Set("maxUnavailable", (long)maxUnavailable * podsPerReplica);
        }
        else if (budget.MinAvailable is { } minAvailable)
        {
            spec.Set("minAvailable", (long)minAvailable * podsPerReplica);
        }

        return new MapNode()
            .Set("apiVersion", "policy/v1")
            .Set("kind", "PodDisruptionBudget")
            .Set("metadata", id.Metadata())
            .Set("spec", spec);
    }

    /// <summary>
    /// Prometheus metric names may contain <c>:</c>; custom-metrics API names may not, and prometheus-adapter's
    /// usual rule renames <c>vllm:num_requests_waiting</c> to <c>vllm_num_requests_waiting</c>.
    /// </summary>
    public static string AdapterMetricName(string metric) => metric.Replace(':', '_').ToLower(CultureInfo.InvariantCulture);
}
