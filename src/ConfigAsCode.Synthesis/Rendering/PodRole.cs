namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>Which pod of a replica a template is for: the only pod, or the leader or a worker of a LeaderWorkerSet group.</summary>
internal enum PodRole
{
    /// <summary>A single-node replica's pod (Deployment or Rollout).</summary>
    Single,

    /// <summary>A multi-node replica's leader: serves the API, probes and metrics.</summary>
    Leader,

    /// <summary>A multi-node replica's worker: runs its engine ranks headless, without an API server.</summary>
    Worker,
}
